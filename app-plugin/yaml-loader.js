// Webpack loader and Jest transformer in one: a YAML file becomes a module exporting its parsed data, at
// build time, so the bundle carries JSON and no YAML parser. The app imports the repository's alert rules
// (provisioning/alerting/rules.yaml) this way: one source for file provisioning and the Admin page.
const YAML = require('yaml');

const toModule = (source) => `module.exports = ${JSON.stringify(YAML.parse(source))};`;

module.exports = function yamlLoader(source) {
  return toModule(source);
};

// Jest: `transform: { '\\.ya?ml$': '<rootDir>/yaml-loader.js' }`.
module.exports.process = (source) => ({ code: toModule(source) });

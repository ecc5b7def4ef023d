// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const path = require('path');

const baseConfig = require('./.config/jest.config');

// Reuse the scaffold's swc transform for `.mjs` files too: d3-color 3.1.1 (pulled in by @grafana/data)
// ships ESM as `.mjs`, which the scaffold's `^.+\.(t|j)sx?$` pattern does not match.
const swcTransform = baseConfig.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...baseConfig,
  moduleNameMapper: {
    ...baseConfig.moduleNameMapper,
    // The collector's query contract, as in tsconfig.json `paths` and webpack.config.ts `resolve.alias`.
    '^@infrazen/contract$': path.resolve(__dirname, '../collector/src/contract/query.ts'),
    '^@infrazen/contract/management$': path.resolve(__dirname, '../collector/src/contract/management.ts'),
  },
  transform: {
    ...baseConfig.transform,
    '^.+\\.mjs$': swcTransform,
    // YAML parsed like the webpack build does it (the Admin page's alert rules).
    '\\.ya?ml$': path.resolve(__dirname, 'yaml-loader.js'),
  },
};

/** YAML files are parsed at build time (yaml-loader.js); the module's value is the parsed document. */
declare module '*.yaml' {
  const value: unknown;
  export default value;
}

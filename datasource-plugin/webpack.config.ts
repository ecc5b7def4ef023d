import path from 'path';
import type { Configuration } from 'webpack';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

/**
 * The scaffold's webpack config plus one alias: the collector's query contract (types and constant lists,
 * no imports) is bundled into the plugin, as in tsconfig.json `paths` and jest.config.js. The scaffold's
 * swc rule only skips node_modules, so the file outside src/ is compiled like plugin code.
 */
const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  return {
    ...base,
    resolve: {
      ...base.resolve,
      alias: {
        ...(base.resolve?.alias as Record<string, string> | undefined),
        '@infrazen/contract': path.resolve(__dirname, '../collector/src/contract/query.ts'),
      },
    },
  };
};

export default config;

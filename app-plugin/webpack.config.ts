import CopyWebpackPlugin from 'copy-webpack-plugin';
import path from 'path';
import type { Configuration } from 'webpack';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

/**
 * The scaffold's webpack config plus:
 * - aliases: the collector's query and management contracts (types and constant lists, no imports) are
 *   bundled into the plugin, as in tsconfig.json `paths` and jest.config.js. The scaffold's swc rule only skips
 *   node_modules, so the file outside src/ is compiled like plugin code;
 * - YAML imports parsed at build time (yaml-loader.js): the Admin page installs the repository's alert
 *   rules (provisioning/alerting/rules.yaml) without shipping a YAML parser.
 */
const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  return {
    ...base,
    module: {
      ...base.module,
      rules: [...(base.module?.rules ?? []), { test: /\.ya?ml$/, use: path.resolve(__dirname, 'yaml-loader.js') }],
    },
    resolve: {
      ...base.resolve,
      alias: {
        ...(base.resolve?.alias as Record<string, string> | undefined),
        // Exact-match keys (`$`): a bare `@infrazen/contract` alias would also claim `…/management`.
        '@infrazen/contract/management$': path.resolve(__dirname, '../collector/src/contract/management.ts'),
        '@infrazen/contract$': path.resolve(__dirname, '../collector/src/contract/query.ts'),
      },
    },
    plugins: [
      ...(base.plugins ?? []),
      // The dashboards the app ships (plugin.json `includes` of type dashboard), from the repository's
      // dashboards/ folder; its package.json and tsconfig.json are the generator's, not dashboards.
      new CopyWebpackPlugin({
        patterns: [
          {
            from: '*.json',
            context: path.resolve(__dirname, '../dashboards'),
            to: 'dashboards',
            globOptions: { ignore: ['**/package.json', '**/tsconfig.json'] },
          },
        ],
      }),
    ],
  };
};

export default config;

/**
 * The test host on its own, for a person: `npm run host -w e2e -- --port 3300`, then open
 * http://127.0.0.1:3300/login?user=admin (or editor / viewer, &theme=light, &lang=ru-RU) and point the
 * app and the datasource at a running collector (`npm start`).
 */
import { parseArgs } from 'node:util';

import { repoPlugins } from './plugins.js';
import { startHost } from './server.js';

const DATASOURCE_UID = 'infrazen';

const { values } = parseArgs({ options: { port: { type: 'string', default: '3300' } }, strict: true });
const host = await startHost({
  plugins: repoPlugins(),
  datasources: [{ uid: DATASOURCE_UID, name: 'InfraZen', type: 'infrazen-finops-datasource' }],
  port: Number(values.port),
});
process.stdout.write(`test host on ${host.url}/login?user=admin\n`);
const stop = () => void host.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

/**
 * The provider sandbox as a process of its own (`npm run sandbox -w collector -- --selectel-vms 5000`):
 * benchmarks start it as a child so that its memory and CPU are not counted as the sync's, and a person
 * can point a connection at it by hand. Prints one JSON line on stdout —
 * `{origin, selectel: {credentials, settings, expectedLines?}, beget: {credentials, settings}}` — and
 * serves until SIGTERM or SIGINT.
 *
 * Options (flags win over the environment):
 *   --selectel-vms N       SANDBOX_SELECTEL_VMS       servers in the Selectel account
 *   --selectel-volumes N   SANDBOX_SELECTEL_VOLUMES   volumes in the Selectel account
 *   --now ISO              SANDBOX_NOW                pinned sandbox clock (default: real time)
 *   --seed N               SANDBOX_SEED
 *   --host H / --port N    SANDBOX_HOST / SANDBOX_PORT
 *   --lines-from ISO       SANDBOX_LINES_FROM         also print `selectel.expectedLines`: the billing
 *                                                     lines a full read from then until now returns
 */
import { parseArgs } from 'node:util';
import { startSandbox } from './index.js';

const { values } = parseArgs({
  options: {
    'selectel-vms': { type: 'string' },
    'selectel-volumes': { type: 'string' },
    now: { type: 'string' },
    seed: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'lines-from': { type: 'string' },
  },
  strict: true,
});

function option(flag: keyof typeof values, env: string): string | undefined {
  const value = values[flag] ?? process.env[env];
  return value === undefined || value === '' ? undefined : value;
}

function int(flag: keyof typeof values, env: string): number | undefined {
  const raw = option(flag, env);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${flag} must be a whole number ≥ 0, got "${raw}"`);
  return n;
}

function date(flag: keyof typeof values, env: string): Date | undefined {
  const raw = option(flag, env);
  if (raw === undefined) return undefined;
  const d = new Date(raw);
  if (Number.isNaN(d.getTime())) throw new Error(`--${flag} must be an ISO date-time, got "${raw}"`);
  return d;
}

const now = date('now', 'SANDBOX_NOW');
const linesFrom = date('lines-from', 'SANDBOX_LINES_FROM');
const sandbox = await startSandbox({
  seed: int('seed', 'SANDBOX_SEED'),
  host: option('host', 'SANDBOX_HOST'),
  port: int('port', 'SANDBOX_PORT'),
  now: now ? () => now : undefined,
  selectel: {
    vms: int('selectel-vms', 'SANDBOX_SELECTEL_VMS'),
    volumes: int('selectel-volumes', 'SANDBOX_SELECTEL_VOLUMES'),
  },
});

const { credentials, settings, truth } = sandbox.selectel;
const expectedLines = linesFrom
  ? truth.expectedLines({ start: linesFrom, end: now ?? new Date() }, settings.providerKeys)
  : undefined;
process.stdout.write(
  JSON.stringify({
    origin: sandbox.origin,
    selectel: { credentials, settings, ...(expectedLines === undefined ? {} : { expectedLines }) },
    beget: { credentials: sandbox.beget.credentials, settings: sandbox.beget.settings },
  }) + '\n'
);

let closing = false;
const stop = () => {
  if (closing) return;
  closing = true;
  void sandbox.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

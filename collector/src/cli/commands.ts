/** The CLI's commands other than serve: each opens the database (the running embedded one, if any). */
import pino from 'pino';
import type { Config } from '../config.js';
import { loggerOptions } from '../observability/logger.js';
import { Keyring, generateKey } from '../security/crypto.js';
import { loadKeyring, promoteKeyFile, stageNewKeyFile } from '../security/key-store.js';
import { createRuntime, type Runtime } from '../runtime.js';
import { SecretStore } from '../services/secret-store.js';
import { createTenant, createToken } from '../services/tenancy.js';
import { migrate } from '../storage/migrate.js';
import { findTenantById, findTenantByOrg, listTenants } from '../storage/repositories/tenants.js';
import { decodeKey } from '../config.js';

export type Out = (line: string) => void;

/** CLI logs go to stderr so stdout carries only results (tokens, tables) for scripts. */
function cliLogger(config: Config) {
  return pino(loggerOptions(process.env.LOG_LEVEL ? config.logLevel : 'warn'), pino.destination(2));
}

export async function withRuntime<T>(config: Config, fn: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await createRuntime(config, cliLogger(config), 'client');
  try {
    runtime.dbState.migration = await migrate(runtime.connection.db);
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

export async function migrateCommand(config: Config, out: Out) {
  await withRuntime(config, async ({ dbState }) => {
    const m = dbState.migration!;
    out(m.applied.length ? `applied: ${m.applied.join(', ')}` : 'already up to date');
    out(`storage mode: ${m.mode}, schema version ${m.version} of ${m.latest}`);
  });
}

export async function tenantCreateCommand(config: Config, out: Out, opts: { org: number; name: string }) {
  await withRuntime(config, async ({ connection }) => {
    const { tenant, token } = await createTenant(connection.db, { orgId: opts.org, name: opts.name, actor: 'cli' });
    out(`tenant ${tenant.id} created for Grafana org ${tenant.grafanaOrgId} (${tenant.name})`);
    out("API token (shown once; put it in this org's InfraZen datasource and app settings):");
    out(token.token);
  });
}

export async function tenantListCommand(config: Config, out: Out) {
  await withRuntime(config, async ({ connection }) => {
    for (const t of await listTenants(connection.db)) out(`${t.id}\torg ${t.grafanaOrgId}\t${t.name}`);
  });
}

export async function tokenCreateCommand(
  config: Config,
  out: Out,
  opts: { tenant?: string; org?: number; name: string; support?: boolean }
) {
  await withRuntime(config, async ({ connection }) => {
    const db = connection.db;
    const tenant =
      opts.org !== undefined
        ? await findTenantByOrg(db, opts.org)
        : /^[0-9a-f-]{36}$/i.test(opts.tenant ?? '')
          ? await findTenantById(db, opts.tenant!)
          : undefined;
    if (!tenant)
      throw new CliError(`No tenant ${opts.org !== undefined ? `for Grafana org ${opts.org}` : (opts.tenant ?? '')}`);
    const token = await createToken(db, {
      tenantId: tenant.id,
      name: opts.name,
      actor: 'cli',
      actorKind: 'cli',
      supportAccess: opts.support === true,
    });
    const support = token.supportAccess ? ' with support access' : '';
    out(`token ${token.id} (${token.prefix}…) created for tenant ${tenant.id}${support}; shown once:`);
    out(token.token);
  });
}

/**
 * Re-encrypts every secret under a new key. With the key file (embedded default) the new key is
 * generated and installed here; with INFRAZEN_SECRET_KEY the new key comes from
 * INFRAZEN_NEW_SECRET_KEY and the operator swaps the variables afterwards.
 */
export async function secretsRotateCommand(config: Config, out: Out, env: NodeJS.ProcessEnv = process.env) {
  const logger = cliLogger(config);
  const current = await loadKeyring(config, logger);
  const usesKeyFile = !config.secretKey;
  let newKey: Buffer;
  if (usesKeyFile) {
    newKey = generateKey();
    await stageNewKeyFile(config, newKey);
  } else {
    const given = env.INFRAZEN_NEW_SECRET_KEY ? decodeKey(env.INFRAZEN_NEW_SECRET_KEY) : undefined;
    if (!given) {
      throw new CliError(
        'INFRAZEN_SECRET_KEY is set, so the new key must come from INFRAZEN_NEW_SECRET_KEY (64 hex characters).'
      );
    }
    newKey = given;
  }
  const next = new Keyring(newKey, []);
  await withRuntime(config, async ({ connection }) => {
    const result = await SecretStore.rotate(connection.db, current, next);
    if (usesKeyFile) await promoteKeyFile(config, newKey);
    out(`re-encrypted ${result.rotated} secret(s) under key ${result.keyId}; 0 failures`);
    if (!usesKeyFile) {
      out(
        'Now set INFRAZEN_SECRET_KEY to the new key (and unset INFRAZEN_NEW_SECRET_KEY), then restart the collector.'
      );
    }
  });
}

export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

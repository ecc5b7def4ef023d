/**
 * Provider connections: create, read, update, delete and test, for one tenant. Credentials are
 * validated by the provider's schema, stored encrypted (SecretStore) and never returned, logged or put
 * in an error; callers only ever see which credential fields are set. Every change is audited.
 *
 * The sync engine reuses `loadConnectionRuntime` to get a connection's decrypted credentials, parsed
 * settings and connector in one place.
 */
import { CronExpressionParser } from 'cron-parser';
import cron from 'node-cron';
import { z } from 'zod';
import type { Provider } from '../domain/providers.js';
import type { Logger } from '../observability/logger.js';
import type { HttpOptions } from '../providers/http/client.js';
import { describeProviderError } from '../providers/http/errors.js';
import { connectorFor, providerRegistry, type ProviderEntry } from '../providers/registry.js';
import type { AccountInfo, Connector } from '../providers/types.js';
import { DecryptError } from '../security/crypto.js';
import type { Database, Queryable } from '../storage/db.js';
import type { StorageMode } from '../storage/migrate.js';
import { appendAudit } from '../storage/repositories/audit-log.js';
import {
  findConnection,
  hasActiveSync,
  insertConnection,
  listConnections as listConnectionRows,
  purgeConnection,
  softDeleteConnection,
  updateConnection as updateConnectionRow,
  type ConnectionChanges,
  type ConnectionRecord,
  type ConnectionSummary,
  type PurgeResult,
} from '../storage/repositories/connections.js';
import { refreshCostDaily, refreshMetricsHourly } from '../storage/rollups.js';
import { nextSlot } from '../sync/scheduler.js';
import type { SecretStore } from './secret-store.js';

export type { ConnectionSummary } from '../storage/repositories/connections.js';

const SECRET_PURPOSE = 'connection.credentials';
/** The whole test (auth, a first read) is bounded so a hanging provider cannot hold a request forever. */
export const CONNECTION_TEST_TIMEOUT_MS = 60_000;

// ---------------------------------------------------------------------------------------------------
// Errors. They carry the HTTP status the API answers with, so the error handler maps them without the
// service importing anything from HTTP.

export class ConnectionError extends Error {
  constructor(
    readonly statusCode: number,
    message: string
  ) {
    super(message);
    this.name = 'ConnectionError';
  }
}

export class ConnectionNotFoundError extends ConnectionError {
  constructor() {
    super(404, 'Connection not found');
    this.name = 'ConnectionNotFoundError';
  }
}

export class ConnectionConflictError extends ConnectionError {
  constructor(message: string) {
    super(409, message);
    this.name = 'ConnectionConflictError';
  }
}

export interface InputIssue {
  /** JSON pointer into the request body, like the schema validator's `instancePath`. */
  path: string;
  message: string;
}

/** Credentials or settings the provider's schema refuses: a 400 naming the fields, never their values. */
export class ConnectionInputError extends ConnectionError {
  constructor(readonly details: InputIssue[]) {
    super(400, `Invalid body: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`);
    this.name = 'ConnectionInputError';
  }
}

/** A stored connection that cannot be used as is (credentials missing or undecryptable, schema drift). */
export class ConnectionConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionConfigurationError';
  }
}

// ---------------------------------------------------------------------------------------------------
// Validation

/**
 * A 5-field cron expression. It must satisfy both libraries the collector uses (cron-parser computes
 * the sync slots, node-cron runs the ticks), and each accepts things the other refuses (node-cron: `1W`;
 * cron-parser: 4 fields, `H`). Aliases like `@hourly` and 6-field (seconds) expressions are refused:
 * syncing every second is never meant, and one documented format is easier for the app plugin's form.
 */
export function isValidSchedule(expression: string): boolean {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return false;
  const normalized = fields.join(' ');
  if (!cron.validate(normalized)) return false;
  try {
    CronExpressionParser.parse(normalized);
    return true;
  } catch {
    return false;
  }
}

export const scheduleSchema = z
  .string()
  .trim()
  .max(200)
  .refine(isValidSchedule, { error: 'must be a 5-field cron expression (minute hour day-of-month month day-of-week)' })
  .transform((s) => s.split(/\s+/).join(' '));

export const connectionNameSchema = z.string().trim().min(1, 'must not be empty').max(200);

/**
 * Credential fields whose values are secrets. Identity fields (login, username, accountId, project) are
 * not: a provider's account answer legitimately names the account, and scrubbing those short, often
 * numeric values would also mangle unrelated text and numbers (a balance containing the account id).
 */
const SECRET_FIELD = /pass|secret|token|key|private|cert/i;

/** The secret strings inside credentials (whole subtrees under secret-named keys), for scrubbing. */
function secretStrings(value: unknown, out: string[] = [], underSecret = false): string[] {
  if (typeof value === 'string') {
    // Very short values would mangle ordinary words; nothing that short is a real secret.
    if (underSecret && value.length >= 4) out.push(value);
  } else if (Array.isArray(value)) {
    for (const v of value) secretStrings(v, out, underSecret);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) secretStrings(v, out, underSecret || SECRET_FIELD.test(k));
  }
  return out;
}

/** Defence in depth: whatever a schema or a provider put in a message, no credential value leaves. */
function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    result = result.split(secret).join('[redacted]');
  }
  return result;
}

function scrubDeep<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return scrub(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => scrubDeep(v, secrets)) as T;
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubDeep(v, secrets)])) as T;
}

function parseWith(
  schema: z.ZodType<Record<string, unknown>>,
  value: Record<string, unknown>,
  root: 'credentials' | 'settings',
  secrets: readonly string[] = []
): Record<string, unknown> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ConnectionInputError(
    result.error.issues.map((issue) => ({
      path: `/${[root, ...issue.path.map(String)].join('/')}`,
      message: scrub(issue.message, secrets),
    }))
  );
}

/** The names of the credential fields that hold a value (what the API shows instead of values). */
function credentialFieldsOf(credentials: Record<string, unknown>): string[] {
  return Object.keys(credentials)
    .filter((k) => credentials[k] !== undefined && credentials[k] !== null)
    .sort();
}

/** Shallow merge-patch: a key set to null is removed (back to its default), an omitted key is kept. */
function mergePatch(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** Keys whose value differs between two objects (names only: values may be secret). */
function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

const nameTaken = (name: string) => new ConnectionConflictError(`A connection named "${name}" already exists`);

function isUniqueNameViolation(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown };
  return e.code === '23505' && e.constraint === 'connections_name_uq';
}

function toSummary(record: ConnectionRecord | ConnectionSummary): ConnectionSummary {
  return {
    id: record.id,
    name: record.name,
    provider: record.provider,
    credentialFields: record.credentialFields,
    settings: record.settings,
    schedule: record.schedule,
    enabled: record.enabled,
    status: record.status,
    account: record.account,
    lastSyncAt: record.lastSyncAt,
    lastSyncStatus: record.lastSyncStatus,
    lastError: record.lastError,
    nextSyncAt: record.nextSyncAt,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

// ---------------------------------------------------------------------------------------------------
// Service

export interface ConnectionServiceDeps {
  db: Database;
  secrets: SecretStore;
  /** Decides how rollups are cleaned on purge (tables in plain mode, continuous aggregates otherwise). */
  storageMode: StorageMode;
  logger?: Logger;
}

/** Who did it, for the audit log. */
export interface AuditActor {
  actor: string;
  actorKind: 'user' | 'token';
  sourceIp?: string;
  /** The API token the request came with (kept even when a Grafana user is named). */
  tokenId: string;
}

async function audit(
  q: Queryable,
  tenantId: string,
  who: AuditActor,
  action: string,
  connectionId: string,
  details: Record<string, unknown>
): Promise<void> {
  await appendAudit(q, {
    tenantId,
    actor: who.actor,
    actorKind: who.actorKind,
    action,
    targetKind: 'connection',
    targetId: connectionId,
    sourceIp: who.sourceIp,
    details: { ...details, tokenId: who.tokenId },
  });
}

export interface CreateConnectionInput {
  name: string;
  provider: Provider;
  credentials: Record<string, unknown>;
  settings?: Record<string, unknown>;
  schedule?: string | null;
  enabled?: boolean;
}

export interface UpdateConnectionInput {
  name?: string;
  /** Merged into the stored credentials; null removes a field. */
  credentials?: Record<string, unknown>;
  /** Merged into the stored settings; null resets a field to its default. */
  settings?: Record<string, unknown>;
  schedule?: string | null;
  enabled?: boolean;
}

function checkSchedule(schedule: string | null | undefined): void {
  if (schedule !== undefined && schedule !== null && !isValidSchedule(schedule)) {
    throw new ConnectionInputError([{ path: '/schedule', message: 'must be a 5-field cron expression' }]);
  }
}

/**
 * The stored credentials to merge a PATCH into. `values` is undefined when there is nothing to merge
 * with: no secret, or one that no longer decrypts (key lost) — PATCHing a full set of credentials is
 * then how a user recovers, and the undecryptable row is overwritten rather than orphaned.
 */
async function readStoredCredentials(
  secrets: SecretStore,
  q: Queryable,
  secretId: string | null
): Promise<{ values: Record<string, unknown> | undefined; secretExists: boolean }> {
  if (!secretId) return { values: undefined, secretExists: false };
  try {
    const values = await secrets.read(q, secretId);
    return { values, secretExists: values !== undefined };
  } catch (err) {
    if (err instanceof DecryptError) return { values: undefined, secretExists: true };
    throw err;
  }
}

export async function listConnections(deps: ConnectionServiceDeps, tenantId: string): Promise<ConnectionSummary[]> {
  return deps.db.withTenant(tenantId, (tx) => listConnectionRows(tx));
}

export async function getConnection(
  deps: ConnectionServiceDeps,
  tenantId: string,
  id: string
): Promise<ConnectionSummary> {
  const record = await deps.db.withTenant(tenantId, (tx) => findConnection(tx, id));
  if (!record) throw new ConnectionNotFoundError();
  return toSummary(record);
}

export async function createConnection(
  deps: ConnectionServiceDeps,
  tenantId: string,
  input: CreateConnectionInput,
  who: AuditActor
): Promise<ConnectionSummary> {
  const entry: ProviderEntry = providerRegistry[input.provider];
  // Everything is validated before the transaction opens: a refused request writes nothing.
  const secretValues = secretStrings(input.credentials);
  const credentials = parseWith(entry.credentialsSchema, input.credentials, 'credentials', secretValues);
  const settings = parseWith(entry.settingsSchema, input.settings ?? {}, 'settings');
  checkSchedule(input.schedule);
  const name = input.name.trim();
  const enabled = input.enabled ?? true;
  const credentialFields = credentialFieldsOf(credentials);

  try {
    return await deps.db.withTenant(tenantId, async (tx) => {
      const secretId = await deps.secrets.create(tx, tenantId, SECRET_PURPOSE, credentials);
      const connection = await insertConnection(tx, {
        tenantId,
        name,
        provider: input.provider,
        credentialsSecretId: secretId,
        credentialFields,
        settings,
        schedule: input.schedule ?? null,
        enabled,
        status: enabled ? 'pending' : 'disabled',
      });
      await audit(tx, tenantId, who, 'connection.create', connection.id, {
        name,
        provider: input.provider,
        credentialFields,
        settingsFields: Object.keys(input.settings ?? {}).sort(),
        schedule: connection.schedule,
        enabled,
      });
      return connection;
    });
  } catch (err) {
    if (isUniqueNameViolation(err)) throw nameTaken(name);
    throw err;
  }
}

export async function updateConnection(
  deps: ConnectionServiceDeps,
  tenantId: string,
  id: string,
  patch: UpdateConnectionInput,
  who: AuditActor
): Promise<ConnectionSummary> {
  checkSchedule(patch.schedule);
  const name = patch.name?.trim();
  try {
    return await deps.db.withTenant(tenantId, async (tx) => {
      // Locked: two concurrent PATCHes of different credential fields must both survive the merge.
      const current = await findConnection(tx, id, { forUpdate: true });
      if (!current) throw new ConnectionNotFoundError();
      const entry = providerRegistry[current.provider];
      const changes: ConnectionChanges = {};
      const details: Record<string, unknown> = {};
      let newCredentials: Record<string, unknown> | undefined;
      let secretExists = false;

      if (name !== undefined && name !== current.name) {
        changes.name = name;
        details.name = { from: current.name, to: name };
      }
      if (patch.credentials !== undefined) {
        const existing = await readStoredCredentials(deps.secrets, tx, current.credentialsSecretId);
        const stored = existing.values ?? {};
        secretExists = existing.secretExists;
        const secretValues = [...secretStrings(stored), ...secretStrings(patch.credentials)];
        newCredentials = parseWith(
          entry.credentialsSchema,
          mergePatch(stored, patch.credentials),
          'credentials',
          secretValues
        );
        const changed = changedKeys(stored, newCredentials);
        if (changed.length > 0) {
          changes.credentialFields = credentialFieldsOf(newCredentials);
          details.credentialFieldsChanged = changed;
        } else {
          newCredentials = undefined;
        }
      }
      if (patch.settings !== undefined) {
        const settings = parseWith(entry.settingsSchema, mergePatch(current.settings, patch.settings), 'settings');
        const changed = changedKeys(current.settings, settings);
        if (changed.length > 0) {
          changes.settings = settings;
          details.settingsChanged = changed;
        }
      }
      if (patch.schedule !== undefined && patch.schedule !== current.schedule) {
        changes.schedule = patch.schedule;
        // The scheduler claims connections by next_sync_at: move it to the new schedule's next slot so
        // the change applies now, not after one more run on the old schedule.
        changes.nextSyncAt = nextSlot(patch.schedule, id, new Date());
        details.schedule = { from: current.schedule, to: patch.schedule };
      }
      if (patch.enabled !== undefined && patch.enabled !== current.enabled) {
        changes.enabled = patch.enabled;
        // A re-enabled connection waits for its next sync; a disabled one says so.
        changes.status = patch.enabled ? 'pending' : 'disabled';
        details.enabled = patch.enabled;
      }
      // Nothing differs: no write, no audit entry for a no-op.
      if (Object.keys(details).length === 0) return toSummary(current);

      if (newCredentials) {
        if (current.credentialsSecretId && secretExists) {
          await deps.secrets.replace(tx, tenantId, current.credentialsSecretId, newCredentials);
        } else {
          changes.credentialsSecretId = await deps.secrets.create(tx, tenantId, SECRET_PURPOSE, newCredentials);
        }
      }
      const updated = await updateConnectionRow(tx, id, changes);
      if (!updated) throw new ConnectionNotFoundError();
      await audit(tx, tenantId, who, 'connection.update', id, details);
      return updated;
    });
  } catch (err) {
    if (isUniqueNameViolation(err)) throw nameTaken(name ?? '');
    throw err;
  }
}

/**
 * Soft delete (default): the connection disappears from the API and stops syncing, its encrypted
 * credentials are destroyed, and its cost history stays for reports. Purge also deletes everything it
 * collected and the row itself; it works on an already soft-deleted connection too, so history can be
 * dropped later.
 */
export async function removeConnection(
  deps: ConnectionServiceDeps,
  tenantId: string,
  id: string,
  options: { purge: boolean },
  who: AuditActor
): Promise<void> {
  if (!options.purge) {
    await deps.db.withTenant(tenantId, async (tx) => {
      const current = await findConnection(tx, id, { forUpdate: true });
      if (!current) throw new ConnectionNotFoundError();
      await softDeleteConnection(tx, id);
      if (current.credentialsSecretId) await deps.secrets.remove(tx, current.credentialsSecretId);
      await audit(tx, tenantId, who, 'connection.delete', id, { name: current.name, provider: current.provider });
    });
    return;
  }

  // As the owner: resource_metrics and the plain-mode rollups have no row-level security (README), so
  // the tenant is named in every statement instead (purgeConnection, findConnection's tenantId).
  const result: PurgeResult = await deps.db.transaction(async (tx) => {
    const current = await findConnection(tx, id, { tenantId, includeDeleted: true, forUpdate: true });
    if (!current) throw new ConnectionNotFoundError();
    // A running sync would keep writing cost rows for a connection that no longer exists.
    if (await hasActiveSync(tx, tenantId, id)) {
      throw new ConnectionConflictError('A sync of this connection is running; purge it once the sync has finished');
    }
    if (current.credentialsSecretId) await deps.secrets.remove(tx, current.credentialsSecretId);
    const purged = await purgeConnection(tx, tenantId, id, deps.storageMode);
    await audit(tx, tenantId, who, 'connection.purge', id, {
      name: current.name,
      provider: current.provider,
      wasDeleted: current.deletedAt !== null,
      deleted: {
        costRecords: purged.costRecords,
        resourceMetrics: purged.resourceMetrics,
        accountBalances: purged.accountBalances,
        resources: purged.resources,
        syncSnapshots: purged.syncSnapshots,
      },
    });
    return purged;
  });

  // Continuous aggregates only see deletions when refreshed, and a refresh cannot run inside a
  // transaction. The purge itself is committed, so a failed refresh is logged, not reported as failure.
  if (deps.storageMode === 'timescale') {
    try {
      if (result.costRange) await refreshCostDaily(deps.db, 'timescale', result.costRange);
      if (result.metricsRange) await refreshMetricsHourly(deps.db, 'timescale', result.metricsRange);
    } catch (err) {
      deps.logger?.warn({ err: (err as Error).message, connectionId: id }, 'rollup refresh after purge failed');
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Runtime (shared with the sync engine) and the connection test

export interface ConnectionRuntime {
  connection: ConnectionSummary;
  /** Undefined for providers whose connector is not written yet. */
  connector: Connector<unknown, unknown> | undefined;
  /** Decrypted and validated by the provider's schema. Never log or return these. */
  credentials: Record<string, unknown>;
  /** Parsed by the provider's schema, so defaults added since the connection was saved apply. */
  settings: Record<string, unknown>;
}

/**
 * Everything needed to talk to a connection's provider. Throws ConnectionNotFoundError for unknown,
 * deleted or other tenants' connections, and ConnectionConfigurationError (with a secret-free message)
 * when the stored credentials or settings cannot be used.
 */
export async function loadConnectionRuntime(
  db: Database,
  secrets: SecretStore,
  tenantId: string,
  connectionId: string
): Promise<ConnectionRuntime> {
  const { record, stored } = await db.withTenant(tenantId, async (tx) => {
    const found = await findConnection(tx, connectionId);
    if (!found) throw new ConnectionNotFoundError();
    if (!found.credentialsSecretId) return { record: found, stored: undefined };
    try {
      return { record: found, stored: await secrets.read(tx, found.credentialsSecretId) };
    } catch (err) {
      if (err instanceof DecryptError) {
        throw new ConnectionConfigurationError(
          'The stored credentials cannot be decrypted (was the encryption key changed?); enter them again'
        );
      }
      throw err;
    }
  });
  if (!stored) throw new ConnectionConfigurationError('The connection has no stored credentials; enter them again');
  const entry = providerRegistry[record.provider];
  const describe = (err: unknown) =>
    err instanceof ConnectionInputError ? err.details.map((d) => `${d.path} ${d.message}`).join('; ') : String(err);
  let credentials: Record<string, unknown>;
  let settings: Record<string, unknown>;
  try {
    credentials = parseWith(entry.credentialsSchema, stored, 'credentials', secretStrings(stored));
    settings = parseWith(entry.settingsSchema, record.settings, 'settings');
  } catch (err) {
    throw new ConnectionConfigurationError(`The stored connection no longer validates: ${describe(err)}`);
  }
  return { connection: toSummary(record), connector: connectorFor(record.provider), credentials, settings };
}

export type ConnectionTestResult =
  { ok: true; account: AccountInfo } | { ok: false; error: { kind: string; message: string } };

export interface ConnectionTestOptions {
  logger: Logger;
  http: HttpOptions;
  timeoutMs?: number;
  now?: Date;
}

/** Runs the connector's `test` against the provider, bounded in time; the answer is audited. */
export async function testConnection(
  deps: ConnectionServiceDeps,
  tenantId: string,
  id: string,
  options: ConnectionTestOptions,
  who: AuditActor
): Promise<ConnectionTestResult> {
  let result: ConnectionTestResult;
  let provider: Provider | undefined;
  try {
    const runtime = await loadConnectionRuntime(deps.db, deps.secrets, tenantId, id);
    provider = runtime.connection.provider;
    result = await runConnectorTest(runtime, options);
  } catch (err) {
    if (!(err instanceof ConnectionConfigurationError)) throw err;
    result = { ok: false, error: { kind: 'configuration', message: err.message } };
  }
  await deps.db.withTenant(tenantId, (tx) =>
    audit(tx, tenantId, who, 'connection.test', id, {
      provider,
      ok: result.ok,
      ...(result.ok ? {} : { error: result.error }),
    })
  );
  return result;
}

class TestTimeoutError extends Error {
  constructor(provider: string, timeoutMs: number) {
    super(`No answer from ${provider} within ${Math.round(timeoutMs / 1000)} s; the provider may be unreachable`);
    this.name = 'TestTimeoutError';
  }
}

/** The connector's test with the timeout and scrubbing; exported for tests (fake connectors). */
export async function runConnectorTest(
  runtime: ConnectionRuntime,
  options: ConnectionTestOptions
): Promise<ConnectionTestResult> {
  const { connection, connector } = runtime;
  if (!connector) {
    return {
      ok: false,
      error: {
        kind: 'unsupported',
        // Only FOCUS connections have no connector: they are filled by file imports, not by an API.
        message: `A ${connection.provider} connection has no provider API to test: its costs come from imported FOCUS files (POST /api/v1/connections/{id}/focus-import)`,
      },
    };
  }
  const secrets = secretStrings(runtime.credentials);
  const timeoutMs = options.timeoutMs ?? CONNECTION_TEST_TIMEOUT_MS;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // The race bounds connectors that ignore the abort signal too.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new TestTimeoutError(connection.provider, timeoutMs));
    }, timeoutMs);
  });
  try {
    const account = await Promise.race([
      connector.test({
        credentials: runtime.credentials,
        settings: runtime.settings,
        logger: options.logger,
        http: options.http,
        signal: controller.signal,
        now: options.now ?? new Date(),
      }),
      timeout,
    ]);
    return { ok: true, account: scrubDeep(account, secrets) };
  } catch (err) {
    if (err instanceof TestTimeoutError) return { ok: false, error: { kind: 'timeout', message: err.message } };
    const described = describeProviderError(err);
    const message = scrub(described.message, secrets);
    options.logger.info({ kind: described.kind, reason: message }, 'connection test failed');
    return { ok: false, error: { kind: described.kind, message } };
  } finally {
    clearTimeout(timer);
  }
}

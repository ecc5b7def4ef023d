/**
 * Delivery destinations: a Telegram chat (bot token + chat id) or email recipients over an SMTP server.
 * The bot token and the SMTP password are encrypted with the provider credentials' SecretStore and are
 * write-only: responses list which secret fields are set, never their values. Every change is audited.
 */
import { z } from 'zod';
import type { Logger } from '../observability/logger.js';
import type { AuditActor } from '../services/connections.js';
import type { SecretStore } from '../services/secret-store.js';
import type { Database, Queryable } from '../storage/db.js';
import {
  deleteDestination,
  findDestination,
  insertDestination,
  listDestinations as listDestinationRows,
  updateDestination,
  type DestinationChanges,
  type DestinationKind,
  type DestinationRecord,
} from '../storage/repositories/report-destinations.js';
import { auditReports } from './audit.js';
import { NO_NUL, noNul } from './definition.js';
import { conflict, isUniqueViolation, notFound, ReportError } from './errors.js';

const SECRET_PURPOSE = 'report.destination';

export const telegramSettingsSchema = z.strictObject({
  chatId: z
    .string()
    .trim()
    .regex(/^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/, 'must be a numeric chat id or an @channel name')
    .describe('numeric chat id (groups are negative) or @channelname'),
});
export const telegramSecretsSchema = z.strictObject({
  botToken: z
    .string()
    .trim()
    .regex(/^\d{3,20}:[A-Za-z0-9_-]{20,100}$/, 'must be a bot token from @BotFather (123456:ABC…)'),
});

export const emailSettingsSchema = z.strictObject({
  host: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^([A-Za-z0-9-]+\.)*[A-Za-z0-9-]+$|^\d{1,3}(\.\d{1,3}){3}$/, 'must be a host name or an IPv4 address'),
  port: z.number().int().min(1).max(65535).default(587),
  security: z
    .enum(['starttls', 'tls', 'none'])
    .default('starttls')
    .describe('starttls (port 587), tls (implicit TLS, port 465) or none (a trusted relay)'),
  username: z.string().trim().min(1).max(320).optional(),
  from: z.email().max(320).describe('sender address'),
  fromName: z.string().trim().min(1).max(200).optional().describe('sender name, e.g. InfraZen'),
  to: z.array(z.email().max(320)).min(1).max(50),
});
export const emailSecretsSchema = z.strictObject({ password: z.string().min(1).max(1000).optional() });

type Loose = z.ZodType<Record<string, unknown>>;
const SCHEMAS: Record<DestinationKind, { settings: Loose; secrets: Loose }> = {
  telegram: { settings: telegramSettingsSchema, secrets: telegramSecretsSchema },
  email: { settings: emailSettingsSchema, secrets: emailSecretsSchema },
};

const nameSchema = z.string().trim().min(1, 'must not be empty').max(200);

export const createDestinationBodySchema = z
  .discriminatedUnion('kind', [
    z.strictObject({
      name: nameSchema,
      kind: z.literal('telegram'),
      settings: telegramSettingsSchema,
      secrets: telegramSecretsSchema.describe('write-only; stored encrypted'),
      enabled: z.boolean().optional(),
    }),
    z.strictObject({
      name: nameSchema,
      kind: z.literal('email'),
      settings: emailSettingsSchema,
      secrets: emailSecretsSchema.default({}).describe('write-only; stored encrypted'),
      enabled: z.boolean().optional(),
    }),
  ])
  .refine(noNul, NO_NUL);
export type CreateDestinationInput = z.infer<typeof createDestinationBodySchema>;

export const updateDestinationBodySchema = z
  .strictObject({
    name: nameSchema.optional(),
    settings: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('merged into the stored settings; a field set to null is removed'),
    secrets: z
      .record(z.string(), z.string().nullable())
      .optional()
      .describe('merged into the stored secrets (write-only); a field set to null is removed'),
    enabled: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { error: 'nothing to update' })
  .refine(noNul, NO_NUL);
export type UpdateDestinationInput = z.infer<typeof updateDestinationBodySchema>;

export interface DestinationSummary {
  id: string;
  name: string;
  kind: DestinationKind;
  settings: Record<string, unknown>;
  secretFields: string[];
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface DestinationDeps {
  db: Database;
  secrets: SecretStore;
  logger?: Logger;
}

const toSummary = (r: DestinationRecord): DestinationSummary => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  settings: r.settings,
  secretFields: r.secretFields,
  enabled: r.enabled,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

function parse<T>(schema: z.ZodType<T>, value: unknown, root: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({
    path: `/${[root, ...i.path.map(String)].join('/')}`,
    message: i.message,
  }));
  throw new ReportError(400, `Invalid body: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, details);
}

function mergePatch<T extends Record<string, unknown>>(
  base: T,
  patch: Record<string, unknown>
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

const fieldsOf = (secrets: Record<string, unknown>) =>
  Object.keys(secrets)
    .filter((k) => secrets[k] !== undefined && secrets[k] !== null && secrets[k] !== '')
    .sort();

const audit = (q: Queryable, tenantId: string, who: AuditActor, action: string, id: string, details: object) =>
  auditReports(q, tenantId, who, action, { kind: 'report_destination', id }, details);

const nameTaken = (name: string) => conflict(`A destination named "${name}" already exists`);

export async function listDestinations(deps: DestinationDeps, tenantId: string): Promise<DestinationSummary[]> {
  return (await deps.db.withTenant(tenantId, (tx) => listDestinationRows(tx))).map(toSummary);
}

export async function getDestination(deps: DestinationDeps, tenantId: string, id: string): Promise<DestinationSummary> {
  const row = await deps.db.withTenant(tenantId, (tx) => findDestination(tx, id));
  if (!row) throw notFound('Destination');
  return toSummary(row);
}

export async function createDestination(
  deps: DestinationDeps,
  tenantId: string,
  input: CreateDestinationInput,
  who: AuditActor
): Promise<DestinationSummary> {
  const secrets = input.secrets as Record<string, unknown>;
  const secretFields = fieldsOf(secrets);
  try {
    return await deps.db.withTenant(tenantId, async (tx) => {
      const secretId = secretFields.length ? await deps.secrets.create(tx, tenantId, SECRET_PURPOSE, secrets) : null;
      const row = await insertDestination(tx, {
        tenantId,
        name: input.name,
        kind: input.kind,
        settings: input.settings,
        secretId,
        secretFields,
        enabled: input.enabled ?? true,
      });
      await audit(tx, tenantId, who, 'report_destination.create', row.id, {
        name: row.name,
        kind: row.kind,
        settingsFields: Object.keys(input.settings).sort(),
        secretFields,
      });
      return toSummary(row);
    });
  } catch (err) {
    if (isUniqueViolation(err, 'report_destinations_name_uq')) throw nameTaken(input.name);
    throw err;
  }
}

export async function updateDestinationById(
  deps: DestinationDeps,
  tenantId: string,
  id: string,
  patch: UpdateDestinationInput,
  who: AuditActor
): Promise<DestinationSummary> {
  try {
    return await deps.db.withTenant(tenantId, async (tx) => {
      const current = await findDestination(tx, id, { forUpdate: true });
      if (!current) throw notFound('Destination');
      const schemas = SCHEMAS[current.kind];
      const changes: DestinationChanges = {};
      const details: Record<string, unknown> = {};
      if (patch.name !== undefined && patch.name !== current.name) {
        changes.name = patch.name;
        details.name = { from: current.name, to: patch.name };
      }
      if (patch.settings !== undefined) {
        const settings = parse(schemas.settings, mergePatch(current.settings, patch.settings), 'settings');
        if (JSON.stringify(settings) !== JSON.stringify(current.settings)) {
          changes.settings = settings;
          details.settingsFields = Object.keys(patch.settings).sort();
        }
      }
      if (patch.secrets !== undefined) {
        const stored = current.secretId ? ((await deps.secrets.read(tx, current.secretId)) ?? {}) : {};
        const secrets = parse(schemas.secrets, mergePatch(stored, patch.secrets), 'secrets');
        const fields = fieldsOf(secrets);
        if (current.secretId && fields.length) await deps.secrets.replace(tx, tenantId, current.secretId, secrets);
        else if (fields.length) changes.secretId = await deps.secrets.create(tx, tenantId, SECRET_PURPOSE, secrets);
        else if (current.secretId) {
          changes.secretId = null;
          await deps.secrets.remove(tx, current.secretId);
        }
        changes.secretFields = fields;
        details.secretFieldsChanged = Object.keys(patch.secrets).sort();
      }
      if (patch.enabled !== undefined && patch.enabled !== current.enabled) {
        changes.enabled = patch.enabled;
        details.enabled = patch.enabled;
      }
      if (Object.keys(details).length === 0) return toSummary(current);
      const row = await updateDestination(tx, id, changes);
      await audit(tx, tenantId, who, 'report_destination.update', id, details);
      return toSummary(row!);
    });
  } catch (err) {
    if (isUniqueViolation(err, 'report_destinations_name_uq')) throw nameTaken(patch.name ?? '');
    throw err;
  }
}

export async function removeDestination(deps: DestinationDeps, tenantId: string, id: string, who: AuditActor) {
  await deps.db.withTenant(tenantId, async (tx) => {
    const current = await findDestination(tx, id, { forUpdate: true });
    if (!current) throw notFound('Destination');
    await deleteDestination(tx, id);
    if (current.secretId) await deps.secrets.remove(tx, current.secretId);
    await audit(tx, tenantId, who, 'report_destination.delete', id, { name: current.name, kind: current.kind });
  });
}

export type DestinationRuntime =
  | {
      kind: 'telegram';
      name: string;
      settings: z.infer<typeof telegramSettingsSchema>;
      secrets: z.infer<typeof telegramSecretsSchema>;
    }
  | {
      kind: 'email';
      name: string;
      settings: z.infer<typeof emailSettingsSchema>;
      secrets: z.infer<typeof emailSecretsSchema>;
    };

/** A destination with its decrypted secrets, for sending. Never log or return the result. */
export async function loadDestinationRuntime(
  q: Queryable,
  secrets: SecretStore,
  id: string
): Promise<DestinationRuntime | undefined> {
  const row = await findDestination(q, id);
  if (!row) return undefined;
  const stored = row.secretId ? ((await secrets.read(q, row.secretId)) ?? {}) : {};
  const schemas = SCHEMAS[row.kind];
  const settings = schemas.settings.safeParse(row.settings);
  const secretValues = schemas.secrets.safeParse(stored);
  if (!settings.success || !secretValues.success) {
    throw new ReportError(
      400,
      `destination "${row.name}" is incomplete: ${settings.success ? 'secrets' : 'settings'} do not validate`
    );
  }
  return { kind: row.kind, name: row.name, settings: settings.data, secrets: secretValues.data } as DestinationRuntime;
}

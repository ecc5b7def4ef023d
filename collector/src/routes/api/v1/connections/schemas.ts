/**
 * Shared by the connection routes (collection and per-id): request/response zod schemas and the audit
 * actor of a request. Service errors carry their HTTP status (and `details` for bad input), which the
 * app's error handler (plugins/errors.ts) turns into `{error, message, details}`. Autoload skips files
 * named schemas.ts (app.ts).
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { PROVIDERS } from '../../../../domain/providers.js';
import {
  connectionNameSchema,
  scheduleSchema,
  type AuditActor,
  type ConnectionServiceDeps,
} from '../../../../services/connections.js';
import { auditActorOf } from '../../../../services/roles.js';
import { authErrors, errorSchema } from '../../../schemas.js';

export const connectionSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    provider: z.enum(PROVIDERS),
    credentialFields: z
      .array(z.string())
      .describe('names of the credential fields that are set; values are never returned'),
    settings: z.record(z.string(), z.unknown()),
    schedule: z.string().nullable().describe('5-field cron expression; null = the default hourly schedule'),
    enabled: z.boolean(),
    status: z.string(),
    account: z.record(z.string(), z.unknown()),
    lastSyncAt: z.date().nullable(),
    lastSyncStatus: z.string().nullable(),
    lastError: z.string().nullable(),
    nextSyncAt: z.date().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .describe('Connection');

export const connectionParamsSchema = z.object({
  id: z.uuid({ error: 'must be a UUID' }).describe('connection id'),
});

const credentialsField = z
  .record(z.string(), z.unknown())
  .describe(
    'provider credentials, validated by the provider (see the provider docs); stored encrypted, never returned'
  );

const settingsField = z
  .record(z.string(), z.unknown())
  .describe('provider settings (API base URLs, backfill days, metric collection …); provider defaults apply');

const scheduleField = scheduleSchema
  .nullable()
  .describe('5-field cron expression (minute hour day-of-month month day-of-week); null = the default hourly schedule');

export const createConnectionBodySchema = z.strictObject({
  name: connectionNameSchema.describe('unique within the tenant, case-insensitively'),
  provider: z.enum(PROVIDERS),
  credentials: credentialsField,
  settings: settingsField.optional(),
  schedule: scheduleField.optional(),
  enabled: z.boolean().optional().describe('default true'),
});

export const updateConnectionBodySchema = z
  .strictObject({
    name: connectionNameSchema.optional(),
    credentials: credentialsField
      .optional()
      .describe('merged into the stored credentials: omitted fields are kept, a field set to null is removed'),
    settings: settingsField
      .optional()
      .describe('merged into the stored settings: omitted fields are kept, a field set to null returns to its default'),
    schedule: scheduleField.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((body) => Object.values(body).some((v) => v !== undefined), { error: 'nothing to update' });

export const deleteConnectionQuerySchema = z.object({
  purge: z
    .enum(['true', 'false'])
    .default('false')
    .describe('true also deletes the cost history, metrics, balances, inventory and snapshots, and the row itself')
    .transform((v) => v === 'true'),
});

export const accountSchema = z
  .object({
    accountId: z.string().optional(),
    name: z.string().optional(),
    balance: z.string().optional().describe('decimal string'),
    currency: z.string().optional(),
    daysToBlock: z.number().nullable().optional(),
    dailyRate: z.string().optional().describe('decimal string'),
    details: z.record(z.string(), z.unknown()),
  })
  .describe('AccountInfo');

export const connectionTestResultSchema = z
  .discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), account: accountSchema }),
    z.object({
      ok: z.literal(false),
      error: z.object({
        kind: z
          .string()
          .describe(
            'auth, forbidden, not_found, rate_limited, server, timeout, unreachable, bad_response, provider, unsupported, configuration'
          ),
        message: z.string().describe('the reason, for people'),
      }),
    }),
  ])
  .describe('ConnectionTestResult');

/** Errors every per-connection route may answer with. */
export const connectionErrors = { 400: errorSchema, 404: errorSchema, ...authErrors } as const;

/** What the service needs from the app. */
export function serviceDeps(request: FastifyRequest): ConnectionServiceDeps {
  const { server } = request;
  return {
    db: server.db,
    secrets: server.secrets,
    // Routes only run once the database is ready, when the mode is known.
    storageMode: server.dbState.mode ?? 'plain',
    logger: request.log as ConnectionServiceDeps['logger'],
  };
}

/**
 * Who acts, for the audit log: the login and source address plugins/actor.ts worked out from the Grafana
 * headers (trust model in services/roles.ts), and the token id in every case, since only the token
 * proves anything.
 */
export function auditActor(request: FastifyRequest): AuditActor {
  return auditActorOf(request);
}

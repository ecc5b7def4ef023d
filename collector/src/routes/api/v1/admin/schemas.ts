/** Schemas of the admin routes (api-contract.md "Admin and audit"); autoload skips this file. */
import { z } from 'zod';
import { schedulerSchema } from '../../../schemas.js';

export const adminStatusSchema = z
  .object({
    version: z.string().describe('collector version'),
    database: z.object({
      reachable: z.boolean(),
      mode: z.enum(['plain', 'timescale']).nullable().describe('plain PostgreSQL or TimescaleDB'),
      embedded: z.boolean().describe('the collector runs its own embedded PostgreSQL'),
      migrations: z
        .object({
          applied: z.number().describe('schema version of the database'),
          latest: z.number().describe('newest migration this collector carries'),
          upToDate: z.boolean(),
        })
        .nullable(),
    }),
    scheduler: schedulerSchema,
    syncs: z.object({ running: z.number().describe('provider syncs running in this collector process') }),
    lastErrors: z
      .array(
        z.object({
          at: z.date(),
          connectionId: z.string(),
          connectionName: z.string(),
          status: z.enum(['error', 'partial', 'interrupted']),
          message: z.string(),
        })
      )
      .describe("the tenant's latest failed or partial syncs, newest first"),
  })
  .describe('AdminStatus');

export const tokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().describe('the first characters, to tell tokens apart; the token itself is never returned again'),
    createdAt: z.date(),
    createdBy: z.string().nullable(),
    lastUsedAt: z.date().nullable().describe('updated at most once a minute'),
    revokedAt: z.date().nullable(),
    expiresAt: z.date().nullable(),
    supportAccess: z.boolean().describe('issued by the operator (CLI) for cross-tenant support reads'),
  })
  .describe('ApiToken');

export const createTokenBodySchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(200, { error: 'must be at most 200 characters' })
    .describe('what the token is for (shown in the list)'),
  expiresAt: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time' })
    .transform((value) => new Date(value))
    .refine((date) => date.getTime() > Date.now(), { error: 'must be in the future' })
    .optional()
    .describe('when the token stops working; without it the token lives until revoked'),
});

export const createdTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    token: z.string().describe('the token itself: shown in this answer only, stored as a hash'),
    expiresAt: z.date().nullable(),
  })
  .describe('CreatedApiToken');

export const tokenParamsSchema = z.object({
  id: z.uuid({ error: 'must be a UUID' }).describe('token id'),
});

export const tenantSchema = z
  .object({
    id: z.string(),
    grafanaOrgId: z.number(),
    name: z.string(),
    createdAt: z.date(),
    connections: z.number().describe('live (not deleted) connections'),
    monthToDateCost: z.string().describe('decimal string, in `currency`, Moscow calendar month so far'),
    currency: z.string().describe("the tenant's reporting currency"),
    unconvertedCurrencies: z
      .array(z.string())
      .describe('billing currencies without an FX rate to `currency`; their costs are not in monthToDateCost'),
  })
  .describe('TenantOverview');

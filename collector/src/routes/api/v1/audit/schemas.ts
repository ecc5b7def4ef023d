/** Schemas of GET /api/v1/audit (api-contract.md); autoload skips this file. */
import { z } from 'zod';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** An ISO 8601 date-time with zone, or a UTC calendar day (YYYY-MM-DD = its 00:00 UTC). */
const instantSchema = z
  .string()
  .trim()
  .max(40)
  .transform((value, ctx) => {
    const ok = DATE_ONLY.test(value)
      ? z.iso.date().safeParse(value).success
      : z.iso.datetime({ offset: true }).safeParse(value).success;
    if (!ok) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 date-time with zone or YYYY-MM-DD' });
      return z.NEVER;
    }
    return new Date(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  });

const AUDIT_ACTION = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;

export const auditQuerySchema = z
  .object({
    from: instantSchema.optional().describe('entries at or after this time'),
    to: instantSchema.optional().describe('entries before this time'),
    actor: z.string().trim().min(1).max(200).optional().describe('exact actor (Grafana login or token:<id>)'),
    action: z
      .string()
      .trim()
      .max(500)
      .transform((value) =>
        value
          .split(',')
          .map((a) => a.trim())
          .filter(Boolean)
      )
      .refine((list) => list.length > 0 && list.length <= 20 && list.every((a) => AUDIT_ACTION.test(a)), {
        error: 'must be up to 20 comma-separated actions such as connection.update,token.revoke',
      })
      .optional()
      .describe('one action or a comma-separated list (connection.create, token.revoke, support.access …)'),
    targetKind: z.string().trim().min(1).max(100).optional().describe('connection, api_token, tenant, budget …'),
    limit: z.coerce.number().int().min(1).max(500).default(100).describe('entries per page (1–500, default 100)'),
    before: z
      .string()
      .regex(/^[1-9]\d{0,17}$/, { error: 'must be the nextBefore of a previous page' })
      .optional()
      .describe('keyset cursor: the previous page’s nextBefore'),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { error: '`from` must be before `to`', path: ['from'] });

export const auditEntrySchema = z
  .object({
    id: z.string().describe('increasing with time; also the pagination cursor'),
    at: z.date(),
    actor: z.string().describe('Grafana login, or token:<id> when no user was named'),
    actorKind: z.enum(['user', 'token', 'system', 'cli']),
    action: z.string(),
    targetKind: z.string().nullable(),
    targetId: z.string().nullable(),
    summary: z.string().nullable().describe('one line for people'),
    sourceAddress: z.string().nullable().describe('client address as the collector saw it'),
    details: z.record(z.string(), z.unknown()).describe('structured facts; never secret values'),
    before: z.record(z.string(), z.unknown()).nullable().describe('the target before the change, where recorded'),
    after: z.record(z.string(), z.unknown()).nullable().describe('the target after the change, where recorded'),
  })
  .describe('AuditEntry');

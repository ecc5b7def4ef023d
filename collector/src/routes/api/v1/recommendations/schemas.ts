/**
 * Schemas of the recommendation routes (autoload skips files named schemas.ts). Shapes as agreed in the
 * API contract: money is a decimal string with its currency; confidence 0..1.
 */
import { z } from 'zod';
import { RECOMMENDATION_KINDS, RECOMMENDATION_STATUSES } from '../../../../contract/query.js';
import { errorSchema } from '../../../schemas.js';

const money = z.string().nullable().describe('decimal string in `currency`');

export const recommendationSchema = z
  .object({
    id: z.string(),
    kind: z.enum(RECOMMENDATION_KINDS),
    title: z.string(),
    action: z.string(),
    status: z.enum(RECOMMENDATION_STATUSES),
    statusReason: z.string().nullable(),
    snoozedUntil: z.date().nullable(),
    connectionId: z.string().nullable(),
    connectionName: z.string().nullable(),
    provider: z.string().nullable(),
    resourceId: z.string().nullable(),
    resourceName: z.string().nullable(),
    currentMonthlyCost: money,
    estimatedMonthlySavings: money,
    currency: z.string().nullable(),
    confidence: z.number().min(0).max(1),
    evidence: z.record(z.string(), z.unknown()).describe('metric windows, prices and rules the figures come from'),
    firstDetectedAt: z.date(),
    lastDetectedAt: z.date(),
    resolvedAt: z.date().nullable(),
  })
  .describe('Recommendation');

const bucket = z.object({ count: z.number(), monthlySavings: z.string() });

export const totalsSchema = z.object({
  currency: z.string(),
  potentialMonthlySavings: z.string().describe('open and accepted'),
  realizedMonthlySavings: z.string().describe('done'),
  byStatus: z.record(z.string(), bucket),
  byKind: z.record(z.string(), bucket),
  unconverted: z.number().describe('recommendations in a currency without a rate, left out of the sums'),
});

/** `a,b` or repeated parameters → a list of allowed values. */
function csv<T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((v) =>
      (Array.isArray(v) ? v : [v])
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter(Boolean)
    )
    .pipe(z.array(z.enum(values, { error: `must be ${what}: ${values.join(', ')}` })))
    .optional();
}

export const listQuerySchema = z.object({
  status: csv(RECOMMENDATION_STATUSES, 'statuses').describe('comma-separated statuses'),
  kind: csv(RECOMMENDATION_KINDS, 'kinds').describe('comma-separated kinds'),
  connection: z.uuid({ error: 'must be a UUID' }).optional().describe('connection id'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const idParamsSchema = z.object({ id: z.uuid({ error: 'must be a UUID' }).describe('recommendation id') });

export const patchBodySchema = z.strictObject({
  status: z.enum(['open', 'accepted', 'dismissed', 'snoozed', 'done']),
  reason: z.string().trim().max(1000).nullable().optional().describe('required to dismiss'),
  snoozedUntil: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 time' })
    .transform((s) => new Date(s))
    .nullable()
    .optional()
    .describe('required to snooze; a future time'),
});

export const refreshResultSchema = z.object({
  created: z.number(),
  updated: z.number(),
  resolved: z.number(),
  open: z.number(),
});

export const recommendationErrors = { 400: errorSchema, 403: errorSchema, 404: errorSchema } as const;

/** Schemas of the anomaly routes (autoload skips files named schemas.ts). */
import { z } from 'zod';
import { errorSchema } from '../../../schemas.js';

export const anomalySchema = z
  .object({
    id: z.string(),
    scopeKind: z.enum(['connection', 'service']),
    scopeKey: z.string().describe('connection id, or `<connection id>/<service>`'),
    scopeLabel: z.string(),
    connectionId: z.string().nullable(),
    day: z.string().describe('YYYY-MM-DD, reporting time zone'),
    actual: z.string(),
    expected: z.string(),
    lowerBound: z.string(),
    upperBound: z.string(),
    score: z.number().describe('(actual − expected) ÷ robust σ'),
    impact: z.string().describe('actual − expected'),
    currency: z.string(),
    feedback: z.enum(['confirmed', 'false_positive']).nullable(),
    evidence: z.record(z.string(), z.unknown()).describe('baseline days and amounts, median, MAD, σ, threshold'),
  })
  .describe('Anomaly');

/** A day (YYYY-MM-DD) or an ISO 8601 time, read as its reporting-time-zone day. */
const day = z.union([
  z.iso.date({ error: 'must be YYYY-MM-DD or an ISO 8601 time' }),
  z.iso.datetime({ offset: true, error: 'must be YYYY-MM-DD or an ISO 8601 time' }).transform((s) => new Date(s)),
]);

export const listQuerySchema = z.object({
  from: day.optional().describe('first day (default: 90 days ago)'),
  to: day.optional().describe('last day, inclusive (default: today)'),
  connection: z.uuid({ error: 'must be a UUID' }).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

export const idParamsSchema = z.object({ id: z.uuid({ error: 'must be a UUID' }).describe('anomaly id') });

export const feedbackBodySchema = z.strictObject({
  feedback: z.enum(['confirmed', 'false_positive']).nullable(),
});

export const anomalyErrors = { 400: errorSchema, 403: errorSchema, 404: errorSchema } as const;

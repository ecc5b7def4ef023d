import { z } from 'zod';

/** The error body every route answers with on 4xx/5xx. */
export const errorSchema = z
  .object({
    error: z.string().describe('machine-readable code, e.g. bad_request, unauthorized, not_found'),
    message: z.string().describe('what went wrong, for people'),
    details: z.unknown().optional(),
  })
  .describe('Error');

export const authErrors = { 401: errorSchema, 429: errorSchema, 503: errorSchema } as const;

/** The in-process scheduler's jobs (services/scheduler.ts status()), shown by health and admin status. */
export const schedulerSchema = z.object({
  enabled: z.boolean(),
  running: z.boolean(),
  jobs: z.array(
    z.object({
      name: z.string(),
      schedule: z.string(),
      running: z.boolean(),
      lastRunAt: z.string().nullable(),
      lastStatus: z.enum(['ok', 'error']).nullable(),
      lastError: z.string().nullable(),
      lastDurationMs: z.number().nullable(),
      nextRunAt: z.string().nullable(),
    })
  ),
});

/**
 * A string the database can store: PostgreSQL refuses NUL characters in text and jsonb, so they are a
 * 400 here instead of a failed statement.
 */
export const storableText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !s.includes('\u0000'), { error: 'must not contain NUL characters' });

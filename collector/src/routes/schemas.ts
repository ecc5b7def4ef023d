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

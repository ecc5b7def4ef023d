/** Settings every connection has, whatever its provider. */
import { z } from 'zod';

export const commonSettings = {
  /** Billing history the first sync backfills (later syncs re-read a short window to catch restatements). */
  backfillDays: z.number().int().min(1).max(400).optional(),
  /** Fetch CPU/memory utilization into resource_metrics. */
  collectMetrics: z.boolean().default(true),
};

/** An http(s) base URL (settings may point a connector at a proxy or the sandbox). */
export const baseUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  // Credentials belong in `credentials` (encrypted), never in a URL that settings would echo back.
  .refine((url) => !/^https?:\/\/[^/]*@/.test(url), { error: 'must not contain a user name or password' })
  .transform((url) => url.replace(/\/+$/, ''));

/** A credential string: non-empty, bounded, trimmed of accidental whitespace from copy-paste. */
export const secretString = (max = 4096) => z.string().trim().min(1, 'must not be empty').max(max);

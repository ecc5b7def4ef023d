import { z } from 'zod';
import { commonSettings } from '../common-schema.js';

/** FOCUS files are uploaded, not fetched: no credentials. */
export const focusCredentialsSchema = z.strictObject({});

export const focusSettingsSchema = z.strictObject({
  ...commonSettings,
  /** The cloud the files come from, for display (AWS, Azure, GCP, OCI …). */
  sourceProvider: z.string().trim().max(100).optional(),
});

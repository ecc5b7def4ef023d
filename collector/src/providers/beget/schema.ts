import { z } from 'zod';
import { baseUrl, commonSettings, secretString } from '../common-schema.js';

export const begetCredentialsSchema = z.strictObject({
  login: secretString(200),
  password: secretString(),
});

export const begetSettingsSchema = z.strictObject({
  ...commonSettings,
  /** One base for both the legacy `/api/…` and the v1 `/v1/…` API. */
  apiUrl: baseUrl.default('https://api.beget.com'),
});

export type BegetCredentials = z.infer<typeof begetCredentialsSchema>;
export type BegetSettings = z.infer<typeof begetSettingsSchema>;

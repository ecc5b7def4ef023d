import { z } from 'zod';
import { baseUrl, commonSettings, secretString } from '../common-schema.js';

export const cloudruCredentialsSchema = z.strictObject({
  keyId: secretString(200),
  secret: secretString(),
});

export const cloudruSettingsSchema = z.strictObject({
  ...commonSettings,
  projectIds: z.array(secretString(100)).max(200).default([]),
  apiUrl: baseUrl.optional(),
});

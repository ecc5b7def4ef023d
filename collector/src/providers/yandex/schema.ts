import { z } from 'zod';
import { baseUrl, commonSettings, secretString } from '../common-schema.js';

/** Service-account authorized key (the JSON file `yc iam key create` writes). */
const authorizedKey = z.object({
  id: secretString(100),
  service_account_id: secretString(100),
  private_key: secretString(10_000),
});

export const yandexCredentialsSchema = z
  .strictObject({
    serviceAccountKey: authorizedKey.optional(),
    oauthToken: secretString().optional(),
    /** Static access keys for the Object Storage bucket holding the detailed billing export. */
    exportAccessKeyId: secretString(200).optional(),
    exportSecretAccessKey: secretString().optional(),
  })
  .refine((c) => c.serviceAccountKey !== undefined || c.oauthToken !== undefined, {
    error: 'either serviceAccountKey or oauthToken is required',
  });

export const yandexSettingsSchema = z.strictObject({
  ...commonSettings,
  folderIds: z.array(secretString(100)).max(200).default([]),
  billingAccountId: z.string().max(100).optional(),
  exportBucket: z.string().max(200).optional(),
  exportPrefix: z.string().max(500).optional(),
  apiUrl: baseUrl.optional(),
});

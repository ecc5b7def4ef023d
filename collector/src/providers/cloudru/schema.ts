import { z } from 'zod';
import { baseUrl, commonSettings, secretString } from '../common-schema.js';

export const cloudruCredentialsSchema = z.strictObject({
  /** Service-account access key: its Key ID and Key Secret, exchanged for an IAM token. */
  keyId: secretString(200),
  secret: secretString(),
});

export const cloudruSettingsSchema = z.strictObject({
  ...commonSettings,
  /** Evolution projects to read: the consumption filter and the VM/disk inventory. */
  projectIds: z
    .array(
      z
        .string()
        .trim()
        .regex(/^[\w-]{1,100}$/, 'must be a project id (letters, digits, dashes)')
    )
    .min(1, 'name at least one Evolution project id')
    .max(200),
  /** Base URLs (the real ones by default; settings may point at a proxy or the sandbox). */
  iamUrl: baseUrl.default('https://iam.api.cloud.ru'),
  billingUrl: baseUrl.default('https://organization.api.cloud.ru'),
  computeUrl: baseUrl.default('https://compute.api.cloud.ru'),
  /**
   * Consumption `amount` is without VAT. true (default): the VAT (НДС) of each line is stored as a
   * separate line with charge category Tax, so totals are what the balance is charged; false: costs
   * without VAT only.
   */
  includeVat: z.boolean().default(true),
});

export type CloudruCredentials = z.infer<typeof cloudruCredentialsSchema>;
export type CloudruSettings = z.infer<typeof cloudruSettingsSchema>;

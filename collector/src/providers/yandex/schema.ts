import { z } from 'zod';
import { baseUrl, commonSettings, secretString } from '../common-schema.js';

/**
 * Service-account authorized key: the JSON file `yc iam key create` writes. Extra fields of that file
 * (`created_at`, `key_algorithm`, `public_key`) are accepted and dropped, so the file can be pasted whole.
 */
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
  })
  .refine((c) => (c.exportAccessKeyId === undefined) === (c.exportSecretAccessKey === undefined), {
    error: 'exportAccessKeyId and exportSecretAccessKey go together',
  });

/** Yandex Cloud ids (folders, clouds, billing accounts): 20 lower-case letters and digits. */
const cloudId = z
  .string()
  .trim()
  .regex(/^[a-z0-9]{3,50}$/, 'must be a Yandex Cloud id (lower-case letters and digits)');

/** Every Yandex API host follows `https://{service}.api.cloud.yandex.net`; a proxy or the sandbox may differ. */
const serviceUrlTemplate = z
  .string()
  .regex(/^https?:\/\/.*\{service\}/, 'must be an http(s) URL containing {service}')
  .refine((url) => !/^https?:\/\/[^/]*@/.test(url), { error: 'must not contain a user name or password' })
  .transform((url) => url.replace(/\/+$/, ''));

export const YANDEX_DATABASE_ENGINES = ['postgresql', 'mysql', 'clickhouse', 'redis', 'mongodb'] as const;

export const yandexSettingsSchema = z.strictObject({
  ...commonSettings,
  /** Folders to inventory; empty = every folder of every cloud the account can see (resource-manager). */
  folderIds: z.array(cloudId).max(200).default([]),
  /** The billing account for the balance (and to filter export lines); default: the only or first active one. */
  billingAccountId: cloudId.optional(),
  /** Bucket and prefix of the detailed billing export (CSV); without them no costs are read. */
  exportBucket: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an Object Storage bucket name')
    .optional(),
  exportPrefix: z
    .string()
    .max(500)
    .regex(/^[^\\]*$/, 'must not contain backslashes')
    .default(''),
  /** S3 API endpoint of Object Storage. */
  storageUrl: baseUrl.default('https://storage.yandexcloud.net'),
  apiUrlTemplate: serviceUrlTemplate.default('https://{service}.api.cloud.yandex.net'),
  /** Managed database engines to list (`mdb.api…/managed-{engine}/v1/clusters`). */
  databaseEngines: z
    .array(z.enum(YANDEX_DATABASE_ENGINES))
    .max(YANDEX_DATABASE_ENGINES.length)
    .default(['postgresql', 'mysql', 'clickhouse']),
});

export type YandexCredentials = z.infer<typeof yandexCredentialsSchema>;
export type YandexSettings = z.infer<typeof yandexSettingsSchema>;

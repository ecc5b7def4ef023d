import { z } from 'zod';
import { baseUrl, commonSettings, secretString } from '../common-schema.js';

export const vkcloudCredentialsSchema = z.strictObject({
  username: secretString(200),
  password: secretString(),
  projectId: secretString(100),
  domain: z.string().trim().max(100).default('users'),
});

export const vkcloudSettingsSchema = z.strictObject({
  ...commonSettings,
  identityUrl: baseUrl.default('https://infra.mail.ru:35357/v3'),
  /** Roubles per unit-month, maintained by the user (VK Cloud has no public billing API). */
  priceList: z.record(z.string().max(100), z.string().regex(/^\d+(\.\d+)?$/, 'must be a decimal')).default({}),
});

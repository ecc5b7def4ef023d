import { z } from 'zod';
import { baseUrl, commonSettings, secretString } from '../common-schema.js';

export const vkcloudCredentialsSchema = z.strictObject({
  /** The VK Cloud user (e-mail) and password; the account needs API access enabled (two-factor on). */
  username: secretString(200),
  password: secretString(),
  /** The OpenStack project id ("Project ID" on the API access page). */
  projectId: secretString(100),
  /** Keystone domain of the user: `users` for every VK Cloud account. */
  domain: z.string().trim().max(100).default('users'),
});

const priceName = z.string().min(1, 'must not be empty').max(100);
const roubles = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{1,6})?$/, 'must be a decimal amount in roubles, e.g. "1250.50"');
const priceTable = z
  .record(priceName, roubles)
  .refine((table) => Object.keys(table).length <= 1000, { error: 'at most 1000 entries' });

/**
 * The user's VK Cloud prices (VK Cloud has no public billing API): roubles per month for a running VM
 * of a flavor, and roubles per GB-month for a volume of a type. Names are as Nova and Cinder report
 * them (`STD2-2-4`, `ceph-ssd`); a flavor may also be named by its id.
 */
export const vkcloudPriceListSchema = z.strictObject({
  flavors: priceTable.default({}),
  volumeTypes: priceTable.default({}),
});

export const vkcloudSettingsSchema = z.strictObject({
  ...commonSettings,
  /** Keystone v3 base (tokens are POSTed to `${identityUrl}/auth/tokens`). */
  identityUrl: baseUrl.default('https://infra.mail.ru:35357/v3'),
  priceList: vkcloudPriceListSchema.default({ flavors: {}, volumeTypes: {} }),
});

export type VkcloudCredentials = z.infer<typeof vkcloudCredentialsSchema>;
export type VkcloudSettings = z.infer<typeof vkcloudSettingsSchema>;
export type VkcloudPriceList = z.infer<typeof vkcloudPriceListSchema>;

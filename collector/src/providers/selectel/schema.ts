import { z } from 'zod';
import { baseUrl, commonSettings, secretString } from '../common-schema.js';

export const selectelCredentialsSchema = z.strictObject({
  /** Static API key (X-Token) for billing, balance and projects on api.selectel.ru. */
  apiKey: secretString(),
  /** Account (contract) id: the Keystone domain of the service user. */
  accountId: secretString(100),
  /** Service user name and password, for Keystone tokens (OpenStack inventory and Gnocchi metrics). */
  username: secretString(200),
  password: secretString(),
  /** Project name or id the service user is scoped to. */
  project: secretString(200),
});

export const selectelSettingsSchema = z.strictObject({
  ...commonSettings,
  apiUrl: baseUrl.default('https://api.selectel.ru'),
  /** Keystone v3 base (tokens are POSTed to `${identityUrl}/auth/tokens`). */
  identityUrl: baseUrl.default('https://cloud.api.selcloud.ru/identity/v3'),
  /** Regional API base when the catalog lacks a region; `{region}` is replaced. */
  regionUrlTemplate: z
    .string()
    .regex(/^https?:\/\/.*\{region\}/, 'must be an http(s) URL containing {region}')
    .default('https://{region}.cloud.api.selcloud.ru'),
  /** Regions to query when the catalog lists none. */
  fallbackRegions: z
    .array(z.string().regex(/^[a-z]{2,4}-\d{1,2}$/, 'must look like ru-3'))
    .max(50)
    .default(['ru-1', 'ru-2', 'ru-3', 'ru-7', 'ru-8', 'ru-9', 'kz-1']),
  /** Billing provider keys to request consumption for. */
  providerKeys: z
    .array(z.enum(['vpc', 'mks', 'dbaas', 'craas', 's3', 'cdn']))
    .min(1)
    .default(['vpc', 'mks', 'dbaas', 'craas']),
});

export type SelectelCredentials = z.infer<typeof selectelCredentialsSchema>;
export type SelectelSettings = z.infer<typeof selectelSettingsSchema>;

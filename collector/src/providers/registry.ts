/**
 * Which providers exist, how their credentials and settings are validated, and which have a connector
 * (yandex, cloudru, vkcloud and focus arrive with their own issue; until then their connections can be
 * stored but not tested or synced, and the API says so).
 */
import type { z } from 'zod';
import type { Provider } from '../domain/providers.js';
import { begetConnector } from './beget/index.js';
import { cloudruConnector } from './cloudru/index.js';
import { focusCredentialsSchema, focusSettingsSchema } from './focus/schema.js';
import { selectelConnector } from './selectel/index.js';
import type { Connector } from './types.js';
import { vkcloudConnector } from './vkcloud/index.js';
import { yandexConnector } from './yandex/index.js';

export interface ProviderEntry {
  credentialsSchema: z.ZodType<Record<string, unknown>>;
  settingsSchema: z.ZodType<Record<string, unknown>>;
  connector?: Connector<never, never>;
}

const asEntry = (connector: Connector<never, never>): ProviderEntry => ({
  credentialsSchema: connector.credentialsSchema as unknown as ProviderEntry['credentialsSchema'],
  settingsSchema: connector.settingsSchema as unknown as ProviderEntry['settingsSchema'],
  connector,
});

export const providerRegistry: Record<Provider, ProviderEntry> = {
  beget: asEntry(begetConnector as unknown as Connector<never, never>),
  selectel: asEntry(selectelConnector as unknown as Connector<never, never>),
  yandex: asEntry(yandexConnector as unknown as Connector<never, never>),
  cloudru: asEntry(cloudruConnector as unknown as Connector<never, never>),
  vkcloud: asEntry(vkcloudConnector as unknown as Connector<never, never>),
  focus: { credentialsSchema: focusCredentialsSchema, settingsSchema: focusSettingsSchema },
};

/** The connector for a provider, typed loosely: credentials and settings were validated by its schemas. */
export function connectorFor(provider: Provider): Connector<unknown, unknown> | undefined {
  return providerRegistry[provider].connector as Connector<unknown, unknown> | undefined;
}

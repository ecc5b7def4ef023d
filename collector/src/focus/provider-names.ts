/**
 * FOCUS ProviderName values for the providers InfraZen syncs itself. cost_records.provider holds our
 * provider id for synced lines (selectel) and the file's ProviderName for imported ones (AWS), so the
 * export maps the former and passes the latter through.
 */
import type { Provider } from '../domain/providers.js';

export const FOCUS_PROVIDER_NAMES: Record<Exclude<Provider, 'focus'>, string> = {
  beget: 'Beget',
  selectel: 'Selectel',
  yandex: 'Yandex Cloud',
  cloudru: 'Cloud.ru',
  vkcloud: 'VK Cloud',
};

export function focusProviderName(provider: string): string {
  return (FOCUS_PROVIDER_NAMES as Record<string, string>)[provider] ?? provider;
}

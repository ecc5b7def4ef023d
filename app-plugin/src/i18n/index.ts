import { config } from '@grafana/runtime';

import { STRINGS, StringKey } from './strings';

export type { StringKey } from './strings';
export type Language = keyof typeof STRINGS;

/**
 * The UI language: Grafana's resolved language for the signed-in user (`bootData.user.language`, then the
 * instance-wide `config.language`). Russian for any `ru*` tag, English otherwise — the only two we ship.
 * Same rule as the datasource plugin, so both plugins always speak the same language.
 */
export function currentLanguage(): Language {
  const tag = config.bootData?.user?.language || config.language || 'en';
  return tag.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/** BCP 47 locale for Intl formatting in the current language. */
export function currentLocale(): string {
  return currentLanguage() === 'ru' ? 'ru-RU' : 'en-US';
}

/** Translates `key`, filling `{name}` placeholders from `params`. */
export function t(key: StringKey, params: Record<string, string | number> = {}): string {
  const text = STRINGS[currentLanguage()][key];
  return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

/** The translation of `prefix + value` when there is one (enum labels), else `value` itself. */
export function tOr(prefix: string, value: string): string {
  return tMaybe(`${prefix}${value}`) ?? value;
}

/** The translation of `key` when one exists (labels of schema fields fall back to the field name). */
export function tMaybe(key: string): string | undefined {
  return key in STRINGS.en ? t(key as StringKey) : undefined;
}

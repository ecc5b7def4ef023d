import { config } from '@grafana/runtime';

import { STRINGS, StringKey } from './strings';

export type Language = keyof typeof STRINGS;

/**
 * The UI language: Grafana's resolved language for the signed-in user (`bootData.user.language`, then the
 * instance-wide `config.language`). Russian for any `ru*` tag, English otherwise — the only two we ship.
 */
export function currentLanguage(): Language {
  const tag = config.bootData?.user?.language || config.language || 'en';
  return tag.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

/** Translates `key`, filling `{name}` placeholders from `params`. */
export function t(key: StringKey, params: Record<string, string | number> = {}): string {
  const text = STRINGS[currentLanguage()][key];
  return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

/** "45 min", "3 h 20 min", "4 d" in the current language, for data freshness messages. */
export function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) {
    return t('age.minutes', { m: minutes });
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    return t('age.hours', { h: hours, m: minutes % 60 });
  }
  return t('age.days', { d: Math.floor(hours / 24) });
}

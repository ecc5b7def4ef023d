import { config } from '@grafana/runtime';

import { currentLanguage, formatAge, t } from './i18n';
import { STRINGS } from './strings';

describe('i18n', () => {
  const original = config.bootData.user.language;
  afterEach(() => {
    config.bootData.user.language = original;
  });

  it('follows the user’s Grafana language, English by default', () => {
    config.bootData.user.language = 'ru-RU';
    expect(currentLanguage()).toBe('ru');
    expect(t('queryType.costs')).toBe('Затраты');
    config.bootData.user.language = 'en-US';
    expect(t('queryType.costs')).toBe('Costs');
    config.bootData.user.language = 'de-DE';
    expect(currentLanguage()).toBe('en');
  });

  it('fills placeholders and formats ages', () => {
    config.bootData.user.language = 'en-US';
    expect(t('dimension.tag', { key: 'env' })).toBe('Tag: env');
    expect(formatAge(45 * 60_000)).toBe('45 min');
    expect(formatAge(200 * 60_000)).toBe('3 h 20 min');
    expect(formatAge(3 * 24 * 3_600_000)).toBe('3 days');
    config.bootData.user.language = 'ru';
    expect(formatAge(200 * 60_000)).toBe('3 ч 20 мин');
  });

  it('has every placeholder of the English text in the Russian one', () => {
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const [key, english] of Object.entries(STRINGS.en)) {
      expect([key, placeholders(STRINGS.ru[key as keyof typeof STRINGS.en])]).toEqual([key, placeholders(english)]);
    }
  });
});

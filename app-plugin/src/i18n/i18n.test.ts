import { config } from '@grafana/runtime';

import { formatDuration, formatMoney, formatRelative } from '../utils/format';
import { currentLanguage, t, tMaybe, tOr } from './index';
import { STRINGS } from './strings';
import * as admin from './strings/admin';
import * as allocation from './strings/allocation';
import * as budgets from './strings/budgets';
import * as common from './strings/common';
import * as configPage from './strings/config';
import * as connections from './strings/connections';
import * as overview from './strings/overview';
import * as recommendations from './strings/recommendations';
import * as resources from './strings/resources';

const MODULES = [common, configPage, overview, connections, resources, recommendations, budgets, allocation, admin];

describe('i18n', () => {
  const original = config.bootData.user.language;
  afterEach(() => {
    config.bootData.user.language = original;
  });

  it('follows the user’s Grafana language, English by default', () => {
    config.bootData.user.language = 'ru-RU';
    expect(currentLanguage()).toBe('ru');
    expect(t('action.save')).toBe('Сохранить');
    config.bootData.user.language = 'en-US';
    expect(t('action.save')).toBe('Save');
    config.bootData.user.language = 'de-DE';
    expect(currentLanguage()).toBe('en');
  });

  it('fills placeholders and translates enum values with a fallback', () => {
    config.bootData.user.language = 'en-US';
    expect(t('account.daysToBlockWarning', { days: 12 })).toBe(
      'Top up the balance: the account is blocked in 12 days.'
    );
    expect(tOr('provider.', 'yandex')).toBe('Yandex Cloud');
    expect(tOr('provider.', 'aws')).toBe('aws');
    expect(tMaybe('field.nothing')).toBeUndefined();
  });

  it('formats money, durations and relative times in the user’s language', () => {
    config.bootData.user.language = 'ru-RU';
    expect(formatMoney('117150.5', 'RUB').replace(/\s/g, ' ')).toBe('117 150,5 ₽');
    expect(formatDuration(3 * 3_600_000)).toBe('3 ч');
    expect(formatRelative('2025-03-10T07:00:00Z', Date.parse('2025-03-10T08:00:00Z'))).toBe('1 ч назад');
    config.bootData.user.language = 'en-US';
    expect(formatMoney('117150.5', 'RUB').replace(/\s/g, ' ')).toBe('RUB 117,150.5');
    expect(formatMoney(null, 'RUB')).toBe('—');
    expect(formatMoney('12', 'XTS1')).toBe('12 XTS1');
  });

  it('has a Russian text with the same placeholders for every English one', () => {
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const [key, english] of Object.entries(STRINGS.en)) {
      const russian = STRINGS.ru[key as keyof typeof STRINGS.en];
      expect([key, typeof russian, placeholders(russian ?? '')]).toEqual([key, 'string', placeholders(english)]);
    }
  });

  it('never defines one key in two modules (the later one would silently win)', () => {
    const keys = MODULES.flatMap((m) => Object.keys(m.en));
    expect(keys.length).toBe(new Set(keys).size);
    expect(Object.keys(STRINGS.en)).toHaveLength(keys.length);
  });
});

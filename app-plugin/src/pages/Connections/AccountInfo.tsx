import React from 'react';
import { css } from '@emotion/css';
import { CollapsableSection, Text, useStyles2 } from '@grafana/ui';

import type { AccountInfo as Account } from '../../api/types';
import { DetailList } from '../../components/common/DetailList';
import { testIds } from '../../components/testIds';
import { t, tMaybe } from '../../i18n';
import { formatMoney, formatNumber } from '../../utils/format';

/** Below this many days of runway the card warns (the reference product's threshold). */
export const DAYS_TO_BLOCK_WARNING = 30;

type Usage = { used: number | null; limit: number | null };

function isUsage(value: unknown): value is Usage {
  return Boolean(value) && typeof value === 'object' && 'used' in (value as object) && 'limit' in (value as object);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

/** The runway when it is short enough to warn about, else undefined. */
export function shortRunway(account: Account): number | undefined {
  const days = account.daysToBlock;
  return typeof days === 'number' && days < DAYS_TO_BLOCK_WARNING ? days : undefined;
}

function usageText(usage: Usage): string {
  return usage.limit === null
    ? t('account.limit.unlimited', { used: formatNumber(usage.used) })
    : t('account.limit.usage', { used: formatNumber(usage.used), limit: formatNumber(usage.limit) });
}

/** Balance, runway, plan and rates, service limits — whatever the provider reports (collapsed by default). */
export function AccountInfo({ account }: { account: Account }) {
  const s = useStyles2(getStyles);
  const details = account.details ?? {};
  const currency = account.currency ?? str(details.currency) ?? null;
  const rates = (details.rates ?? {}) as Record<string, unknown>;
  const limits = Object.entries((details.limits ?? {}) as Record<string, unknown>).filter(([, v]) =>
    isUsage(v)
  ) as Array<[string, Usage]>;
  const plan = str(details.planName) ?? account.name;
  const empty = !account.accountId && account.balance === undefined && !plan && limits.length === 0;
  const daily = str(rates.daily) ?? account.dailyRate;
  const rateLines = [
    daily && t('account.rate.daily', { amount: formatMoney(daily, currency) }),
    str(rates.monthly) && t('account.rate.monthly', { amount: formatMoney(str(rates.monthly), currency) }),
    str(rates.yearly) && t('account.rate.yearly', { amount: formatMoney(str(rates.yearly), currency) }),
  ].filter(Boolean);
  const runway = account.daysToBlock;

  return (
    <div data-testid={testIds.connections.account}>
      <CollapsableSection label={t('account.title')} isOpen={false}>
        {empty ? (
          <Text color="secondary">{t('account.none')}</Text>
        ) : (
          <DetailList
            items={[
              [t('account.id'), account.accountId],
              [t('account.status'), str(details.accountStatus)],
              account.balance !== undefined && [t('account.balance'), formatMoney(account.balance, currency)],
              typeof runway === 'number' && [
                t('account.daysToBlock'),
                <Text key="runway" color={runway < DAYS_TO_BLOCK_WARNING ? 'warning' : undefined}>
                  {formatNumber(runway)}
                </Text>,
              ],
              [t('account.plan'), plan],
              rateLines.length > 0 && [t('account.rates'), rateLines.join(' · ')],
              limits.length > 0 && [
                t('account.limits'),
                <ul key="limits" className={s.limits}>
                  {limits.map(([name, usage]) => (
                    <li key={name}>
                      {tMaybe(`account.limit.${name}`) ?? name}: {usageText(usage)}
                    </li>
                  ))}
                </ul>,
              ],
            ]}
          />
        )}
      </CollapsableSection>
    </div>
  );
}

const getStyles = () => ({
  limits: css({ listStyle: 'none', margin: 0, padding: 0 }),
});

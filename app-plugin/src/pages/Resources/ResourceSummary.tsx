import React from 'react';
import { Grid, Text } from '@grafana/ui';

import { KpiCard } from '../../components/common/KpiCard';
import { testIds } from '../../components/testIds';
import { t } from '../../i18n';
import { formatMoney, formatNumber } from '../../utils/format';
import type { Summary } from './model';

export function ResourceSummary({ summary }: { summary: Summary }) {
  return (
    <div data-testid={testIds.resources.summary}>
      <Grid gap={2} minColumnWidth={21}>
        <KpiCard icon="cube" title={t('resources.summary.total')} value={formatNumber(summary.total)} />
        <KpiCard icon="play" title={t('resources.summary.running')} value={formatNumber(summary.running)} />
        <KpiCard icon="pause" title={t('resources.summary.stopped')} value={formatNumber(summary.stopped)} />
        <KpiCard
          icon="exclamation-triangle"
          title={t('resources.summary.zombie')}
          value={formatNumber(summary.zombie)}
        />
        <KpiCard icon="link" title={t('resources.summary.orphan')} value={formatNumber(summary.orphan)} />
        <KpiCard
          icon="dollar-alt"
          title={t('resources.summary.daily')}
          value={formatMoney(summary.daily, summary.currency)}
        />
        <KpiCard
          icon="calendar-alt"
          title={t('resources.summary.monthly')}
          value={formatMoney(summary.monthly, summary.currency)}
        />
      </Grid>
      {summary.skipped > 0 && (
        <Text color="secondary" variant="bodySmall">
          {t('resources.summary.otherCurrencies', { count: summary.skipped })}
        </Text>
      )}
    </div>
  );
}

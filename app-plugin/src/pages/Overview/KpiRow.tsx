import React from 'react';
import { Grid, Text } from '@grafana/ui';

import type { Connection, RecommendationList } from '../../api/types';
import { KpiCard } from '../../components/common/KpiCard';
import { LoadError, Loading } from '../../components/common/States';
import { testIds } from '../../components/testIds';
import { t } from '../../i18n';
import { formatMoney, formatNumber, formatPercent } from '../../utils/format';
import type { Loaded } from '../../utils/useLoad';
import type { CostSummary } from './summary';

interface Props {
  summary: Loaded<CostSummary>;
  connections: Loaded<Connection[]>;
  recommendations: Loaded<RecommendationList>;
}

function SpendTrend({ summary }: { summary: CostSummary }) {
  const { changePercent } = summary;
  if (changePercent === null) {
    return <>{t('overview.kpi.spendNoTrend')}</>;
  }
  // More spend than last month reads as bad news (red), less as good news (green).
  const up = changePercent > 0;
  return (
    <Text color={up ? 'error' : 'success'}>
      {t(up ? 'overview.kpi.spendTrendUp' : 'overview.kpi.spendTrendDown', {
        change: formatPercent(Math.abs(changePercent)),
      })}
    </Text>
  );
}

/** Spend with trend, potential savings, active resources, connected providers. */
export function KpiRow({ summary, connections, recommendations }: Props) {
  if (summary.error) {
    return <LoadError error={summary.error} onRetry={summary.reload} />;
  }
  if (!summary.value) {
    return <Loading />;
  }
  const s = summary.value;
  // Recommendations carry exact decimal totals; the KPI frame's number is the fallback while the
  // recommendations endpoint is unavailable.
  const totals = recommendations.value?.totals;
  const savings = totals
    ? formatMoney(totals.potentialMonthlySavings, totals.currency)
    : formatMoney(s.potentialSavings, s.currency);
  const openCount = totals?.byStatus.open?.count;
  const list = connections.value ?? [];
  const failing = list.filter((c) => c.status === 'error').length;

  return (
    <Grid gap={2} minColumnWidth={34}>
      <KpiCard
        testId={testIds.overview.kpiSpend}
        icon="dollar-alt"
        title={t('overview.kpi.spend')}
        value={formatMoney(s.monthToDate, s.currency)}
        footer={
          <>
            <SpendTrend summary={s} />
            {s.forecast !== null && (
              <div>{t('overview.kpi.forecast', { amount: formatMoney(s.forecast, s.currency) })}</div>
            )}
          </>
        }
      />
      <KpiCard
        testId={testIds.overview.kpiSavings}
        icon="bolt"
        title={t('overview.kpi.savings')}
        value={savings}
        footer={openCount !== undefined ? t('overview.kpi.savingsFooter', { count: openCount }) : undefined}
      />
      <KpiCard
        testId={testIds.overview.kpiResources}
        icon="cube"
        title={t('overview.kpi.resources')}
        value={formatNumber(s.activeResources)}
        footer={t('overview.kpi.resourcesFooter')}
      />
      <KpiCard
        testId={testIds.overview.kpiProviders}
        icon="cloud"
        title={t('overview.kpi.providers')}
        value={formatNumber(s.providers)}
        footer={
          connections.value ? t('overview.kpi.providersFooter', { connections: list.length, failing }) : undefined
        }
      />
    </Grid>
  );
}

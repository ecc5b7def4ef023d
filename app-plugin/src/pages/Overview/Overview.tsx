import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Stack, Text, useStyles2 } from '@grafana/ui';

import { api } from '../../api/client';
import { Page } from '../../components/common/Page';
import { testIds } from '../../components/testIds';
import { t } from '../../i18n';
import { useLoad } from '../../utils/useLoad';
import { DashboardLinks } from './DashboardLinks';
import { KpiRow } from './KpiRow';
import { ProvidersGrid } from './ProvidersGrid';
import { loadCostSummary } from './summary';
import { TopRecommendations } from './TopRecommendations';

/** Landing page: KPIs, accounts, top savings and the dashboards. Each section loads and fails on its own. */
function Overview() {
  const s = useStyles2(getStyles);
  const summary = useLoad(() => loadCostSummary(), []);
  const connections = useLoad(() => api.connections(), []);
  const recommendations = useLoad(() => api.recommendations({ status: ['open'], limit: 200 }), []);

  return (
    <Page title={t('page.overview')} testId={testIds.overview.container} subTitle={t('overview.subtitle')}>
      <Stack direction="column" gap={3}>
        <KpiRow summary={summary} connections={connections} recommendations={recommendations} />
        <div className={s.columns}>
          <section>
            <Text element="h3">{t('overview.providers.title')}</Text>
            <ProvidersGrid connections={connections} />
          </section>
          <section>
            <Text element="h3">{t('overview.recommendations.title')}</Text>
            <TopRecommendations recommendations={recommendations} />
          </section>
        </div>
        <section>
          <Text element="h3">{t('overview.dashboards.title')}</Text>
          <DashboardLinks />
        </section>
      </Stack>
    </Page>
  );
}

export default Overview;

const getStyles = (theme: GrafanaTheme2) => ({
  columns: css({
    display: 'grid',
    gap: theme.spacing(3),
    gridTemplateColumns: 'minmax(0, 3fr) minmax(0, 2fr)',
    [theme.breakpoints.down('lg')]: { gridTemplateColumns: 'minmax(0, 1fr)' },
    h3: { marginBottom: theme.spacing(1.5) },
  }),
});

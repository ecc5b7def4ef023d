import React from 'react';
import { Card, Grid, Icon } from '@grafana/ui';

import { testIds } from '../../components/testIds';
import { DASHBOARDS } from '../../constants';
import { t, StringKey } from '../../i18n';

/** Links to the dashboards the app provisions (`/d/<uid>` resolves in any Grafana sub-path setup). */
export function DashboardLinks() {
  return (
    <div data-testid={testIds.overview.dashboards}>
      <Grid gap={2} minColumnWidth={34}>
        {DASHBOARDS.map((d) => (
          <Card key={d.uid} href={`/d/${d.uid}`} noMargin>
            <Card.Heading>{t(`dashboard.${d.key}` as StringKey)}</Card.Heading>
            <Card.Description>{t(`dashboard.${d.key}.help` as StringKey)}</Card.Description>
            <Card.Figure>
              <Icon name={d.icon} size="xl" />
            </Card.Figure>
          </Card>
        ))}
      </Grid>
    </div>
  );
}

import React from 'react';
import { Card, Grid, Icon, Stack } from '@grafana/ui';

import type { Connection } from '../../api/types';
import { ProviderBadge } from '../../components/common/ProviderBadge';
import { Empty, LoadError, Loading } from '../../components/common/States';
import { StatusBadge } from '../../components/common/StatusBadge';
import { testIds } from '../../components/testIds';
import { pageUrl, ROUTES } from '../../constants';
import { t } from '../../i18n';
import { formatDate, formatRelative } from '../../utils/format';
import { useCanWrite } from '../../utils/roles';
import type { Loaded } from '../../utils/useLoad';

/** One card per connected account with its status, plus the "add provider" tile for admins. */
export function ProvidersGrid({ connections }: { connections: Loaded<Connection[]> }) {
  const canManage = useCanWrite('Admin');
  if (connections.error) {
    return <LoadError error={connections.error} onRetry={connections.reload} />;
  }
  if (!connections.value) {
    return <Loading />;
  }
  const list = connections.value;
  const addTile = canManage && (
    <Card
      key="add"
      href={pageUrl(ROUTES.Connections, { add: '1' })}
      data-testid={testIds.overview.addProvider}
      noMargin
    >
      <Card.Heading>
        <Stack gap={1} alignItems="center">
          <Icon name="plus" />
          {t('overview.providers.add')}
        </Stack>
      </Card.Heading>
      <Card.Description>{t('overview.providers.addHint')}</Card.Description>
    </Card>
  );
  if (list.length === 0) {
    return (
      <Stack direction="column" gap={2}>
        <Empty message={canManage ? t('overview.providers.empty') : t('overview.providers.emptyViewer')} />
        {addTile}
      </Stack>
    );
  }
  return (
    <Grid gap={2} minColumnWidth={34}>
      {list.map((c) => (
        <Card
          key={c.id}
          href={pageUrl(ROUTES.Connections, { connection: c.id })}
          data-testid={testIds.overview.providerCard}
          noMargin
        >
          <Card.Heading>{c.name}</Card.Heading>
          <Card.Meta>
            {[
              t('overview.providers.added', { date: formatDate(c.createdAt) }),
              c.lastSyncAt
                ? t('overview.providers.lastSync', { when: formatRelative(c.lastSyncAt) })
                : t('overview.providers.never'),
            ]}
          </Card.Meta>
          <Card.Tags>
            <Stack gap={1}>
              <ProviderBadge provider={c.provider} />
              <StatusBadge status={c.status} title={c.lastError ?? undefined} />
            </Stack>
          </Card.Tags>
        </Card>
      ))}
      {addTile || null}
    </Grid>
  );
}

import React from 'react';
import { Card, Grid, Text } from '@grafana/ui';

import type { ProviderDescription } from '../../../api/types';
import { providerName } from '../../../components/common/ProviderBadge';
import { testIds } from '../../../components/testIds';
import { StringKey, t } from '../../../i18n';

/** The wizard's first step: one tile per provider the collector supports (GET /providers). */
export function ProviderPicker({
  providers,
  onChoose,
}: {
  providers: ProviderDescription[];
  onChoose: (provider: ProviderDescription) => void;
}) {
  return (
    <>
      <Text element="h4">{t('wizard.chooseProvider')}</Text>
      <Grid gap={2} minColumnWidth={21}>
        {providers.map((p) => (
          <Card key={p.provider} onClick={() => onChoose(p)} data-testid={testIds.connections.providerTile} noMargin>
            <Card.Heading>{providerName(p.provider)}</Card.Heading>
            <Card.Description>{t(`providerHelp.${p.provider}` as StringKey)}</Card.Description>
          </Card>
        ))}
      </Grid>
    </>
  );
}

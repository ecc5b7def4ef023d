import React from 'react';
import { Badge, BadgeColor } from '@grafana/ui';

import { tOr } from '../../i18n';

/** One colour per provider, so cards and tables are told apart at a glance in both themes. */
const COLORS: Record<string, BadgeColor> = {
  beget: 'blue',
  selectel: 'red',
  yandex: 'orange',
  cloudru: 'green',
  vkcloud: 'purple',
  focus: 'darkgrey',
};

export function providerName(provider: string): string {
  return tOr('provider.', provider);
}

export function ProviderBadge({ provider }: { provider: string }) {
  return <Badge color={COLORS[provider] ?? 'darkgrey'} text={providerName(provider)} icon="cloud" />;
}

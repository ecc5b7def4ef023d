import React from 'react';
import { Badge, BadgeColor } from '@grafana/ui';
import type { IconName } from '@grafana/data';

import { tOr } from '../../i18n';

const STYLE: Record<string, { color: BadgeColor; icon: IconName }> = {
  ok: { color: 'green', icon: 'check-circle' },
  syncing: { color: 'blue', icon: 'sync' },
  pending: { color: 'darkgrey', icon: 'clock-nine' },
  error: { color: 'red', icon: 'exclamation-triangle' },
  disabled: { color: 'darkgrey', icon: 'pause' },
};

/** A connection's status as a badge: colour and icon, never colour alone. */
export function StatusBadge({ status, title }: { status: string; title?: string }) {
  const style = STYLE[status] ?? { color: 'darkgrey', icon: 'info-circle' };
  return <Badge color={style.color} icon={style.icon} text={tOr('status.', status)} tooltip={title} />;
}

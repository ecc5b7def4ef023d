import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

import type { BudgetState } from '../../api/types';

interface Props {
  usedPercent: number;
  forecastPercent: number | null;
  state: BudgetState;
  label: string;
}

/**
 * Actual spend as a filled bar, the forecast as a lighter bar behind it, the budget as the 100 % mark.
 * The scale stretches past 100 % when spend or forecast exceed the budget.
 */
export function BudgetProgress({ usedPercent, forecastPercent, state, label }: Props) {
  const s = useStyles2(getStyles);
  const scale = Math.max(100, usedPercent, forecastPercent ?? 0);
  const pct = (v: number) => `${Math.min(100, (Math.max(0, v) / scale) * 100)}%`;
  return (
    <div
      className={s.track}
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={scale}
      aria-valuenow={usedPercent}
    >
      {forecastPercent !== null && <div className={s.forecast} style={{ width: pct(forecastPercent) }} />}
      <div className={s.actual[state]} style={{ width: pct(usedPercent) }} />
      <div className={s.limit} style={{ left: pct(100) }} />
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => {
  const bar = (color: string) =>
    css({
      position: 'absolute',
      top: 0,
      bottom: 0,
      left: 0,
      background: color,
      borderRadius: theme.shape.radius.default,
    });
  return {
    track: css({
      position: 'relative',
      height: theme.spacing(1.5),
      minWidth: 160,
      background: theme.colors.background.secondary,
      border: `1px solid ${theme.colors.border.weak}`,
      borderRadius: theme.shape.radius.default,
      overflow: 'hidden',
    }),
    forecast: css({
      position: 'absolute',
      top: 0,
      bottom: 0,
      left: 0,
      background: theme.colors.action.selected,
      borderRight: `2px dashed ${theme.colors.text.secondary}`,
    }),
    actual: {
      ok: bar(theme.colors.success.main),
      warning: bar(theme.colors.warning.main),
      critical: bar(theme.colors.error.main),
      exceeded: bar(theme.colors.error.shade),
    },
    limit: css({
      position: 'absolute',
      top: 0,
      bottom: 0,
      width: 2,
      marginLeft: -2,
      background: theme.colors.text.primary,
    }),
  };
};

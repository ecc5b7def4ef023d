import React, { ReactNode } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, IconName } from '@grafana/data';
import { Icon, Text, useStyles2 } from '@grafana/ui';

interface Props {
  title: string;
  value: ReactNode;
  icon: IconName;
  /** Secondary line: trend, context. */
  footer?: ReactNode;
  testId?: string;
}

/** One KPI: icon, title, big value, one line of context. Theme colours only, so both themes work. */
export function KpiCard({ title, value, icon, footer, testId }: Props) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.card} data-testid={testId}>
      <div className={s.header}>
        <Icon name={icon} size="lg" className={s.icon} />
        <Text color="secondary">{title}</Text>
      </div>
      <div className={s.value}>{value}</div>
      {footer && <div className={s.footer}>{footer}</div>}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  card: css({
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    padding: theme.spacing(2),
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    minWidth: 0,
  }),
  header: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1) }),
  icon: css({ color: theme.colors.primary.text }),
  value: css({
    fontSize: theme.typography.h2.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
    lineHeight: theme.typography.h2.lineHeight,
    overflowWrap: 'anywhere',
  }),
  footer: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});

import React, { ReactNode } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

/** One row: label and value. Rows that are not there (`cond && [label, value]`) or have no value are left out. */
export type Detail = [label: string, value: ReactNode];

/** Label–value pairs as a two-column description list (account info, resource specs, system status). */
export function DetailList({ items }: { items: Array<Detail | undefined | false> }) {
  const s = useStyles2(getStyles);
  const rows = items.filter(
    (row): row is Detail => Array.isArray(row) && row[1] !== undefined && row[1] !== null && row[1] !== false
  );
  return (
    <dl className={s.list}>
      {rows.map(([label, value], i) => (
        <React.Fragment key={`${label}-${i}`}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </React.Fragment>
      ))}
    </dl>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: 0,
    dt: { color: theme.colors.text.secondary },
    dd: { margin: 0, overflowWrap: 'anywhere' },
  }),
});

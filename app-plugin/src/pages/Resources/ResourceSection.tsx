import React from 'react';
import { cx } from '@emotion/css';
import { Badge, CollapsableSection, Stack, Text, useStyles2 } from '@grafana/ui';

import type { Resource } from '../../api/types';
import { ProviderBadge } from '../../components/common/ProviderBadge';
import { getTableStyles } from '../../components/common/styles';
import { testIds } from '../../components/testIds';
import { t } from '../../i18n';
import { formatMoney } from '../../utils/format';
import { sumMoney } from '../../utils/money';
import type { Section } from './model';

interface Props {
  section: Section;
  isOpen: boolean;
  selectedId?: string;
  onSelect: (resource: Resource) => void;
}

export function FlagBadges({ resource }: { resource: Resource }) {
  return (
    <Stack gap={0.5}>
      {resource.flags.zombie && (
        <Badge color="orange" text={t('resources.flag.zombie')} tooltip={t('resources.flag.zombie.help')} />
      )}
      {resource.flags.orphan && (
        <Badge color="purple" text={t('resources.flag.orphan')} tooltip={t('resources.flag.orphan.help')} />
      )}
    </Stack>
  );
}

/** One connection's resources as a collapsible table; a row opens the detail drawer. */
export function ResourceSection({ section, isOpen, selectedId, onSelect }: Props) {
  const s = useStyles2(getTableStyles);
  const { connection, resources } = section;
  const currency = resources.find((r) => r.currency)?.currency ?? 'RUB';
  const daily = sumMoney(
    resources.filter((r) => !r.parentId).map((r) => ({ amount: r.dailyCost, currency: r.currency })),
    currency
  ).total;
  const label = (
    <Stack gap={1} alignItems="center">
      <Text weight="medium">{connection?.name ?? t('resources.unknownConnection')}</Text>
      {connection && <ProviderBadge provider={connection.provider} />}
      <Text color="secondary" variant="bodySmall">
        {t('resources.section', { count: resources.length, daily: formatMoney(daily, currency) })}
      </Text>
    </Stack>
  );

  return (
    <div data-testid={testIds.resources.section}>
      <CollapsableSection label={label} isOpen={isOpen}>
        <table className={s.table}>
          <thead>
            <tr>
              <th>{t('resources.col.name')}</th>
              <th>{t('resources.col.type')}</th>
              <th>{t('resources.col.region')}</th>
              <th>{t('resources.col.status')}</th>
              <th />
              <th className="num">{t('resources.col.daily')}</th>
              <th className="num">{t('resources.col.monthly')}</th>
            </tr>
          </thead>
          <tbody>
            {resources.map((r) => (
              <tr
                key={r.id}
                data-testid={testIds.resources.row}
                className={cx(s.clickable, r.id === selectedId && s.selected)}
                onClick={() => onSelect(r)}
              >
                <td>
                  <button type="button" className={s.linkButton} onClick={() => onSelect(r)}>
                    {r.name}
                  </button>
                </td>
                <td>{r.type}</td>
                <td>{r.region ?? '—'}</td>
                <td>{r.status}</td>
                <td>
                  <FlagBadges resource={r} />
                </td>
                <td className="num">{r.parentId ? t('resources.inVm') : formatMoney(r.dailyCost, r.currency)}</td>
                <td className="num">{r.parentId ? '' : formatMoney(r.monthlyCost, r.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </CollapsableSection>
    </div>
  );
}

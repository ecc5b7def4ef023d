import React, { useMemo } from 'react';
import { InlineField, InlineFieldRow, Input, MultiCombobox, RadioButtonGroup } from '@grafana/ui';
import { CostsQuery } from '@infrazen/contract';

import { t } from '../i18n';
import { isDimensionKey } from '../interpolation';
import { dimensionLabel, granularityOptions, metricOptions } from '../labels';
import { FieldsProps, positiveInt } from './fieldProps';
import { dimensionKeyLoader } from './suggestions';
import { testIds } from './testIds';

interface Props extends FieldsProps<CostsQuery> {
  /** The panel's interval (e.g. "1h"), which "auto" granularity follows. */
  interval?: string;
}

export function CostsFields({ datasource, query, range, interval, onChange, onEdit, onRunQuery }: Props) {
  const groupByOptions = useMemo(() => dimensionKeyLoader(datasource, range), [datasource, range]);

  return (
    <>
      <InlineFieldRow>
        <InlineField label={t('metric.label')} labelWidth={16} tooltip={t('metric.tooltip')}>
          <RadioButtonGroup
            aria-label={t('metric.label')}
            options={metricOptions()}
            value={query.metric ?? 'billed_cost'}
            onChange={(metric) => onChange({ ...query, metric })}
          />
        </InlineField>
        <InlineField
          label={t('granularity.label')}
          labelWidth={16}
          tooltip={t('granularity.tooltip', { interval: interval ?? '$__interval' })}
        >
          <RadioButtonGroup
            aria-label={t('granularity.label')}
            options={granularityOptions()}
            value={query.granularity ?? 'auto'}
            onChange={(granularity) => onChange({ ...query, granularity })}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField label={t('groupBy.label')} labelWidth={16} tooltip={t('groupBy.tooltip')}>
          <MultiCombobox
            data-testid={testIds.queryEditor.groupBy}
            placeholder={t('groupBy.placeholder')}
            options={groupByOptions}
            // Async options: pass labels along, or raw keys show until the menu is opened.
            value={(query.groupBy ?? []).map((key) => ({ value: key, label: dimensionLabel(key) }))}
            createCustomValue
            width="auto"
            minWidth={24}
            maxWidth={80}
            onChange={(selected) =>
              onChange({ ...query, groupBy: selected.map((option) => option.value).filter(isDimensionKey) })
            }
          />
        </InlineField>
        <InlineField label={t('topN.label')} labelWidth={10} tooltip={t('topN.tooltip')}>
          <Input
            data-testid={testIds.queryEditor.topN}
            type="number"
            min={1}
            width={14}
            placeholder={t('topN.placeholder')}
            value={query.topN ?? ''}
            onChange={(event) => onEdit({ ...query, topN: positiveInt(event.currentTarget.value) })}
            onBlur={onRunQuery}
          />
        </InlineField>
      </InlineFieldRow>
    </>
  );
}

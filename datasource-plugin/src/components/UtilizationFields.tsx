import React from 'react';
import { SelectableValue } from '@grafana/data';
import { ComboboxOption, InlineField, InlineFieldRow, Input, MultiCombobox, RadioButtonGroup } from '@grafana/ui';
import { UtilizationQuery } from '@infrazen/contract';

import { t } from '../i18n';
import { dimensionLabel, granularityOptions } from '../labels';
import { FieldsProps, positiveInt } from './fieldProps';
import { testIds } from './testIds';

type Metric = NonNullable<UtilizationQuery['metric']>;
type Aggregation = NonNullable<UtilizationQuery['aggregation']>;
type GroupBy = NonNullable<UtilizationQuery['groupBy']>[number];

const GROUP_BY: GroupBy[] = ['resource', 'connection', 'provider'];

function isGroupBy(value: string): value is GroupBy {
  return (GROUP_BY as string[]).includes(value);
}

export function UtilizationFields({ query, onChange, onEdit, onRunQuery }: FieldsProps<UtilizationQuery>) {
  const metrics: Array<SelectableValue<Metric>> = [
    { value: 'cpu', label: t('utilization.metric.cpu') },
    { value: 'memory', label: t('utilization.metric.memory') },
  ];
  const aggregations: Array<SelectableValue<Aggregation>> = [
    { value: 'avg', label: t('utilization.aggregation.avg') },
    { value: 'max', label: t('utilization.aggregation.max') },
    { value: 'p95', label: t('utilization.aggregation.p95') },
  ];
  const groupBy: Array<ComboboxOption<string>> = GROUP_BY.map((key) => ({ value: key, label: dimensionLabel(key) }));

  return (
    <>
      <InlineFieldRow>
        <InlineField label={t('metric.label')} labelWidth={16}>
          <RadioButtonGroup
            aria-label={t('metric.label')}
            options={metrics}
            value={query.metric ?? 'cpu'}
            onChange={(metric) => onChange({ ...query, metric })}
          />
        </InlineField>
        <InlineField
          label={t('utilization.aggregation')}
          labelWidth={16}
          tooltip={t('utilization.aggregation.tooltip')}
        >
          <RadioButtonGroup
            aria-label={t('utilization.aggregation')}
            options={aggregations}
            value={query.aggregation ?? 'avg'}
            onChange={(aggregation) => onChange({ ...query, aggregation })}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField label={t('granularity.label')} labelWidth={16}>
          <RadioButtonGroup
            aria-label={t('granularity.label')}
            // "Total" is not a time series of utilization.
            options={granularityOptions().filter((option) => option.value !== 'total')}
            value={query.granularity ?? 'auto'}
            onChange={(granularity) => onChange({ ...query, granularity })}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField label={t('groupBy.label')} labelWidth={16} tooltip={t('utilization.groupBy.tooltip')}>
          <MultiCombobox
            data-testid={testIds.queryEditor.utilizationGroupBy}
            placeholder={t('utilization.groupBy.placeholder')}
            options={groupBy}
            value={query.groupBy ?? []}
            width="auto"
            minWidth={24}
            onChange={(selected) =>
              onChange({ ...query, groupBy: selected.map((option) => option.value).filter(isGroupBy) })
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

import React, { useMemo } from 'react';
import { SelectableValue, TimeRange } from '@grafana/data';
import { Button, Combobox, IconButton, InlineField, MultiCombobox, RadioButtonGroup, Stack } from '@grafana/ui';
import { DimensionFilter } from '@infrazen/contract';

import type { DataSource } from '../datasource';
import { t } from '../i18n';
import { isDimensionKey } from '../interpolation';
import { dimensionLabel } from '../labels';
import { dimensionKeyLoader, dimensionValueLoader } from './suggestions';
import { testIds } from './testIds';

interface Props {
  datasource: DataSource;
  filters: DimensionFilter[] | undefined;
  range?: TimeRange;
  onChange: (filters: DimensionFilter[]) => void;
}

/** The dimension a new filter row starts with: the one most dashboards split by first. */
const NEW_FILTER: DimensionFilter = { dimension: 'provider', op: 'include', values: [] };

export function FiltersEditor({ datasource, filters = [], range, onChange }: Props) {
  const update = (index: number, next: DimensionFilter) => onChange(filters.map((f, i) => (i === index ? next : f)));
  const remove = (index: number) => onChange(filters.filter((_, i) => i !== index));

  return (
    <InlineField label={t('filters.label')} labelWidth={16} tooltip={t('filters.tooltip')}>
      <Stack direction="column" gap={1}>
        {filters.map((filter, index) => (
          <FilterRow
            // Rows have no identity of their own; position is what the user edits.
            key={index}
            datasource={datasource}
            filter={filter}
            range={range}
            onChange={(next) => update(index, next)}
            onRemove={() => remove(index)}
          />
        ))}
        <div>
          <Button
            data-testid={testIds.filters.add}
            icon="plus"
            size="sm"
            variant="secondary"
            fill="outline"
            onClick={() => onChange([...filters, NEW_FILTER])}
          >
            {t('filters.add')}
          </Button>
        </div>
      </Stack>
    </InlineField>
  );
}

interface RowProps {
  datasource: DataSource;
  filter: DimensionFilter;
  range?: TimeRange;
  onChange: (filter: DimensionFilter) => void;
  onRemove: () => void;
}

function FilterRow({ datasource, filter, range, onChange, onRemove }: RowProps) {
  // One loader per dimension: it fetches when the menu opens and is rebuilt when the dimension changes.
  const dimensions = useMemo(() => dimensionKeyLoader(datasource, range), [datasource, range]);
  const values = useMemo(
    () => dimensionValueLoader(datasource, filter.dimension, range),
    [datasource, filter.dimension, range]
  );
  const ops: Array<SelectableValue<DimensionFilter['op']>> = [
    { value: 'include', label: t('filters.include') },
    { value: 'exclude', label: t('filters.exclude') },
  ];

  return (
    <div data-testid={testIds.filters.row}>
      <Stack direction="row" gap={1} alignItems="center">
        <Combobox
          data-testid={testIds.filters.dimension}
          options={dimensions}
          // Async options: pass the label too, or the raw key shows until the menu is opened.
          value={{ value: filter.dimension, label: dimensionLabel(filter.dimension) }}
          createCustomValue
          width={24}
          onChange={(option) => {
            // Typed custom dimensions other than tag:<key> would only be rejected by the collector.
            if (isDimensionKey(option.value) && option.value !== filter.dimension) {
              onChange({ ...filter, dimension: option.value, values: [] });
            }
          }}
        />
        <RadioButtonGroup
          aria-label={t('filters.include') + ' / ' + t('filters.exclude')}
          size="sm"
          options={ops}
          value={filter.op}
          onChange={(op) => onChange({ ...filter, op })}
        />
        <MultiCombobox
          data-testid={testIds.filters.values}
          placeholder={t('filters.valuesPlaceholder')}
          options={values}
          value={filter.values}
          createCustomValue
          width="auto"
          minWidth={30}
          maxWidth={80}
          onChange={(selected) => onChange({ ...filter, values: selected.map((option) => option.value) })}
        />
        <IconButton
          data-testid={testIds.filters.remove}
          name="trash-alt"
          tooltip={t('filters.remove')}
          onClick={onRemove}
        />
      </Stack>
    </div>
  );
}

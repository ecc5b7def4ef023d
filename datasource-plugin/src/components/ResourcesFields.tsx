import React, { useMemo } from 'react';
import { SelectableValue } from '@grafana/data';
import { Combobox, InlineField, InlineFieldRow, Input, RadioButtonGroup } from '@grafana/ui';
import { ResourcesQuery } from '@infrazen/contract';

import { t } from '../i18n';
import { FieldsProps, positiveInt } from './fieldProps';
import { dimensionValueLoader } from './suggestions';
import { testIds } from './testIds';

type Flag = NonNullable<ResourcesQuery['flag']> | 'any';

export function ResourcesFields({
  datasource,
  query,
  range,
  onChange,
  onEdit,
  onRunQuery,
}: FieldsProps<ResourcesQuery>) {
  // Resource types seen in billing; other types (and variables) can be typed in.
  const typeOptions = useMemo(() => dimensionValueLoader(datasource, 'resource_type', range), [datasource, range]);
  const flags: Array<SelectableValue<Flag>> = [
    { value: 'any', label: t('resources.flag.any') },
    { value: 'zombie', label: t('resources.flag.zombie') },
    { value: 'orphan', label: t('resources.flag.orphan') },
  ];

  return (
    <>
      <InlineFieldRow>
        <InlineField label={t('resources.type')} labelWidth={16} tooltip={t('resources.type.tooltip')}>
          <Combobox
            data-testid={testIds.queryEditor.resourceType}
            placeholder={t('resources.any')}
            options={typeOptions}
            value={query.type ?? null}
            createCustomValue
            isClearable
            width={24}
            onChange={(option) => onChange({ ...query, type: option?.value || undefined })}
          />
        </InlineField>
        <InlineField label={t('resources.flag')} labelWidth={10} tooltip={t('resources.flag.tooltip')}>
          <RadioButtonGroup<Flag>
            aria-label={t('resources.flag')}
            options={flags}
            value={query.flag ?? 'any'}
            onChange={(flag) => onChange({ ...query, flag: flag === 'any' ? undefined : flag })}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField label={t('resources.status')} labelWidth={16} tooltip={t('resources.status.tooltip')}>
          <Input
            data-testid={testIds.queryEditor.status}
            width={24}
            placeholder={t('resources.any')}
            value={query.status ?? ''}
            onChange={(event) => onEdit({ ...query, status: event.currentTarget.value || undefined })}
            onBlur={onRunQuery}
          />
        </InlineField>
        <InlineField label={t('resources.search')} labelWidth={10} tooltip={t('resources.search.tooltip')}>
          <Input
            data-testid={testIds.queryEditor.search}
            width={24}
            value={query.search ?? ''}
            onChange={(event) => onEdit({ ...query, search: event.currentTarget.value || undefined })}
            onBlur={onRunQuery}
          />
        </InlineField>
        <InlineField label={t('resources.limit')} labelWidth={10}>
          <Input
            data-testid={testIds.queryEditor.limit}
            type="number"
            min={1}
            width={12}
            value={query.limit ?? ''}
            onChange={(event) => onEdit({ ...query, limit: positiveInt(event.currentTarget.value) })}
            onBlur={onRunQuery}
          />
        </InlineField>
      </InlineFieldRow>
    </>
  );
}

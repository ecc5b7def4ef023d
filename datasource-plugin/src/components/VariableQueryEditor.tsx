import React, { useMemo } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { Combobox, InlineField, InlineFieldRow, Stack, Text } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { t } from '../i18n';
import { variableDimensionOptions } from '../labels';
import { InfraZenDataQuery, InfraZenDataSourceOptions, InfraZenVariableQuery } from '../types';
import { FiltersEditor } from './FiltersEditor';
import { tagKeyLoader } from './suggestions';
import { testIds } from './testIds';

type Props = QueryEditorProps<DataSource, InfraZenDataQuery, InfraZenDataSourceOptions, InfraZenVariableQuery>;

/**
 * A query variable lists one dimension's values (or the tag keys, or one tag's values), optionally
 * narrowed by filters that may use other variables: "services of $provider".
 */
export function VariableQueryEditor({ datasource, query, range, onChange }: Props) {
  const tagKeys = useMemo(() => tagKeyLoader(datasource, range), [datasource, range]);
  const options = useMemo(() => variableDimensionOptions(), []);

  return (
    <Stack direction="column" gap={1}>
      <InlineFieldRow>
        <InlineField label={t('variable.dimension')} labelWidth={20} tooltip={t('variable.dimension.tooltip')}>
          <Combobox
            data-testid={testIds.variableEditor.dimension}
            placeholder={t('variable.dimension.placeholder')}
            options={options}
            value={query.dimension ?? null}
            width={32}
            onChange={(option) =>
              onChange({
                ...query,
                dimension: option.value,
                // A tag key only means something for tag values.
                tagKey: option.value === 'tag_value' ? query.tagKey : undefined,
              })
            }
          />
        </InlineField>
        {query.dimension === 'tag_value' && (
          <InlineField label={t('variable.tagKey')} labelWidth={14} tooltip={t('variable.tagKey.tooltip')}>
            <Combobox
              data-testid={testIds.variableEditor.tagKey}
              placeholder={t('variable.tagKey.placeholder')}
              options={tagKeys}
              value={query.tagKey ?? null}
              createCustomValue
              width={28}
              onChange={(option) => onChange({ ...query, tagKey: option.value })}
            />
          </InlineField>
        )}
      </InlineFieldRow>
      <FiltersEditor
        datasource={datasource}
        filters={query.filters}
        range={range}
        onChange={(filters) => onChange({ ...query, filters })}
      />
      <Text element="p" variant="bodySmall" color="secondary">
        {t('variable.help')}
      </Text>
    </Stack>
  );
}

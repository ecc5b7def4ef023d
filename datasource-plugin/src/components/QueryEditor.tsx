import React from 'react';
import { QueryEditorProps } from '@grafana/data';
import { Combobox, InlineField, InlineFieldRow, Stack, Text } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { normalizeQuery, withQueryType } from '../defaults';
import { t } from '../i18n';
import { queryTypeOptions } from '../labels';
import { InfraZenDataQuery, InfraZenDataSourceOptions } from '../types';
import { ChangesFields } from './ChangesFields';
import { CostsFields } from './CostsFields';
import { FiltersEditor } from './FiltersEditor';
import { ResourcesFields } from './ResourcesFields';
import { testIds } from './testIds';
import { UtilizationFields } from './UtilizationFields';

type Props = QueryEditorProps<DataSource, InfraZenDataQuery, InfraZenDataSourceOptions>;

/** Query type picker, the type's own fields, then filters (which every type takes). */
export function QueryEditor({ datasource, query: stored, range, data, onChange, onRunQuery }: Props) {
  // An untyped query runs as the default type (see normalizeQuery), so it is shown as one too.
  const query = normalizeQuery(stored);
  const change = (next: InfraZenDataQuery) => {
    onChange(next);
    onRunQuery();
  };
  const fieldProps = { datasource, range, onChange: change, onEdit: onChange, onRunQuery };

  return (
    <Stack direction="column" gap={1}>
      <InlineFieldRow>
        <InlineField label={t('queryType.label')} labelWidth={16} tooltip={t('queryType.tooltip')}>
          <Combobox
            data-testid={testIds.queryEditor.queryType}
            options={queryTypeOptions()}
            value={query.queryType}
            width={32}
            onChange={(option) => {
              if (option.value !== query.queryType) {
                change(withQueryType(query, option.value));
              }
            }}
          />
        </InlineField>
      </InlineFieldRow>
      <div data-testid={testIds.queryEditor.help}>
        <Text element="p" variant="bodySmall" color="secondary">
          {t(`queryType.${query.queryType}.help`)}
        </Text>
      </div>
      {query.queryType === 'costs' && <CostsFields {...fieldProps} query={query} interval={data?.request?.interval} />}
      {query.queryType === 'resources' && <ResourcesFields {...fieldProps} query={query} />}
      {query.queryType === 'utilization' && <UtilizationFields {...fieldProps} query={query} />}
      {query.queryType === 'changes' && (
        <ChangesFields query={query} onChange={(fields) => change({ ...query, ...fields })} />
      )}
      <FiltersEditor
        datasource={datasource}
        filters={query.filters}
        range={range}
        onChange={(filters) => change({ ...query, filters })}
      />
    </Stack>
  );
}

import React from 'react';
import { QueryEditorProps } from '@grafana/data';
import { ChangesQuery } from '@infrazen/contract';
import { Stack, Text } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { DEFAULT_CHANGE_ACTIONS } from '../defaults';
import { t } from '../i18n';
import { InfraZenDataQuery, InfraZenDataSourceOptions } from '../types';
import { ChangesFields } from './ChangesFields';
import { FiltersEditor } from './FiltersEditor';

type Props = QueryEditorProps<DataSource, InfraZenDataQuery, InfraZenDataSourceOptions>;

/**
 * Annotations only come from resource changes, so this editor has no query type picker: it edits a
 * changes query (which actions, which kinds, which resources by filter).
 */
export function AnnotationQueryEditor({ datasource, query: stored, range, onChange }: Props) {
  const query: ChangesQuery & InfraZenDataQuery =
    stored?.queryType === 'changes'
      ? stored
      : { refId: stored?.refId || 'Anno', queryType: 'changes', actions: DEFAULT_CHANGE_ACTIONS };

  return (
    <Stack direction="column" gap={1}>
      <Text element="p" variant="bodySmall" color="secondary">
        {t('annotations.help')}
      </Text>
      <ChangesFields query={query} onChange={(fields) => onChange({ ...query, ...fields })} />
      <FiltersEditor
        datasource={datasource}
        filters={query.filters}
        range={range}
        onChange={(filters) => onChange({ ...query, filters })}
      />
    </Stack>
  );
}

import React, { ChangeEvent } from 'react';
import { QueryEditorProps } from '@grafana/data';
import { InlineField, Input } from '@grafana/ui';

import { DataSource } from '../datasource';
import { InfraZenDataSourceOptions, InfraZenQuery } from '../types';

type Props = QueryEditorProps<DataSource, InfraZenQuery, InfraZenDataSourceOptions>;

export function QueryEditor({ query, onChange }: Props) {
  const onQueryTextChange = (event: ChangeEvent<HTMLInputElement>) => {
    onChange({ ...query, queryText: event.target.value });
  };

  return (
    <InlineField label="Query" labelWidth={16}>
      <Input id="query-editor-query-text" value={query.queryText ?? ''} onChange={onQueryTextChange} width={40} />
    </InlineField>
  );
}

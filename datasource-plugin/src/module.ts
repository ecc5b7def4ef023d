import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { DataSource } from './datasource';
import { InfraZenDataQuery, InfraZenDataSourceOptions, InfraZenSecureJsonData } from './types';

// Variable and annotation editors are attached to the DataSource itself (`variables`, `annotations`).
export const plugin = new DataSourcePlugin<
  DataSource,
  InfraZenDataQuery,
  InfraZenDataSourceOptions,
  InfraZenSecureJsonData
>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);

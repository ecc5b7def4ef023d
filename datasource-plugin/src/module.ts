import { DataSourcePlugin } from '@grafana/data';

import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { DataSource } from './datasource';
import { InfraZenDataSourceOptions, InfraZenQuery } from './types';

export const plugin = new DataSourcePlugin<DataSource, InfraZenQuery, InfraZenDataSourceOptions>(DataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);

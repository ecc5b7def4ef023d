import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

/** A query against the InfraZen collector (query types are added as the API grows). */
export interface InfraZenQuery extends DataQuery {
  queryText?: string;
}

export const DEFAULT_QUERY: Partial<InfraZenQuery> = {};

/** Non-secret settings of one datasource instance (the collector URL lives in the instance `url`). */
export interface InfraZenDataSourceOptions extends DataSourceJsonData {}

/** Secret settings: stored server-side by Grafana, never sent back to the browser. */
export interface InfraZenSecureJsonData {
  apiToken?: string;
}

import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';
import type { Dimension, DimensionFilter, InfraZenQuery, VARIABLE_DIMENSIONS } from '@infrazen/contract';

/**
 * A query as Grafana stores it: one of the contract's query types plus Grafana's own fields (datasource,
 * key, …). The collector accepts the extra fields, so the plugin sends queries as they are.
 */
export type InfraZenDataQuery = InfraZenQuery & DataQuery;

/** Omit applied to each member of a union (plain Omit would merge the query types into one). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A query's own fields, without Grafana's identity fields: what a query type's default is made of. */
export type QueryFields = DistributiveOmit<InfraZenQuery, 'refId'>;

/** What a template variable lists: a dimension's values, the tag keys, or the values of one tag. */
export type VariableDimension = Dimension | (typeof VARIABLE_DIMENSIONS)[number];

/** The query of a template variable (edited by VariableQueryEditor). */
export interface InfraZenVariableQuery extends DataQuery {
  dimension?: VariableDimension;
  /** For `tag_value`: the tag whose values are listed (may be a variable). */
  tagKey?: string;
  /** Narrows the list, e.g. services of `$provider` (chained variables). */
  filters?: DimensionFilter[];
}

/** Non-secret settings of one datasource instance. */
export interface InfraZenDataSourceOptions extends DataSourceJsonData {
  /** Collector base URL; the data proxy routes in plugin.json forward to it. */
  url?: string;
  /** Currency the collector reports amounts in. */
  currency?: string;
}

/** Secret settings: stored server-side by Grafana and injected by the data proxy, never sent to the browser. */
export interface InfraZenSecureJsonData {
  apiToken?: string;
}

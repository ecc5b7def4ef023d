import {
  AdHocVariableFilter,
  CoreApp,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceGetTagKeysOptions,
  DataSourceGetTagValuesOptions,
  DataSourceInstanceSettings,
  MetricFindValue,
  QueryFixAction,
  ScopedVars,
  TestDataSourceResponse,
  TimeRange,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { DIMENSIONS, DimensionFilter, QueryRequest } from '@infrazen/contract';

import { changesAnnotationSupport } from './annotations';
import { InfraZenApi } from './api';
import { DEFAULT_CURRENCY, DEFAULT_QUERY_TYPE, defaultQuery, normalizeQuery } from './defaults';
import { describeError } from './errors';
import { applyQueryFix, queryDisplayText } from './explore';
import { toQueryResponse } from './frames';
import { testCollector } from './health';
import { adHocToFilters, interpolateFilters, interpolateQuery, isDimension } from './interpolation';
import { dimensionLabel } from './labels';
import { InfraZenDataQuery, InfraZenDataSourceOptions, InfraZenVariableQuery, VariableDimension } from './types';
import { InfraZenVariableSupport } from './variables';

export class DataSource extends DataSourceApi<InfraZenDataQuery, InfraZenDataSourceOptions> {
  readonly api: InfraZenApi;
  /** Collector URL as configured (the browser only ever talks to the data proxy URL). */
  readonly collectorUrl?: string;
  readonly currency: string;

  constructor(instanceSettings: DataSourceInstanceSettings<InfraZenDataSourceOptions>) {
    super(instanceSettings);
    // instanceSettings.url is the data proxy path `/api/datasources/proxy/uid/<uid>`, not the collector.
    this.api = new InfraZenApi(instanceSettings.url ?? '');
    this.collectorUrl = instanceSettings.jsonData.url;
    this.currency = instanceSettings.jsonData.currency || DEFAULT_CURRENCY;
    this.variables = new InfraZenVariableSupport(this);
    this.annotations = changesAnnotationSupport;
  }

  getDefaultQuery(_app: CoreApp): Partial<InfraZenDataQuery> {
    return defaultQuery(DEFAULT_QUERY_TYPE);
  }

  filterQuery(query: InfraZenDataQuery): boolean {
    return !query.hide;
  }

  async query(request: DataQueryRequest<InfraZenDataQuery>): Promise<DataQueryResponse> {
    const templateSrv = getTemplateSrv();
    const queries = request.targets
      .filter((target) => this.filterQuery(target))
      .map((target) => interpolateQuery(normalizeQuery(target), request.scopedVars, templateSrv, request.filters));
    if (!queries.length) {
      return { data: [] };
    }
    const body: QueryRequest = {
      from: request.range.from.valueOf(),
      to: request.range.to.valueOf(),
      queries,
      intervalMs: request.intervalMs,
      maxDataPoints: request.maxDataPoints,
      currency: this.currency,
    };
    const refIds = queries.map((query) => query.refId);
    try {
      return toQueryResponse(await this.api.query(body, request.requestId), refIds);
    } catch (err) {
      // The request as a whole failed (collector down, token rejected): every query shows why.
      const error = describeError(err);
      return { data: [], errors: refIds.map((refId) => ({ refId, ...error })) };
    }
  }

  /** Explore and "copy to another datasource" take queries with their variables resolved. */
  interpolateVariablesInQueries(
    queries: InfraZenDataQuery[],
    scopedVars: ScopedVars,
    filters?: AdHocVariableFilter[]
  ): InfraZenDataQuery[] {
    const templateSrv = getTemplateSrv();
    return queries.map((query) => interpolateQuery(normalizeQuery(query), scopedVars, templateSrv, filters));
  }

  /** Explore's "filter for / out value" on a dimension column. */
  modifyQuery(query: InfraZenDataQuery, action: QueryFixAction): InfraZenDataQuery {
    return applyQueryFix(query, action);
  }

  getQueryDisplayText(query: InfraZenDataQuery): string {
    return queryDisplayText(query);
  }

  /** Values of one dimension, as `{text, value}` for pickers, variables and ad hoc filters. */
  async dimensionValues(
    dimension: VariableDimension,
    options: { range?: TimeRange; filters?: DimensionFilter[]; key?: string } = {}
  ): Promise<MetricFindValue[]> {
    const values = await this.api.dimensionValues(dimension, {
      from: options.range?.from.toISOString(),
      to: options.range?.to.toISOString(),
      filters: options.filters,
      key: options.key,
    });
    return values.map(({ text, value }) => ({ text, value }));
  }

  /** Runs a template variable query (see InfraZenVariableSupport). */
  async variableValues(
    query: InfraZenVariableQuery | undefined,
    range?: TimeRange,
    scopedVars?: ScopedVars
  ): Promise<MetricFindValue[]> {
    if (!query?.dimension) {
      return [];
    }
    const templateSrv = getTemplateSrv();
    const filters = interpolateFilters(query.filters, scopedVars, templateSrv);
    if (query.dimension === 'tag_value') {
      const key = templateSrv.replace(query.tagKey ?? '', scopedVars);
      return key ? this.dimensionValues('tag_value', { range, filters, key }) : [];
    }
    return this.dimensionValues(query.dimension, { range, filters });
  }

  /** Ad hoc filter keys: every dimension, then each tag as `tag:<key>`. */
  async getTagKeys(options?: DataSourceGetTagKeysOptions<InfraZenDataQuery>): Promise<MetricFindValue[]> {
    const keys: MetricFindValue[] = DIMENSIONS.map((dimension) => ({
      text: dimensionLabel(dimension),
      value: dimension,
    }));
    try {
      const tags = await this.dimensionValues('tag_key', { range: options?.timeRange });
      return [...keys, ...tags.map((tag) => ({ text: `tag: ${tag.text}`, value: `tag:${tag.value}` }))];
    } catch {
      // Tag keys are a bonus; the fixed dimensions still make a usable list.
      return keys;
    }
  }

  /** Ad hoc filter values for one key, narrowed by the other ad hoc filters. */
  async getTagValues(options: DataSourceGetTagValuesOptions<InfraZenDataQuery>): Promise<MetricFindValue[]> {
    const { key, timeRange: range } = options;
    const filters = adHocToFilters(options.filters.filter((filter) => filter.key !== key));
    if (key.startsWith('tag:')) {
      return this.dimensionValues('tag_value', { range, filters, key: key.slice(4) });
    }
    return isDimension(key) ? this.dimensionValues(key, { range, filters }) : [];
  }

  testDatasource(): Promise<TestDataSourceResponse> {
    return testCollector(this.api, this.collectorUrl);
  }
}

import { QueryFixAction } from '@grafana/data';
import { DimensionFilter } from '@infrazen/contract';

import { normalizeQuery } from './defaults';
import { t } from './i18n';
import { isDimensionKey } from './interpolation';
import { dimensionLabel } from './labels';
import { InfraZenDataQuery } from './types';

/** Adds `value` to the query's filter of that dimension and operation, creating the filter if needed. */
function withFilterValue(query: InfraZenDataQuery, filter: DimensionFilter): InfraZenDataQuery {
  const filters = query.filters ?? [];
  const index = filters.findIndex((f) => f.dimension === filter.dimension && f.op === filter.op);
  if (index < 0) {
    return { ...query, filters: [...filters, filter] };
  }
  const merged = { ...filters[index]!, values: Array.from(new Set([...filters[index]!.values, ...filter.values])) };
  return { ...query, filters: filters.map((f, i) => (i === index ? merged : f)) };
}

/**
 * Explore's "filter for / filter out value" on a table cell: the column is a dimension (cost tables
 * name their group columns after the dimension), so the click becomes an include / exclude filter.
 * Columns that are not dimensions leave the query as it is.
 */
export function applyQueryFix(query: InfraZenDataQuery, action: QueryFixAction): InfraZenDataQuery {
  const key = action.options?.key;
  const value = action.options?.value;
  const op = action.type === 'ADD_FILTER' ? 'include' : action.type === 'ADD_FILTER_OUT' ? 'exclude' : undefined;
  if (!op || !key || value === undefined || !isDimensionKey(key)) {
    return query;
  }
  return withFilterValue(normalizeQuery(query), { dimension: key, op, values: [value] });
}

/** One line for collapsed query rows and Explore's query history. */
export function queryDisplayText(stored: InfraZenDataQuery): string {
  const query = normalizeQuery(stored);
  const parts = [t(`queryType.${query.queryType}`)];
  if (query.queryType === 'costs' || query.queryType === 'utilization') {
    if (query.metric) {
      parts.push(query.metric);
    }
    if (query.groupBy?.length) {
      parts.push(`${t('groupBy.label')}: ${query.groupBy.map(dimensionLabel).join(', ')}`);
    }
    if (query.topN) {
      parts.push(`${t('topN.label')}: ${query.topN}`);
    }
  }
  for (const filter of query.filters ?? []) {
    const sign = filter.op === 'include' ? '=' : '≠';
    parts.push(`${dimensionLabel(filter.dimension)} ${sign} ${filter.values.join(', ')}`);
  }
  return parts.join(' · ');
}

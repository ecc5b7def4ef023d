import { SelectableValue } from '@grafana/data';
import { ComboboxOption } from '@grafana/ui';
import {
  COST_METRICS,
  CostMetric,
  DIMENSIONS,
  DimensionKey,
  Granularity,
  GRANULARITIES,
  QUERY_TYPES,
  QueryType,
  VARIABLE_DIMENSIONS,
} from '@infrazen/contract';

import { t } from './i18n';
import { VariableDimension } from './types';

/** Option lists for the editors, built from the contract's constant lists with translated labels. */

export function dimensionLabel(key: DimensionKey | VariableDimension): string {
  if (key.startsWith('tag:')) {
    return t('dimension.tag', { key: key.slice(4) });
  }
  return t(`dimension.${key as VariableDimension}`);
}

export function queryTypeOptions(): Array<ComboboxOption<QueryType>> {
  return QUERY_TYPES.map((type) => ({
    value: type,
    label: t(`queryType.${type}`),
    description: t(`queryType.${type}.help`),
  }));
}

export function dimensionOptions(): Array<ComboboxOption<string>> {
  return DIMENSIONS.map((dimension) => ({ value: dimension, label: dimensionLabel(dimension) }));
}

export function variableDimensionOptions(): Array<ComboboxOption<VariableDimension>> {
  return [...DIMENSIONS, ...VARIABLE_DIMENSIONS].map((dimension) => ({
    value: dimension,
    label: dimensionLabel(dimension),
  }));
}

export function metricOptions(): Array<SelectableValue<CostMetric>> {
  return COST_METRICS.map((metric) => ({ value: metric, label: t(`metric.${metric}`) }));
}

export function granularityOptions(): Array<SelectableValue<Granularity>> {
  return GRANULARITIES.map((granularity) => ({ value: granularity, label: t(`granularity.${granularity}`) }));
}

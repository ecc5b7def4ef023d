import { TimeRange } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

import type { DataSource } from '../datasource';
import { InfraZenDataQuery } from '../types';

/** Props of the per-query-type field groups of the query editor. */
export interface FieldsProps<Q extends InfraZenDataQuery> {
  datasource: DataSource;
  query: Q & DataQuery;
  range?: TimeRange;
  /** Updates the query and runs it (pickers). */
  onChange: (query: InfraZenDataQuery) => void;
  /** Updates the query without running it (text typed into an input; runs on blur). */
  onEdit: (query: InfraZenDataQuery) => void;
  onRunQuery: () => void;
}

/** A positive whole number from an input, or undefined ("not set") for anything else. */
export function positiveInt(text: string): number | undefined {
  const value = Math.floor(Number(text));
  return text.trim() !== '' && Number.isFinite(value) && value > 0 ? value : undefined;
}

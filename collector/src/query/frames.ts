/** Builders for Grafana data frame JSON (the shape `/api/ds/query` returns). */
import type { DataFrameJSON, FieldConfig, FieldSchema, FieldType, FrameNotice } from '../contract/query.js';

export interface Column {
  name: string;
  type: FieldType;
  values: unknown[];
  config?: FieldConfig;
  labels?: Record<string, string>;
}

export function frame(
  refId: string,
  columns: Column[],
  options: {
    name?: string;
    notices?: FrameNotice[];
    visualisation?: 'graph' | 'table';
    custom?: Record<string, unknown>;
  } = {}
): DataFrameJSON {
  const fields: FieldSchema[] = columns.map((c) => ({
    name: c.name,
    type: c.type,
    ...(c.config ? { config: c.config } : {}),
    ...(c.labels ? { labels: c.labels } : {}),
  }));
  const meta = {
    ...(options.notices?.length ? { notices: options.notices } : {}),
    ...(options.visualisation ? { preferredVisualisationType: options.visualisation } : {}),
    ...(options.custom ? { custom: options.custom } : {}),
  };
  return {
    schema: {
      ...(options.name ? { name: options.name } : {}),
      refId,
      fields,
      ...(Object.keys(meta).length ? { meta } : {}),
    },
    data: { values: columns.map((c) => c.values) },
  };
}

/** Grafana's built-in currency units; others get a suffix unit. */
const GRAFANA_CURRENCIES = new Set([
  'USD',
  'GBP',
  'EUR',
  'JPY',
  'RUB',
  'UAH',
  'BRL',
  'DKK',
  'ISK',
  'NOK',
  'SEK',
  'CZK',
  'CHF',
  'PLN',
  'ZAR',
  'INR',
  'KRW',
  'IDR',
  'PHP',
  'VND',
  'TRY',
  'MYR',
  'XPF',
  'BGN',
  'PYG',
  'UYU',
  'ILS',
]);

export function currencyUnit(currency: string): string {
  return GRAFANA_CURRENCIES.has(currency) ? `currency${currency}` : `suffix: ${currency}`;
}

/** Money leaves the database as exact decimal strings; frames carry numbers for Grafana to plot. */
export function moneyValue(value: string | null | undefined): number | null {
  return value === null || value === undefined ? null : Number(value);
}

export function epoch(value: Date | string | null): number | null {
  return value === null ? null : new Date(value).getTime();
}

/**
 * A report's content, independent of the file format: sections of typed tables, KPI tiles and chart
 * series. The PDF, XLSX, CSV and PNG renderers each read this one model, so every format shows the same
 * figures.
 */
import type { Decimal } from 'decimal.js';
import type { DimensionFilter } from '../contract/query.js';
import type { Language, SectionKind } from './definition.js';
import type { ReportPeriod } from './period.js';

export type CellType = 'text' | 'money' | 'percent' | 'number' | 'date';
export type Cell = string | number | Decimal | Date | null;

export interface TableColumn {
  key: string;
  label: string;
  type: CellType;
  /** For money: the row field holding that row's currency (balances are in each account's currency). */
  currencyKey?: string;
  /** The row field holding this cell's type, when rows differ (the KPI table mixes money and counts). */
  typeKey?: string;
  /** Relative width in the PDF table. */
  width?: number;
}

export interface ReportTable {
  columns: TableColumn[];
  rows: Record<string, Cell>[];
  total?: Record<string, Cell>;
  /** The PDF shows at most this many rows (and says so); spreadsheets always get every row. */
  pdfLimit?: number;
}

export interface Tile {
  key: string;
  label: string;
  type: CellType;
  value: Cell;
  /** A second line, e.g. the change against the previous period. */
  note?: string;
}

export interface ChartSeries {
  name: string;
  values: (number | null)[];
}

export interface ChartSpec {
  kind: 'bar' | 'line' | 'hbar';
  title: string;
  categories: string[];
  series: ChartSeries[];
}

export interface ReportSection {
  kind: SectionKind;
  title: string;
  tiles: Tile[];
  charts: ChartSpec[];
  table: ReportTable;
  /** No rows to show: rendered as "no data" (analytics not computed yet, nothing in scope …). */
  empty: boolean;
  notes: string[];
}

export interface ReportModel {
  name: string;
  tenantName: string;
  language: Language;
  currency: string;
  period: ReportPeriod;
  generatedAt: Date;
  filters: DimensionFilter[];
  sections: ReportSection[];
  /** Headline figures for captions and the archive. */
  summary: ReportSummary;
}

export interface ReportSummary {
  currency: string;
  total: string;
  previousTotal: string;
  changePercent: number | null;
  topProvider: { name: string; cost: string } | null;
  potentialSavings: string | null;
}

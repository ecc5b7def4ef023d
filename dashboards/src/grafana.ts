/**
 * The part of Grafana's dashboard JSON model (schemaVersion 41, Grafana 12) these dashboards use, typed so
 * that every panel query is one of the query contract's types: a query the collector would reject does
 * not compile. Builders fill Grafana's defaults so the dashboard files stay uniform.
 */
import type { DimensionFilter, InfraZenQuery } from '../../collector/src/contract/query.js';

/** The datasource plugin's id (datasource-plugin/src/plugin.json). */
export const DATASOURCE_TYPE = 'infrazen-finops-datasource';
/** Every panel reads the datasource the `datasource` variable points at: no hard-coded instance. */
export const DATASOURCE = { type: DATASOURCE_TYPE, uid: '${datasource}' } as const;
export const APP_ID = 'infrazen-finops-app';
export const SCHEMA_VERSION = 41;

export type DatasourceRef = typeof DATASOURCE;

/** A panel query: a contract query plus the datasource Grafana stores with it. */
export type Target = InfraZenQuery & { datasource: DatasourceRef };

export interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Link {
  title: string;
  url: string;
  targetBlank?: boolean;
}

export interface Threshold {
  color: string;
  value: number | null;
}

export interface FieldConfig {
  defaults: {
    unit?: string;
    decimals?: number;
    min?: number;
    max?: number;
    displayName?: string;
    noValue?: string;
    color?: { mode: string; fixedColor?: string };
    thresholds?: { mode: 'absolute' | 'percentage'; steps: Threshold[] };
    links?: Link[];
    mappings?: unknown[];
    custom?: Record<string, unknown>;
  };
  overrides: { matcher: { id: string; options: unknown }; properties: { id: string; value: unknown }[] }[];
}

export interface Transformation {
  id: string;
  options: Record<string, unknown>;
}

export type PanelType = 'stat' | 'timeseries' | 'barchart' | 'table' | 'piechart' | 'bargauge' | 'gauge';

export interface Panel {
  id: number;
  type: PanelType;
  title: string;
  description: string;
  datasource: DatasourceRef;
  gridPos: GridPos;
  targets: Target[];
  fieldConfig: FieldConfig;
  options: Record<string, unknown>;
  transformations?: Transformation[];
  links?: Link[];
}

export interface RowPanel {
  id: number;
  type: 'row';
  title: string;
  collapsed: boolean;
  gridPos: GridPos;
  panels: [];
}

export interface VariableOption {
  text: string | string[];
  value: string | string[];
  selected?: boolean;
}

export interface DatasourceVariable {
  type: 'datasource';
  name: string;
  label: string;
  description: string;
  query: string;
  current: Record<string, never>;
  hide: 0;
  includeAll: false;
  multi: false;
  options: [];
  refresh: 1;
  regex: string;
  skipUrlSync: false;
}

/** The datasource plugin's variable query (datasource-plugin/src/types.ts InfraZenVariableQuery). */
export interface VariableQuery {
  refId: string;
  dimension: string;
  tagKey?: string;
  filters?: DimensionFilter[];
}

export interface QueryVariable {
  type: 'query';
  name: string;
  label: string;
  description: string;
  datasource: DatasourceRef;
  query: VariableQuery;
  definition: string;
  current: VariableOption;
  hide: 0;
  includeAll: boolean;
  multi: boolean;
  options: [];
  refresh: 2;
  regex: string;
  skipUrlSync: false;
  sort: 1;
}

export interface AdhocVariable {
  type: 'adhoc';
  name: string;
  label: string;
  description: string;
  datasource: DatasourceRef;
  filters: [];
  hide: 0;
  skipUrlSync: false;
}

export type Variable = DatasourceVariable | QueryVariable | AdhocVariable;

export interface DashboardLink {
  title: string;
  type: 'dashboards' | 'link';
  tags: string[];
  url: string;
  icon: 'external link' | 'dashboard' | 'apps' | 'info' | 'doc' | 'bolt' | 'cloud';
  tooltip: string;
  asDropdown: boolean;
  includeVars: boolean;
  keepTime: boolean;
  targetBlank: boolean;
}

export interface Annotation {
  name: string;
  enable: boolean;
  hide: boolean;
  iconColor: string;
  datasource: DatasourceRef | { type: 'grafana'; uid: '-- Grafana --' };
  builtIn?: 1;
  type?: 'dashboard';
  target?: Target;
}

export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  editable: boolean;
  graphTooltip: 0 | 1 | 2;
  timezone: string;
  weekStart: string;
  fiscalYearStartMonth: number;
  liveNow: false;
  /** Bumped when the JSON changes, so Grafana updates the copies the app plugin imported. */
  revision: number;
  schemaVersion: number;
  version: number;
  time: { from: string; to: string };
  timepicker: { refresh_intervals: string[] };
  refresh: string;
  templating: { list: Variable[] };
  annotations: { list: Annotation[] };
  links: DashboardLink[];
  panels: (Panel | RowPanel)[];
}

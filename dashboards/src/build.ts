/**
 * Builders for the InfraZen dashboards: panels with Grafana's defaults filled, the datasource and
 * dimension variables, links between the dashboards and to the app's pages, and a layout that assigns
 * ids and grid positions in reading order. Titles are Russian, descriptions English, everywhere.
 */
import type { Dimension, DimensionFilter, InfraZenQuery } from '../../collector/src/contract/query.js';
import {
  APP_ID,
  DATASOURCE,
  DATASOURCE_TYPE,
  SCHEMA_VERSION,
  type AdhocVariable,
  type Annotation,
  type Dashboard,
  type DashboardLink,
  type DatasourceVariable,
  type FieldConfig,
  type Link,
  type Panel,
  type PanelType,
  type QueryVariable,
  type RowPanel,
  type Target,
  type Threshold,
  type Transformation,
  type Variable,
} from './grafana.js';

/** A contract query without its refId: layout names them A, B, C… in order. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type Query = DistributiveOmit<InfraZenQuery, 'refId'>;

/** The dashboards and their uids (the app plugin links to them by these). */
export const UIDS = {
  executive: 'infrazen-executive',
  costExplorer: 'infrazen-cost-explorer',
  resources: 'infrazen-resources',
  budgets: 'infrazen-budgets',
  recommendations: 'infrazen-recommendations',
  syncHealth: 'infrazen-sync-health',
  msp: 'infrazen-msp',
} as const;

/** Pages of the app plugin (app-plugin/src/plugin.json includes). */
export type AppPage = 'overview' | 'connections' | 'resources' | 'recommendations' | 'budgets' | 'allocation' | 'admin';
export const appPage = (page: AppPage, query = '') => `/a/${APP_ID}/${page}${query}`;
export const dashboardUrl = (uid: string) => `/d/${uid}?\${__url_time_range}`;

export const DIMENSION_LABELS: Record<Dimension, { ru: string; en: string }> = {
  provider: { ru: 'Провайдер', en: 'Cloud provider' },
  connection: { ru: 'Подключение', en: 'Connected provider account' },
  service: { ru: 'Сервис', en: 'Billed service' },
  service_category: { ru: 'Категория сервиса', en: 'FOCUS service category' },
  region: { ru: 'Регион', en: 'Provider region' },
  resource: { ru: 'Ресурс', en: 'Billed resource' },
  resource_type: { ru: 'Тип ресурса', en: 'Resource type (server, volume, bucket…)' },
  charge_category: { ru: 'Тип начисления', en: 'FOCUS charge category (usage, purchase, tax, credit)' },
  business_unit: { ru: 'Подразделение', en: 'Business unit (tags and allocation rules)' },
  project: { ru: 'Проект', en: 'Project (tags and allocation rules)' },
  environment: { ru: 'Окружение', en: 'Environment (tags and allocation rules)' },
  cost_center: { ru: 'Центр затрат', en: 'Cost center (tags and allocation rules)' },
  currency: { ru: 'Валюта', en: 'Billing currency' },
};

/** Which variables narrow which: services of the chosen providers and accounts, and so on. */
const CHAINED: Partial<Record<Dimension, Dimension[]>> = {
  connection: ['provider'],
  service: ['provider', 'connection'],
  service_category: ['provider', 'connection'],
  region: ['provider', 'connection'],
  resource_type: ['provider', 'connection'],
  resource: ['provider', 'connection', 'service'],
  charge_category: ['provider', 'connection'],
};

/** A filter on a dimension by its variable; the plugin drops it while "All" is selected. */
export const byVariable = (dimension: Dimension): DimensionFilter => ({
  dimension,
  op: 'include',
  values: [`$${dimension}`],
});

/** Query types that read only the provider and connection filters (query/dimensions.ts scopeFilterSql). */
export const scopeFilters = (dims: readonly Dimension[]) =>
  dims.filter((d) => d === 'provider' || d === 'connection').map(byVariable);

export function datasourceVariable(): DatasourceVariable {
  return {
    type: 'datasource',
    name: 'datasource',
    label: 'Источник данных',
    description: 'InfraZen datasource: one per Grafana organization, holding that organization’s API token',
    query: DATASOURCE_TYPE,
    current: {},
    hide: 0,
    includeAll: false,
    multi: false,
    options: [],
    refresh: 1,
    regex: '',
    skipUrlSync: false,
  };
}

/** A multi-value variable over one dimension, "All" by default, narrowed by the variables before it. */
export function dimensionVariable(dimension: Dimension, present: readonly Dimension[]): QueryVariable {
  const chain = (CHAINED[dimension] ?? []).filter(
    (d) => present.includes(d) && present.indexOf(d) < present.indexOf(dimension)
  );
  return {
    type: 'query',
    name: dimension,
    label: DIMENSION_LABELS[dimension].ru,
    description: DIMENSION_LABELS[dimension].en,
    datasource: DATASOURCE,
    query: {
      refId: `InfraZenVariable-${dimension}`,
      dimension,
      ...(chain.length ? { filters: chain.map(byVariable) } : {}),
    },
    definition: `InfraZen: ${dimension}${chain.length ? ` of ${chain.map((d) => `$${d}`).join(', ')}` : ''}`,
    current: { selected: true, text: ['All'], value: ['$__all'] },
    hide: 0,
    includeAll: true,
    multi: true,
    options: [],
    refresh: 2,
    regex: '',
    skipUrlSync: false,
    sort: 1,
  };
}

/** Ad hoc filters: any dimension or tag (`tag:<key>`), offered by the datasource's getTagKeys. */
export function adhocVariable(): AdhocVariable {
  return {
    type: 'adhoc',
    name: 'filters',
    label: 'Фильтры',
    description: 'Any dimension or resource tag (tag:<key>), e.g. tag:team = backend',
    datasource: DATASOURCE,
    filters: [],
    hide: 0,
    skipUrlSync: false,
  };
}

export const changesAnnotation = (dims: readonly Dimension[]): Annotation => ({
  name: 'Изменения ресурсов',
  enable: false,
  hide: false,
  iconColor: 'orange',
  datasource: DATASOURCE,
  target: {
    refId: 'Anno',
    datasource: DATASOURCE,
    queryType: 'changes',
    actions: ['created', 'deleted'],
    filters: scopeFilters(dims),
  },
});

const BUILT_IN_ANNOTATIONS: Annotation = {
  name: 'Annotations & Alerts',
  enable: true,
  hide: true,
  iconColor: 'rgba(0, 211, 255, 1)',
  datasource: { type: 'grafana', uid: '-- Grafana --' },
  builtIn: 1,
  type: 'dashboard',
};

function links(app: AppPage): DashboardLink[] {
  const base = { tags: [], asDropdown: false, includeVars: false, keepTime: false, targetBlank: false };
  return [
    {
      ...base,
      title: 'Дашборды InfraZen',
      type: 'dashboards',
      tags: ['infrazen'],
      url: '',
      icon: 'dashboard',
      tooltip: 'All InfraZen dashboards',
      asDropdown: true,
      includeVars: true,
      keepTime: true,
    },
    {
      ...base,
      title: 'Приложение InfraZen',
      type: 'link',
      url: appPage(app),
      icon: 'apps',
      tooltip: 'Open the InfraZen app',
    },
  ];
}

// ----- panels ---------------------------------------------------------------------------------------

export interface Draft {
  type: PanelType;
  title: string;
  description: string;
  w: number;
  h: number;
  queries: Query[];
  fieldConfig?: Partial<FieldConfig['defaults']>;
  overrides?: FieldConfig['overrides'];
  options?: Record<string, unknown>;
  transformations?: Transformation[];
  links?: Link[];
}

interface RowDraft {
  type: 'row';
  title: string;
}

export type Item = Draft | RowDraft;

export const row = (title: string): RowDraft => ({ type: 'row', title });

const GREEN: Threshold = { color: 'green', value: null };

/** Absolute thresholds from a base colour: `thresholds('green', [80, 'orange'], [100, 'red'])`. */
export function thresholds(
  base: string,
  ...more: [number, string][]
): NonNullable<FieldConfig['defaults']['thresholds']> {
  return {
    mode: 'absolute',
    steps: [{ color: base, value: null }, ...more.map(([value, color]) => ({ color, value }))],
  };
}
/** Percent of a budget: orange from 80, red from 100. */
export const BUDGET_THRESHOLDS = thresholds('green', [80, 'orange'], [100, 'red']);
/** Days of prepaid balance left: red under a week, orange under two. */
export const RUNWAY_THRESHOLDS = thresholds('red', [7, 'orange'], [14, 'green']);
/** A count where any is too many. */
export const anyIs = (color: string) => thresholds('green', [1, color]);

type Common = Omit<Draft, 'type' | 'options'> & { options?: Record<string, unknown> };

/** One figure: a field of a one-row frame (cost_summary) or a reduction of a column. */
export function stat(
  d: Common & { field: string; calc?: string; colorMode?: 'value' | 'background' | 'none'; graph?: boolean }
): Draft {
  const { field, calc, colorMode, graph, ...rest } = d;
  return {
    ...rest,
    type: 'stat',
    options: {
      reduceOptions: { values: false, calcs: [calc ?? 'lastNotNull'], fields: `/^${field}$/` },
      orientation: 'auto',
      textMode: 'value',
      colorMode: colorMode ?? 'value',
      graphMode: graph ? 'area' : 'none',
      justifyMode: 'center',
      wideLayout: true,
      showPercentChange: false,
      ...d.options,
    },
  };
}

/** Cost over time: stacked bars per group, a legend table with totals. */
export function timeseries(d: Common & { bars?: boolean; stacked?: boolean; legendCalcs?: string[] }): Draft {
  const { bars = true, stacked = true, legendCalcs = ['sum'], ...rest } = d;
  return {
    ...rest,
    type: 'timeseries',
    fieldConfig: {
      ...d.fieldConfig,
      custom: {
        drawStyle: bars ? 'bars' : 'line',
        fillOpacity: bars ? 80 : 10,
        lineWidth: 1,
        showPoints: 'never',
        spanNulls: false,
        stacking: { mode: stacked ? 'normal' : 'none', group: 'A' },
        ...(d.fieldConfig?.custom ?? {}),
      },
    },
    options: {
      legend: { showLegend: true, displayMode: 'table', placement: 'right', calcs: legendCalcs },
      tooltip: { mode: 'multi', sort: 'desc' },
      ...d.options,
    },
  };
}

/** Lines per series (utilization, forecasts, balances, sync figures): neither stacked nor bars. */
export const lines = (d: Common & { legendCalcs?: string[] }): Draft =>
  timeseries({ ...d, bars: false, stacked: false });

export function table(d: Common & { sortBy?: { displayName: string; desc: boolean }; footerSum?: string[] }): Draft {
  const { sortBy, footerSum, ...rest } = d;
  return {
    ...rest,
    type: 'table',
    fieldConfig: { ...d.fieldConfig, custom: { align: 'auto', filterable: true, ...(d.fieldConfig?.custom ?? {}) } },
    options: {
      showHeader: true,
      cellHeight: 'sm',
      footer: footerSum
        ? { show: true, reducer: ['sum'], fields: footerSum, countRows: false }
        : { show: false, reducer: ['sum'], fields: '', countRows: false },
      ...(sortBy ? { sortBy: [sortBy] } : {}),
      ...d.options,
    },
  };
}

/** Shares of a total: one slice per row of a `granularity: 'total'` table. */
export function piechart(d: Common): Draft {
  return {
    ...d,
    type: 'piechart',
    options: {
      reduceOptions: { values: true, calcs: ['lastNotNull'], fields: '/^cost$/' },
      pieType: 'donut',
      displayLabels: ['percent'],
      legend: { showLegend: true, displayMode: 'table', placement: 'right', values: ['value', 'percent'] },
      tooltip: { mode: 'single', sort: 'none' },
      ...d.options,
    },
  };
}

/** Ranked bars from a table: one bar per row. */
export function barchart(d: Common & { xField: string }): Draft {
  const { xField, ...rest } = d;
  return {
    ...rest,
    type: 'barchart',
    fieldConfig: { ...d.fieldConfig, custom: { fillOpacity: 80, lineWidth: 1, ...(d.fieldConfig?.custom ?? {}) } },
    options: {
      orientation: 'horizontal',
      xField,
      showValue: 'auto',
      stacking: 'none',
      barWidth: 0.8,
      groupWidth: 0.7,
      xTickLabelRotation: 0,
      xTickLabelSpacing: 0,
      legend: { showLegend: false, displayMode: 'list', placement: 'bottom', calcs: [] },
      tooltip: { mode: 'single', sort: 'none' },
      ...d.options,
    },
  };
}

/** One gauge bar per row (budgets used %) or per series (last value). */
export function bargauge(d: Common & { field: string; perRow?: boolean; calc?: string }): Draft {
  const { field, perRow = true, calc, ...rest } = d;
  return {
    ...rest,
    type: 'bargauge',
    options: {
      reduceOptions: { values: perRow, calcs: [calc ?? 'lastNotNull'], fields: `/^${field}$/` },
      orientation: 'horizontal',
      displayMode: 'gradient',
      valueMode: 'color',
      namePlacement: 'auto',
      showUnfilled: true,
      sizing: 'auto',
      minVizHeight: 16,
      minVizWidth: 8,
      maxVizHeight: 300,
      ...d.options,
    },
  };
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function toPanel(d: Draft, id: number, x: number, y: number): Panel {
  const targets = d.queries.map((q, i) => ({ ...q, refId: REF_IDS[i]!, datasource: DATASOURCE }) as Target);
  return {
    id,
    type: d.type,
    title: d.title,
    description: d.description,
    datasource: DATASOURCE,
    gridPos: { x, y, w: d.w, h: d.h },
    targets,
    fieldConfig: {
      defaults: {
        ...d.fieldConfig,
        thresholds: { mode: 'absolute', steps: d.fieldConfig?.thresholds?.steps ?? [GREEN] },
      },
      overrides: d.overrides ?? [],
    },
    options: d.options ?? {},
    ...(d.transformations ? { transformations: d.transformations } : {}),
    ...(d.links ? { links: d.links } : {}),
  };
}

/** Places drafts left to right, wrapping at 24 columns; rows take a full line. Ids count from 1. */
export function layout(items: Item[]): (Panel | RowPanel)[] {
  const out: (Panel | RowPanel)[] = [];
  let x = 0;
  let y = 0;
  let lineHeight = 0;
  items.forEach((item, index) => {
    const id = index + 1;
    if (item.type === 'row') {
      y += lineHeight;
      x = 0;
      lineHeight = 0;
      out.push({ id, type: 'row', title: item.title, collapsed: false, gridPos: { x: 0, y, w: 24, h: 1 }, panels: [] });
      y += 1;
      return;
    }
    if (x + item.w > 24) {
      y += lineHeight;
      x = 0;
      lineHeight = 0;
    }
    out.push(toPanel(item, id, x, y));
    x += item.w;
    lineHeight = Math.max(lineHeight, item.h);
  });
  return out;
}

export interface DashboardSpec {
  uid: string;
  /** Shown after "InfraZen · ". */
  title: string;
  description: string;
  tags: string[];
  time: { from: string; to: string };
  refresh?: '' | '15m' | '30m' | '1h';
  dimensions: Dimension[];
  adhoc?: boolean;
  app: AppPage;
  items: Item[];
}

/** Refresh choices: nothing faster than five minutes (billing data moves daily, syncs hourly). */
export const REFRESH_INTERVALS = ['5m', '15m', '30m', '1h', '2h', '1d'];

export function dashboard(spec: DashboardSpec): Dashboard {
  return {
    uid: spec.uid,
    title: `InfraZen · ${spec.title}`,
    description: spec.description,
    tags: ['infrazen', 'finops', ...spec.tags],
    editable: true,
    graphTooltip: 1,
    // Costs are booked per Moscow calendar day (the collector's reporting day): show them so.
    timezone: 'Europe/Moscow',
    weekStart: 'monday',
    fiscalYearStartMonth: 0,
    liveNow: false,
    revision: 1,
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    time: spec.time,
    timepicker: { refresh_intervals: REFRESH_INTERVALS },
    refresh: spec.refresh ?? '',
    templating: {
      list: [
        datasourceVariable(),
        ...spec.dimensions.map((d) => dimensionVariable(d, spec.dimensions)),
        ...(spec.adhoc ? [adhocVariable()] : []),
      ] as Variable[],
    },
    annotations: { list: [BUILT_IN_ANNOTATIONS, changesAnnotation(spec.dimensions)] },
    links: links(spec.app),
    panels: layout(spec.items),
  };
}

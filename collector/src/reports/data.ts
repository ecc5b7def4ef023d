/**
 * Builds a report's content from the query API (runQueries), never from SQL of its own: a report shows
 * exactly the totals a dashboard or `POST /api/v1/query` shows for the same scope and range. Sections
 * whose query types are not filled yet (analytics) or fail come out empty with a note, never as errors.
 */
import { Decimal } from 'decimal.js';
import type { QueryResponse, QueryResult } from '../contract/query.js';
import { focusProviderName } from '../focus/provider-names.js';
import { runQueries } from '../query/service.js';
import type { Database } from '../storage/db.js';
import { findTenantById } from '../storage/repositories/tenants.js';
import type { ReportDefinition, SectionKind } from './definition.js';
import { currencyOfUnit, money, num, pick, resultRows, text, time, type FrameRow } from './frames.js';
import { strings } from './i18n.js';
import type { ChartSpec, ReportModel, ReportSection, ReportSummary, ReportTable, Tile } from './model.js';
import { periodDays, resolvePeriod, type ReportPeriod } from './period.js';

export interface BuildReportInput {
  db: Database;
  tenantId: string;
  name: string;
  definition: ReportDefinition;
  /** The moment the report is "as of": the schedule slot for scheduled runs. */
  now: Date;
  /** The schedule's time zone; the tenant's otherwise. */
  timezone?: string;
  onQueryError?: (err: unknown, refId: string) => void;
}

const DAY = 86_400_000;
const TOP_RESOURCES = 25;
const BALANCE_LOOKBACK_DAYS = 14;

type Results = Record<string, QueryResult | undefined>;

function costsQueries(refPrefix: string, filters: ReportDefinition['scope']['filters'], withServices: boolean) {
  const base = { queryType: 'costs', granularity: 'total', filters };
  return [
    { ...base, refId: `${refPrefix}total` },
    { ...base, refId: `${refPrefix}providers`, groupBy: ['provider'] },
    ...(withServices ? [{ ...base, refId: `${refPrefix}services`, groupBy: ['service'] }] : []),
  ];
}

async function query(
  input: BuildReportInput,
  from: Date,
  to: Date,
  currency: string,
  queries: Record<string, unknown>[]
): Promise<Results> {
  if (queries.length === 0) return {};
  // An empty range (month to date at 00:00 on the 1st) is a valid report with nothing in it.
  const end = to > from ? to : new Date(from.getTime() + 1);
  const response: QueryResponse = await runQueries(
    { db: input.db, tenantId: input.tenantId, now: input.now, onError: input.onQueryError },
    { from: from.toISOString(), to: end.toISOString(), currency, queries }
  );
  return response.results;
}

export async function buildReport(input: BuildReportInput): Promise<ReportModel> {
  const { definition } = input;
  const tenant = await input.db.withTenant(input.tenantId, (tx) => findTenantById(tx, input.tenantId));
  if (!tenant) throw new Error('tenant not found');
  const currency = definition.currency ?? tenant.reportingCurrency;
  const period = resolvePeriod(definition.period, input.now, input.timezone ?? tenant.timezone);
  const filters = definition.scope.filters;
  const wants = (kind: SectionKind) => definition.sections.includes(kind);

  const analytics = (['budgets', 'anomalies', 'recommendations'] as const).filter((k) => wants(k));
  const current = await query(input, period.from, period.to, currency, [
    ...costsQueries('', filters, wants('spend_by_service')),
    { refId: 'summary', queryType: 'cost_summary', filters },
    ...(wants('kpi') ? [{ refId: 'daily', queryType: 'costs', granularity: 'day', filters }] : []),
    ...(wants('top_resources')
      ? [
          {
            refId: 'resources',
            queryType: 'costs',
            granularity: 'total',
            groupBy: ['resource', 'provider'],
            topN: TOP_RESOURCES,
            filters,
          },
        ]
      : []),
    ...analytics.map((kind) => ({ refId: kind, queryType: kind, filters })),
  ]);
  const previous = await query(
    input,
    period.previousFrom,
    period.previousTo,
    currency,
    costsQueries('', filters, wants('spend_by_service'))
  );
  // Runway is about now, whatever period the report covers.
  const balances = wants('balance_runway')
    ? await query(input, new Date(input.now.getTime() - BALANCE_LOOKBACK_DAYS * DAY), input.now, currency, [
        { refId: 'balances', queryType: 'balances', filters },
      ])
    : {};

  const ctx: SectionContext = { definition, currency, period, current, previous, balances };
  const summary = buildSummary(ctx);
  return {
    name: input.name,
    tenantName: tenant.name,
    language: definition.language,
    currency,
    period,
    generatedAt: input.now,
    filters,
    sections: definition.sections.map((kind) => BUILDERS[kind](ctx, summary)),
    summary,
  };
}

interface SectionContext {
  definition: ReportDefinition;
  currency: string;
  period: ReportPeriod;
  current: Results;
  previous: Results;
  balances: Results;
}

const ZERO = new Decimal(0);

function totalOf(result: QueryResult | undefined): Decimal {
  return resultRows(result).reduce<Decimal>((sum, row) => sum.plus(money(row.cost) ?? 0), ZERO);
}

function changePercent(current: Decimal, previous: Decimal): number | null {
  return previous.isZero() ? null : current.minus(previous).div(previous).times(100).toDecimalPlaces(1).toNumber();
}

function share(part: Decimal, total: Decimal): number | null {
  return total.isZero() ? null : part.div(total).times(100).toDecimalPlaces(1).toNumber();
}

function buildSummary(ctx: SectionContext): ReportSummary {
  const total = totalOf(ctx.current.total);
  const previousTotal = totalOf(ctx.previous.total);
  const providers = grouped(ctx.current.providers, 'provider');
  const top = providers[0];
  // Savings in the report currency only: amounts in other currencies cannot be added to them.
  const recommendations = resultRows(ctx.current.recommendations).filter(
    (r) => (text(r.currency) || ctx.currency) === ctx.currency
  );
  const savings = recommendations.length
    ? recommendations.reduce<Decimal>((s, r) => s.plus(money(pick(r, 'estimated_monthly_savings')) ?? 0), ZERO)
    : money(resultRows(ctx.current.summary)[0]?.potential_savings);
  return {
    currency: ctx.currency,
    total: total.toFixed(2),
    previousTotal: previousTotal.toFixed(2),
    changePercent: changePercent(total, previousTotal),
    topProvider: top ? { name: top.label, cost: top.cost.toFixed(2) } : null,
    potentialSavings: savings && !savings.isZero() ? savings.toFixed(2) : null,
  };
}

/** Rows of a `costs` total grouped by one dimension, largest first. */
function grouped(result: QueryResult | undefined, key: string): { key: string; label: string; cost: Decimal }[] {
  return resultRows(result)
    .map((row) => {
      const value = text(row[key]);
      return {
        key: value,
        label: key === 'provider' ? focusProviderName(value) : value,
        cost: money(row.cost) ?? ZERO,
      };
    })
    .sort((a, b) => b.cost.comparedTo(a.cost));
}

function failures(...results: (QueryResult | undefined)[]): string[] {
  return results.filter((r) => r?.error).map((r) => r!.error!);
}

function section(
  ctx: SectionContext,
  kind: SectionKind,
  table: ReportTable,
  extra: { tiles?: Tile[]; charts?: ChartSpec[]; errors?: string[] } = {}
): ReportSection {
  const t = strings(ctx.definition.language);
  const notes = (extra.errors ?? []).map((e) => t.notes.queryFailed(e));
  const empty = table.rows.length === 0 && (extra.tiles ?? []).length === 0;
  return {
    kind,
    title: t.sections[kind],
    tiles: extra.tiles ?? [],
    charts: empty ? [] : (extra.charts ?? []),
    table,
    empty,
    notes,
  };
}

type Builder = (ctx: SectionContext, summary: ReportSummary) => ReportSection;

function kpiSection(ctx: SectionContext, summary: ReportSummary): ReportSection {
  const t = strings(ctx.definition.language);
  const total = new Decimal(summary.total);
  const days = periodDays(ctx.period);
  const kpi = resultRows(ctx.current.summary)[0] ?? {};
  const tiles: Tile[] = [
    { key: 'total', label: t.kpi.total, type: 'money', value: total },
    { key: 'previous', label: t.kpi.previous, type: 'money', value: new Decimal(summary.previousTotal) },
    { key: 'change', label: t.kpi.change, type: 'percent', value: summary.changePercent },
    {
      key: 'daily_average',
      label: t.kpi.dailyAverage,
      type: 'money',
      value: days > 0 ? total.div(days).toDecimalPlaces(2) : null,
    },
  ];
  if (ctx.period.kind === 'month_to_date') {
    tiles.push({ key: 'forecast', label: t.kpi.forecast, type: 'money', value: money(kpi.forecast_month_end) });
  }
  tiles.push(
    {
      key: 'savings',
      label: t.kpi.savings,
      type: 'money',
      value: summary.potentialSavings ? new Decimal(summary.potentialSavings) : ZERO,
    },
    { key: 'active_resources', label: t.kpi.activeResources, type: 'number', value: num(kpi.active_resources) },
    { key: 'providers', label: t.kpi.providers, type: 'number', value: num(kpi.connected_providers) }
  );
  const daily = resultRows(ctx.current.daily)
    .map((r) => ({ t: time(r.time), cost: num(r.cost) }))
    .filter((p): p is { t: Date; cost: number | null } => p.t !== null);
  const charts: ChartSpec[] = daily.length
    ? [
        {
          kind: daily.length > 45 ? 'line' : 'bar',
          title: t.charts.daily,
          categories: daily.map((p) =>
            new Intl.DateTimeFormat(ctx.definition.language === 'ru' ? 'ru-RU' : 'en-GB', {
              day: '2-digit',
              month: '2-digit',
              timeZone: ctx.period.timezone,
            }).format(p.t)
          ),
          series: [{ name: t.charts.current, values: daily.map((p) => p.cost) }],
        },
      ]
    : [];
  const table: ReportTable = {
    columns: [
      { key: 'metric', label: t.kpi.metric, type: 'text', width: 3 },
      { key: 'value', label: t.kpi.value, type: 'money', typeKey: 'type', width: 2 },
    ],
    rows: tiles.map((tile) => ({ metric: tile.label, value: tile.value, type: tile.type })),
  };
  const s = section(ctx, 'kpi', table, {
    tiles,
    charts,
    errors: failures(ctx.current.total, ctx.previous.total, ctx.current.summary, ctx.current.daily),
  });
  // Zero spend is a figure, not missing data.
  return { ...s, empty: false };
}

/** Provider or service spend, this period against the previous one. */
function comparisonSection(ctx: SectionContext, kind: 'spend_by_provider' | 'spend_by_service'): ReportSection {
  const t = strings(ctx.definition.language);
  const ref = kind === 'spend_by_provider' ? 'providers' : 'services';
  const dim = kind === 'spend_by_provider' ? 'provider' : 'service';
  const now = grouped(ctx.current[ref], dim);
  const before = new Map(grouped(ctx.previous[ref], dim).map((g) => [g.key, g]));
  const keys = new Set(now.map((g) => g.key));
  // Gone this period but billed before: they explain a drop.
  const gone = [...before.values()].filter((g) => !keys.has(g.key));
  const total = now.reduce((s, g) => s.plus(g.cost), ZERO);
  const rows = [...now, ...gone.map((g) => ({ ...g, cost: ZERO }))].map((g) => {
    const prev = before.get(g.key)?.cost ?? ZERO;
    return {
      name: g.label || '—',
      current: g.cost,
      previous: prev,
      change: g.cost.minus(prev),
      change_percent: changePercent(g.cost, prev),
      share: share(g.cost, total),
    };
  });
  const previousTotal = rows.reduce((s, r) => s.plus(r.previous), ZERO);
  const label = kind === 'spend_by_provider' ? t.columns.provider : t.columns.service;
  const table: ReportTable = {
    columns: [
      { key: 'name', label, type: 'text', width: 3 },
      { key: 'current', label: t.columns.current, type: 'money', width: 2 },
      { key: 'previous', label: t.columns.previous, type: 'money', width: 2 },
      { key: 'change', label: t.columns.change, type: 'money', width: 2 },
      { key: 'change_percent', label: t.columns.changePercent, type: 'percent', width: 1.4 },
      { key: 'share', label: t.columns.share, type: 'percent', width: 1.2 },
    ],
    rows,
    total: {
      name: t.total,
      current: total,
      previous: previousTotal,
      change: total.minus(previousTotal),
      change_percent: changePercent(total, previousTotal),
      share: total.isZero() ? null : 100,
    },
    pdfLimit: 20,
  };
  const top = rows.slice(0, kind === 'spend_by_provider' ? 12 : 10);
  const chart: ChartSpec = {
    kind: kind === 'spend_by_provider' ? 'bar' : 'hbar',
    title: kind === 'spend_by_provider' ? t.charts.byProvider : t.charts.byService,
    categories: top.map((r) => r.name),
    series: [
      { name: t.charts.current, values: top.map((r) => r.current.toNumber()) },
      { name: t.charts.previous, values: top.map((r) => r.previous.toNumber()) },
    ],
  };
  return section(ctx, kind, table, { charts: [chart], errors: failures(ctx.current[ref], ctx.previous[ref]) });
}

function topResourcesSection(ctx: SectionContext, summary: ReportSummary): ReportSection {
  const t = strings(ctx.definition.language);
  const total = new Decimal(summary.total);
  const rows = resultRows(ctx.current.resources)
    // topN folds the rest into "Other": a top list lists resources only.
    .filter((r) => !(r.resource === 'Other' && r.provider === 'Other'))
    .map((r) => {
      const cost = money(r.cost) ?? ZERO;
      return {
        name: text(r.resource) || text(r.resource_id),
        provider: focusProviderName(text(r.provider)),
        cost,
        share: share(cost, total),
      };
    })
    .sort((a, b) => b.cost.comparedTo(a.cost));
  const table: ReportTable = {
    columns: [
      { key: 'name', label: t.columns.resource, type: 'text', width: 4 },
      { key: 'provider', label: t.columns.provider, type: 'text', width: 2 },
      { key: 'cost', label: t.columns.cost, type: 'money', width: 2 },
      { key: 'share', label: t.columns.share, type: 'percent', width: 1.2 },
    ],
    rows,
  };
  const top = rows.slice(0, 10);
  return section(ctx, 'top_resources', table, {
    charts: [
      {
        kind: 'hbar',
        title: t.charts.topResources,
        categories: top.map((r) => r.name),
        series: [{ name: t.charts.current, values: top.map((r) => r.cost.toNumber()) }],
      },
    ],
    errors: failures(ctx.current.resources),
  });
}

function budgetsSection(ctx: SectionContext): ReportSection {
  const t = strings(ctx.definition.language);
  const rows = resultRows(ctx.current.budgets).map((r: FrameRow) => ({
    name: text(pick(r, 'name')),
    period: text(pick(r, 'period')),
    amount: money(pick(r, 'amount', 'budget')),
    spent: money(pick(r, 'spent', 'actual')),
    used: num(pick(r, 'used_percent', 'usedPercent')),
    forecast: money(pick(r, 'forecast')),
    state: t.budgetStates[text(pick(r, 'state'))] ?? text(pick(r, 'state')),
    currency: text(pick(r, 'currency')) || ctx.currency,
  }));
  const table: ReportTable = {
    columns: [
      { key: 'name', label: t.columns.name, type: 'text', width: 3 },
      { key: 'period', label: t.columns.budgetPeriod, type: 'text', width: 1.5 },
      { key: 'amount', label: t.columns.amount, type: 'money', currencyKey: 'currency', width: 2 },
      { key: 'spent', label: t.columns.spent, type: 'money', currencyKey: 'currency', width: 2 },
      { key: 'used', label: t.columns.used, type: 'percent', width: 1.3 },
      { key: 'forecast', label: t.columns.forecast, type: 'money', currencyKey: 'currency', width: 2 },
      { key: 'state', label: t.columns.status, type: 'text', width: 1.4 },
    ],
    rows,
  };
  const top = rows.slice(0, 10);
  return section(ctx, 'budgets', table, {
    charts: [
      {
        kind: 'bar',
        title: `${t.columns.amount} · ${t.columns.spent} · ${t.columns.forecast}`,
        categories: top.map((r) => r.name),
        series: [
          { name: t.columns.amount, values: top.map((r) => r.amount?.toNumber() ?? null) },
          { name: t.columns.spent, values: top.map((r) => r.spent?.toNumber() ?? null) },
          { name: t.columns.forecast, values: top.map((r) => r.forecast?.toNumber() ?? null) },
        ],
      },
    ],
    errors: failures(ctx.current.budgets),
  });
}

function anomaliesSection(ctx: SectionContext): ReportSection {
  const t = strings(ctx.definition.language);
  const rows = resultRows(ctx.current.anomalies)
    .map((r) => ({
      day: time(pick(r, 'time', 'day')),
      scope: text(pick(r, 'scope', 'scopeLabel', 'scope_label')),
      actual: money(pick(r, 'actual')),
      expected: money(pick(r, 'expected')),
      impact: money(pick(r, 'impact')),
      score: num(pick(r, 'score')),
    }))
    .sort((a, b) => (b.impact ?? ZERO).comparedTo(a.impact ?? ZERO));
  const table: ReportTable = {
    columns: [
      { key: 'day', label: t.columns.day, type: 'date', width: 1.5 },
      { key: 'scope', label: t.columns.scope, type: 'text', width: 3 },
      { key: 'actual', label: t.columns.actual, type: 'money', width: 2 },
      { key: 'expected', label: t.columns.expected, type: 'money', width: 2 },
      { key: 'impact', label: t.columns.impact, type: 'money', width: 2 },
      { key: 'score', label: t.columns.score, type: 'number', width: 1 },
    ],
    rows,
    pdfLimit: 25,
  };
  return section(ctx, 'anomalies', table, { errors: failures(ctx.current.anomalies) });
}

function recommendationsSection(ctx: SectionContext): ReportSection {
  const t = strings(ctx.definition.language);
  const rows = resultRows(ctx.current.recommendations)
    .map((r) => ({
      title: text(pick(r, 'title')),
      kind: text(pick(r, 'kind')),
      resource: text(pick(r, 'resource', 'resourceName', 'resource_name')),
      status: text(pick(r, 'status')),
      monthly_cost: money(pick(r, 'current_monthly_cost', 'currentMonthlyCost')),
      savings: money(pick(r, 'estimated_monthly_savings', 'estimatedMonthlySavings')),
      currency: text(pick(r, 'currency')) || ctx.currency,
    }))
    .sort((a, b) => (b.savings ?? ZERO).comparedTo(a.savings ?? ZERO));
  const table: ReportTable = {
    columns: [
      { key: 'title', label: t.columns.recommendation, type: 'text', width: 4 },
      { key: 'resource', label: t.columns.resource, type: 'text', width: 2.2 },
      { key: 'status', label: t.columns.status, type: 'text', width: 1.3 },
      { key: 'monthly_cost', label: t.columns.monthlyCost, type: 'money', currencyKey: 'currency', width: 2 },
      { key: 'savings', label: t.columns.savings, type: 'money', currencyKey: 'currency', width: 2 },
    ],
    rows,
    total: {
      title: t.total,
      monthly_cost: null,
      // The total adds up the report currency's rows (others cannot be summed with them).
      savings: rows.filter((r) => r.currency === ctx.currency).reduce((s, r) => s.plus(r.savings ?? 0), ZERO),
    },
    pdfLimit: 25,
  };
  return section(ctx, 'recommendations', table, { errors: failures(ctx.current.recommendations) });
}

function balanceSection(ctx: SectionContext): ReportSection {
  const t = strings(ctx.definition.language);
  const result = ctx.balances.balances;
  // One frame per connection; the latest point is the current balance.
  const rows = (result?.frames ?? [])
    .map((frame) => {
      const points = resultRows({ frames: [frame] });
      const last = points.at(-1);
      if (!last) return undefined;
      const balanceField = frame.schema.fields.find((f) => f.name === 'balance');
      return {
        connection: balanceField?.labels?.connection ?? frame.schema.name ?? '',
        provider: focusProviderName(balanceField?.labels?.provider ?? ''),
        balance: money(last.balance),
        currency: currencyOfUnit(balanceField?.config?.unit) ?? ctx.currency,
        daily_spend: money(last.daily_spend),
        days_to_block: num(last.days_to_block),
        date: time(last.time),
      };
    })
    .filter((r): r is NonNullable<typeof r> => r !== undefined)
    .sort((a, b) => (a.days_to_block ?? Infinity) - (b.days_to_block ?? Infinity));
  const table: ReportTable = {
    columns: [
      { key: 'connection', label: t.columns.connection, type: 'text', width: 3 },
      { key: 'provider', label: t.columns.provider, type: 'text', width: 1.8 },
      { key: 'balance', label: t.columns.balance, type: 'money', currencyKey: 'currency', width: 2 },
      { key: 'daily_spend', label: t.columns.dailySpend, type: 'money', currencyKey: 'currency', width: 2 },
      { key: 'days_to_block', label: t.columns.daysToBlock, type: 'number', width: 1.5 },
      { key: 'date', label: t.columns.date, type: 'date', width: 1.4 },
    ],
    rows,
  };
  return section(ctx, 'balance_runway', table, { errors: failures(result) });
}

const BUILDERS: Record<SectionKind, Builder> = {
  kpi: kpiSection,
  spend_by_provider: (ctx) => comparisonSection(ctx, 'spend_by_provider'),
  spend_by_service: (ctx) => comparisonSection(ctx, 'spend_by_service'),
  top_resources: topResourcesSection,
  budgets: budgetsSection,
  anomalies: anomaliesSection,
  recommendations: recommendationsSection,
  balance_runway: balanceSection,
};

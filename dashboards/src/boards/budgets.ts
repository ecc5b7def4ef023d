/** Budgets and forecast: each budget's spend and forecast in its period, and where the month is heading. */
import type { Dimension } from '../../../collector/src/contract/query.js';
import {
  appPage,
  BUDGET_THRESHOLDS,
  byVariable,
  dashboard,
  dashboardUrl,
  lines,
  row,
  stat,
  table,
  timeseries,
  UIDS,
} from '../build.js';
import { budgetsUsed } from '../panels.js';

const DIMS: Dimension[] = ['provider', 'connection', 'service'];
const filters = DIMS.map(byVariable);

export default dashboard({
  uid: UIDS.budgets,
  title: 'Бюджеты и прогноз',
  description:
    'Budgets and forecast: spend to date and the forecast of every budget in its current period with the ' +
    'thresholds crossed, and the daily cost forecast (weekly seasonality) for this month and the next three.',
  tags: ['budgets', 'forecast'],
  time: { from: 'now-60d', to: 'now+30d' },
  dimensions: DIMS,
  app: 'budgets',
  items: [
    row('Бюджеты'),
    table({
      title: 'Статус бюджетов',
      description: 'Every budget in its current period: amount, spent, forecast, thresholds crossed and state.',
      w: 16,
      h: 9,
      queries: [{ queryType: 'budgets' }],
      links: [{ title: 'Бюджеты в приложении', url: appPage('budgets') }],
    }),
    budgetsUsed('Использовано, %', 8),
    row('Прогноз'),
    stat({
      title: 'Прогноз на конец месяца',
      description: 'Month-end spend at the current run rate, for the selected filters.',
      w: 6,
      h: 4,
      queries: [{ queryType: 'cost_summary', filters }],
      field: 'forecast_month_end',
    }),
    stat({
      title: 'Расходы с начала месяца',
      description: 'Effective cost from the first day of this month to now.',
      w: 6,
      h: 4,
      queries: [{ queryType: 'cost_summary', filters }],
      field: 'month_to_date',
    }),
    stat({
      title: 'Прошлый месяц целиком',
      description: 'Effective cost of the whole previous calendar month.',
      w: 6,
      h: 4,
      queries: [{ queryType: 'cost_summary', filters }],
      field: 'last_month_total',
    }),
    stat({
      title: 'Использовано бюджетов',
      description: 'Month to date as a share of the monthly budgets in the reporting currency.',
      w: 6,
      h: 4,
      queries: [{ queryType: 'cost_summary', filters }],
      field: 'budget_used_percent',
      fieldConfig: {
        unit: 'percent',
        decimals: 1,
        thresholds: BUDGET_THRESHOLDS,
      },
    }),
    lines({
      title: 'Прогноз расходов по дням',
      description: 'Actual daily cost and the forecast with its 95% interval (Holt-Winters with weekly seasonality).',
      w: 24,
      h: 10,
      legendCalcs: ['sum'],
      queries: [{ queryType: 'forecast', view: 'daily', filters }],
      overrides: [
        {
          matcher: { id: 'byRegexp', options: '/lower|upper/' },
          properties: [
            { id: 'custom.lineStyle', value: { fill: 'dash', dash: [4, 4] } },
            { id: 'color', value: { mode: 'fixed', fixedColor: 'text' } },
          ],
        },
      ],
    }),
    table({
      title: 'Прогноз по месяцам',
      description: 'This month (actual to date plus forecast) and the next three months, with the interval.',
      w: 12,
      h: 9,
      queries: [{ queryType: 'forecast', view: 'periods', filters }],
    }),
    lines({
      title: 'Прогноз по провайдерам',
      description: 'Daily forecast per provider (the five largest).',
      w: 12,
      h: 9,
      queries: [{ queryType: 'forecast', view: 'daily', scope: 'provider', limit: 5, filters }],
    }),
    timeseries({
      title: 'Расходы по месяцам',
      description: 'Monthly effective cost per provider, for comparison with the budgets.',
      w: 24,
      h: 8,
      queries: [{ queryType: 'costs', granularity: 'month', groupBy: ['provider'], filters }],
      links: [{ title: 'Обзор затрат', url: dashboardUrl(UIDS.costExplorer) }],
    }),
  ],
});

/** Executive overview: the CFO's one page, in roubles — this month against last, where it goes, what is wrong. */
import type { Dimension } from '../../../collector/src/contract/query.js';
import {
  appPage,
  BUDGET_THRESHOLDS,
  RUNWAY_THRESHOLDS,
  thresholds,
  bargauge,
  byVariable,
  dashboard,
  dashboardUrl,
  row,
  scopeFilters,
  stat,
  table,
  timeseries,
  UIDS,
} from '../build.js';
import { budgetsUsed, realizedSavings } from '../panels.js';

const DIMS: Dimension[] = ['provider', 'connection'];
const filters = DIMS.map(byVariable);
const scoped = scopeFilters(DIMS);
const summary = { queryType: 'cost_summary', filters } as const;

export default dashboard({
  uid: UIDS.executive,
  title: 'Обзор для руководителя',
  description:
    'Executive one-pager: spend this month against the same days of last month, the month-end forecast, budgets, ' +
    'savings, spend by provider and service, the costliest resources, anomalies and prepaid balance runway.',
  tags: ['executive'],
  time: { from: 'now-90d', to: 'now' },
  refresh: '1h',
  dimensions: DIMS,
  app: 'overview',
  items: [
    row('Главное за месяц'),
    stat({
      title: 'Расходы с начала месяца',
      description: 'Effective cost from the first day of this month (Moscow time) to now, in the reporting currency.',
      w: 6,
      h: 4,
      queries: [summary],
      field: 'month_to_date',
      links: [{ title: 'Обзор затрат', url: dashboardUrl(UIDS.costExplorer) }],
    }),
    stat({
      title: 'Прошлый месяц, те же дни',
      description: 'Effective cost of last month over as many days as have passed this month.',
      w: 6,
      h: 4,
      queries: [summary],
      field: 'last_month_same_period',
    }),
    stat({
      title: 'Изменение к прошлому месяцу',
      description: 'Month to date against the same days of last month, in percent. Red means spending more.',
      w: 6,
      h: 4,
      queries: [summary],
      field: 'change_percent',
      fieldConfig: {
        unit: 'percent',
        decimals: 1,
        thresholds: thresholds('green', [5, 'orange'], [15, 'red']),
      },
    }),
    stat({
      title: 'Прогноз на конец месяца',
      description: 'Month-end spend at the current run rate.',
      w: 6,
      h: 4,
      queries: [summary],
      field: 'forecast_month_end',
      links: [{ title: 'Бюджеты и прогноз', url: dashboardUrl(UIDS.budgets) }],
    }),
    stat({
      title: 'Использовано бюджетов',
      description: 'Month to date as a share of the monthly budgets in the reporting currency.',
      w: 6,
      h: 4,
      queries: [summary],
      field: 'budget_used_percent',
      colorMode: 'background',
      fieldConfig: {
        unit: 'percent',
        decimals: 1,
        thresholds: BUDGET_THRESHOLDS,
      },
    }),
    stat({
      title: 'Потенциальная экономия в месяц',
      description: 'Monthly savings of the open recommendations (rightsizing, zombies, orphans, idle resources).',
      w: 6,
      h: 4,
      queries: [summary],
      field: 'potential_savings',
      fieldConfig: { color: { mode: 'fixed', fixedColor: 'green' } },
      links: [{ title: 'Рекомендации и экономия', url: dashboardUrl(UIDS.recommendations) }],
    }),
    realizedSavings(scoped),
    stat({
      title: 'Прошлый месяц целиком',
      description: 'Effective cost of the whole previous calendar month.',
      w: 6,
      h: 4,
      queries: [summary],
      field: 'last_month_total',
    }),
    row('Динамика'),
    timeseries({
      title: 'Расходы по провайдерам',
      description: 'Daily effective cost per cloud provider.',
      w: 12,
      h: 9,
      queries: [{ queryType: 'costs', granularity: 'day', groupBy: ['provider'], filters }],
      links: [{ title: 'Обзор затрат', url: dashboardUrl(UIDS.costExplorer) }],
    }),
    timeseries({
      title: 'Расходы по сервисам, топ-10',
      description: 'Daily effective cost of the ten costliest services over the range; the rest is folded into Other.',
      w: 12,
      h: 9,
      queries: [{ queryType: 'costs', granularity: 'day', groupBy: ['service'], topN: 10, filters }],
    }),
    row('Что требует внимания'),
    table({
      title: 'Аномалии расходов',
      description: 'Days on which a connection or service cost clearly more than its usual level for that weekday.',
      w: 12,
      h: 9,
      queries: [{ queryType: 'anomalies', hideFalsePositives: true, filters: scoped }],
      sortBy: { displayName: 'time', desc: true },
      links: [{ title: 'Открыть в приложении', url: appPage('overview') }],
    }),
    bargauge({
      title: 'Запас баланса, дней',
      description: 'Prepaid accounts: how many days the latest balance lasts at the billed and forecast spend.',
      w: 12,
      h: 9,
      queries: [{ queryType: 'balances', view: 'runway', filters: scoped }],
      field: 'runway_days',
      fieldConfig: {
        unit: 'd',
        min: 0,
        thresholds: RUNWAY_THRESHOLDS,
      },
      links: [{ title: 'Синхронизация и балансы', url: dashboardUrl(UIDS.syncHealth) }],
    }),
    budgetsUsed('Бюджеты', 12, [{ title: 'Бюджеты и прогноз', url: dashboardUrl(UIDS.budgets) }]),
    table({
      title: 'Топ-10 самых дорогих ресурсов',
      description: 'The ten resources with the highest effective cost over the selected range.',
      w: 12,
      h: 9,
      queries: [{ queryType: 'costs', granularity: 'total', groupBy: ['resource'], topN: 10, filters }],
      transformations: [
        {
          id: 'filterByValue',
          options: {
            type: 'exclude',
            match: 'any',
            filters: [{ fieldName: 'resource', config: { id: 'equal', options: { value: 'Other' } } }],
          },
        },
      ],
      sortBy: { displayName: 'Cost', desc: true },
      footerSum: ['cost'],
      links: [{ title: 'Ресурсы', url: dashboardUrl(UIDS.resources) }],
    }),
  ],
});

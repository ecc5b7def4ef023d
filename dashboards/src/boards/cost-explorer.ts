/** Cost explorer: every dimension as a variable, breakdowns over time, ranked, as shares and in detail. */
import { DIMENSIONS, type DimensionKey } from '../../../collector/src/contract/query.js';
import {
  barchart,
  byVariable,
  dashboard,
  dashboardUrl,
  piechart,
  row,
  stat,
  table,
  timeseries,
  UIDS,
  type Draft,
} from '../build.js';

const DIMS = [...DIMENSIONS];
const filters = DIMS.map(byVariable);

function overTime(title: string, description: string, groupBy: DimensionKey, w = 12): Draft {
  return timeseries({
    title,
    description,
    w,
    h: 9,
    queries: [{ queryType: 'costs', granularity: 'auto', groupBy: [groupBy], topN: 10, filters }],
  });
}

function ranked(title: string, description: string, groupBy: DimensionKey, w = 12): Draft {
  return barchart({
    title,
    description,
    w,
    h: 10,
    queries: [{ queryType: 'costs', granularity: 'total', groupBy: [groupBy], topN: 15, filters }],
    xField: groupBy,
  });
}

export default dashboard({
  uid: UIDS.costExplorer,
  title: 'Обзор затрат',
  description:
    'Cost explorer: filter by any dimension (provider, account, service, region, resource, allocation, currency) ' +
    'or by resource tags, and see the cost over time, ranked and in detail.',
  tags: ['costs', 'explorer'],
  time: { from: 'now-30d', to: 'now' },
  dimensions: DIMS,
  adhoc: true,
  app: 'overview',
  items: [
    row('Итоги периода'),
    stat({
      title: 'Итого за период',
      description: 'Effective cost over the selected range and filters.',
      w: 6,
      h: 4,
      queries: [{ queryType: 'costs', granularity: 'total', filters }],
      field: 'cost',
      calc: 'sum',
    }),
    stat({
      title: 'В среднем в день',
      description: 'Average effective cost per day over the selected range.',
      w: 6,
      h: 4,
      queries: [{ queryType: 'costs', granularity: 'day', filters }],
      field: 'cost',
      calc: 'mean',
      graph: true,
    }),
    stat({
      title: 'Ресурсов с расходами',
      description: 'Distinct billed resources (and account-level charges) in the range.',
      w: 6,
      h: 4,
      queries: [{ queryType: 'costs', granularity: 'total', groupBy: ['resource'], filters }],
      field: 'cost',
      calc: 'count',
      fieldConfig: { unit: 'none', decimals: 0 },
    }),
    stat({
      title: 'Прогноз на конец месяца',
      description: 'Month-end spend at the current run rate, for the selected filters.',
      w: 6,
      h: 4,
      queries: [{ queryType: 'cost_summary', filters }],
      field: 'forecast_month_end',
      links: [{ title: 'Бюджеты и прогноз', url: dashboardUrl(UIDS.budgets) }],
    }),
    row('Во времени'),
    overTime(
      'По провайдерам',
      'Effective cost per provider; the bucket follows the range (hour, day, week, month).',
      'provider'
    ),
    overTime('По сервисам, топ-10', 'The ten costliest services; the rest is folded into Other.', 'service'),
    overTime('По регионам', 'Effective cost per provider region.', 'region'),
    overTime(
      'По типам ресурсов',
      'Effective cost per normalized resource type (server, volume, bucket…).',
      'resource_type'
    ),
    timeseries({
      title: 'По месяцам',
      description: 'Monthly effective cost per provider.',
      w: 24,
      h: 8,
      queries: [{ queryType: 'costs', granularity: 'month', groupBy: ['provider'], filters }],
    }),
    row('Разбивка'),
    ranked('Сервисы', 'The fifteen costliest services over the range.', 'service'),
    piechart({
      title: 'Типы начислений',
      description: 'Usage, purchases, taxes, credits and adjustments (FOCUS charge categories).',
      w: 6,
      h: 10,
      queries: [{ queryType: 'costs', granularity: 'total', groupBy: ['charge_category'], filters }],
    }),
    piechart({
      title: 'Валюты',
      description: 'Spend by billing currency, in the original amounts.',
      w: 6,
      h: 10,
      queries: [{ queryType: 'costs', granularity: 'total', groupBy: ['currency'], filters }],
    }),
    ranked('Подразделения', 'Cost per business unit (tags and allocation rules).', 'business_unit'),
    ranked('Проекты', 'Cost per project (tags, folders and allocation rules).', 'project'),
    table({
      title: 'Детализация',
      description: 'Cost per provider, account, service, region and resource over the range, largest first.',
      w: 24,
      h: 12,
      queries: [
        {
          queryType: 'costs',
          granularity: 'total',
          groupBy: ['provider', 'connection', 'service', 'region', 'resource'],
          topN: 500,
          filters,
        },
      ],
      sortBy: { displayName: 'Cost', desc: true },
      footerSum: ['cost'],
    }),
  ],
});

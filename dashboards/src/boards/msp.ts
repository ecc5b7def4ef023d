/** MSP and unit economics: cost per client account, business unit and project, allocation and unit cost. */
import type { Dimension } from '../../../collector/src/contract/query.js';
import {
  appPage,
  thresholds,
  barchart,
  byVariable,
  dashboard,
  lines,
  piechart,
  row,
  stat,
  table,
  timeseries,
  UIDS,
} from '../build.js';

const DIMS: Dimension[] = ['provider', 'connection', 'business_unit', 'project', 'environment', 'cost_center'];
const filters = DIMS.map(byVariable);

export default dashboard({
  uid: UIDS.msp,
  title: 'MSP и юнит-экономика',
  description:
    'MSP and unit economics: cost per client account (connection), business unit, project, environment and ' +
    'cost center after tags and allocation rules (shared costs split), and the cost per unit of a business ' +
    'metric (orders, users, requests). Each client organization in Grafana is its own InfraZen tenant.',
  tags: ['msp', 'allocation', 'unit-economics'],
  time: { from: 'now-90d', to: 'now' },
  dimensions: DIMS,
  app: 'allocation',
  items: [
    row('Клиенты и подразделения'),
    stat({
      title: 'Распределено затрат',
      description: 'Share of the cost in the range with a business unit (tags, rules or split shared costs).',
      w: 6,
      h: 5,
      queries: [
        { queryType: 'allocation', view: 'coverage', dimension: 'business_unit', granularity: 'total', filters },
      ],
      field: 'coverage_percent',
      fieldConfig: {
        unit: 'percent',
        decimals: 1,
        thresholds: thresholds('red', [60, 'orange'], [90, 'green']),
      },
      links: [{ title: 'Правила распределения', url: appPage('allocation') }],
    }),
    barchart({
      title: 'Расходы по клиентам (подключениям)',
      description: 'Cost per connected account: for an MSP, one account per client.',
      w: 18,
      h: 10,
      queries: [{ queryType: 'costs', granularity: 'total', groupBy: ['connection'], topN: 20, filters }],
      xField: 'connection',
    }),
    timeseries({
      title: 'Подразделения по неделям',
      description: 'Weekly cost per business unit with shared costs split by the rules; the rest is Unallocated.',
      w: 12,
      h: 10,
      queries: [{ queryType: 'allocation', dimension: 'business_unit', granularity: 'week', topN: 10, filters }],
    }),
    table({
      title: 'Проекты',
      description: 'Cost per project over the range and its share of the total.',
      w: 12,
      h: 10,
      queries: [{ queryType: 'allocation', dimension: 'project', granularity: 'total', topN: 50, filters }],
      sortBy: { displayName: 'cost', desc: true },
      footerSum: ['cost'],
    }),
    table({
      title: 'Подразделения, проекты, окружения',
      description: 'Cost per business unit, project, environment and cost center over the range.',
      w: 16,
      h: 10,
      queries: [
        {
          queryType: 'costs',
          granularity: 'total',
          groupBy: ['business_unit', 'project', 'environment', 'cost_center'],
          topN: 200,
          filters,
        },
      ],
      sortBy: { displayName: 'Cost', desc: true },
      footerSum: ['cost'],
    }),
    piechart({
      title: 'Центры затрат',
      description: 'Share of each cost center in the range.',
      w: 8,
      h: 10,
      queries: [{ queryType: 'allocation', dimension: 'cost_center', granularity: 'total', filters }],
    }),
    row('Юнит-экономика'),
    lines({
      title: 'Стоимость единицы',
      description: 'Cost per unit of each business metric uploaded to InfraZen: cost in the week ÷ the metric in it.',
      w: 16,
      h: 9,
      legendCalcs: ['mean', 'lastNotNull'],
      queries: [{ queryType: 'unit_cost', granularity: 'week', filters }],
    }),
    table({
      title: 'Стоимость единицы за период',
      description: 'Cost, units and cost per unit of each metric over the whole range.',
      w: 8,
      h: 9,
      queries: [{ queryType: 'unit_cost', granularity: 'total', filters }],
    }),
  ],
});

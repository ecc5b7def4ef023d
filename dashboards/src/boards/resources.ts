/** Resources and utilization: the inventory, waste, CPU and memory, rightsizing candidates and changes. */
import type { Dimension } from '../../../collector/src/contract/query.js';
import {
  appPage,
  anyIs,
  byVariable,
  dashboard,
  dashboardUrl,
  lines,
  row,
  scopeFilters,
  stat,
  table,
  UIDS,
} from '../build.js';
import { wasteCost } from '../panels.js';

const DIMS: Dimension[] = ['provider', 'connection'];
const filters = DIMS.map(byVariable);
const scoped = scopeFilters(DIMS);

export default dashboard({
  uid: UIDS.resources,
  title: 'Ресурсы и загрузка',
  description:
    'Resources and utilization: the normalized inventory of every connected account, zombies and orphans, ' +
    'CPU and memory of the servers, rightsizing candidates and the resource changes the syncs recorded.',
  tags: ['resources', 'utilization'],
  time: { from: 'now-7d', to: 'now' },
  dimensions: DIMS,
  app: 'resources',
  items: [
    row('Инвентарь'),
    stat({
      title: 'Активных ресурсов',
      description: 'Resources found by the latest syncs and not deleted.',
      w: 6,
      h: 4,
      queries: [{ queryType: 'cost_summary', filters }],
      field: 'active_resources',
    }),
    stat({
      title: 'Зомби-ресурсы',
      description: 'Billed resources that no longer exist in the provider inventory.',
      w: 6,
      h: 4,
      queries: [{ queryType: 'resources', flag: 'zombie', filters: scoped }],
      field: 'monthly_cost',
      calc: 'count',
      colorMode: 'background',
      fieldConfig: {
        unit: 'none',
        decimals: 0,
        thresholds: anyIs('red'),
      },
    }),
    stat({
      title: 'Осиротевшие ресурсы',
      description: 'Volumes attached to nothing and reserved IP addresses in no use.',
      w: 6,
      h: 4,
      queries: [{ queryType: 'resources', flag: 'orphan', filters: scoped }],
      field: 'monthly_cost',
      calc: 'count',
      colorMode: 'background',
      fieldConfig: {
        unit: 'none',
        decimals: 0,
        thresholds: anyIs('orange'),
      },
    }),
    wasteCost(scoped, [{ title: 'Рекомендации и экономия', url: dashboardUrl(UIDS.recommendations) }]),
    row('Загрузка'),
    lines({
      title: 'CPU, топ-10 ресурсов',
      description: 'Average CPU utilization of the ten busiest servers (hourly rollup).',
      w: 12,
      h: 9,
      legendCalcs: ['mean', 'max'],
      queries: [
        {
          queryType: 'utilization',
          metric: 'cpu',
          aggregation: 'avg',
          groupBy: ['resource'],
          topN: 10,
          filters: scoped,
        },
      ],
      fieldConfig: { unit: 'percent', min: 0, max: 100 },
    }),
    lines({
      title: 'Память, топ-10 ресурсов',
      description: 'Average memory utilization where the provider reports it (not every provider does).',
      w: 12,
      h: 9,
      legendCalcs: ['mean', 'max'],
      queries: [
        {
          queryType: 'utilization',
          metric: 'memory',
          aggregation: 'avg',
          groupBy: ['resource'],
          topN: 10,
          filters: scoped,
        },
      ],
      fieldConfig: { unit: 'percent', min: 0, max: 100 },
    }),
    table({
      title: 'Кандидаты на уменьшение',
      description: 'Servers whose p95 CPU and memory stay low: the smaller size and the monthly saving.',
      w: 24,
      h: 8,
      queries: [{ queryType: 'recommendations', kinds: ['rightsize'], filters: scoped }],
      links: [{ title: 'Рекомендации в приложении', url: appPage('recommendations') }],
    }),
    row('Инвентарь подробно'),
    table({
      title: 'Все ресурсы',
      description: 'The normalized inventory with status, waste flags and cost; names open the resource in the app.',
      w: 24,
      h: 12,
      queries: [{ queryType: 'resources', limit: 2000, filters: scoped }],
      sortBy: { displayName: 'monthly_cost', desc: true },
    }),
    table({
      title: 'Изменения ресурсов',
      description: 'Resources created, deleted or changed (cost, status, configuration) by the syncs in the range.',
      w: 24,
      h: 9,
      queries: [{ queryType: 'changes', actions: ['created', 'updated', 'deleted'], filters: scoped }],
      sortBy: { displayName: 'time', desc: true },
    }),
  ],
});

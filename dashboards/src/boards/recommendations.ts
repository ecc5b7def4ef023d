/** Recommendations and savings: what can be saved, what was saved, and the waste behind it. */
import type { Dimension } from '../../../collector/src/contract/query.js';
import { appPage, barchart, dashboard, dashboardUrl, row, scopeFilters, stat, table, UIDS } from '../build.js';
import { realizedSavings, wasteCost } from '../panels.js';

const DIMS: Dimension[] = ['provider', 'connection'];
const scoped = scopeFilters(DIMS);
const recommendationLink = {
  title: 'Открыть рекомендацию',
  url: appPage('recommendations', '?id=${__data.fields.id}'),
};

export default dashboard({
  uid: UIDS.recommendations,
  title: 'Рекомендации и экономия',
  description:
    'Recommendations and savings: rightsizing, zombies, orphan volumes, unused IPs, idle databases and more, ' +
    'with the monthly saving of each; what is open, accepted and done.',
  tags: ['recommendations', 'savings'],
  time: { from: 'now-90d', to: 'now' },
  dimensions: DIMS,
  app: 'recommendations',
  items: [
    row('Экономия'),
    stat({
      title: 'Потенциальная экономия в месяц',
      description: 'Monthly savings of the open recommendations, in the reporting currency.',
      w: 6,
      h: 4,
      queries: [{ queryType: 'recommendations', view: 'totals', filters: scoped }],
      field: 'potential_monthly_savings',
      fieldConfig: { color: { mode: 'fixed', fixedColor: 'green' } },
    }),
    stat({
      title: 'Открытые рекомендации',
      description: 'Recommendations waiting for a decision (accepted ones are counted on the app page).',
      w: 6,
      h: 4,
      queries: [{ queryType: 'recommendations', view: 'totals', filters: scoped }],
      field: 'open',
      fieldConfig: { unit: 'none', decimals: 0 },
    }),
    realizedSavings(scoped),
    wasteCost(scoped),
    row('Рекомендации'),
    table({
      title: 'Открытые рекомендации',
      description: 'Open and accepted recommendations, largest saving first; a title opens it in the app.',
      w: 24,
      h: 10,
      queries: [{ queryType: 'recommendations', statuses: ['open', 'accepted'], filters: scoped }],
      sortBy: { displayName: 'estimated_monthly_savings', desc: true },
      footerSum: ['estimated_monthly_savings'],
      overrides: [
        { matcher: { id: 'byName', options: 'title' }, properties: [{ id: 'links', value: [recommendationLink] }] },
      ],
    }),
    table({
      title: 'Зомби-ресурсы',
      description: 'Billed resources that are gone from the provider inventory: delete them or close the billing.',
      w: 12,
      h: 9,
      queries: [{ queryType: 'resources', flag: 'zombie', filters: scoped }],
      sortBy: { displayName: 'monthly_cost', desc: true },
      links: [{ title: 'Ресурсы в приложении', url: appPage('resources') }],
    }),
    table({
      title: 'Осиротевшие ресурсы',
      description: 'Volumes attached to nothing and reserved IP addresses in no use.',
      w: 12,
      h: 9,
      queries: [{ queryType: 'resources', flag: 'orphan', filters: scoped }],
      sortBy: { displayName: 'monthly_cost', desc: true },
      links: [{ title: 'Ресурсы и загрузка', url: dashboardUrl(UIDS.resources) }],
    }),
    barchart({
      title: 'Экономия по видам рекомендаций',
      description: 'Monthly savings of the open recommendations per kind.',
      w: 12,
      h: 9,
      queries: [{ queryType: 'recommendations', statuses: ['open', 'accepted'], filters: scoped }],
      transformations: [
        {
          id: 'groupBy',
          options: {
            fields: {
              kind: { aggregations: [], operation: 'groupby' },
              estimated_monthly_savings: { aggregations: ['sum'], operation: 'aggregate' },
            },
          },
        },
      ],
      xField: 'kind',
    }),
    table({
      title: 'Выполненные и отклонённые',
      description: 'Recommendations done, dismissed (with the reason) or resolved by themselves.',
      w: 12,
      h: 9,
      queries: [{ queryType: 'recommendations', statuses: ['done', 'dismissed', 'resolved'], filters: scoped }],
      overrides: [
        { matcher: { id: 'byName', options: 'title' }, properties: [{ id: 'links', value: [recommendationLink] }] },
      ],
    }),
  ],
});

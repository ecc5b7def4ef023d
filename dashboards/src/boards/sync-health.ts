/** Sync health and data freshness: is the data current, which syncs fail, what they found. */
import type { Dimension } from '../../../collector/src/contract/query.js';
import {
  appPage,
  RUNWAY_THRESHOLDS,
  anyIs,
  bargauge,
  dashboard,
  lines,
  row,
  scopeFilters,
  stat,
  table,
  UIDS,
} from '../build.js';

const DIMS: Dimension[] = ['provider', 'connection'];
const scoped = scopeFilters(DIMS);
const snapshots = { queryType: 'snapshots', filters: scoped } as const;
const only = (...names: string[]) => [
  { id: 'filterFieldsByName', options: { include: { names: ['time', ...names] } } },
];

export default dashboard({
  uid: UIDS.syncHealth,
  title: 'Синхронизация и свежесть данных',
  description:
    'Sync health and data freshness: when each connected account last synced, which syncs failed or were ' +
    'partial and why, how long they took, what they found, and the prepaid balances they read.',
  tags: ['sync', 'operations'],
  time: { from: 'now-7d', to: 'now' },
  refresh: '15m',
  dimensions: DIMS,
  app: 'connections',
  items: [
    row('Свежесть'),
    stat({
      title: 'Последняя синхронизация',
      description: 'When the latest sync in the range started.',
      w: 6,
      h: 4,
      queries: [snapshots],
      field: 'time',
      calc: 'max',
      fieldConfig: { unit: 'dateTimeFromNow' },
    }),
    stat({
      title: 'Синхронизаций с ошибкой',
      description: 'Syncs in the range that failed outright.',
      w: 6,
      h: 4,
      queries: [snapshots],
      transformations: [
        {
          id: 'filterByValue',
          options: {
            type: 'include',
            match: 'any',
            filters: [{ fieldName: 'status', config: { id: 'equal', options: { value: 'error' } } }],
          },
        },
      ],
      field: 'duration',
      calc: 'count',
      colorMode: 'background',
      fieldConfig: {
        unit: 'none',
        decimals: 0,
        noValue: '0',
        thresholds: anyIs('red'),
      },
    }),
    stat({
      title: 'Ошибок эндпоинтов',
      description: 'Provider endpoints that failed within otherwise successful (partial) syncs.',
      w: 6,
      h: 4,
      queries: [snapshots],
      field: 'endpoint_errors',
      calc: 'sum',
      fieldConfig: {
        unit: 'none',
        decimals: 0,
        thresholds: anyIs('orange'),
      },
    }),
    stat({
      title: 'Синхронизаций за период',
      description: 'Finished syncs in the range (scheduled, manual and demo).',
      w: 6,
      h: 4,
      queries: [snapshots],
      field: 'duration',
      calc: 'count',
      fieldConfig: { unit: 'none', decimals: 0 },
    }),
    row('Синхронизации'),
    table({
      title: 'Журнал синхронизаций',
      description: 'Every sync in the range: status, duration, resources found, created, updated and deleted.',
      w: 24,
      h: 10,
      queries: [snapshots],
      sortBy: { displayName: 'time', desc: true },
      links: [{ title: 'Подключения в приложении', url: appPage('connections') }],
    }),
    lines({
      title: 'Длительность синхронизаций',
      description: 'How long each sync took.',
      w: 12,
      h: 8,
      legendCalcs: ['mean', 'max'],
      queries: [snapshots],
      transformations: only('duration'),
      fieldConfig: { custom: { drawStyle: 'points', pointSize: 6, showPoints: 'always' } },
    }),
    lines({
      title: 'Найденные ресурсы',
      description: 'Resources found, created and deleted per sync.',
      w: 12,
      h: 8,
      legendCalcs: ['lastNotNull'],
      queries: [snapshots],
      transformations: only('found', 'created', 'deleted'),
      fieldConfig: { custom: { drawStyle: 'points', pointSize: 6, showPoints: 'always' } },
    }),
    row('Балансы'),
    lines({
      title: 'Баланс предоплаченных счетов',
      description: 'Account balance per connection as the syncs read it (Beget, Yandex Cloud billing accounts).',
      w: 12,
      h: 8,
      legendCalcs: ['lastNotNull'],
      queries: [{ queryType: 'balances', filters: scoped }],
      transformations: [{ id: 'filterFieldsByName', options: { include: { pattern: '^(time|.*balance.*)$' } } }],
    }),
    bargauge({
      title: 'Дней до блокировки',
      description: 'Days until the provider blocks the account, as the provider reports it (Beget).',
      w: 12,
      h: 8,
      queries: [{ queryType: 'balances', view: 'runway', filters: scoped }],
      field: 'provider_days_to_block',
      fieldConfig: {
        unit: 'd',
        min: 0,
        thresholds: RUNWAY_THRESHOLDS,
      },
    }),
    table({
      title: 'Изменения ресурсов',
      description: 'What the syncs changed: resources created, deleted, resized or repriced.',
      w: 24,
      h: 8,
      queries: [{ queryType: 'changes', actions: ['created', 'updated', 'deleted'], filters: scoped }],
      sortBy: { displayName: 'time', desc: true },
    }),
  ],
});

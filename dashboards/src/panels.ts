/** Panels more than one dashboard shows. */
import type { DimensionFilter } from '../../collector/src/contract/query.js';
import { bargauge, BUDGET_THRESHOLDS, stat, type Draft } from './build.js';
import type { Link } from './grafana.js';

/** Monthly cost of the zombies and orphans together (two inventory queries merged into one table). */
export function wasteCost(filters: DimensionFilter[], links?: Link[]): Draft {
  return stat({
    title: 'Потери на зомби и сиротах',
    description: 'Monthly cost of zombie and orphan resources together.',
    w: 6,
    h: 4,
    queries: [
      { queryType: 'resources', flag: 'zombie', filters },
      { queryType: 'resources', flag: 'orphan', filters },
    ],
    transformations: [{ id: 'merge', options: {} }],
    field: 'monthly_cost',
    calc: 'sum',
    fieldConfig: { color: { mode: 'fixed', fixedColor: 'red' } },
    links,
  });
}

/** Monthly savings of the recommendations marked done. */
export function realizedSavings(filters: DimensionFilter[]): Draft {
  return stat({
    title: 'Реализованная экономия в месяц',
    description: 'Monthly savings of the recommendations marked done.',
    w: 6,
    h: 4,
    queries: [{ queryType: 'recommendations', view: 'totals', filters }],
    field: 'realized_monthly_savings',
    fieldConfig: { color: { mode: 'fixed', fixedColor: 'green' } },
  });
}

/** One bar per budget: the share spent in its current period. */
export function budgetsUsed(title: string, w: number, links?: Link[]): Draft {
  return bargauge({
    title,
    description: 'Share of each budget spent so far in its current period.',
    w,
    h: 9,
    queries: [{ queryType: 'budgets' }],
    field: 'used_percent',
    fieldConfig: { unit: 'percent', min: 0, max: 120, thresholds: BUDGET_THRESHOLDS },
    links,
  });
}

/** Every InfraZen dashboard and the file it is written to (dashboards/<file>.json). */
import budgets from './boards/budgets.js';
import costExplorer from './boards/cost-explorer.js';
import executive from './boards/executive.js';
import msp from './boards/msp.js';
import recommendations from './boards/recommendations.js';
import resources from './boards/resources.js';
import syncHealth from './boards/sync-health.js';
import type { Dashboard } from './grafana.js';

export const DASHBOARDS: { file: string; dashboard: Dashboard }[] = [
  { file: 'executive.json', dashboard: executive },
  { file: 'cost-explorer.json', dashboard: costExplorer },
  { file: 'resources.json', dashboard: resources },
  { file: 'budgets.json', dashboard: budgets },
  { file: 'recommendations.json', dashboard: recommendations },
  { file: 'sync-health.json', dashboard: syncHealth },
  { file: 'msp.json', dashboard: msp },
];

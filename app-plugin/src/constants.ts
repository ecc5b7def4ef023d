import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;

export enum ROUTES {
  Overview = 'overview',
  Connections = 'connections',
  Resources = 'resources',
  Recommendations = 'recommendations',
  Budgets = 'budgets',
  Allocation = 'allocation',
  Reports = 'reports',
  Admin = 'admin',
}

/** Absolute URL of an app page, for links outside the router (Grafana's own links and dashboards). */
export function pageUrl(route: ROUTES, query?: Record<string, string>): string {
  const search = query ? `?${new URLSearchParams(query).toString()}` : '';
  return `${PLUGIN_BASE_URL}/${route}${search}`;
}

/** The provisioned dashboards (helper "dashboards" ships them with these uids). */
export const DASHBOARDS = [
  { uid: 'infrazen-executive', key: 'executive', icon: 'apps' },
  { uid: 'infrazen-cost-explorer', key: 'costExplorer', icon: 'chart-line' },
  { uid: 'infrazen-resources', key: 'resources', icon: 'cube' },
  { uid: 'infrazen-budgets', key: 'budgets', icon: 'calculator-alt' },
  { uid: 'infrazen-recommendations', key: 'recommendations', icon: 'bolt' },
  { uid: 'infrazen-sync-health', key: 'syncHealth', icon: 'sync' },
  { uid: 'infrazen-msp', key: 'msp', icon: 'users-alt' },
] as const;

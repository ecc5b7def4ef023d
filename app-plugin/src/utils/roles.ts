import { config } from '@grafana/runtime';

import { useSupportTenant } from '../api/supportAccess';

/**
 * What the signed-in user may do, from Grafana's boot data (the same org role the plugin-proxy routes
 * check). Hiding buttons is convenience only: the routes' reqRole and the collector enforce it.
 */
export type OrgRole = 'Viewer' | 'Editor' | 'Admin';

const RANK: Record<string, number> = { None: 0, Viewer: 1, Editor: 2, Admin: 3 };

export function currentRole(): string {
  return config.bootData?.user?.orgRole || 'None';
}

export function hasRole(min: OrgRole): boolean {
  return (RANK[currentRole()] ?? 0) >= RANK[min];
}

export function isServerAdmin(): boolean {
  return Boolean(config.bootData?.user?.isGrafanaAdmin);
}

/**
 * Whether the user may change things needing `min`: the role, and not while reading another tenant
 * through support access (read-only by design).
 */
export function useCanWrite(min: OrgRole): boolean {
  const supportTenant = useSupportTenant();
  return hasRole(min) && !supportTenant;
}

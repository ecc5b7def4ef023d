import pluginJson from './plugin.json';

interface Route {
  path: string;
  method: string;
  reqRole: string;
  url: string;
  headers: Array<{ name: string; content: string }>;
}

const ROUTES = pluginJson.routes as Route[];

/**
 * Grafana's plugin-proxy route choice (pkg/api/pluginproxy/pluginproxy.go with pkg/web/tree.go), for the
 * pattern forms plugin.json uses: a static path matches itself only; `prefix/*` matches anything below
 * the prefix (not the prefix itself); the method must be equal unless the route's is `*`; the first
 * matching route wins, and its role check then passes or answers 403 — there is no fall-through.
 */
function match(method: string, path: string): { route: Route; target: string } | undefined {
  for (const route of ROUTES) {
    if (route.method !== '*' && route.method !== method) {
      continue;
    }
    if (route.path.endsWith('/*')) {
      const prefix = route.path.slice(0, -1);
      if (path.startsWith(prefix) && path.length > prefix.length) {
        return { route, target: `${route.url}/${path.slice(prefix.length)}` };
      }
    } else if (route.path === path) {
      return { route, target: route.url };
    }
  }
  return undefined;
}

const RANK: Record<string, number> = { Viewer: 1, Editor: 2, Admin: 3 };

describe('plugin.json routes', () => {
  it.each([
    // Reads: Viewer.
    ['GET', 'api/v1/connections', 'Viewer'],
    ['GET', 'api/v1/connections/c1/snapshots', 'Viewer'],
    ['GET', 'api/v1/snapshots/s1', 'Viewer'],
    ['GET', 'api/v1/resources', 'Viewer'],
    ['GET', 'api/v1/providers', 'Viewer'],
    ['GET', 'api/v1/recommendations', 'Viewer'],
    ['GET', 'api/v1/budgets/b1', 'Viewer'],
    ['GET', 'api/v1/me', 'Viewer'],
    ['POST', 'api/v1/query', 'Viewer'],
    // Editor writes.
    ['POST', 'api/v1/budgets', 'Editor'],
    ['PATCH', 'api/v1/budgets/b1', 'Editor'],
    ['DELETE', 'api/v1/budgets/b1', 'Editor'],
    ['POST', 'api/v1/allocation-rules/preview', 'Editor'],
    ['PATCH', 'api/v1/recommendations/r1', 'Editor'],
    ['POST', 'api/v1/recommendations/refresh', 'Editor'],
    ['PATCH', 'api/v1/anomalies/a1', 'Editor'],
    ['POST', 'api/v1/unit-metrics', 'Editor'],
    ['POST', 'api/v1/reports', 'Editor'],
    ['POST', 'api/v1/reports/r1/run', 'Editor'],
    ['POST', 'api/v1/report-destinations/d1/test', 'Editor'],
    ['POST', 'api/v1/report-runs/x1/retry', 'Editor'],
    ['GET', 'api/v1/report-runs/x1/file', 'Viewer'],
    // Admin: connection management, admin and audit — reads included.
    ['POST', 'api/v1/connections', 'Admin'],
    ['POST', 'api/v1/connections/c1/sync', 'Admin'],
    ['POST', 'api/v1/connections/c1/test', 'Admin'],
    ['PATCH', 'api/v1/connections/c1', 'Admin'],
    ['DELETE', 'api/v1/connections/c1', 'Admin'],
    ['PUT', 'api/v1/connections/c1/price-list', 'Admin'],
    ['GET', 'api/v1/admin/status', 'Admin'],
    ['GET', 'api/v1/admin/tokens', 'Admin'],
    ['DELETE', 'api/v1/admin/tokens/t1', 'Admin'],
    ['GET', 'api/v1/audit', 'Admin'],
  ])('%s %s needs %s', (method, path, role) => {
    const found = match(method, path);
    expect(found?.route.reqRole).toBe(role);
    // The collector is told the role the route required, and gets the token; both server-side.
    expect(found?.route.headers).toEqual([
      { name: 'Authorization', content: 'Bearer {{ .SecureJsonData.collectorToken }}' },
      { name: 'X-Infrazen-Role', content: role },
    ]);
    expect(found?.target).toBe(`{{ .JsonData.collectorUrl }}/${path}`);
  });

  it('forwards nothing outside the collector API', () => {
    expect(match('GET', 'metrics')).toBeUndefined();
    expect(match('POST', 'api/v1/providers')).toBeUndefined();
    expect(match('POST', 'api/v1/something-new')).toBeUndefined();
  });

  it('declares pages with the roles their actions need at least to read', () => {
    const pages = Object.fromEntries(pluginJson.includes.filter((p) => p.type === 'page').map((p) => [p.name, p.role]));
    expect(pages).toEqual({
      Overview: 'Viewer',
      Connections: 'Viewer',
      Resources: 'Viewer',
      Recommendations: 'Viewer',
      Budgets: 'Viewer',
      Allocation: 'Viewer',
      Reports: 'Viewer',
      Admin: 'Admin',
      Configuration: 'Admin',
    });
    // Every route's role is one Grafana knows.
    expect(ROUTES.every((r) => RANK[r.reqRole] !== undefined)).toBe(true);
  });
});

/**
 * The Grafana emulation the browser tests stand on: route matching, templates, roles and headers of the
 * data proxy and plugin proxy (pure functions, then through the host's HTTP server against an echo
 * upstream with fixture plugins), and the role each of the app's real routes grants per the API contract.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { loadPlugin, repoPlugins } from '../host/plugins.js';
import {
  interpolate,
  joinUrlFragments,
  matchDataProxyRoute,
  matchPattern,
  matchPluginProxyRoute,
  ProxyError,
  validateRoutes,
  type OrgRole,
  type PluginRoute,
} from '../host/proxy.js';
import { startHost, type Host } from '../host/server.js';
import { startEcho, type EchoServer, type Echoed } from './helpers/echo.js';

const data = {
  JsonData: { url: 'http://collector:8787', n: 3 },
  SecureJsonData: { apiToken: 't0k' },
  URL: 'http://ds',
};

function status(fn: () => unknown): number | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof ProxyError ? err.status : -1;
  }
}

describe('proxy emulation rules', () => {
  it('fills Grafana route templates and prints <no value> for a missing key, as Go does', () => {
    assert.equal(interpolate('{{ .JsonData.url }}/api', data), 'http://collector:8787/api');
    assert.equal(interpolate('Bearer {{.SecureJsonData.apiToken}}', data), 'Bearer t0k');
    assert.equal(interpolate('{{ .JsonData.n }}|{{ .URL }}', data), '3|http://ds');
    assert.equal(interpolate('Bearer {{ .SecureJsonData.missing }}', data), 'Bearer <no value>');
    assert.throws(() => interpolate('{{ .User.Login }}', data), ProxyError, 'user fields are not template data');
  });

  it('matches plugin proxy patterns like Grafana’s router: literal, :param, trailing *', () => {
    assert.equal(matchPattern('api/*', 'api/v1/connections/x/sync'), 'v1/connections/x/sync');
    assert.equal(matchPattern('api/*', 'api/v1/'), 'v1');
    assert.equal(matchPattern('api/v1/things/*', 'api/v1/things'), undefined, '* needs a segment');
    assert.equal(matchPattern('api/v1/admin', 'api/v1/admin'), '');
    assert.equal(matchPattern('api/v1/admin', 'api/v1/admin/status'), undefined);
    assert.equal(matchPattern('api/v1/connections/:id/sync', 'api/v1/connections/42/sync'), '');
    assert.equal(matchPattern('api/v1/connections/:id/sync', 'api/v1/connections/sync'), undefined);
    assert.equal(matchPattern('api/v1', 'api/v2'), undefined);
  });

  it('data proxy: prefix match, method filter, first match wins, a failed role is 403 without fall-through', () => {
    const routes: PluginRoute[] = [
      { path: 'api/v1/connections', method: 'POST', reqRole: 'Admin', url: 'x' },
      { path: 'api/v1', reqRole: 'Viewer', url: 'y' },
    ];
    assert.equal(matchDataProxyRoute(routes, 'GET', 'api/v1/connections/1', 'Viewer').route, routes[1]);
    assert.equal(
      status(() => matchDataProxyRoute(routes, 'POST', 'api/v1/connections', 'Editor')),
      403
    );
    const admin = matchDataProxyRoute(routes, 'POST', 'api/v1/connections/1/sync', 'Admin');
    assert.deepEqual(admin, { route: routes[0], rest: '/1/sync' });
    assert.deepEqual(matchDataProxyRoute(routes, 'GET', 'other', 'Viewer'), { route: undefined, rest: 'other' });
  });

  it('plugin proxy: no match is 404, the * part is what gets appended', () => {
    const routes: PluginRoute[] = [{ path: 'api/*', method: 'GET', reqRole: 'Viewer', url: 'u' }];
    assert.equal(matchPluginProxyRoute(routes, 'GET', 'api/v1/x', 'Viewer').rest, 'v1/x');
    assert.equal(
      status(() => matchPluginProxyRoute(routes, 'POST', 'api/v1/x', 'Admin')),
      404
    );
    assert.equal(
      status(() => matchPluginProxyRoute(routes, 'GET', 'api/v1/x', 'None')),
      403
    );
  });

  it('joins URL fragments like util.JoinURLFragments', () => {
    assert.equal(joinUrlFragments('/api', 'v1/x'), '/api/v1/x');
    assert.equal(joinUrlFragments('/api/', '/v1'), '/api/v1');
    assert.equal(joinUrlFragments('/api/v1/query', ''), '/api/v1/query');
  });

  it('refuses route options it does not emulate instead of ignoring them', () => {
    assert.throws(() => validateRoutes([{ path: 'a', reqAction: 'x:read' }], 'app'), /reqAction not emulated/);
    assert.throws(() => validateRoutes([{ path: 'a', tokenAuth: {} }], 'datasource'), /tokenAuth not emulated/);
    assert.throws(() => validateRoutes([{ path: 'a', reqRole: 'Owner' }], 'app'), /not a Grafana org role/);
    assert.throws(() => validateRoutes([{ path: 'a/:id(\\d+)' }], 'app'), /not emulated/);
    assert.throws(() => validateRoutes([{ path: 'a', urlParams: [] }], 'app'), /urlParams/);
  });
});

function fixturePlugin(root: string, json: object): string {
  const dir = fs.mkdtempSync(path.join(root, 'plugin-'));
  fs.writeFileSync(path.join(dir, 'plugin.json'), JSON.stringify(json));
  fs.writeFileSync(path.join(dir, 'module.js'), 'define(["react"],function(){return {}})');
  return dir;
}

const info = { version: '1.0.0', updated: '2026-01-01', logos: { small: 'logo.svg', large: 'logo.svg' } };

describe('the host server as Grafana in front of an upstream', () => {
  let echo: EchoServer;
  let host: Host;
  let tmp: string;
  const cookies: Partial<Record<string, string>> = {};

  async function call(user: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${host.url}${url}`, {
      method,
      headers: {
        cookie: cookies[user] ?? '',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json, headers: res.headers };
  }

  before(async () => {
    echo = await startEcho();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'infrazen-e2e-proxy-'));
    const header = (role: string) => [
      { name: 'Authorization', content: 'Bearer {{ .SecureJsonData.token }}' },
      { name: 'X-Role', content: role },
    ];
    const app = fixturePlugin(tmp, {
      id: 'test-app',
      type: 'app',
      name: 'Test app',
      info,
      routes: [
        { path: 'api/*', method: 'GET', reqRole: 'Viewer', url: '{{ .JsonData.base }}/api', headers: header('Viewer') },
        {
          path: 'api/v1/things/*',
          method: '*',
          reqRole: 'Editor',
          url: '{{ .JsonData.base }}/api/v1/things',
          headers: header('Editor'),
        },
        {
          path: 'api/v1/things',
          method: 'POST',
          reqRole: 'Admin',
          url: '{{ .JsonData.base }}/api/v1/things',
          headers: header('Admin'),
        },
      ],
    });
    const ds = fixturePlugin(tmp, {
      id: 'test-datasource',
      type: 'datasource',
      name: 'Test datasource',
      info,
      routes: [
        {
          path: 'api/v1/query',
          method: 'POST',
          reqRole: 'Viewer',
          url: '{{ .JsonData.url }}/api/v1/query',
          headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.apiToken }}' }],
        },
        {
          path: 'api/v1/dims',
          method: 'GET',
          reqRole: 'Viewer',
          url: '{{ .JsonData.url }}/api/v1/dims',
          headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.apiToken }}' }],
        },
        { path: 'api/v1/unauthorized', reqRole: 'Viewer', url: '{{ .JsonData.url }}/api/v1/unauthorized' },
      ],
    });
    host = await startHost({
      plugins: [loadPlugin(app), loadPlugin(ds)],
      datasources: [{ uid: 'ds1', name: 'DS', type: 'test-datasource' }],
      reuseBundle: true,
    });
    for (const user of ['admin', 'editor', 'viewer']) {
      const res = await fetch(`${host.url}/login?user=${user}`, { redirect: 'manual' });
      cookies[user] = res.headers.get('set-cookie')!.split(';')[0];
    }
  });

  after(async () => {
    await host?.close();
    await echo?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('lets only an org admin change app and datasource settings', async () => {
    const settings = { enabled: true, jsonData: { base: echo.url }, secureJsonData: { token: 's3cret' } };
    assert.equal((await call('viewer', 'POST', '/api/plugins/test-app/settings', settings)).status, 403);
    assert.equal((await call('editor', 'POST', '/api/plugins/test-app/settings', settings)).status, 403);
    assert.equal((await call('admin', 'POST', '/api/plugins/test-app/settings', settings)).status, 200);
    const dto = (await call('viewer', 'GET', '/api/plugins/test-app/settings')).json as Record<string, unknown>;
    assert.deepEqual(dto.secureJsonFields, { token: true });
    assert.ok(!JSON.stringify(dto).includes('s3cret'), 'secrets never reach the browser');

    const ds = { name: 'DS', jsonData: { url: echo.url }, secureJsonData: { apiToken: 'dsT0ken' } };
    assert.equal((await call('editor', 'PUT', '/api/datasources/uid/ds1', ds)).status, 403);
    const saved = await call('admin', 'PUT', '/api/datasources/uid/ds1', ds);
    assert.equal(saved.status, 200);
    assert.ok(!saved.text.includes('dsT0ken'));
    assert.equal((await call('admin', 'PUT', '/api/datasources/uid/ds1', { name: '' })).status, 400);
  });

  it('plugin proxy: forwards with the route’s headers, the user context, and the browser’s credentials removed', async () => {
    const res = await call('viewer', 'GET', '/api/plugin-proxy/test-app/api/v1/things?a=1&b=2', undefined, {
      authorization: 'Bearer from-the-browser',
      'x-grafana-user': 'admin',
      'x-custom': 'kept',
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('set-cookie'), null, 'upstream cookies are not passed back');
    const seen = res.json as Echoed;
    assert.equal(seen.url, '/api/v1/things?a=1&b=2');
    assert.equal(seen.headers.authorization, 'Bearer s3cret');
    assert.equal(seen.headers['x-role'], 'Viewer');
    assert.equal(seen.headers['x-grafana-user'], 'viewer');
    assert.equal(seen.headers.cookie, undefined);
    assert.equal(seen.headers['x-custom'], 'kept');
    const context = JSON.parse(seen.headers['x-grafana-context'] as string) as Record<string, unknown>;
    assert.equal(context.Login, 'viewer');
    assert.equal(context.OrgRole, 'Viewer');
    assert.equal(context.OrgID, 1);
    assert.equal(context.IsGrafanaAdmin, false);
  });

  it('plugin proxy: first matching route decides, its role failure is a 403 and the upstream never sees it', async () => {
    const before = echo.received.length;
    const denied = await call('viewer', 'POST', '/api/plugin-proxy/test-app/api/v1/things/7', { x: 1 });
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.json, { message: 'plugin proxy route access denied' });
    assert.equal((await call('editor', 'POST', '/api/plugin-proxy/test-app/api/v1/things', {})).status, 403);
    assert.equal(echo.received.length, before);

    const edited = await call('editor', 'PATCH', '/api/plugin-proxy/test-app/api/v1/things/7', { x: 1 });
    assert.equal(edited.status, 200);
    assert.equal((edited.json as Echoed).url, '/api/v1/things/7');
    assert.equal((edited.json as Echoed).body, '{"x":1}');
    assert.equal((edited.json as Echoed).headers['x-role'], 'Editor');
    const created = await call('admin', 'POST', '/api/plugin-proxy/test-app/api/v1/things', { y: 2 });
    assert.equal((created.json as Echoed).headers['x-role'], 'Admin');
    assert.equal((await call('admin', 'DELETE', '/api/plugin-proxy/test-app/other')).status, 404);
  });

  it('data proxy: token injected, matched prefix cut, 401 rewritten to 400, no route means no target', async () => {
    const q = await call('viewer', 'POST', '/api/datasources/proxy/uid/ds1/api/v1/query', { refId: 'A' });
    assert.equal(q.status, 200);
    assert.equal((q.json as Echoed).url, '/api/v1/query');
    assert.equal((q.json as Echoed).headers.authorization, 'Bearer dsT0ken');
    assert.equal((q.json as Echoed).headers['x-grafana-user'], 'viewer');
    assert.equal((q.json as Echoed).headers['x-grafana-context'], undefined, 'only the plugin proxy sends the context');

    const dims = await call('viewer', 'GET', '/api/datasources/proxy/uid/ds1/api/v1/dims/region/values?from=1');
    assert.equal((dims.json as Echoed).url, '/api/v1/dims/region/values?from=1');

    const rejected = await call('viewer', 'GET', '/api/datasources/proxy/uid/ds1/api/v1/unauthorized');
    assert.equal(rejected.status, 400);
    assert.equal(rejected.text, 'Authentication to data source failed');

    assert.equal((await call('viewer', 'GET', '/api/datasources/proxy/uid/ds1/api/v1/other')).status, 502);
    assert.equal((await call('viewer', 'GET', '/api/datasources/proxy/uid/nope/api/v1/query')).status, 404);
    assert.deepEqual(
      host.proxyLog.filter((e) => e.kind === 'datasource' && e.status === 200).map((e) => e.route),
      ['api/v1/query', 'api/v1/dims']
    );
  });

  it('serves plugin files byte-for-byte and answers 404, never the page, for anything else', async () => {
    const mod = await fetch(`${host.url}/public/plugins/test-app/module.js?_cache=1.0.0`);
    assert.equal(await mod.text(), 'define(["react"],function(){return {}})');
    assert.match(mod.headers.get('content-type')!, /javascript/);
    assert.equal((await fetch(`${host.url}/public/plugins/test-app/%2e%2e/%2e%2e/package.json`)).status, 404);
    assert.equal((await fetch(`${host.url}/public/img/missing.png`)).status, 404);
    assert.equal((await fetch(`${host.url}/public/build/img/icons/unicons/cog.svg`)).status, 200);
    assert.equal((await fetch(`${host.url}/api/user`)).status, 401, 'the API needs a session');
  });
});

describe('the app’s real plugin.json routes grant what the API contract says', () => {
  const app = repoPlugins().find((p) => p.type === 'app')!;
  const ds = repoPlugins().find((p) => p.type === 'datasource')!;
  const ROLES: OrgRole[] = ['Viewer', 'Editor', 'Admin'];
  // [method, path, lowest role allowed] from the agreed REST shapes (/tmp/notes/api-contract.md).
  const CONTRACT: [string, string, OrgRole][] = [
    ['GET', 'api/v1/connections', 'Viewer'],
    ['GET', 'api/v1/resources', 'Viewer'],
    ['GET', 'api/v1/recommendations', 'Viewer'],
    ['GET', 'api/v1/budgets', 'Viewer'],
    ['POST', 'api/v1/query', 'Viewer'],
    ['PATCH', 'api/v1/recommendations/8c4e', 'Editor'],
    ['POST', 'api/v1/recommendations/refresh', 'Editor'],
    ['POST', 'api/v1/budgets', 'Editor'],
    ['PATCH', 'api/v1/budgets/8c4e', 'Editor'],
    ['DELETE', 'api/v1/budgets/8c4e', 'Editor'],
    ['POST', 'api/v1/allocation-rules', 'Editor'],
    ['PATCH', 'api/v1/anomalies/8c4e', 'Editor'],
    ['POST', 'api/v1/unit-metrics', 'Editor'],
    ['POST', 'api/v1/reports', 'Editor'],
    ['POST', 'api/v1/report-destinations', 'Editor'],
    ['POST', 'api/v1/report-runs/8c4e/retry', 'Editor'],
    ['POST', 'api/v1/connections', 'Admin'],
    ['POST', 'api/v1/connections/8c4e/sync', 'Admin'],
    ['POST', 'api/v1/connections/8c4e/test', 'Admin'],
    ['DELETE', 'api/v1/connections/8c4e', 'Admin'],
    ['GET', 'api/v1/admin/status', 'Admin'],
    ['POST', 'api/v1/admin/tokens', 'Admin'],
    ['GET', 'api/v1/audit', 'Admin'],
  ];

  for (const [method, route, lowest] of CONTRACT) {
    it(`${method} ${route}: ${lowest} and above`, () => {
      for (const role of ROLES) {
        const allowed = ROLES.indexOf(role) >= ROLES.indexOf(lowest);
        const got = status(() => matchPluginProxyRoute(app.routes, method, route, role));
        assert.equal(got, allowed ? undefined : 403, `${role} ${allowed ? 'is let through' : 'is refused'}`);
      }
      const match = matchPluginProxyRoute(app.routes, method, route, 'Admin');
      const roleHeader = match.route.headers?.find((h) => h.name.toLowerCase() === 'x-infrazen-role')?.content;
      assert.equal(roleHeader, match.route.reqRole, 'X-Infrazen-Role states the route’s own reqRole');
    });
  }

  it('sends the stored token on every route, from secureJsonData only', () => {
    for (const plugin of [app, ds]) {
      for (const route of plugin.routes) {
        const auth = route.headers?.find((h) => h.name.toLowerCase() === 'authorization')?.content ?? '';
        assert.match(auth, /^Bearer \{\{ \.SecureJsonData\.\w+ \}\}$/, `${plugin.id} ${route.path}`);
        assert.match(route.url ?? '', /^\{\{ \.JsonData\.\w+ \}\}\/api/, `${plugin.id} ${route.path}`);
      }
    }
  });

  it('datasource: every collector call the plugin makes is a Viewer route', () => {
    for (const [method, route] of [
      ['POST', 'api/v1/query'],
      ['GET', 'api/v1/dimensions/region/values'],
      ['GET', 'api/v1/freshness'],
      ['GET', 'api/v1/health'],
      ['GET', 'api/v1/me'],
    ] as const) {
      assert.equal(matchDataProxyRoute(ds.routes, method, route, 'Viewer').route?.reqRole, 'Viewer', route);
    }
  });
});

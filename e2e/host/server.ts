/**
 * The test host's HTTP server: the page (with Grafana's boot data for the signed-in user), the plugins'
 * files, Grafana's plugin settings and datasource APIs, and the two proxies (proxy.ts) in front of the
 * collector. Plain node:http, so that nothing parses or rewrites a proxied request on the way.
 */
import { createRequire } from 'node:module';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { font, icon, readUnder, type StaticFile } from './assets.js';
import { BUNDLE_DIR, ensureHostBundle } from './build.js';
import { forward } from './forward.js';
import { type LoadedPlugin } from './plugins.js';
import {
  buildUpstreamRequest,
  matchDataProxyRoute,
  matchPluginProxyRoute,
  ProxyError,
  type RouteMatch,
} from './proxy.js';
import { BadRequest, HostState } from './state.js';
import type { HostBoot, HostUser } from './types.js';

const require = createRequire(import.meta.url);
const SYSTEMJS_DIST = path.join(path.dirname(require.resolve('systemjs/package.json')), 'dist');
const SESSION_COOKIE = 'grafana_session';
const MAX_JSON_BODY = 1024 * 1024;

export interface ProxyLogEntry {
  kind: 'datasource' | 'app';
  method: string;
  path: string;
  user: string;
  role: string;
  route?: string;
  upstream?: string;
  status: number;
}

export interface HostOptions {
  plugins: LoadedPlugin[];
  /** Datasource instances to create at start (Grafana's provisioning). */
  datasources?: { uid: string; name: string; type: string; jsonData?: Record<string, unknown> }[];
  port?: number;
  /** Serve host/dist as it is (tests of the server alone); otherwise it is rebuilt when stale. */
  reuseBundle?: boolean;
}

export interface Host {
  url: string;
  state: HostState;
  /** Every proxied request and how it was answered, newest last. */
  proxyLog: ProxyLogEntry[];
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendFile(res: ServerResponse, file: StaticFile | undefined, cache = 'no-cache'): void {
  if (!file) {
    sendJson(res, 404, { message: 'Not found' });
    return;
  }
  res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.body.length, 'cache-control': cache });
  res.end(file.body);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) {
      return v.join('=');
    }
  }
  return undefined;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BODY) {
      throw new BadRequest('request body too large');
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new BadRequest('request body is not JSON');
  }
}

/** JSON for an inline <script>: `</script>` and friends cannot end it early. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function bootData(user: HostUser, boot: HostBoot) {
  return {
    user: {
      id: user.id,
      uid: `u-${user.login}`,
      login: user.login,
      name: user.name,
      email: user.email,
      isSignedIn: true,
      isGrafanaAdmin: user.isGrafanaAdmin,
      orgId: user.orgId,
      orgName: user.orgName,
      orgRole: user.orgRole,
      theme: user.theme,
      language: user.language,
      locale: user.language,
      timezone: 'browser',
      weekStart: 'monday',
      permissions: {},
    },
    settings: {
      appSubUrl: '',
      appUrl: '/',
      buildInfo: { version: '12.4.10', commit: 'e2e-host', env: 'production', edition: 'Open Source' },
      datasources: Object.fromEntries(
        boot.datasources.map((ds) => [ds.name, { ...ds, url: `/api/datasources/proxy/uid/${ds.uid}` }])
      ),
      defaultDatasource: boot.datasources.find((ds) => ds.isDefault)?.name ?? '',
      featureToggles: {},
      apps: Object.fromEntries(
        boot.plugins
          .filter((p) => p.type === 'app')
          .map((p) => [p.id, { id: p.id, path: p.module, version: p.info.version, preload: false }])
      ),
      panels: {},
    },
    navTree: [],
  };
}

function page(user: HostUser, boot: HostBoot): string {
  return `<!doctype html>
<html lang="${user.language}">
<head>
<meta charset="utf-8">
<base href="/">
<title>Grafana (InfraZen test host)</title>
<link rel="stylesheet" href="/host/bundle/host.css">
<script>
window.grafanaBootData = ${scriptJson(bootData(user, boot))};
window.__grafana_public_path__ = '/public/';
window.__e2eHost = ${scriptJson(boot)};
</script>
<script src="/host/systemjs/system.min.js"></script>
<script defer src="/host/bundle/host.js"></script>
</head>
<body><div id="root"></div></body>
</html>`;
}

export async function startHost(options: HostOptions): Promise<Host> {
  if (!options.reuseBundle) {
    await ensureHostBundle();
  }
  const state = new HostState(options.plugins);
  for (const ds of options.datasources ?? []) {
    state.addDataSource(ds);
  }
  const proxyLog: ProxyLogEntry[] = [];

  async function proxy(
    req: IncomingMessage,
    res: ServerResponse,
    user: HostUser,
    kind: 'datasource' | 'app',
    id: string,
    proxyPath: string,
    query: string
  ) {
    const entry: ProxyLogEntry = {
      kind,
      method: req.method ?? 'GET',
      path: proxyPath,
      user: user.login,
      role: user.orgRole,
      status: 0,
    };
    proxyLog.push(entry);
    try {
      let match: RouteMatch;
      let data;
      let plugin: LoadedPlugin | undefined;
      if (kind === 'datasource') {
        const ds = state.dataSource(id);
        if (!ds) {
          throw new ProxyError(404, 'Unable to find datasource');
        }
        plugin = state.plugin(ds.type)!;
        match = matchDataProxyRoute(plugin.routes, entry.method, proxyPath, user.orgRole);
        data = state.dataSourceTemplateData(id);
      } else {
        plugin = state.plugin(id);
        if (!plugin || plugin.type !== 'app') {
          throw new ProxyError(404, 'Plugin not found, no installed plugin with that id');
        }
        match = matchPluginProxyRoute(plugin.routes, entry.method, proxyPath, user.orgRole);
        data = state.appTemplateData(id);
      }
      entry.route = match.route?.path;
      const upstream = buildUpstreamRequest({
        kind,
        match,
        baseUrl: kind === 'datasource' ? state.dataSource(id)!.url : undefined,
        query,
        incoming: req.headers,
        data,
        user,
        remoteAddress: req.socket.remoteAddress ?? '127.0.0.1',
      });
      entry.upstream = new URL(upstream.url).pathname;
      entry.status = (await forward(req, res, upstream, kind)).status;
    } catch (err) {
      entry.status = err instanceof ProxyError ? err.status : 502;
      if (!res.headersSent) {
        sendJson(res, entry.status, { message: err instanceof Error ? err.message : 'proxy error' });
      } else {
        res.destroy();
      }
    }
  }

  async function api(req: IncomingMessage, res: ServerResponse, user: HostUser, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const parts = url.pathname.split('/').slice(2);
    const rest = (n: number) => parts.slice(n).join('/');
    const query = url.search.replace(/^\?/, '');
    if (parts[0] === 'datasources' && parts[1] === 'proxy' && parts[2] === 'uid' && parts[3]) {
      return proxy(req, res, user, 'datasource', parts[3], rest(4), query);
    }
    if (parts[0] === 'plugin-proxy' && parts[1]) {
      return proxy(req, res, user, 'app', parts[1], rest(2), query);
    }
    if (parts[0] === 'plugins' && parts[1] && parts[2] === 'settings' && parts.length === 3) {
      if (method === 'GET') {
        const dto = state.pluginSettings(parts[1]);
        return dto ? sendJson(res, 200, dto) : sendJson(res, 404, { message: 'Plugin not found' });
      }
      if (method === 'POST') {
        if (user.orgRole !== 'Admin') {
          return sendJson(res, 403, { message: 'Permission denied' });
        }
        state.updateAppSettings(parts[1], await readJson(req));
        return sendJson(res, 200, { message: 'Plugin settings updated' });
      }
    }
    if (parts[0] === 'datasources' && parts.length === 1 && method === 'GET') {
      return sendJson(res, 200, state.dataSources());
    }
    if (parts[0] === 'datasources' && parts[1] === 'uid' && parts[2] && parts.length === 3) {
      const ds = state.dataSource(parts[2]);
      if (!ds) {
        return sendJson(res, 404, { message: 'Data source not found' });
      }
      if (method === 'GET') {
        return sendJson(res, 200, ds);
      }
      if (method === 'PUT') {
        if (user.orgRole !== 'Admin') {
          return sendJson(res, 403, { message: 'Permission denied' });
        }
        const updated = state.updateDataSource(parts[2], await readJson(req));
        return sendJson(res, 200, {
          datasource: updated,
          id: updated.id,
          name: updated.name,
          message: 'Datasource updated',
        });
      }
    }
    if (parts[0] === 'user' && parts.length === 1) {
      return sendJson(res, 200, { ...user, isGrafanaAdmin: user.isGrafanaAdmin });
    }
    sendJson(res, 404, { message: 'Not found' });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    const { pathname } = url;

    if (pathname === '/login') {
      const { sid } = state.login({
        user: url.searchParams.get('user') ?? undefined,
        role: url.searchParams.get('role') ?? undefined,
        theme: url.searchParams.get('theme') ?? undefined,
        language: url.searchParams.get('lang') ?? undefined,
      });
      const next = url.searchParams.get('next') ?? '/';
      res.writeHead(302, {
        'set-cookie': `${SESSION_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax`,
        // Only local paths: the host must not become an open redirect.
        location: next.startsWith('/') && !next.startsWith('//') ? next : '/',
      });
      res.end();
      return;
    }
    if (pathname.startsWith('/host/bundle/')) {
      return sendFile(res, readUnder(BUNDLE_DIR, pathname.slice('/host/bundle/'.length)));
    }
    if (pathname.startsWith('/host/systemjs/')) {
      return sendFile(res, readUnder(SYSTEMJS_DIST, pathname.slice('/host/systemjs/'.length)), 'max-age=3600');
    }
    if (pathname.startsWith('/public/')) {
      const plugin = /^\/public\/plugins\/([^/]+)\/(.+)$/.exec(pathname);
      if (plugin) {
        const found = state.plugin(plugin[1]!);
        return sendFile(res, found ? readUnder(found.dir, plugin[2]!) : undefined);
      }
      const iconMatch = /^\/public\/build\/img\/icons\/[a-z]+\/([a-z0-9-]+)\.svg$/.exec(pathname);
      if (iconMatch) {
        return sendFile(res, icon(iconMatch[1]!), 'max-age=3600');
      }
      if (pathname.startsWith('/public/fonts/')) {
        return sendFile(res, font(pathname.slice('/public/fonts/'.length)), 'max-age=3600');
      }
      // Never index.html for a missing asset: a plugin asking for a file it did not ship must see a 404.
      return sendJson(res, 404, { message: 'Not found' });
    }

    const user = state.session(cookie(req, SESSION_COOKIE));
    if (pathname.startsWith('/api/')) {
      if (!user) {
        return sendJson(res, 401, { message: 'Unauthorized' });
      }
      return api(req, res, user, url);
    }
    if (!user) {
      res.writeHead(302, { location: `/login?next=${encodeURIComponent(pathname + url.search)}` });
      res.end();
      return;
    }
    const boot: HostBoot = {
      user,
      plugins: state.plugins.map((p) => state.pluginSettings(p.id)!),
      datasources: state.dataSources(),
    };
    const html = page(user, boot);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof BadRequest) {
        sendJson(res, 400, { message: err.message });
      } else {
        sendJson(res, 500, { message: err instanceof Error ? err.message : 'internal error' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    proxyLog,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

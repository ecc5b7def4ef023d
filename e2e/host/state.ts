/**
 * What a Grafana server keeps for one organisation, in memory: its users and their sessions, app plugin
 * settings and datasource instances. Secrets live only here (server side); the page sees
 * `secureJsonFields` flags, as in Grafana.
 */
import { randomBytes } from 'node:crypto';

import type { LoadedPlugin } from './plugins.js';
import { ORG_ROLES, type OrgRole } from './proxy.js';
import type { DataSourceDto, HostUser, PluginSettingsDto, ThemeName } from './types.js';

export const ORG = { id: 1, name: 'Main Org.' };

/** The simulated Grafana users; `role` on login can override the org role. */
const USERS: Record<string, Pick<HostUser, 'id' | 'name' | 'orgRole' | 'isGrafanaAdmin'>> = {
  admin: { id: 1, name: 'Admin', orgRole: 'Admin', isGrafanaAdmin: true },
  editor: { id: 2, name: 'Edith Editor', orgRole: 'Editor', isGrafanaAdmin: false },
  viewer: { id: 3, name: 'Victor Viewer', orgRole: 'Viewer', isGrafanaAdmin: false },
};

export interface LoginInput {
  user?: string;
  role?: string;
  theme?: string;
  language?: string;
}

interface AppSettings {
  enabled: boolean;
  pinned: boolean;
  jsonData: Record<string, unknown>;
  secureJsonData: Record<string, string>;
}

interface DataSourceRecord {
  dto: Omit<DataSourceDto, 'secureJsonFields'>;
  secureJsonData: Record<string, string>;
}

export class BadRequest extends Error {}

function secureFields(secure: Record<string, string>): Record<string, boolean> {
  return Object.fromEntries(
    Object.entries(secure)
      .filter(([, v]) => v !== '')
      .map(([k]) => [k, true])
  );
}

function asRecord(value: unknown, name: string): Record<string, unknown> {
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new BadRequest(`${name} must be an object`);
  }
  return value as Record<string, unknown>;
}

function asSecrets(value: unknown): Record<string, string> {
  const record = asRecord(value, 'secureJsonData');
  for (const [k, v] of Object.entries(record)) {
    if (typeof v !== 'string') {
      throw new BadRequest(`secureJsonData.${k} must be a string`);
    }
  }
  return record as Record<string, string>;
}

export class HostState {
  private readonly sessions = new Map<string, HostUser>();
  private readonly apps = new Map<string, AppSettings>();
  private readonly datasources = new Map<string, DataSourceRecord>();

  constructor(readonly plugins: LoadedPlugin[]) {
    for (const p of plugins.filter((p) => p.type === 'app')) {
      this.apps.set(p.id, { enabled: false, pinned: false, jsonData: {}, secureJsonData: {} });
    }
  }

  plugin(id: string): LoadedPlugin | undefined {
    return this.plugins.find((p) => p.id === id);
  }

  login(input: LoginInput): { sid: string; user: HostUser } {
    const login = input.user ?? 'admin';
    const known = USERS[login];
    if (!known) {
      throw new BadRequest(`unknown user ${login} (admin, editor, viewer)`);
    }
    if (input.role !== undefined && !(ORG_ROLES as readonly string[]).includes(input.role)) {
      throw new BadRequest(`role must be one of ${ORG_ROLES.join(', ')}`);
    }
    if (input.theme !== undefined && input.theme !== 'light' && input.theme !== 'dark') {
      throw new BadRequest('theme must be light or dark');
    }
    const user: HostUser = {
      ...known,
      login,
      email: `${login}@example.test`,
      orgId: ORG.id,
      orgName: ORG.name,
      orgRole: (input.role as OrgRole | undefined) ?? known.orgRole,
      theme: (input.theme as ThemeName | undefined) ?? 'dark',
      language: input.language ?? 'en-US',
    };
    const sid = randomBytes(16).toString('hex');
    this.sessions.set(sid, user);
    return { sid, user };
  }

  logout(sid: string | undefined): void {
    if (sid) {
      this.sessions.delete(sid);
    }
  }

  session(sid: string | undefined): HostUser | undefined {
    return sid ? this.sessions.get(sid) : undefined;
  }

  pluginSettings(id: string): PluginSettingsDto | undefined {
    const plugin = this.plugin(id);
    if (!plugin) {
      return undefined;
    }
    const { routes: _routes, ...json } = plugin.json;
    const app = this.apps.get(id);
    const defaultNav = json.includes?.find((i) => i.defaultNav && i.path);
    return {
      ...json,
      enabled: plugin.type === 'app' ? (app?.enabled ?? false) : true,
      pinned: app?.pinned ?? false,
      module: `public/plugins/${id}/module.js`,
      baseUrl: `public/plugins/${id}`,
      jsonData: app?.jsonData ?? {},
      secureJsonFields: secureFields(app?.secureJsonData ?? {}),
      defaultNavUrl: defaultNav?.path,
    };
  }

  /** POST /api/plugins/:id/settings: jsonData replaced, secureJsonData merged key by key. */
  updateAppSettings(id: string, body: unknown): void {
    const app = this.apps.get(id);
    if (!app) {
      throw new BadRequest(`${id} is not an app plugin`);
    }
    const input = asRecord(body, 'body');
    if (input.enabled !== undefined) {
      app.enabled = Boolean(input.enabled);
    }
    if (input.pinned !== undefined) {
      app.pinned = Boolean(input.pinned);
    }
    if (input.jsonData !== undefined) {
      app.jsonData = asRecord(input.jsonData, 'jsonData');
    }
    Object.assign(app.secureJsonData, asSecrets(input.secureJsonData));
  }

  appTemplateData(id: string) {
    const app = this.apps.get(id);
    return { JsonData: app?.jsonData ?? {}, SecureJsonData: app?.secureJsonData ?? {} };
  }

  addDataSource(input: { uid: string; name: string; type: string; jsonData?: Record<string, unknown> }): void {
    const plugin = this.plugin(input.type);
    if (!plugin || plugin.type !== 'datasource') {
      throw new BadRequest(`${input.type} is not a datasource plugin`);
    }
    this.datasources.set(input.uid, {
      dto: {
        id: this.datasources.size + 1,
        uid: input.uid,
        orgId: ORG.id,
        name: input.name,
        type: input.type,
        typeName: plugin.json.name,
        typeLogoUrl: `public/plugins/${plugin.id}/${plugin.json.info.logos.small}`,
        access: 'proxy',
        url: '',
        user: '',
        database: '',
        basicAuth: false,
        basicAuthUser: '',
        withCredentials: false,
        isDefault: this.datasources.size === 0,
        jsonData: input.jsonData ?? {},
        version: 1,
        readOnly: false,
      },
      secureJsonData: {},
    });
  }

  dataSource(uid: string): DataSourceDto | undefined {
    const record = this.datasources.get(uid);
    return record ? { ...record.dto, secureJsonFields: secureFields(record.secureJsonData) } : undefined;
  }

  dataSources(): DataSourceDto[] {
    return [...this.datasources.keys()].map((uid) => this.dataSource(uid)!);
  }

  /** PUT /api/datasources/uid/:uid: name, url and jsonData replaced, secureJsonData merged key by key. */
  updateDataSource(uid: string, body: unknown): DataSourceDto {
    const record = this.datasources.get(uid);
    if (!record) {
      throw new BadRequest(`datasource ${uid} not found`);
    }
    const input = asRecord(body, 'body');
    if (typeof input.name !== 'string' || input.name.trim() === '') {
      throw new BadRequest('name is required');
    }
    record.dto = {
      ...record.dto,
      name: input.name,
      url: typeof input.url === 'string' ? input.url : record.dto.url,
      jsonData: asRecord(input.jsonData, 'jsonData'),
      version: record.dto.version + 1,
    };
    Object.assign(record.secureJsonData, asSecrets(input.secureJsonData));
    return this.dataSource(uid)!;
  }

  dataSourceTemplateData(uid: string) {
    const record = this.datasources.get(uid)!;
    return { JsonData: record.dto.jsonData, SecureJsonData: record.secureJsonData, URL: record.dto.url };
  }
}

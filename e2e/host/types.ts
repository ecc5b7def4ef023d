/** Shapes shared by the host server and the host page (no Node or DOM imports here). */
import type { OrgRole, SignedInUser } from './proxy.js';

export type ThemeName = 'light' | 'dark';

/** A signed-in user with the preferences the page is drawn with. */
export interface HostUser extends SignedInUser {
  theme: ThemeName;
  /** BCP 47, as Grafana keeps it in the user's preferences. */
  language: string;
}

/** plugin.json as the host reads it from a plugin's dist/. */
export interface PluginJson {
  id: string;
  type: 'app' | 'datasource' | 'panel';
  name: string;
  info: { version: string; updated: string; logos: { small: string; large: string }; description?: string };
  includes?: PluginInclude[];
  routes?: unknown[];
  dependencies?: { grafanaDependency?: string; plugins?: unknown[] };
}

export interface PluginInclude {
  type: string;
  name: string;
  path?: string;
  role?: OrgRole;
  addToNav?: boolean;
  defaultNav?: boolean;
  icon?: string;
  [k: string]: unknown;
}

/** GET /api/plugins/:id/settings (Grafana's PluginSettingsDTO, the fields plugins read). */
export interface PluginSettingsDto extends Omit<PluginJson, 'routes'> {
  enabled: boolean;
  pinned: boolean;
  module: string;
  baseUrl: string;
  jsonData: Record<string, unknown>;
  secureJsonFields: Record<string, boolean>;
  defaultNavUrl?: string;
}

/** GET /api/datasources/uid/:uid (Grafana's DataSource DTO). */
export interface DataSourceDto {
  id: number;
  uid: string;
  orgId: number;
  name: string;
  type: string;
  typeName: string;
  typeLogoUrl: string;
  access: 'proxy';
  url: string;
  user: string;
  database: string;
  basicAuth: boolean;
  basicAuthUser: string;
  withCredentials: boolean;
  isDefault: boolean;
  jsonData: Record<string, unknown>;
  secureJsonFields: Record<string, boolean>;
  version: number;
  readOnly: boolean;
}

/** Injected into the page as window.__e2eHost. */
export interface HostBoot {
  user: HostUser;
  plugins: PluginSettingsDto[];
  datasources: DataSourceDto[];
}

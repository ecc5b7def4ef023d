/**
 * Keystone v3 as Selectel runs it: password auth with the account id as the user's domain and a project
 * scope; 201 with the token in `X-Subject-Token` and the service catalog in the body (regional endpoint
 * URLs, here pointing back at the sandbox). 401 for a wrong name, password or domain, 403 for a project
 * the user has no role in. Tokens can be made to expire after N requests through the fault switchboard.
 */
import { hashSeed } from '../random.js';
import type { SelectelAccount } from './model.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export type AuthOutcome = { status: 201; projectScoped: boolean } | { status: 400 | 401 | 403; body: Json };

const keystoneError = (code: number, title: string, message: string): Json => ({ error: { code, title, message } });

/** Checks a `POST /v3/auth/tokens` body against the account. */
export function checkPasswordAuth(account: SelectelAccount, body: unknown): AuthOutcome {
  const auth = obj(obj(body).auth);
  const identity = obj(auth.identity);
  const methods = Array.isArray(identity.methods) ? identity.methods : [];
  if (!methods.includes('password')) {
    return {
      status: 400,
      body: keystoneError(400, 'Bad Request', 'Expecting to find identity.methods with "password".'),
    };
  }
  const user = obj(obj(identity.password).user);
  const domain = obj(user.domain);
  const domainMatches = text(domain.name) === account.accountId || text(domain.id) === account.accountId;
  if (text(user.name) !== account.username || text(user.password) !== account.password || !domainMatches) {
    return {
      status: 401,
      body: keystoneError(401, 'Unauthorized', 'The request you have made requires authentication.'),
    };
  }
  const scope = obj(auth.scope);
  if (scope.project === undefined) return { status: 201, projectScoped: false };
  const project = obj(scope.project);
  const byId = text(project.id) === account.projectId;
  const byName = text(project.name) === account.projectName;
  if (!byId && !byName) {
    return {
      status: 403,
      body: keystoneError(
        403,
        'Forbidden',
        'You are not authorized to perform the requested action: identity:get_project.'
      ),
    };
  }
  return { status: 201, projectScoped: true };
}

/** Issued tokens and how many authenticated requests each has served. */
export class TokenStore {
  private readonly tokens = new Map<string, { uses: number; projectScoped: boolean }>();
  private serial = 0;

  constructor(private readonly seed: number) {}

  issue(projectScoped: boolean): string {
    this.serial++;
    const token = `gAAAAAB${hashSeed(this.seed, 'token', this.serial).toString(16)}${hashSeed(this.serial, 'token').toString(16)}`;
    this.tokens.set(token, { uses: 0, projectScoped });
    return token;
  }

  /** Counts one use; false when the token is unknown, unscoped, or past its lifetime. */
  use(token: string | undefined, lifetime: number | undefined): boolean {
    const entry = token === undefined ? undefined : this.tokens.get(token);
    if (!entry || !entry.projectScoped) return false;
    if (lifetime !== undefined && entry.uses >= lifetime) return false;
    entry.uses++;
    return true;
  }
}

/** The token body: user, project, roles and the service catalog with one set of endpoints per region. */
export function tokenBody(
  account: SelectelAccount,
  regionBase: (region: string) => string,
  identityUrl: string,
  now: Date,
  projectScoped: boolean
): Json {
  const endpoints = (region: string, publicUrl: string, internalPath: string, service: string) => [
    {
      id: hashSeed(region, service, 'public').toString(16),
      interface: 'public',
      region,
      region_id: region,
      url: publicUrl,
    },
    // Internal endpoints are unreachable from outside; a connector must pick the public interface.
    {
      id: hashSeed(region, service, 'internal').toString(16),
      interface: 'internal',
      region,
      region_id: region,
      url: `http://${service}.${region}.internal${internalPath}`,
    },
  ];
  const service = (type: string, name: string, path: (region: string) => string) => ({
    id: hashSeed(type, name).toString(16),
    type,
    name,
    endpoints: account.catalogRegions.flatMap((region) =>
      endpoints(region, `${regionBase(region)}${path(region)}`, path(region), name)
    ),
  });
  const catalog = [
    {
      id: hashSeed('identity').toString(16),
      type: 'identity',
      name: 'keystone',
      // Identity is global; its region tag must not be mistaken for a compute region.
      endpoints: [{ id: 'identity-public', interface: 'public', region: 'ru-1', region_id: 'ru-1', url: identityUrl }],
    },
    service('compute', 'nova', () => '/compute/v2.1'),
    service('volumev3', 'cinderv3', () => `/volume/v3/${account.projectId}`),
    service('network', 'neutron', () => '/network/'),
    service('metric', 'gnocchi', () => '/metric/'),
  ];
  const expires = new Date(now.getTime() + 24 * 3_600_000);
  return {
    token: {
      methods: ['password'],
      user: {
        id: hashSeed(account.username).toString(16),
        name: account.username,
        domain: { id: account.accountId, name: account.accountId },
      },
      audit_ids: [hashSeed(now.getTime()).toString(36)],
      expires_at: expires.toISOString().replace('Z', '000Z'),
      issued_at: now.toISOString().replace('Z', '000Z'),
      ...(projectScoped
        ? {
            project: {
              id: account.projectId,
              name: account.projectName,
              domain: { id: account.accountId, name: account.accountId },
            },
            roles: [{ id: hashSeed('member').toString(16), name: 'member' }],
            catalog,
          }
        : { catalog: [] }),
    },
  };
}

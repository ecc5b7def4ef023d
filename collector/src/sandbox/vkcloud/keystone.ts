/**
 * Keystone v3 as VK Cloud runs it: password auth in the `users` domain, scoped to the project id;
 * 201 with the token in `X-Subject-Token` and a catalog publishing each service on its own URL per
 * region (public and internal interfaces; here the public ones point back at the sandbox). A wrong
 * name, password or domain is a 401; a project the user has no role in is a 401 too, told apart only
 * by its message — as Keystone does.
 */
import { hashSeed } from '../random.js';
import type { VkAccount } from './model.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const error = (code: number, title: string, message: string): Json => ({ error: { code, title, message } });

export type AuthOutcome = { status: 201 } | { status: 400 | 401; body: Json };

export function checkPasswordAuth(account: VkAccount, body: unknown): AuthOutcome {
  const auth = obj(obj(body).auth);
  const identity = obj(auth.identity);
  if (!(Array.isArray(identity.methods) && identity.methods.includes('password'))) {
    return { status: 400, body: error(400, 'Bad Request', 'Expecting to find identity.methods with "password".') };
  }
  const user = obj(obj(identity.password).user);
  const domain = obj(user.domain);
  const domainOk = text(domain.id) === account.domain || text(domain.name) === account.domain;
  if (text(user.name) !== account.username || text(user.password) !== account.password || !domainOk) {
    return { status: 401, body: error(401, 'Unauthorized', 'The request you have made requires authentication.') };
  }
  const project = obj(obj(auth.scope).project);
  if (text(project.id) !== account.projectId) {
    return {
      status: 401,
      body: error(
        401,
        'Unauthorized',
        `User ${hashSeed(account.username).toString(16)} has no access to project ${text(project.id) ?? ''}`
      ),
    };
  }
  return { status: 201 };
}

/** The token body: user, project, roles and the catalog (one URL per service, region and interface). */
export function tokenBody(account: VkAccount, base: (region: string) => string, identityUrl: string, now: Date): Json {
  const service = (type: string, name: string, path: (region: string) => string) => ({
    id: hashSeed(type, name).toString(16),
    type,
    name,
    endpoints: account.regions.flatMap((region) => [
      {
        id: hashSeed(region, name, 'public').toString(16),
        interface: 'public',
        region,
        region_id: region,
        url: `${base(region)}${path(region)}`,
      },
      // Internal endpoints are unreachable from outside; a connector must pick the public interface.
      {
        id: hashSeed(region, name, 'internal').toString(16),
        interface: 'internal',
        region,
        region_id: region,
        url: `http://${name}.${region}.internal:8080${path(region)}`,
      },
    ]),
  });
  return {
    token: {
      methods: ['password'],
      user: {
        id: hashSeed(account.username).toString(16),
        name: account.username,
        domain: { id: account.domain, name: account.domain },
      },
      project: {
        id: account.projectId,
        name: account.projectName,
        domain: { id: account.domain, name: account.domain },
      },
      roles: [{ id: hashSeed('mcs_admin').toString(16), name: 'mcs_admin' }],
      issued_at: now.toISOString(),
      expires_at: new Date(now.getTime() + account.tokenTtlSeconds * 1000).toISOString(),
      catalog: [
        {
          id: 'identity',
          type: 'identity',
          name: 'keystone',
          endpoints: [{ id: 'identity-public', interface: 'public', region: account.regions[0], url: identityUrl }],
        },
        service('compute', 'nova', () => `/compute/v2.1/${account.projectId}`),
        service('volumev3', 'cinderv3', () => `/volume/v3/${account.projectId}`),
        service('network', 'neutron', () => '/network'),
        service('metric', 'gnocchi', () => '/metric'),
      ],
    },
  };
}

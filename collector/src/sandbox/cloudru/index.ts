/**
 * The Cloud.ru Evolution fake, mounted by the sandbox under `/cloudru`:
 * - `/cloudru/iam/api/v1/auth/token` is iam.api.cloud.ru (`{keyId, secret}` → `{access_token, expires_in}`);
 * - `/cloudru/organization/v2/consumption` is organization.api.cloud.ru (Bearer; `project_ids`,
 *   `start_date`/`end_date` read as inclusive dates, `page_filter.page_size`/`page_token`);
 * - `/cloudru/compute/api/v1/{vms,disks}` is compute.api.cloud.ru (Bearer; `project_id`, `limit`/`offset`,
 *   `{items, total}`; 403 for a project the key may not read).
 * Fault switch names: `cloudru.auth`, `cloudru.consumption`, `cloudru.vms:<project>`,
 * `cloudru.disks:<project>`, `cloudru.token-expiry`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  cloudruSettingsSchema,
  type CloudruCredentials,
  type CloudruSettings,
} from '../../providers/cloudru/schema.js';
import { IssuedTokens } from '../issued-tokens.js';
import { hashSeed } from '../random.js';
import type { FakeInit, ProviderFake } from '../types.js';
import { charges, rowJson } from './consumption.js';
import { generateAccount, type CloudruAccount, type CloudruSandboxOptions } from './model.js';
import { buildTruth, type CloudruTruth } from './truth.js';

export type { CloudruSandboxOptions } from './model.js';
export type { CloudruTruth } from './truth.js';

export const CLOUDRU_PREFIX = '/cloudru';

type Query = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const many = (v: string | string[] | undefined) =>
  (v === undefined ? [] : Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter(Boolean);
const json = (reply: FastifyReply, status: number, body: unknown) =>
  reply.code(status).type('application/json').send(JSON.stringify(body));
const grpcError = (code: string, message: string) => ({ code, message, details: [] });

/** `2025-10-10`, or an RFC 3339 timestamp whose date is taken: the Moscow day number. */
function dayParam(value: string | undefined): number | undefined {
  const m = value === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(ms) ? undefined : ms / 86_400_000;
}

/** Page tokens are opaque and tied to their query, as a real API's are. */
const tokenFor = (offset: number, key: string) =>
  Buffer.from(`${offset}:${hashSeed(key).toString(36)}`).toString('base64url');
function offsetOf(token: string | undefined, key: string): number | undefined {
  if (!token) return 0;
  const [offset, hash] = Buffer.from(token, 'base64url').toString().split(':');
  return hash === hashSeed(key).toString(36) && /^\d+$/.test(offset ?? '') ? Number(offset) : undefined;
}

function routes(account: CloudruAccount, init: FakeInit, tokens: IssuedTokens) {
  return async (app: FastifyInstance) => {
    app.post('/iam/api/v1/auth/token', { config: { endpoint: 'cloudru.auth' } }, async (request, reply) => {
      const body = (request.body ?? {}) as { keyId?: unknown; secret?: unknown };
      if (typeof body.keyId !== 'string' || typeof body.secret !== 'string') {
        return json(reply, 400, grpcError('INVALID_ARGUMENT', 'keyId and secret are required'));
      }
      if (body.keyId !== account.keyId || body.secret !== account.secret) {
        return json(reply, 401, grpcError('UNAUTHENTICATED', 'invalid access key'));
      }
      const ttl = account.tokenTtlSeconds;
      return json(reply, 200, { access_token: tokens.issue(ttl), expires_in: ttl, token_type: 'Bearer' });
    });

    const bearer = async (request: FastifyRequest, reply: FastifyReply) => {
      const header = one(request.headers.authorization);
      const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
      if (!tokens.use(token)) return json(reply, 401, grpcError('UNAUTHENTICATED', 'token is expired or invalid'));
    };

    app.get(
      '/organization/v2/consumption',
      { config: { endpoint: 'cloudru.consumption' }, preHandler: bearer },
      async (request, reply) => {
        const q = request.query as Query;
        const from = dayParam(one(q.start_date));
        const to = dayParam(one(q.end_date));
        if (from === undefined || to === undefined || to < from) {
          return json(
            reply,
            400,
            grpcError('INVALID_ARGUMENT', 'start_date and end_date are required, start_date ≤ end_date')
          );
        }
        const asked = many(q.project_ids);
        const forbidden = asked.filter((id) => !account.projects.some((p) => p.id === id && p.accessible));
        if (forbidden.length > 0) return json(reply, 403, grpcError('PERMISSION_DENIED', 'no access to the project'));
        // Without a filter the customer's whole consumption is served, the other team's project included.
        const projects = asked.length > 0 ? new Set(asked) : undefined;
        const size = Math.min(Number(one(q['page_filter.page_size'])) || account.pageSize, account.pageSize);
        const key = `${from}:${to}:${[...(projects ?? [])].sort().join(',')}`;
        const offset = offsetOf(one(q['page_filter.page_token']), key);
        if (offset === undefined) return json(reply, 400, grpcError('INVALID_ARGUMENT', 'invalid page token'));
        const now = init.now();
        const rows = charges(account, from, to, projects, now);
        const page = rows.slice(offset, offset + size).map((c) => rowJson(account, c, now));
        const next = offset + size < rows.length ? tokenFor(offset + size, key) : '';
        return json(reply, 200, { consumptions: page, next_page_token: next });
      }
    );

    const list = (kind: 'vms' | 'disks', render: (projectId: string) => unknown[]) =>
      app.get(
        `/compute/api/v1/${kind}`,
        {
          config: {
            endpoint: (request: FastifyRequest) => `cloudru.${kind}:${one((request.query as Query).project_id) ?? ''}`,
          },
          preHandler: bearer,
        },
        async (request, reply) => {
          const q = request.query as Query;
          const projectId = one(q.project_id);
          if (!projectId) return json(reply, 422, grpcError('INVALID_ARGUMENT', 'project_id is required'));
          if (!account.projects.some((p) => p.id === projectId && p.accessible)) {
            return json(reply, 403, grpcError('PERMISSION_DENIED', 'no access to the project'));
          }
          const limit = Math.min(Number(one(q.limit)) || account.listLimit, account.listLimit);
          const offset = Math.max(0, Number(one(q.offset)) || 0);
          const items = render(projectId);
          return json(reply, 200, { items: items.slice(offset, offset + limit), total: items.length });
        }
      );
    list('vms', (projectId) => account.vms.filter((v) => v.projectId === projectId).map((v) => vmJson(v)));
    list('disks', (projectId) =>
      account.disks.filter((d) => d.projectId === projectId).map((d) => diskJson(account, d))
    );
  };
}

function vmJson(v: CloudruAccount['vms'][number]) {
  return {
    id: v.id,
    name: v.name,
    project_id: v.projectId,
    description: '',
    image_id: null,
    tags: [],
    flavor: {
      id: v.flavor.id,
      name: v.flavor.name,
      cpu: v.flavor.cpu,
      ram: v.flavor.ram,
      gpu: 0,
      oversubscription: '1:1',
    },
    state: v.state,
    locked: false,
    created_time: v.createdAt.toISOString(),
    modified_time: v.createdAt.toISOString(),
    interfaces: [
      {
        id: `${v.id.slice(0, 8)}-if0`,
        ip_address: v.ip,
        floating_ip: v.floatingIp ? { id: `${v.id.slice(0, 8)}-fip`, ip_address: v.floatingIp } : null,
        type: 'regular',
        primary: true,
      },
    ],
    availability_zone: { id: hashSeed(v.zone).toString(16), name: v.zone },
  };
}

function diskJson(account: CloudruAccount, d: CloudruAccount['disks'][number]) {
  const vm = account.vms.find((v) => v.id === d.attachedTo);
  return {
    id: d.id,
    name: d.name,
    project_id: d.projectId,
    size: d.sizeGb,
    bootable: d.bootable,
    state: vm ? 'in_use' : 'available',
    disk_type: { id: hashSeed(d.type).toString(16), name: d.type },
    availability_zone: { id: hashSeed(d.zone).toString(16), name: d.zone },
    vms: vm ? [{ id: vm.id, name: vm.name }] : [],
    created_time: d.createdAt.toISOString(),
  };
}

export function createCloudruFake(
  init: FakeInit & { options: CloudruSandboxOptions }
): ProviderFake<CloudruCredentials, CloudruSettings, CloudruTruth> {
  const account = generateAccount(init.seed, init.now(), init.options);
  const tokens = new IssuedTokens(init.seed, 'cloudru', init.faults, 'eyJ');
  const truth = buildTruth(account, init.now);
  return {
    prefix: CLOUDRU_PREFIX,
    plugin: routes(account, init, tokens),
    credentials: { keyId: account.keyId, secret: account.secret },
    settings: (origin) =>
      cloudruSettingsSchema.parse({
        projectIds: truth.projectIds,
        iamUrl: `${origin}${CLOUDRU_PREFIX}/iam`,
        billingUrl: `${origin}${CLOUDRU_PREFIX}/organization`,
        computeUrl: `${origin}${CLOUDRU_PREFIX}/compute`,
      }),
    truth,
  };
}

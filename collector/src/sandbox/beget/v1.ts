/**
 * The fake v1 API: `POST /v1/auth` for a bearer token, then VPS and cloud listings (offset/limit with
 * total_count) and VPS statistics. Login failures come back as HTTP 200 `{error: CODE}`, as Beget's
 * auth service does; a bad or expired token is a plain 401.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FaultSwitchboard } from '../faults.js';
import type { BegetAccountData, BegetSandboxOptions, FakeCloudService, FakeVps } from './data.js';
import { moscowTimestamp, PERIODS, statisticSeries, type StatisticKind, type StatisticPeriod } from './statistics.js';
import { TokenStore } from './tokens.js';

export interface V1Init {
  data: BegetAccountData;
  faults: FaultSwitchboard;
  seed: number;
  now: () => Date;
  authRefusal?: BegetSandboxOptions['authRefusal'];
}

/** Beget caps a page; a client asking for more gets this many and must page on. */
const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 10;

function vpsJson(vps: FakeVps): Record<string, unknown> {
  const diskBytes = vps.diskMb * 1024 * 1024;
  return {
    id: vps.id,
    slug: vps.slug,
    display_name: vps.displayName,
    hostname: vps.hostname,
    configuration: {
      id: `cfg-${vps.cpu}-${vps.memoryMb}-${vps.diskMb}`,
      name: `${vps.cpu} CPU / ${vps.memoryMb / 1024} GB / ${vps.diskMb / 1024} GB NVMe`,
      cpu_count: vps.cpu,
      disk_size: vps.diskMb,
      memory: vps.memoryMb,
      bandwidth_public: vps.bandwidthMbps,
      price_day: Number(vps.priceDay),
      price_month: Number(vps.priceMonth),
      available: true,
      custom: false,
      configurable: true,
      region: vps.region,
    },
    status: vps.status,
    ssh_keys: [],
    has_password: true,
    manage_enabled: true,
    description: '',
    date_create: moscowTimestamp(vps.createdAt.getTime()),
    ip_address: vps.ip,
    rescue_mode: false,
    disk_used: String(vps.diskUsedBytes),
    disk_left: String(diskBytes - vps.diskUsedBytes),
    additional_ip_address: [],
    archived: false,
    technical_domain: vps.hostname,
    software: vps.software
      ? {
          name: vps.software.name,
          display_name: vps.software.displayName,
          version: vps.software.version,
          address: `https://${vps.hostname}`,
          status: 'INSTALLED',
          // The real API returns the app's admin credentials here; connectors must not keep them.
          field_value: [{ variable: 'N8N_ADMIN_PASSWORD', label_en: 'Admin password', value: 'sandbox-app-secret' }],
        }
      : {},
    region: vps.region,
  };
}

function cloudJson(svc: FakeCloudService): Record<string, unknown> {
  const base = {
    id: svc.id,
    display_name: svc.displayName,
    status: svc.status,
    status_details: '_',
    created_at: moscowTimestamp(svc.createdAt.getTime()),
    price_day: Number(svc.priceDay),
    price_month: Number(svc.priceMonth),
    type: svc.type,
    region: svc.region,
    manage_enabled: true,
  };
  if (svc.type === 'MYSQL5') {
    return {
      ...base,
      mysql5: {
        configuration: { cpu_count: 2, memory: 2048, disk_size: 20480 },
        version: '5.7.34',
        host: `${svc.id.slice(0, 8)}.mysql.beget.cloud`,
        port: 3306,
        disk_used: '458227712',
        disk_left: '21016608768',
      },
    };
  }
  return {
    ...base,
    s3: { bucket: svc.displayName.toLowerCase().replace(/\s+/g, '-'), endpoint: 's3.ru1.storage.beget.cloud' },
  };
}

function page<T>(items: readonly T[], query: unknown): { slice: T[]; total: number } {
  const q = (query ?? {}) as Record<string, unknown>;
  const offset = Math.max(0, Number.parseInt(String(q.offset ?? '0'), 10) || 0);
  const requested = Number.parseInt(String(q.limit ?? DEFAULT_LIMIT), 10) || DEFAULT_LIMIT;
  const limit = Math.min(MAX_LIMIT, Math.max(1, requested));
  return { slice: items.slice(offset, offset + limit), total: items.length };
}

export async function v1Routes(app: FastifyInstance, init: V1Init): Promise<void> {
  const { data, faults } = init;
  const tokens = new TokenStore(faults);

  /** Checks the bearer token; answers 401 itself and returns false when it is not acceptable. */
  const authorized = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const check = tokens.check(request.headers.authorization);
    if (check === 'ok') return true;
    void reply
      .code(401)
      .send({ error: check === 'expired' ? 'TOKEN_EXPIRED' : 'UNAUTHORIZED', message: 'invalid or expired token' });
    return false;
  };

  app.post('/v1/auth', { config: { endpoint: 'beget.auth' } }, async (request) => {
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<
      string,
      unknown
    >;
    if (typeof body.login !== 'string' || body.login === '') return { error: 'EMPTY_LOGIN' };
    if (typeof body.password !== 'string' || body.password === '') return { error: 'EMPTY_PASSWORD' };
    if (init.authRefusal) return { error: init.authRefusal };
    if (body.login !== data.login || body.password !== data.password) return { error: 'INCORRECT_CREDENTIALS' };
    return { token: tokens.issue(data.login, init.now()) };
  });

  app.get('/v1/vps/server/list', { config: { endpoint: 'beget.vps.list' } }, async (request, reply) => {
    if (!authorized(request, reply)) return reply;
    const { slice, total } = page(data.vps, request.query);
    return { vps: slice.map(vpsJson), total_count: total };
  });

  app.get('/v1/cloud', { config: { endpoint: 'beget.cloud.list' } }, async (request, reply) => {
    if (!authorized(request, reply)) return reply;
    const { slice, total } = page(data.cloud, request.query);
    return { service: slice.map(cloudJson), total_count: total };
  });

  app.get(
    '/v1/vps/statistic/:kind/:id',
    {
      config: {
        endpoint: (request) => `beget.vps.statistic:${(request.params as { kind?: string }).kind ?? '?'}`,
      },
    },
    async (request, reply) => {
      if (!authorized(request, reply)) return reply;
      const { kind, id } = request.params as { kind: string; id: string };
      if (kind !== 'cpu' && kind !== 'memory') return reply.code(404).send({ error: 'NOT_FOUND' });
      const vps = data.vps.find((v) => v.id === id);
      if (!vps) return reply.code(404).send({ error: 'NOT_FOUND', message: 'no such server' });
      const raw = String((request.query as Record<string, unknown> | undefined)?.period ?? 'HOUR');
      if (!(raw in PERIODS)) return reply.code(400).send({ error: 'INVALID_ARGUMENT', message: 'unknown period' });
      const series = statisticSeries(init.seed, vps, kind as StatisticKind, raw as StatisticPeriod, init.now());
      return { [kind]: series };
    }
  );
}

/**
 * The Selectel fake, mounted by the sandbox under `/selectel`:
 * - `/selectel/api/…` is api.selectel.ru (X-Token: account, projects, balances, prediction, consumption);
 * - `/selectel/identity/v3/auth/tokens` is Keystone (cloud.api.selcloud.ru/identity/v3);
 * - `/selectel/region/{region}/…` is `https://{region}.cloud.api.selcloud.ru` (Nova, Cinder, Neutron,
 *   Gnocchi) with `X-Auth-Token`.
 * Every route names its endpoint for the fault switchboard (`selectel.consumption`,
 * `selectel.servers:ru-3` …).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  selectelSettingsSchema,
  type SelectelCredentials,
  type SelectelSettings,
} from '../../providers/selectel/schema.js';
import type { FakeInit, ProviderFake } from '../types.js';
import { Consumption, parseMoscow } from './consumption.js';
import { aggregates } from './gnocchi.js';
import { checkPasswordAuth, tokenBody, TokenStore } from './keystone.js';
import { generateAccount, HOUR_MS, type SelectelSandboxOptions } from './model.js';
import { BadRequest, novaMicroversion, paginate, portJson, serverJson, volumeJson } from './openstack.js';
import { buildTruth, type SelectelTruth } from './truth.js';

export type { SelectelSandboxOptions } from './model.js';
export type { SelectelTruth } from './truth.js';

export const SELECTEL_PREFIX = '/selectel';
/** A single response larger than this is refused, as the real API times out on absurd ranges. */
const MAX_ROWS_PER_REQUEST = 2_000_000;

type Query = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
const many = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const regionOf = (request: FastifyRequest) => (request.params as { region?: string }).region ?? 'unknown';
const json = (reply: FastifyReply, status: number, body: unknown) =>
  reply.code(status).type('application/json').send(JSON.stringify(body));

export function createSelectelFake(
  init: FakeInit & { options: SelectelSandboxOptions }
): ProviderFake<SelectelCredentials, SelectelSettings, SelectelTruth> {
  const account = generateAccount(init.seed, init.now(), init.options);
  const consumption = new Consumption(account, init.now);
  const tokens = new TokenStore(init.seed);
  const serversByRegion = (region: string) => account.servers.filter((s) => s.region === region);
  const volumesByRegion = (region: string) => account.volumes.filter((v) => v.region === region);
  const stopped = new Set(account.servers.filter((s) => s.status === 'SHUTOFF').map((s) => s.id));

  const plugin = async (app: FastifyInstance) => {
    const originOf = (request: FastifyRequest) => `${request.protocol}://${request.headers.host ?? '127.0.0.1'}`;

    // ---- api.selectel.ru: static API key -------------------------------------------------------
    const xToken = async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.headers['x-token'] !== account.apiKey) {
        return json(reply, 401, { error: { code: 'UNAUTHORIZED', message: 'Invalid token' } });
      }
    };
    const api = (path: string, endpoint: string, handler: (request: FastifyRequest, reply: FastifyReply) => unknown) =>
      app.get(
        `/api${path}`,
        { config: { endpoint: `selectel.${endpoint}` }, preHandler: xToken },
        async (request, reply) => handler(request, reply)
      );

    api('/vpc/resell/v2/accounts', 'accounts', (_req, reply) =>
      json(reply, 200, {
        account: { name: account.accountId, enabled: true, locked: false, onboarding: false, locks: [] },
      })
    );
    api('/vpc/resell/v2/projects', 'projects', (_req, reply) =>
      json(reply, 200, {
        projects: [
          {
            id: account.projectId,
            name: account.projectName,
            enabled: true,
            url: `https://${account.accountId}.selvpc.ru`,
            custom_url: '',
            theme: { color: '', logo: '' },
          },
        ],
      })
    );
    api('/v3/balances', 'balances', (_req, reply) => {
      const bonus = Math.min(50_000, Math.floor(account.balanceKopecks / 10));
      const settings = { currency: 'rub', mode: 'prepay' };
      const data = {
        billings: [
          {
            billing_type: 'primary',
            balances_values_sum: account.balanceKopecks,
            final_sum: account.balanceKopecks,
            debt_sum: 0,
            balances: [
              { balance_type: 'main', value: account.balanceKopecks - bonus },
              { balance_type: 'bonus', value: bonus },
            ],
            debt: ['vpc', 'dbaas', 'mks', 'storage', 'cdn'].map((service_type) => ({ service_type, debt_value: 0 })),
          },
        ],
      };
      return json(
        reply,
        200,
        account.balancesSettingsAtTop
          ? { status: 'success', data, settings }
          : { status: 'success', data: { ...data, settings } }
      );
    });
    api('/v2/billing/prediction', 'prediction', (_req, reply) =>
      json(reply, 200, {
        status: 'success',
        data: { primary: account.daysToBlock, storage: null, vmware: null, vpc: account.daysToBlock },
      })
    );
    api('/v1/cloud_billing/statistic/consumption', 'consumption', (request, reply) => {
      const q = request.query as Query;
      const start = parseMoscow(one(q.start));
      const end = parseMoscow(one(q.end));
      const keys = new Set(many(q.provider_keys));
      if (start === undefined || end === undefined || end < start) {
        return json(reply, 400, { status: 'error', error: 'start and end must be YYYY-MM-DDTHH:mm:ss, start ≤ end' });
      }
      if (keys.size === 0) return json(reply, 400, { status: 'error', error: 'provider_keys is required' });
      if (one(q.group_type) !== 'project_object_region_metric' || one(q.period_group_type) !== 'hour') {
        return json(reply, 400, {
          status: 'error',
          error: 'the sandbox serves group_type=project_object_region_metric by hour',
        });
      }
      // Every hour that overlaps [start, end] (both ends inclusive, as the API reads them).
      const fromHour = Math.floor(start / HOUR_MS);
      const toHour = Math.floor(end / HOUR_MS) + 1;
      if (consumption.estimateRows(fromHour, toHour, keys) > MAX_ROWS_PER_REQUEST) {
        return json(reply, 400, { status: 'error', error: 'too many rows for one request; narrow the period' });
      }
      return reply
        .code(200)
        .type('application/json')
        .send(consumption.render(fromHour, toHour, keys));
    });

    // ---- Keystone ----------------------------------------------------------------------------
    app.post('/identity/v3/auth/tokens', { config: { endpoint: 'selectel.auth' } }, async (request, reply) => {
      const outcome = checkPasswordAuth(account, request.body);
      if (outcome.status !== 201) return json(reply, outcome.status, outcome.body);
      const origin = originOf(request);
      const token = tokens.issue(outcome.projectScoped);
      reply.header('x-subject-token', token);
      return json(
        reply,
        201,
        tokenBody(
          account,
          (region) => `${origin}${SELECTEL_PREFIX}/region/${region}`,
          `${origin}${SELECTEL_PREFIX}/identity/v3`,
          init.now(),
          outcome.projectScoped
        )
      );
    });

    // ---- regional OpenStack APIs -------------------------------------------------------------
    const xAuthToken = async (request: FastifyRequest, reply: FastifyReply) => {
      const token = one(request.headers['x-auth-token']);
      const lifetime = init.faults.tokenLifetime('selectel');
      if (!tokens.use(token, lifetime)) {
        // One expiry spends one use of the switch (as for Beget), so `times` bounds how often tokens die.
        if (lifetime !== undefined) init.faults.take('selectel.token-expiry', ['token-expiry']);
        return json(reply, 401, {
          error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' },
        });
      }
    };
    const regional = (family: string) => ({
      config: { endpoint: (request: FastifyRequest) => `selectel.${family}:${regionOf(request)}` },
      preHandler: xAuthToken,
    });
    const internal = (request: FastifyRequest, service: string, path: string) =>
      `http://${service}.${regionOf(request)}.internal${path}`;

    app.get('/region/:region/compute/v2.1/servers/detail', regional('servers'), async (request, reply) => {
      const microversion = novaMicroversion(request.headers);
      try {
        const page = paginate(
          serversByRegion(regionOf(request)),
          request.query as { limit?: string; marker?: string },
          account.pageSize,
          internal(request, 'nova-api', '/v2.1/servers/detail'),
          (s) => serverJson(account, s, microversion)
        );
        return json(reply, 200, { servers: page.items, ...(page.links ? { servers_links: page.links } : {}) });
      } catch (err) {
        if (err instanceof BadRequest) return json(reply, 400, { badRequest: { code: 400, message: err.message } });
        throw err;
      }
    });
    app.get('/region/:region/volume/v3/:projectId/volumes/detail', regional('volumes'), async (request, reply) => {
      const { projectId } = request.params as { projectId: string };
      if (projectId !== account.projectId) {
        return json(reply, 403, { forbidden: { code: 403, message: 'Policy does not allow this project' } });
      }
      try {
        const page = paginate(
          volumesByRegion(regionOf(request)),
          request.query as { limit?: string; marker?: string },
          account.pageSize,
          internal(request, 'cinder-api', `/v3/${projectId}/volumes/detail`),
          (v) => volumeJson(account, v)
        );
        return json(reply, 200, { volumes: page.items, ...(page.links ? { volumes_links: page.links } : {}) });
      } catch (err) {
        if (err instanceof BadRequest) return json(reply, 400, { badRequest: { code: 400, message: err.message } });
        throw err;
      }
    });
    app.get('/region/:region/network/v2.0/ports', regional('ports'), async (request, reply) => {
      const region = regionOf(request);
      const ports = account.ports
        .filter((p) => p.region === region)
        .map((p) => portJson(account, p, stopped.has(p.deviceId)));
      return json(reply, 200, { ports });
    });
    app.post('/region/:region/metric/v1/aggregates', regional('metrics'), async (request, reply) => {
      const answer = aggregates(
        account,
        regionOf(request),
        request.query as Record<string, string | undefined>,
        request.body,
        init.now()
      );
      return json(reply, answer.status, answer.body);
    });
  };

  return {
    prefix: SELECTEL_PREFIX,
    plugin,
    credentials: {
      apiKey: account.apiKey,
      accountId: account.accountId,
      username: account.username,
      password: account.password,
      project: account.projectName,
    },
    settings: (origin) =>
      selectelSettingsSchema.parse({
        apiUrl: `${origin}${SELECTEL_PREFIX}/api`,
        identityUrl: `${origin}${SELECTEL_PREFIX}/identity/v3`,
        regionUrlTemplate: `${origin}${SELECTEL_PREFIX}/region/{region}`,
        fallbackRegions: account.regions,
      }),
    truth: buildTruth(account, consumption, init.now),
  };
}

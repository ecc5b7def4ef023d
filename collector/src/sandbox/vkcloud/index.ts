/**
 * The VK Cloud fake, mounted by the sandbox under `/vkcloud`:
 * - `/vkcloud/identity/v3/auth/tokens` is Keystone (infra.mail.ru:35357/v3);
 * - `/vkcloud/{region}/compute/v2.1/{project}/…` Nova (servers/detail, flavors/detail),
 *   `/vkcloud/{region}/volume/v3/{project}/volumes/detail` Cinder,
 *   `/vkcloud/{region}/network/v2.0/ports` Neutron, `/vkcloud/{region}/metric/v1/aggregates` Gnocchi —
 *   each service on its own root, as VK Cloud's catalog publishes them, with `X-Auth-Token`.
 * Fault switch names: `vkcloud.auth`, `vkcloud.servers:<region>`, `vkcloud.flavors:<region>`,
 * `vkcloud.volumes:<region>`, `vkcloud.ports:<region>`, `vkcloud.metrics:<region>`, `vkcloud.token-expiry`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  vkcloudSettingsSchema,
  type VkcloudCredentials,
  type VkcloudSettings,
} from '../../providers/vkcloud/schema.js';
import { IssuedTokens } from '../issued-tokens.js';
import type { FakeInit, ProviderFake } from '../types.js';
import { aggregates } from './gnocchi.js';
import { checkPasswordAuth, tokenBody } from './keystone.js';
import { generateAccount, type VkAccount, type VkcloudSandboxOptions } from './model.js';
import { BadRequest, flavorJson, novaMicroversion, paginate, portsJson, serverJson, volumeJson } from './openstack.js';
import { buildTruth, type VkcloudTruth } from './truth.js';

export type { VkcloudSandboxOptions } from './model.js';
export type { VkcloudTruth, VkPriceList } from './truth.js';

export const VKCLOUD_PREFIX = '/vkcloud';

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const json = (reply: FastifyReply, status: number, body: unknown) =>
  reply.code(status).type('application/json').send(JSON.stringify(body));
const params = (request: FastifyRequest) => request.params as { region: string; projectId?: string };

function routes(account: VkAccount, init: FakeInit, tokens: IssuedTokens) {
  return async (app: FastifyInstance) => {
    const originOf = (request: FastifyRequest) => `${request.protocol}://${request.headers.host ?? '127.0.0.1'}`;

    app.post('/identity/v3/auth/tokens', { config: { endpoint: 'vkcloud.auth' } }, async (request, reply) => {
      const outcome = checkPasswordAuth(account, request.body);
      if (outcome.status !== 201) return json(reply, outcome.status, outcome.body);
      const origin = `${originOf(request)}${VKCLOUD_PREFIX}`;
      reply.header('x-subject-token', tokens.issue(account.tokenTtlSeconds));
      return json(
        reply,
        201,
        tokenBody(account, (region) => `${origin}/${region}`, `${origin}/identity/v3`, init.now())
      );
    });

    const regional = (family: string) => ({
      config: { endpoint: (request: FastifyRequest) => `vkcloud.${family}:${params(request).region}` },
      preHandler: async (request: FastifyRequest, reply: FastifyReply) => {
        if (!account.regions.includes(params(request).region)) {
          return json(reply, 404, { itemNotFound: { code: 404, message: 'Unknown region' } });
        }
        if (!tokens.use(one(request.headers['x-auth-token']))) {
          return json(reply, 401, {
            error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' },
          });
        }
        const projectId = params(request).projectId;
        if (projectId !== undefined && projectId !== account.projectId) {
          return json(reply, 403, { forbidden: { code: 403, message: 'Policy does not allow this project' } });
        }
      },
    });
    const internal = (request: FastifyRequest, service: string, path: string) =>
      `http://${service}.${params(request).region}.internal:8080${path}`;
    const page = <T extends { id: string }>(
      request: FastifyRequest,
      reply: FastifyReply,
      key: string,
      all: readonly T[],
      url: string,
      render: (item: T) => Record<string, unknown>
    ) => {
      try {
        const p = paginate(all, request.query as { limit?: string; marker?: string }, account.pageSize, url, render);
        return json(reply, 200, { [key]: p.items, ...(p.links ? { [`${key}_links`]: p.links } : {}) });
      } catch (err) {
        if (err instanceof BadRequest) return json(reply, 400, { badRequest: { code: 400, message: err.message } });
        throw err;
      }
    };

    app.get('/:region/compute/v2.1/:projectId/servers/detail', regional('servers'), async (request, reply) => {
      const microversion = novaMicroversion(request.headers);
      const servers = account.servers.filter((s) => s.region === params(request).region);
      const url = internal(request, 'nova', `/v2.1/${account.projectId}/servers/detail`);
      return page(request, reply, 'servers', servers, url, (s) => serverJson(account, s, microversion));
    });
    app.get('/:region/compute/v2.1/:projectId/flavors/detail', regional('flavors'), async (request, reply) => {
      const url = internal(request, 'nova', `/v2.1/${account.projectId}/flavors/detail`);
      return page(request, reply, 'flavors', account.flavors, url, flavorJson);
    });
    app.get('/:region/volume/v3/:projectId/volumes/detail', regional('volumes'), async (request, reply) => {
      const volumes = account.volumes.filter((v) => v.region === params(request).region);
      const url = internal(request, 'cinder', `/v3/${account.projectId}/volumes/detail`);
      return page(request, reply, 'volumes', volumes, url, (v) => volumeJson(account, v));
    });
    app.get('/:region/network/v2.0/ports', regional('ports'), async (request, reply) =>
      json(reply, 200, { ports: portsJson(account, params(request).region) })
    );
    app.post('/:region/metric/v1/aggregates', regional('metrics'), async (request, reply) => {
      const answer = aggregates(
        account,
        params(request).region,
        request.query as Record<string, string | undefined>,
        request.body,
        init.now()
      );
      return json(reply, answer.status, answer.body);
    });
  };
}

export function createVkcloudFake(
  init: FakeInit & { options: VkcloudSandboxOptions }
): ProviderFake<VkcloudCredentials, VkcloudSettings, VkcloudTruth> {
  const account = generateAccount(init.seed, init.now(), init.options);
  const tokens = new IssuedTokens(init.seed, 'vkcloud', init.faults, 'gAAAAAB');
  return {
    prefix: VKCLOUD_PREFIX,
    plugin: routes(account, init, tokens),
    credentials: {
      username: account.username,
      password: account.password,
      projectId: account.projectId,
      domain: account.domain,
    },
    settings: (origin) =>
      vkcloudSettingsSchema.parse({
        identityUrl: `${origin}${VKCLOUD_PREFIX}/identity/v3`,
        priceList: account.priceList,
      }),
    truth: buildTruth(account, init.now),
  };
}

/**
 * The Yandex Cloud fake, mounted by the sandbox under `/yandex`. Each API host
 * `https://{service}.api.cloud.yandex.net` is `/yandex/{service}` (iam, billing, compute, vpc, storage,
 * mdb, monitoring, resource-manager); Object Storage's S3 endpoint is `/yandex/s3`. Every route names
 * its endpoint for the fault switchboard (`yandex.iam`, `yandex.instances:<folderId>`,
 * `yandex.export.list`, `yandex.export.get` …); `yandex.token-expiry` makes IAM tokens die early.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { yandexSettingsSchema, type YandexCredentials, type YandexSettings } from '../../providers/yandex/schema.js';
import type { FakeInit, ProviderFake } from '../types.js';
import { BillingExport } from './export.js';
import { checkTokenRequest, grpcError, IamTokens, type GrpcError } from './iam.js';
import { generateAccount, type YandexSandboxOptions } from './model.js';
import { readMetrics } from './monitoring.js';
import {
  addressJson,
  bucketJson,
  clusterJson,
  diskJson,
  hostJson,
  instanceJson,
  listsOf,
  paginate,
  PageTokenError,
} from './resources.js';
import { seededRsaKeyPair } from './rsa.js';
import { checkS3Auth, listObjectsXml, s3Error } from './s3.js';
import { buildTruth, type YandexTruth } from './truth.js';

export type { YandexSandboxOptions } from './model.js';
export type { YandexTruth } from './truth.js';

export const YANDEX_PREFIX = '/yandex';

type Query = Record<string, string | undefined>;
const json = (reply: FastifyReply, status: number, body: unknown) =>
  reply.code(status).type('application/json').send(JSON.stringify(body));
const grpc = (reply: FastifyReply, e: GrpcError) => json(reply, e.status, e.body);

export function createYandexFake(
  init: FakeInit & { options: YandexSandboxOptions }
): ProviderFake<YandexCredentials, YandexSettings, YandexTruth> {
  const account = generateAccount(init.seed, init.now(), init.options);
  const keys = seededRsaKeyPair(init.seed);
  const exp = new BillingExport(account, init.now);
  const tokens = new IamTokens(init.seed);
  const lists = listsOf(account);
  const folderIds = new Set(account.folders.map((f) => f.id));

  const plugin = async (app: FastifyInstance) => {
    // ---- IAM ---------------------------------------------------------------------------------
    app.post('/iam/iam/v1/tokens', { config: { endpoint: 'yandex.iam' } }, async (request, reply) => {
      const error = await checkTokenRequest(
        {
          serviceAccountId: account.serviceAccountId,
          keyId: account.keyId,
          publicKey: keys.publicKey,
          oauthToken: account.oauthToken,
        },
        request.body
      );
      return error ? grpc(reply, error) : json(reply, 200, tokens.issue());
    });

    const bearer = async (request: FastifyRequest, reply: FastifyReply) => {
      const header = request.headers.authorization;
      const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
      const lifetime = init.faults.tokenLifetime('yandex');
      if (!tokens.use(token, lifetime)) {
        if (lifetime !== undefined) init.faults.take('yandex.token-expiry', ['token-expiry']);
        return grpc(reply, grpcError(16, 'The token is invalid'));
      }
    };
    const folderOf = (request: FastifyRequest) => (request.query as Query).folderId ?? '';
    const perFolder = (name: string) => ({
      config: { endpoint: (request: FastifyRequest) => `yandex.${name}:${folderOf(request)}` },
      preHandler: bearer,
    });
    /** A folder-scoped list: 400 without folderId, 403 for a folder the account cannot see. */
    const folderList = (
      path: string,
      name: string,
      key: string,
      items: (folderId: string, request: FastifyRequest) => unknown[]
    ) =>
      app.get(path, perFolder(name), async (request, reply) => {
        const q = request.query as Query;
        if (!q.folderId) return grpc(reply, grpcError(3, 'folderId is required'));
        if (!folderIds.has(q.folderId)) return grpc(reply, grpcError(7, 'Permission denied'));
        try {
          const { page, next } = paginate(items(q.folderId, request), q, account.pageSize);
          return json(reply, 200, {
            ...(page.length > 0 ? { [key]: page } : {}),
            ...(next ? { nextPageToken: next } : {}),
          });
        } catch (err) {
          if (err instanceof PageTokenError) return grpc(reply, grpcError(3, err.message));
          throw err;
        }
      });

    // ---- Billing and resource manager ----------------------------------------------------------
    app.get(
      '/billing/billing/v1/billingAccounts',
      { config: { endpoint: 'yandex.billing.accounts' }, preHandler: bearer },
      async (_request, reply) =>
        json(reply, 200, {
          billingAccounts: [
            {
              id: account.billingAccount.id,
              name: account.billingAccount.name,
              createdAt: new Date(Date.parse(`${account.firstDay}T00:00:00Z`)).toISOString(),
              countryCode: 'RU',
              currency: account.billingAccount.currency,
              active: true,
              balance: account.billingAccount.balance,
            },
          ],
        })
    );
    app.get(
      '/resource-manager/resource-manager/v1/clouds',
      { config: { endpoint: 'yandex.clouds' }, preHandler: bearer },
      async (_request, reply) =>
        json(reply, 200, {
          clouds: [
            {
              id: account.cloud.id,
              name: account.cloud.name,
              createdAt: '2024-01-15T10:00:00Z',
              organizationId: 'bpf00000000000000000',
            },
          ],
        })
    );
    app.get(
      '/resource-manager/resource-manager/v1/folders',
      { config: { endpoint: 'yandex.folders' }, preHandler: bearer },
      async (request, reply) => {
        const cloudId = (request.query as Query).cloudId;
        if (cloudId !== account.cloud.id) return grpc(reply, grpcError(7, 'Permission denied'));
        return json(reply, 200, {
          folders: account.folders.map((f) => ({
            id: f.id,
            cloudId,
            name: f.name,
            status: 'ACTIVE',
            createdAt: '2024-01-15T10:00:00Z',
          })),
        });
      }
    );

    // ---- Inventory ---------------------------------------------------------------------------
    folderList('/compute/compute/v1/instances', 'instances', 'instances', (f) => lists.instances(f).map(instanceJson));
    folderList('/compute/compute/v1/disks', 'disks', 'disks', (f) => lists.disks(f).map(diskJson));
    folderList('/vpc/vpc/v1/addresses', 'addresses', 'addresses', (f) => lists.addresses(f).map(addressJson));
    folderList('/storage/storage/v1/buckets', 'buckets', 'buckets', (f) => lists.buckets(f).map(bucketJson));
    // The account runs one PostgreSQL cluster; other engines answer with an empty list, as for a folder without any.
    folderList('/mdb/managed-:engine/v1/clusters', 'mdb.clusters', 'clusters', (f, request) =>
      (request.params as { engine: string }).engine === 'postgresql' ? lists.clusters(f).map(clusterJson) : []
    );
    app.get(
      '/mdb/managed-:engine/v1/clusters/:clusterId/hosts',
      { config: { endpoint: 'yandex.mdb.hosts' }, preHandler: bearer },
      async (request, reply) => {
        const { engine, clusterId } = request.params as { engine: string; clusterId: string };
        const cluster = engine === 'postgresql' ? account.clusters.find((c) => c.id === clusterId) : undefined;
        if (!cluster) return grpc(reply, grpcError(5, `Cluster ${clusterId} not found`));
        const { page, next } = paginate(
          cluster.hosts.map((h) => hostJson(cluster, h)),
          request.query as Query,
          account.pageSize
        );
        return json(reply, 200, { hosts: page, ...(next ? { nextPageToken: next } : {}) });
      }
    );

    // ---- Monitoring ----------------------------------------------------------------------------
    app.post('/monitoring/monitoring/v2/data/read', perFolder('monitoring'), async (request, reply) => {
      const answer = readMetrics(account, folderOf(request) || undefined, request.body, init.now());
      return json(reply, answer.status, answer.body);
    });

    // ---- Object Storage (S3) ------------------------------------------------------------------
    const s3Read = async (request: FastifyRequest, reply: FastifyReply) => {
      const { bucket } = request.params as { bucket: string; '*'?: string };
      const key = (request.params as { '*'?: string })['*'] ?? '';
      const denied = checkS3Auth(account, request, reply);
      if (denied) return denied;
      if (bucket !== account.bucket) return s3Error(reply, 404, 'NoSuchBucket', 'The specified bucket does not exist');
      if (key === '') {
        const listed = listObjectsXml(account, exp, request.query as Query);
        return reply.code(listed.status).type('application/xml').send(listed.xml);
      }
      const file = exp.fileByKey(decodeURIComponent(key));
      if (!file) return s3Error(reply, 404, 'NoSuchKey', 'The specified key does not exist.');
      const headers = { 'content-type': 'text/csv', etag: file.etag, 'last-modified': file.lastModified.toUTCString() };
      // A cut connection, as a proxy or a dropped link produces it: full Content-Length, half the bytes.
      if (init.faults.take('yandex.export.get', ['truncated'])) {
        const bytes = Buffer.from(file.body);
        reply.hijack();
        reply.raw.writeHead(200, { ...headers, 'content-length': String(bytes.length) });
        reply.raw.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => reply.raw.destroy());
        return reply;
      }
      return reply.code(200).headers(headers).send(file.body);
    };
    const s3Endpoint = (request: FastifyRequest) =>
      ((request.params as { '*'?: string })['*'] ?? '') === '' ? 'yandex.export.list' : 'yandex.export.get';
    app.get('/s3/:bucket', { config: { endpoint: s3Endpoint } }, s3Read);
    app.get('/s3/:bucket/*', { config: { endpoint: s3Endpoint } }, s3Read);
  };

  return {
    prefix: YANDEX_PREFIX,
    plugin,
    credentials: {
      serviceAccountKey: {
        id: account.keyId,
        service_account_id: account.serviceAccountId,
        private_key: keys.privateKeyPem,
      },
      exportAccessKeyId: account.accessKeyId,
      exportSecretAccessKey: account.secretAccessKey,
    },
    settings: (origin) =>
      yandexSettingsSchema.parse({
        apiUrlTemplate: `${origin}${YANDEX_PREFIX}/{service}`,
        storageUrl: `${origin}${YANDEX_PREFIX}/s3`,
        folderIds: account.folders.map((f) => f.id),
        billingAccountId: account.billingAccount.id,
        exportBucket: account.bucket,
        exportPrefix: account.prefix,
      }),
    truth: buildTruth(account, exp, keys.publicKeyPem),
  };
}

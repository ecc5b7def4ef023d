/**
 * One sync's session against a Beget account. Each listing is fetched at most once per session and
 * shared: billing needs the VPS and cloud lists and the plan rate that inventory also reads, and the
 * engine calls both. A failed listing is cached as failed too (the HTTP client has already retried it),
 * so a dead endpoint costs one round of retries per sync, not one per consumer.
 */
import type { AccountInfo, ConnectorContext, EndpointError, InventoryResource, ProviderSession } from '../types.js';
import { ProviderHttpClient } from '../http/client.js';
import { dailyBaselineLines, type BaselineItem } from './billing.js';
import { rethrowIfAborted, toEndpointError } from './endpoint-errors.js';
import { createLegacyApi, legacyEndpoint, type LegacyApi } from './legacy-api.js';
import {
  mapAccountInfo,
  mapCloudService,
  mapDomain,
  mapHostingDatabase,
  mapPlan,
  mapVps,
  type AccountExtras,
} from './mapper.js';
import { collectMetrics } from './metrics.js';
import type { BegetCredentials, BegetSettings } from './schema.js';
import { createV1Api, type V1Api } from './v1-api.js';
import { asObject, isObject } from './values.js';

export type BegetContext = ConnectorContext<BegetCredentials, BegetSettings>;

export interface BegetApis {
  legacy: LegacyApi;
  v1: V1Api;
}

export function createApis(ctx: BegetContext): BegetApis {
  const legacyHttp = new ProviderHttpClient({
    provider: 'beget',
    options: ctx.http,
    logger: ctx.logger,
    signal: ctx.signal,
  });
  return {
    legacy: createLegacyApi({ apiUrl: ctx.settings.apiUrl, credentials: ctx.credentials, http: legacyHttp }),
    v1: createV1Api({
      apiUrl: ctx.settings.apiUrl,
      credentials: ctx.credentials,
      logger: ctx.logger,
      options: ctx.http,
      signal: ctx.signal,
    }),
  };
}

/** Legacy listings are arrays, but some methods answer an object keyed by id: accept both. */
function listOf(result: unknown): unknown[] {
  if (Array.isArray(result)) return result;
  if (isObject(result)) return Object.values(result);
  return [];
}

function defined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= fn());
}

export async function openSession(ctx: BegetContext, apis: BegetApis = createApis(ctx)): Promise<ProviderSession> {
  const { legacy, v1 } = apis;
  const login = ctx.credentials.login;
  // Fail the sync up front on bad credentials instead of on every endpoint separately.
  await v1.authenticate();

  const accountInfo = once(() => legacy.call('user', 'getAccountInfo'));
  const vps = once(async () => (await v1.listVps()).map(mapVps).filter(defined));
  const cloud = once(async () => (await v1.listCloudServices()).map(mapCloudService).filter(defined));
  const domains = once(async () => listOf(await legacy.call('domain', 'getList')));
  const mysql = once(async () => listOf(await legacy.call('mysql', 'getList')));
  const ftp = once(async () => listOf(await legacy.call('ftp', 'getList')));
  const mail = once(async () => listOf(await legacy.call('mail', 'getList')));
  const plan = once(async () => mapPlan(login, asObject(await accountInfo())));

  const errors: EndpointError[] = [];
  // A listing that failed for billing fails again (cached) for inventory; handing out the same
  // EndpointError object both times lets the engine see it is one failure, not two.
  const reported = new WeakMap<object, EndpointError>();

  /** Settles one listing; a failure becomes an EndpointError in `into` and the value undefined. */
  async function settle<T>(fetch: () => Promise<T>, endpoint: string, into: EndpointError[]): Promise<T | undefined> {
    try {
      return await fetch();
    } catch (err) {
      rethrowIfAborted(ctx.signal);
      const key = typeof err === 'object' && err !== null ? err : undefined;
      const error = (key && reported.get(key)) ?? toEndpointError(err, endpoint);
      if (key) reported.set(key, error);
      into.push(error);
      return undefined;
    }
  }

  return {
    errors,

    async account(): Promise<AccountInfo> {
      const raw = await accountInfo();
      // The optional listings only refine counts; their failures are reported once, by inventory().
      const [dbs, ftpAccounts, mailboxes] = await Promise.allSettled([mysql(), ftp(), mail()]);
      const extras: AccountExtras = {
        hostingDatabases: dbs.status === 'fulfilled' ? dbs.value.length : undefined,
        ftpAccounts: ftpAccounts.status === 'fulfilled' ? ftpAccounts.value.length : undefined,
        mailboxes: mailboxes.status === 'fulfilled' ? mailboxes.value.length : undefined,
      };
      return mapAccountInfo(login, raw, extras);
    },

    async inventory() {
      const found: EndpointError[] = [];
      const [servers, services, planResource, domainList, dbList] = await Promise.all([
        settle(vps, 'vps.list', found),
        settle(cloud, 'cloud.list', found),
        settle(plan, legacyEndpoint('user', 'getAccountInfo'), found),
        settle(domains, legacyEndpoint('domain', 'getList'), found),
        settle(mysql, legacyEndpoint('mysql', 'getList'), found),
        // Fetched here so their failures are reported; their counts go to account details, not resources.
        settle(ftp, legacyEndpoint('ftp', 'getList'), found),
        settle(mail, legacyEndpoint('mail', 'getList'), found),
      ]);
      const resources: InventoryResource[] = [
        ...(servers ?? []),
        ...(services ?? []),
        ...(planResource ? [planResource] : []),
        ...(domainList ?? []).map((d) => mapDomain(d, ctx.now)).filter(defined),
        ...(dbList ?? []).map(mapHostingDatabase).filter(defined),
      ];
      // Only the priced listings decide completeness: a missing VPS or cloud list would make live,
      // billed resources look deleted; domains and hosting databases carry no cost of their own.
      return { resources, errors: found, complete: servers !== undefined && services !== undefined };
    },

    async *billing(window) {
      const [servers, services, planResource] = await Promise.all([
        settle(vps, 'vps.list', errors),
        settle(cloud, 'cloud.list', errors),
        settle(plan, legacyEndpoint('user', 'getAccountInfo'), errors),
      ]);
      const items: BaselineItem[] = [
        ...(servers ?? []).map((resource) => ({ resource, lineKey: 'vps' as const })),
        ...(services ?? []).map((resource) => ({ resource, lineKey: 'cloud-service' as const })),
        ...(planResource ? [{ resource: planResource, lineKey: 'plan' as const }] : []),
      ];
      yield* dailyBaselineLines(items, window, ctx.now);
    },

    async *metrics(resources, window) {
      if (!ctx.settings.collectMetrics) return;
      yield* collectMetrics({ v1, resources, window, now: ctx.now, errors, signal: ctx.signal });
    },
  };
}

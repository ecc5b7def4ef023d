/**
 * The VK Cloud connector. VK Cloud is plain OpenStack with no public billing API: the inventory comes
 * from Nova, Cinder and Neutron in every region of the Keystone catalog, utilization from Gnocchi, and
 * cost from the price list the user keeps in the connection settings (`priceList`, also editable with
 * `PUT /api/v1/connections/{id}/price-list`). Because the engine is billing-first, priced resources
 * also produce derived daily lines (billing.ts), so their cost reaches cost_records and dashboards.
 * Fetch and map only; the sync engine stores (DESIGN.md §8).
 */
import { ProviderError } from '../http/errors.js';
import type {
  AccountInfo,
  Connector,
  ConnectorContext,
  EndpointError,
  InventoryResult,
  ProviderSession,
} from '../types.js';
import { AUTH_ENDPOINT } from './auth.js';
import { derivedDailyLines } from './billing.js';
import { createContext, type VkcloudContext } from './context.js';
import { readInventory } from './inventory.js';
import { fetchMetrics } from './metrics.js';
import {
  vkcloudCredentialsSchema,
  vkcloudSettingsSchema,
  type VkcloudCredentials,
  type VkcloudSettings,
} from './schema.js';

type Ctx = ConnectorContext<VkcloudCredentials, VkcloudSettings>;

export const BILLING_ENDPOINT = 'price-list';

function priceListSize(c: VkcloudContext): { flavors: number; volumeTypes: number } {
  return {
    flavors: Object.keys(c.settings.priceList.flavors).length,
    volumeTypes: Object.keys(c.settings.priceList.volumeTypes).length,
  };
}

/**
 * Billing and inventory read the same listing, once per session. When it is incomplete no line is
 * derived: the engine replaces the window it is given, and lines of a region that could not be read
 * would be lost until the next good sync, whereas skipping keeps the previous ones.
 */
function openSession(c: VkcloudContext): ProviderSession {
  const errors: EndpointError[] = [];
  let listing: Promise<InventoryResult> | undefined;
  const inventory = () => (listing ??= readInventory(c));
  return {
    errors,
    async account(): Promise<AccountInfo> {
      const token = await c.keystone.token();
      return {
        accountId: token.projectId,
        name: token.projectName,
        currency: 'RUB',
        details: { regions: token.regions.map((r) => r.region), priceList: priceListSize(c), costSource: 'price list' },
      };
    },
    async *billing(window) {
      const result = await inventory();
      // Without a login nothing at all was read: the sync fails with the reason instead of a bare "partial".
      const login = result.errors.find((e) => e.endpoint === AUTH_ENDPOINT);
      if (login) throw new ProviderError(login.kind, login.endpoint, login.message);
      if (!result.complete) {
        errors.push(...result.errors);
        errors.push({
          endpoint: BILLING_ENDPOINT,
          kind: result.errors[0]?.kind ?? 'provider',
          message:
            'costs were not recomputed from the price list because the inventory is incomplete; the previous ones are kept',
        });
        return;
      }
      yield* derivedDailyLines(result.resources, window, c.now);
    },
    inventory,
    metrics: (resources, window) => fetchMetrics(c, resources, window, errors),
  };
}

/** Logs in (the catalog tells the regions) and lists the inventory; the first failure is thrown with its reason. */
async function testConnection(c: VkcloudContext): Promise<AccountInfo> {
  const token = await c.keystone.token();
  const result = await readInventory(c);
  if (result.errors.length > 0) {
    const first = result.errors[0]!;
    throw new ProviderError(first.kind, first.endpoint, first.message);
  }
  const priced = result.resources.filter((r) => r.specs.price === 'price-list').length;
  const missing = result.resources.filter((r) => r.specs.price === 'missing').length;
  return {
    accountId: token.projectId,
    name: token.projectName,
    currency: 'RUB',
    details: {
      regions: token.regions.map((r) => r.region),
      servers: result.resources.filter((r) => r.type === 'server').length,
      volumes: result.resources.filter((r) => r.type === 'volume').length,
      priceList: priceListSize(c),
      priced,
      unpriced: missing,
      ...(missing > 0 ? { warnings: [`${missing} resource(s) have no entry in the price list and get no cost`] } : {}),
    },
  };
}

export const vkcloudConnector: Connector<VkcloudCredentials, VkcloudSettings> = {
  provider: 'vkcloud',
  credentialsSchema: vkcloudCredentialsSchema,
  settingsSchema: vkcloudSettingsSchema,
  // Older days would only repeat today's prices further back (there is no billing history to read).
  defaultBackfillDays: 30,
  async test(ctx: Ctx): Promise<AccountInfo> {
    try {
      return await testConnection(createContext(ctx));
    } catch (err) {
      if (err instanceof ProviderError) throw err;
      throw new ProviderError(
        'provider',
        'test',
        `VK Cloud connection test failed: ${(err as Error).message ?? String(err)}`
      );
    }
  },
  async open(ctx: Ctx): Promise<ProviderSession> {
    return openSession(createContext(ctx));
  },
};

/**
 * The Selectel connector: billing-first (consumption with the API key is the source of truth), OpenStack
 * inventory across every region of the Keystone catalog for enrichment, zombie and orphan detection,
 * Gnocchi metrics for utilization. Fetch and map only; the sync engine stores (DESIGN.md §8).
 */
import { ProviderError } from '../http/errors.js';
import type { AccountInfo, Connector, ConnectorContext, EndpointError, ProviderSession } from '../types.js';
import { readAccount } from './account.js';
import { fetchBilling } from './billing.js';
import { createContext, type SelectelContext } from './context.js';
import { readInventory, regionsFor } from './inventory.js';
import { fetchMetrics } from './metrics.js';
import {
  selectelCredentialsSchema,
  selectelSettingsSchema,
  type SelectelCredentials,
  type SelectelSettings,
} from './schema.js';

type Ctx = ConnectorContext<SelectelCredentials, SelectelSettings>;

/**
 * Lazy: opening makes no call. Billing needs only the API key, and a Keystone failure should cost the
 * sync its inventory, not its bill; the token is obtained on first OpenStack use and shared afterwards.
 */
function openSession(c: SelectelContext): ProviderSession {
  const errors: EndpointError[] = [];
  return {
    errors,
    account: () => readAccount(c, errors),
    billing: (window) => fetchBilling(c, window, errors),
    inventory: () => readInventory(c),
    metrics: (resources, window) => fetchMetrics(c, resources, window, errors),
  };
}

/**
 * Both credentials are checked: the API key (account, balance) and the service user (a Keystone token
 * scoped to the project, whose catalog also tells us the regions). The first failure is thrown with a
 * reason a person can act on; optional facts that fail (balance, prediction) land in details.warnings.
 */
async function testConnection(c: SelectelContext): Promise<AccountInfo> {
  const warnings: EndpointError[] = [];
  const info = await readAccount(c, warnings);
  const token = await c.keystone.token();
  const regions = regionsFor(c, token);
  return {
    ...info,
    details: {
      ...info.details,
      projectId: token.projectId,
      regions: regions.map((r) => r.region),
      regionsFrom: token.catalog.size > 0 ? 'catalog' : 'fallback',
      ...(warnings.length > 0 ? { warnings: warnings.map((w) => `${w.endpoint}: ${w.message}`) } : {}),
    },
  };
}

export const selectelConnector: Connector<SelectelCredentials, SelectelSettings> = {
  provider: 'selectel',
  credentialsSchema: selectelCredentialsSchema,
  settingsSchema: selectelSettingsSchema,
  // Hourly lines: 90 days is ~2 200 hourly chunks at most for a small account, far fewer for a large one.
  defaultBackfillDays: 90,
  async test(ctx: Ctx): Promise<AccountInfo> {
    try {
      return await testConnection(createContext(ctx));
    } catch (err) {
      if (err instanceof ProviderError) throw err;
      throw new ProviderError(
        'provider',
        'test',
        `Selectel connection test failed: ${(err as Error).message ?? String(err)}`
      );
    }
  },
  async open(ctx: Ctx): Promise<ProviderSession> {
    return openSession(createContext(ctx));
  },
};

/**
 * The Cloud.ru Evolution connector: billing-first (daily consumption per resource and SKU is the source
 * of truth, VAT as separate Tax lines), the VM and disk inventory of each configured project for
 * enrichment, zombies and orphans. Cloud.ru has no public metrics API the connector could read, so it
 * reports no utilization (the UI says so rather than showing a made-up figure). Fetch and map only;
 * the sync engine stores (DESIGN.md §8).
 */
import { ProviderError } from '../http/errors.js';
import type { AccountInfo, Connector, ConnectorContext, EndpointError, ProviderSession } from '../types.js';
import { fetchBilling, readConsumption } from './billing.js';
import { createContext, type CloudruContext } from './context.js';
import { listCompute, readInventory } from './inventory.js';
import {
  cloudruCredentialsSchema,
  cloudruSettingsSchema,
  type CloudruCredentials,
  type CloudruSettings,
} from './schema.js';
import { DAY_MS, moscowDayStart } from './usedate.js';

type Ctx = ConnectorContext<CloudruCredentials, CloudruSettings>;

function accountOf(c: CloudruContext, details: Record<string, unknown> = {}): AccountInfo {
  const { projectIds, includeVat } = c.settings;
  return {
    ...(projectIds.length === 1 ? { accountId: projectIds[0] } : {}),
    currency: 'RUB',
    details: {
      projects: projectIds,
      vat: includeVat ? 'separate Tax lines' : 'excluded',
      utilization: 'not available: Cloud.ru has no public metrics API',
      ...details,
    },
  };
}

/**
 * The key (an IAM token), the billing role (one row of today's consumption) and every project's VM
 * list; the first failure is thrown with a reason a person can act on.
 */
async function testConnection(c: CloudruContext): Promise<AccountInfo> {
  await c.iam.token();
  const today = moscowDayStart(c.now);
  await readConsumption(c, today, new Date(today.getTime() + DAY_MS), { pageSize: 1, maxPages: 1 });
  const projects = [];
  for (const id of c.settings.projectIds) {
    projects.push({ id, vms: (await listCompute(c, 'vms', '/api/v1/vms', id)).length });
  }
  return accountOf(c, { projects });
}

function openSession(c: CloudruContext): ProviderSession {
  const errors: EndpointError[] = [];
  return {
    errors,
    account: async () => accountOf(c),
    billing: (window) => fetchBilling(c, window, errors),
    inventory: () => readInventory(c),
    // Nothing to read (see above); an empty iteration keeps the engine's phases uniform.
    metrics: async function* () {
      yield* [];
    },
  };
}

export const cloudruConnector: Connector<CloudruCredentials, CloudruSettings> = {
  provider: 'cloudru',
  credentialsSchema: cloudruCredentialsSchema,
  settingsSchema: cloudruSettingsSchema,
  // Daily lines: 90 days is 13 chunks of a week for a small account.
  defaultBackfillDays: 90,
  async test(ctx: Ctx): Promise<AccountInfo> {
    try {
      return await testConnection(createContext(ctx));
    } catch (err) {
      if (err instanceof ProviderError) throw err;
      throw new ProviderError(
        'provider',
        'test',
        `Cloud.ru connection test failed: ${(err as Error).message ?? String(err)}`
      );
    }
  },
  async open(ctx: Ctx): Promise<ProviderSession> {
    return openSession(createContext(ctx));
  },
};

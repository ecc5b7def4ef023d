/**
 * The Yandex Cloud connector: billing-first from the detailed billing export (CSV in Object Storage,
 * read incrementally), inventory per folder (Compute, VPC, Object Storage, managed databases) for
 * enrichment and waste signals, Monitoring for CPU utilization. Fetch and map only; the engine stores.
 */
import { ProviderError } from '../http/errors.js';
import type { AccountInfo, Connector, ConnectorContext, EndpointError, ProviderSession } from '../types.js';
import { readAccount } from './account.js';
import { createExportStore, DEFAULT_BACKFILL_DAYS, fetchBilling } from './billing.js';
import { createContext, type YandexContext } from './context.js';
import { ExportState } from './export-state.js';
import { readInventory, resolveFolders } from './inventory.js';
import { fetchMetrics } from './metrics.js';
import {
  yandexCredentialsSchema,
  yandexSettingsSchema,
  type YandexCredentials,
  type YandexSettings,
} from './schema.js';

type Ctx = ConnectorContext<YandexCredentials, YandexSettings>;

/** Lazy: opening makes no call. The IAM token is obtained on first use and shared by every call. */
function openSession(c: YandexContext): ProviderSession {
  const errors: EndpointError[] = [];
  const store = createExportStore(c);
  const state = new ExportState(c.state, `${c.settings.exportBucket ?? ''}/${c.settings.exportPrefix}`);
  return {
    errors,
    account: () => readAccount(c),
    billing: (window) => fetchBilling(c, store, state, window, errors),
    inventory: () => readInventory(c),
    metrics: (resources, window) => fetchMetrics(c, resources, window, errors),
    nextState: () => state.next(),
  };
}

/**
 * Checks the IAM credentials (token exchange, billing accounts), which folders will be inventoried, and
 * the export bucket when one is configured. The first failure is thrown with a reason a person can act
 * on; a missing export is a warning (inventory works without it, costs do not).
 */
async function testConnection(c: YandexContext): Promise<AccountInfo> {
  await c.iam.token();
  const info = await readAccount(c);
  const warnings: string[] = [];
  let folders: string[] | undefined;
  try {
    folders = (await resolveFolders(c)).map((f) => f.id);
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    warnings.push(`folders: ${err.message}; list the folders in settings.folderIds`);
  }
  const store = createExportStore(c);
  let exportFiles: number | undefined;
  if (store) {
    try {
      exportFiles = (await store.list()).length;
    } finally {
      store.destroy();
    }
  } else if (c.settings.exportBucket)
    warnings.push('export: exportAccessKeyId and exportSecretAccessKey are needed to read the bucket');
  else warnings.push('export: no exportBucket configured, so no costs will be read');
  return {
    ...info,
    details: {
      ...info.details,
      auth: c.credentials.serviceAccountKey ? 'service-account-key' : 'oauth',
      ...(folders ? { folders } : {}),
      ...(exportFiles !== undefined ? { exportFiles } : {}),
      ...(warnings.length > 0 ? { warnings } : {}),
    },
  };
}

export const yandexConnector: Connector<YandexCredentials, YandexSettings> = {
  provider: 'yandex',
  credentialsSchema: yandexCredentialsSchema,
  settingsSchema: yandexSettingsSchema,
  // Daily lines, one file per day: 90 days is 90 objects to read once, then only re-exported ones.
  defaultBackfillDays: DEFAULT_BACKFILL_DAYS,
  async test(ctx: Ctx): Promise<AccountInfo> {
    try {
      return await testConnection(createContext(ctx));
    } catch (err) {
      if (err instanceof ProviderError) throw err;
      throw new ProviderError(
        'provider',
        'test',
        `Yandex Cloud connection test failed: ${(err as Error).message ?? String(err)}`
      );
    }
  },
  async open(ctx: Ctx): Promise<ProviderSession> {
    return openSession(createContext(ctx));
  },
};

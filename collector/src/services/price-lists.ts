/**
 * The price list of a VK Cloud connection (VK Cloud has no public billing API, so the user states what
 * each flavor and volume type costs). Read from and written to the connection's settings through the
 * ordinary connection update path: validated by the provider's schema, audited, applied on the next sync.
 */
import type { VkcloudPriceList } from '../providers/vkcloud/schema.js';
import {
  ConnectionConflictError,
  getConnection,
  updateConnection,
  type AuditActor,
  type ConnectionServiceDeps,
  type ConnectionSummary,
} from './connections.js';

const PRICED_PROVIDERS = new Set(['vkcloud']);

function priceListOf(connection: ConnectionSummary): VkcloudPriceList {
  if (!PRICED_PROVIDERS.has(connection.provider)) {
    throw new ConnectionConflictError(
      `Price lists belong to VK Cloud connections; this is a ${connection.provider} connection, whose costs come from its provider`
    );
  }
  const list = (connection.settings.priceList ?? {}) as Partial<VkcloudPriceList>;
  return { flavors: list.flavors ?? {}, volumeTypes: list.volumeTypes ?? {} };
}

export async function getPriceList(
  deps: ConnectionServiceDeps,
  tenantId: string,
  id: string
): Promise<VkcloudPriceList> {
  return priceListOf(await getConnection(deps, tenantId, id));
}

/** Replaces the whole price list (entries left out are removed); the next sync prices with it. */
export async function replacePriceList(
  deps: ConnectionServiceDeps,
  tenantId: string,
  id: string,
  priceList: VkcloudPriceList,
  who: AuditActor
): Promise<VkcloudPriceList> {
  priceListOf(await getConnection(deps, tenantId, id));
  return priceListOf(await updateConnection(deps, tenantId, id, { settings: { priceList } }, who));
}

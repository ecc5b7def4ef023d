/**
 * Inventory per folder (the folders in settings, else every folder resource-manager shows): compute
 * instances and disks, VPC addresses, Object Storage buckets and the hosts of managed database clusters,
 * all paginated. One failing listing never stops the others; it becomes an EndpointError and marks the
 * inventory incomplete, so the engine neither flags zombies nor marks anything deleted from a partial
 * picture. The types listed here are the ones a zombie can be found among (`coveredTypes`); databases are
 * not, because only the configured engines are listed and the billing export names every other one too.
 */
import { ProviderError } from '../http/errors.js';
import type { EndpointError, InventoryResource, InventoryResult, ResourceType } from '../types.js';
import { mapLimit } from './concurrency.js';
import { listAll, type YandexContext } from './context.js';
import { mapAddress, mapBucket, mapDatabaseHost, mapDisk, mapInstance, type FolderInfo } from './inventory-mapper.js';
import { asObject, str } from './values.js';

export const COVERED_TYPES: readonly ResourceType[] = ['server', 'volume', 'ip', 'bucket'];
const FOLDER_CONCURRENCY = 4;

/** A listing failed: say what to grant when it is a permission problem. */
function listingError(err: ProviderError, endpoint: string, folderId?: string): EndpointError {
  const where = folderId ? `folder ${folderId}: ` : '';
  const hint =
    err.kind === 'forbidden'
      ? `; give the service account the viewer role on ${folderId ? `folder ${folderId}` : 'the cloud'}`
      : '';
  return { endpoint, kind: err.kind, message: `${where}${err.message}${hint}` };
}

/** The configured folders, or every active folder of every cloud the credentials can see. */
export async function resolveFolders(c: YandexContext): Promise<FolderInfo[]> {
  if (c.settings.folderIds.length > 0) return c.settings.folderIds.map((id) => ({ id }));
  const clouds = await listAll(c, {
    endpoint: 'resource-manager.clouds',
    url: c.url('resource-manager', '/resource-manager/v1/clouds'),
    key: 'clouds',
  });
  const folders: FolderInfo[] = [];
  for (const cloud of clouds) {
    const cloudId = str(asObject(cloud).id);
    if (!cloudId) continue;
    const list = await listAll(c, {
      endpoint: 'resource-manager.folders',
      url: c.url('resource-manager', '/resource-manager/v1/folders'),
      key: 'folders',
      query: { cloudId },
    });
    for (const f of list) {
      const o = asObject(f);
      const id = str(o.id);
      if (id && (str(o.status) ?? 'ACTIVE') === 'ACTIVE') folders.push({ id, name: str(o.name), cloudId });
    }
  }
  return folders;
}

interface FolderResult {
  resources: InventoryResource[];
  errors: EndpointError[];
}

async function readFolder(c: YandexContext, folder: FolderInfo): Promise<FolderResult> {
  const errors: EndpointError[] = [];
  const query = { folderId: folder.id };
  const attempt = async (endpoint: string, fn: () => Promise<unknown[]>): Promise<unknown[] | undefined> => {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      errors.push(listingError(err, endpoint, folder.id));
      c.logger.warn({ provider: 'yandex', endpoint, folderId: folder.id, kind: err.kind }, 'listing failed');
      return undefined;
    }
  };
  const list = (endpoint: string, service: Parameters<YandexContext['url']>[0], path: string, key: string) =>
    attempt(endpoint, () => listAll(c, { endpoint, url: c.url(service, path), key, query }));

  const [instances, disks, addresses, buckets, databases] = await Promise.all([
    list('compute.instances', 'compute', '/compute/v1/instances', 'instances'),
    list('compute.disks', 'compute', '/compute/v1/disks', 'disks'),
    list('vpc.addresses', 'vpc', '/vpc/v1/addresses', 'addresses'),
    list('storage.buckets', 'storage', '/storage/v1/buckets', 'buckets'),
    Promise.all(c.settings.databaseEngines.map((engine) => readDatabases(c, folder, engine, attempt))),
  ]);

  const servers = (instances ?? []).map((i) => mapInstance(i, folder)).filter((r) => r !== undefined);
  const bootDisks = new Set(
    servers.map((s) => s.specs.bootDiskId).filter((id): id is string => typeof id === 'string')
  );
  const resources: InventoryResource[] = [
    ...servers,
    ...(disks ?? []).map((d) => mapDisk(d, folder, bootDisks)).filter((r) => r !== undefined),
    ...(addresses ?? []).map((a) => mapAddress(a, folder)).filter((r) => r !== undefined),
    ...(buckets ?? []).map((b) => mapBucket(b, folder)).filter((r) => r !== undefined),
    ...databases.flat(),
  ];
  return { resources, errors };
}

/** Clusters of one engine in a folder, then each cluster's hosts (what the export bills). */
async function readDatabases(
  c: YandexContext,
  folder: FolderInfo,
  engine: string,
  attempt: (endpoint: string, fn: () => Promise<unknown[]>) => Promise<unknown[] | undefined>
): Promise<InventoryResource[]> {
  const base = `/managed-${engine}/v1/clusters`;
  const endpoint = `mdb.${engine}`;
  const clusters = await attempt(endpoint, () =>
    listAll(c, { endpoint, url: c.url('mdb', base), key: 'clusters', query: { folderId: folder.id } })
  );
  const out: InventoryResource[] = [];
  for (const cluster of clusters ?? []) {
    const id = str(asObject(cluster).id);
    if (!id) continue;
    const hosts = await attempt(`${endpoint}.hosts`, () =>
      listAll(c, {
        endpoint: `${endpoint}.hosts`,
        url: c.url('mdb', `${base}/${encodeURIComponent(id)}/hosts`),
        key: 'hosts',
      })
    );
    for (const host of hosts ?? []) {
      const mapped = mapDatabaseHost(host, cluster, engine, folder);
      if (mapped) out.push(mapped);
    }
  }
  return out;
}

export async function readInventory(c: YandexContext): Promise<InventoryResult> {
  let folders: FolderInfo[];
  try {
    // Without a token nothing can be listed: one reason instead of one failure per listing.
    await c.iam.token();
    folders = await resolveFolders(c);
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    const error = listingError(err, err.endpoint);
    return {
      resources: [],
      errors: [{ ...error, message: `${error.message}; or list the folders in settings.folderIds` }],
      complete: false,
      coveredTypes: COVERED_TYPES,
    };
  }
  if (folders.length === 0) {
    return {
      resources: [],
      errors: [{ endpoint: 'folders', kind: 'not_found', message: 'no folder to inventory: set settings.folderIds' }],
      complete: false,
      coveredTypes: COVERED_TYPES,
    };
  }
  const results = await mapLimit(folders, FOLDER_CONCURRENCY, (folder) => readFolder(c, folder));
  const errors = results.flatMap((r) => r.errors);
  return {
    resources: results.flatMap((r) => r.resources),
    errors,
    complete: errors.length === 0,
    coveredTypes: COVERED_TYPES,
  };
}

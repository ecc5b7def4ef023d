/**
 * Inventory per project (`GET {compute}/api/v1/vms?project_id=` and `/api/v1/disks?project_id=`), the
 * projects in parallel. Lists are paged with `limit`/`offset` and answer `{items, total}` (a bare array
 * is accepted too). A failing list becomes an EndpointError and the inventory is marked incomplete, so
 * the engine flags no zombie from a partial picture; the other lists are kept.
 */
import { ProviderError } from '../http/errors.js';
import type { EndpointError, InventoryResource, InventoryResult } from '../types.js';
import { asObject, num, str } from '../values.js';
import { AUTH_ENDPOINT } from './auth.js';
import { apiError, type CloudruContext } from './context.js';
import { mapProjectInventory } from './inventory-mapper.js';

export const LIST_LIMIT = 100;
const MAX_PAGES = 10_000;

/**
 * Every item of a compute list, page by page. The offset advances by what was received (an API may cap
 * `limit` below what was asked); the list ends at `total`, or — when no total is given — at a short or
 * empty page, or at a page repeating the first (an API ignoring `offset`).
 */
export async function listCompute(
  c: CloudruContext,
  endpoint: string,
  path: string,
  projectId: string,
  limit = LIST_LIMIT
): Promise<unknown[]> {
  const url = `${c.settings.computeUrl}${path}`;
  const items: unknown[] = [];
  let firstIds = '';
  for (let page = 0; page < MAX_PAGES; page++) {
    let body: unknown;
    try {
      const res = await c.http.request({
        endpoint,
        url,
        query: { project_id: projectId, limit, offset: items.length },
      });
      body = res.body;
    } catch (err) {
      throw apiError(
        err,
        url,
        `the Cloud.ru service account may not list ${endpoint === 'vms' ? 'VMs' : endpoint} in project ${projectId} (HTTP 403); give it a viewer role in the project`
      );
    }
    const list = Array.isArray(body) ? body : asObject(body).items;
    if (!Array.isArray(list)) {
      throw new ProviderError('bad_response', endpoint, `Cloud.ru ${endpoint}: the response has no "items" list`);
    }
    // An API that ignores `offset` would serve page one forever.
    const ids = list.map((i) => str(asObject(i).id) ?? '').join(',');
    if (page > 0 && ids === firstIds) return items;
    if (page === 0) firstIds = ids;
    items.push(...list);
    const total = Array.isArray(body) ? undefined : num(asObject(body).total);
    if (list.length === 0 || (total !== undefined ? items.length >= total : list.length < limit)) return items;
  }
  c.logger.warn({ provider: 'cloudru', endpoint }, 'pagination stopped at the page limit');
  return items;
}

interface ProjectResult {
  resources: InventoryResource[];
  errors: EndpointError[];
  complete: boolean;
}

async function readProject(c: CloudruContext, projectId: string): Promise<ProjectResult> {
  const [vms, disks] = await Promise.allSettled([
    listCompute(c, 'vms', '/api/v1/vms', projectId),
    listCompute(c, 'disks', '/api/v1/disks', projectId),
  ]);
  const errors: EndpointError[] = [];
  const value = (endpoint: string, result: PromiseSettledResult<unknown[]>): unknown[] | undefined => {
    if (result.status === 'fulfilled') return result.value;
    const err: unknown = result.reason;
    if (!(err instanceof ProviderError)) throw err;
    // `region` carries the project: the list that failed is per project, as Selectel's are per region.
    errors.push({ endpoint, region: projectId, kind: err.kind, message: err.message });
    c.logger.warn({ provider: 'cloudru', endpoint, projectId, kind: err.kind }, 'project list failed');
    return undefined;
  };
  const vmList = value('vms', vms);
  const diskList = value('disks', disks);
  return {
    resources: mapProjectInventory(vmList ?? [], diskList),
    errors,
    complete: vmList !== undefined && diskList !== undefined,
  };
}

export async function readInventory(c: CloudruContext): Promise<InventoryResult> {
  try {
    await c.iam.token();
  } catch (err) {
    // Without a token nothing can be listed: report it once instead of once per project and list.
    if (!(err instanceof ProviderError)) throw err;
    return {
      resources: [],
      errors: [{ endpoint: AUTH_ENDPOINT, kind: err.kind, message: err.message }],
      complete: false,
    };
  }
  const results = await Promise.all(c.settings.projectIds.map((id) => readProject(c, id)));
  return {
    resources: results.flatMap((r) => r.resources),
    errors: results.flatMap((r) => r.errors),
    complete: results.every((r) => r.complete),
  };
}

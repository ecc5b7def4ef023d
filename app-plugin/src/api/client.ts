import { BackendSrvRequest, getBackendSrv } from '@grafana/runtime';
import type { FreshnessResponse, MeResponse, QueryRequest, QueryResponse } from '@infrazen/contract';
import { lastValueFrom } from 'rxjs';

import { PLUGIN_ID } from '../constants';
import { getSupportTenant } from './supportAccess';
import type {
  AdminStatus,
  AllocationPreview,
  AllocationRule,
  AllocationRuleInput,
  ApiToken,
  AuditFilter,
  AuditPage,
  Budget,
  BudgetInput,
  Connection,
  ConnectionInput,
  ConnectionPatch,
  ConnectionTestResult,
  CreatedToken,
  List,
  ProviderDescription,
  Recommendation,
  RecommendationFilter,
  RecommendationList,
  RecommendationPatch,
  Resource,
  ResourceFilter,
  Snapshot,
  SnapshotWithStates,
  Tenant,
} from './types';

/** Where the app's plugin-proxy routes (plugin.json) forward to the collector. */
export const PROXY_BASE = `/api/plugin-proxy/${PLUGIN_ID}/api/v1`;
export const SUPPORT_TENANT_HEADER = 'X-Infrazen-Support-Tenant';

type Params = Record<string, string | number | boolean | undefined>;

function compact(params: Params): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string | number | boolean
  >;
}

const id = encodeURIComponent;

/**
 * Thin typed client of the collector API through Grafana's plugin proxy: Grafana matches the path against
 * the plugin.json routes, checks the user's org role, adds the API token and the route's role header
 * server-side, so the browser never holds the token. Failures reject with Grafana's FetchError; pages
 * turn them into messages (errors.ts) instead of global toasts.
 */
export class InfraZenClient {
  constructor(private readonly base: string = PROXY_BASE) {}

  // Tenancy and health ---------------------------------------------------------------------------------
  me = () => this.get<MeResponse>('/me');
  freshness = () => this.get<FreshnessResponse>('/freshness');
  /** A read sent as POST: under support access it carries the tenant switch like the GETs. */
  query = (body: QueryRequest) =>
    this.request<QueryResponse>({ method: 'POST', url: '/query', data: body, headers: this.supportHeaders() });

  // Providers and connections ---------------------------------------------------------------------------
  providers = () => this.get<{ items: ProviderDescription[] }>('/providers').then((r) => r.items);
  connections = () => this.get<List<Connection>>('/connections').then((r) => r.items);
  connection = (connectionId: string) => this.get<Connection>(`/connections/${id(connectionId)}`);
  createConnection = (body: ConnectionInput) => this.send<Connection>('POST', '/connections', body);
  updateConnection = (connectionId: string, patch: ConnectionPatch) =>
    this.send<Connection>('PATCH', `/connections/${id(connectionId)}`, patch);
  deleteConnection = (connectionId: string, purge = false) =>
    this.send<void>('DELETE', `/connections/${id(connectionId)}`, undefined, { purge: purge ? 'true' : undefined });
  testConnection = (connectionId: string) =>
    this.send<ConnectionTestResult>('POST', `/connections/${id(connectionId)}/test`, {});
  syncConnection = (connectionId: string) =>
    this.send<{ snapshotId: string }>('POST', `/connections/${id(connectionId)}/sync`, {});
  connectionSnapshots = (connectionId: string, limit = 20, offset = 0) =>
    this.get<{ items: Snapshot[]; total: number }>(`/connections/${id(connectionId)}/snapshots`, { limit, offset });
  snapshot = (snapshotId: string, options: { states?: 'changed' | 'all'; statesLimit?: number } = {}) =>
    this.get<SnapshotWithStates>(`/snapshots/${id(snapshotId)}`, options);

  // Inventory -----------------------------------------------------------------------------------------
  resources = (filter: ResourceFilter = {}) =>
    this.get<{ items: Resource[]; total: number }>('/resources', { ...filter });

  /** The whole inventory, page by page (the API caps a page at 1000). */
  async allResources(filter: Omit<ResourceFilter, 'limit' | 'offset'> = {}, max = 20_000): Promise<Resource[]> {
    const items: Resource[] = [];
    for (let offset = 0; offset < max; offset += 1000) {
      const page = await this.resources({ ...filter, limit: 1000, offset });
      items.push(...page.items);
      if (items.length >= page.total || page.items.length === 0) {
        break;
      }
    }
    return items;
  }

  // Recommendations -------------------------------------------------------------------------------------
  recommendations = (filter: RecommendationFilter = {}) =>
    this.get<RecommendationList>('/recommendations', {
      status: filter.status?.join(','),
      kind: filter.kind?.join(','),
      connection: filter.connection,
      limit: filter.limit,
    });
  updateRecommendation = (recommendationId: string, patch: RecommendationPatch) =>
    this.send<Recommendation>('PATCH', `/recommendations/${id(recommendationId)}`, patch);

  // Budgets ---------------------------------------------------------------------------------------------
  budgets = () => this.get<List<Budget>>('/budgets').then((r) => r.items);
  createBudget = (body: BudgetInput) => this.send<Budget>('POST', '/budgets', body);
  updateBudget = (budgetId: string, patch: Partial<BudgetInput>) =>
    this.send<Budget>('PATCH', `/budgets/${id(budgetId)}`, patch);
  deleteBudget = (budgetId: string) => this.send<void>('DELETE', `/budgets/${id(budgetId)}`);

  // Allocation ------------------------------------------------------------------------------------------
  allocationRules = () => this.get<List<AllocationRule>>('/allocation-rules').then((r) => r.items);
  createAllocationRule = (body: AllocationRuleInput) => this.send<AllocationRule>('POST', '/allocation-rules', body);
  updateAllocationRule = (ruleId: string, patch: Partial<AllocationRuleInput>) =>
    this.send<AllocationRule>('PATCH', `/allocation-rules/${id(ruleId)}`, patch);
  deleteAllocationRule = (ruleId: string) => this.send<void>('DELETE', `/allocation-rules/${id(ruleId)}`);
  previewAllocation = (body: { from: string; to: string; rules?: AllocationRuleInput[] }) =>
    this.send<AllocationPreview>('POST', '/allocation-rules/preview', body);

  // Admin -----------------------------------------------------------------------------------------------
  adminStatus = () => this.get<AdminStatus>('/admin/status');
  tokens = () => this.get<List<ApiToken>>('/admin/tokens').then((r) => r.items);
  createToken = (body: { name: string; expiresAt?: string }) => this.send<CreatedToken>('POST', '/admin/tokens', body);
  revokeToken = (tokenId: string) => this.send<void>('DELETE', `/admin/tokens/${id(tokenId)}`);
  /** Always as the admin's own tenant: the list stays reachable while support access is on. */
  tenants = () => this.get<List<Tenant>>('/admin/tenants', {}, false).then((r) => r.items);
  audit = (filter: AuditFilter = {}) => this.get<AuditPage>('/audit', { ...filter });

  // Transport -------------------------------------------------------------------------------------------
  /** Support access is read-only: only reads carry the tenant switch (the collector refuses writes). */
  private supportHeaders(): Record<string, string> | undefined {
    const tenant = getSupportTenant();
    return tenant ? { [SUPPORT_TENANT_HEADER]: tenant.id } : undefined;
  }

  private get<T>(path: string, params: Params = {}, asSupport = true): Promise<T> {
    const headers = asSupport ? this.supportHeaders() : undefined;
    return this.request<T>({ method: 'GET', url: path, params: compact(params), headers });
  }

  private send<T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, data?: unknown, params: Params = {}) {
    return this.request<T>({ method, url: path, data, params: compact(params) });
  }

  private async request<T>(options: BackendSrvRequest): Promise<T> {
    const response = await lastValueFrom(
      getBackendSrv().fetch<T>({
        showErrorAlert: false,
        showSuccessAlert: false,
        ...options,
        url: `${this.base}${options.url}`,
      })
    );
    return response.data;
  }
}

/** The one client the pages use; tests mock getBackendSrv underneath it. */
export const api = new InfraZenClient();

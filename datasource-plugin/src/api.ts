import { BackendSrvRequest, getBackendSrv } from '@grafana/runtime';
import type {
  DimensionFilter,
  DimensionValue,
  DimensionValuesResponse,
  FreshnessResponse,
  MeResponse,
  QueryRequest,
  QueryResponse,
} from '@infrazen/contract';
import { lastValueFrom } from 'rxjs';

import { VariableDimension } from './types';

export interface DimensionValuesParams {
  /** ISO 8601; the collector's default window when omitted. */
  from?: string;
  to?: string;
  filters?: DimensionFilter[];
  /** For `tag_value`: the tag key. */
  key?: string;
}

/**
 * Thin client of the collector API. Every call goes to the datasource's data proxy URL
 * (`/api/datasources/proxy/uid/<uid>`): Grafana matches the path against the plugin.json routes, adds the
 * API token server-side and checks the caller's org role, so the browser never holds the token.
 */
export class InfraZenApi {
  constructor(private readonly proxyUrl: string) {}

  query(body: QueryRequest, requestId?: string): Promise<QueryResponse> {
    // requestId lets Grafana cancel a superseded request of the same panel.
    return this.request<QueryResponse>({ url: '/api/v1/query', method: 'POST', data: body, requestId });
  }

  async dimensionValues(dimension: VariableDimension, params: DimensionValuesParams = {}): Promise<DimensionValue[]> {
    const query: Record<string, string> = {};
    if (params.from && params.to) {
      query.from = params.from;
      query.to = params.to;
    }
    if (params.filters?.length) {
      query.filters = JSON.stringify(params.filters);
    }
    if (params.key) {
      query.key = params.key;
    }
    const response = await this.request<DimensionValuesResponse>({
      url: `/api/v1/dimensions/${encodeURIComponent(dimension)}/values`,
      params: query,
    });
    return response.values ?? [];
  }

  health(): Promise<unknown> {
    return this.request<unknown>({ url: '/api/v1/health' });
  }

  me(): Promise<MeResponse> {
    return this.request<MeResponse>({ url: '/api/v1/me' });
  }

  freshness(): Promise<FreshnessResponse> {
    return this.request<FreshnessResponse>({ url: '/api/v1/freshness' });
  }

  private async request<T>(options: BackendSrvRequest): Promise<T> {
    const response = await lastValueFrom(
      getBackendSrv().fetch<T>({
        method: 'GET',
        // Callers turn failures into query errors or health messages; no global toasts.
        showErrorAlert: false,
        showSuccessAlert: false,
        ...options,
        url: `${this.proxyUrl}${options.url}`,
      })
    );
    return response.data;
  }
}

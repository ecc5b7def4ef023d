import {
  CoreApp,
  createDataFrame,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceInstanceSettings,
  TestDataSourceResponse,
} from '@grafana/data';
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { DEFAULT_QUERY, InfraZenDataSourceOptions, InfraZenQuery } from './types';

export class DataSource extends DataSourceApi<InfraZenQuery, InfraZenDataSourceOptions> {
  /** Grafana data proxy URL of this instance (`/api/datasources/proxy/uid/<uid>`). */
  readonly baseUrl: string;

  constructor(instanceSettings: DataSourceInstanceSettings<InfraZenDataSourceOptions>) {
    super(instanceSettings);
    this.baseUrl = instanceSettings.url ?? '';
  }

  getDefaultQuery(_: CoreApp): Partial<InfraZenQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: InfraZenQuery): boolean {
    return !query.hide;
  }

  async query(options: DataQueryRequest<InfraZenQuery>): Promise<DataQueryResponse> {
    // Skeleton: one empty frame per query until the collector query API is wired in.
    const data = options.targets
      .filter((target) => this.filterQuery(target))
      .map((target) => createDataFrame({ refId: target.refId, fields: [] }));
    return { data };
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    try {
      const response = await lastValueFrom(getBackendSrv().fetch({ url: `${this.baseUrl}/health`, method: 'GET' }));
      if (response.ok) {
        return { status: 'success', message: 'Connected to the InfraZen collector' };
      }
      return { status: 'error', message: response.statusText || 'Cannot connect to the InfraZen collector' };
    } catch (err) {
      let message = 'Cannot connect to the InfraZen collector';
      if (isFetchError(err) && err.statusText) {
        message += `: ${err.statusText}`;
      }
      return { status: 'error', message };
    }
  }
}

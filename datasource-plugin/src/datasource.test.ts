import { DataQueryRequest, DataSourceInstanceSettings, PluginType } from '@grafana/data';

import { DataSource } from './datasource';
import { plugin } from './module';
import { InfraZenDataSourceOptions, InfraZenQuery } from './types';

const instanceSettings = {
  uid: 'infrazen-uid',
  type: 'infrazen-finops-datasource',
  name: 'InfraZen FinOps',
  url: '/api/datasources/proxy/uid/infrazen-uid',
  access: 'proxy',
  readOnly: false,
  jsonData: {},
  meta: {
    id: 'infrazen-finops-datasource',
    name: 'InfraZen FinOps',
    type: PluginType.datasource,
    info: {} as DataSourceInstanceSettings['meta']['info'],
    module: '',
    baseUrl: '',
  },
} as DataSourceInstanceSettings<InfraZenDataSourceOptions>;

describe('DataSource', () => {
  it('is built from instance settings and uses the data proxy URL', () => {
    const ds = new DataSource(instanceSettings);
    expect(ds.uid).toBe('infrazen-uid');
    expect(ds.baseUrl).toBe('/api/datasources/proxy/uid/infrazen-uid');
  });

  it('returns one frame per visible query, keeping refIds', async () => {
    const ds = new DataSource(instanceSettings);
    const request = {
      targets: [{ refId: 'A' }, { refId: 'B', hide: true }, { refId: 'C', queryText: 'costs' }],
    } as DataQueryRequest<InfraZenQuery>;

    const response = await ds.query(request);

    expect(response.data.map((frame) => frame.refId)).toEqual(['A', 'C']);
  });

  it('is registered in module.ts with both editors', () => {
    expect(plugin.DataSourceClass).toBe(DataSource);
    expect(plugin.components.ConfigEditor).toBeDefined();
    expect(plugin.components.QueryEditor).toBeDefined();
  });
});

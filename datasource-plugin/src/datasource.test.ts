import { CoreApp, DataQueryRequest, FieldType, TestDataSourceResponse } from '@grafana/data';
import type { DataFrameJSON, QueryRequest } from '@infrazen/contract';
import { lastValueFrom } from 'rxjs';

import { DataSource } from './datasource';
import { plugin } from './module';
import { fakeBackend, fakeTemplateSrv, newDataSource, PROXY_URL, RANGE } from './testUtils';
import { InfraZenDataQuery, InfraZenVariableQuery } from './types';
import { InfraZenVariableSupport } from './variables';

function request<Q extends { refId: string }>(
  targets: Q[],
  extra: Partial<DataQueryRequest<Q>> = {}
): DataQueryRequest<Q> {
  return {
    requestId: 'Q1',
    interval: '1h',
    intervalMs: 3_600_000,
    maxDataPoints: 500,
    range: RANGE,
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: CoreApp.Dashboard,
    startTime: 0,
    ...extra,
  };
}

const costFrame = (refId: string): DataFrameJSON => ({
  schema: {
    refId,
    name: 'Compute',
    fields: [
      { name: 'time', type: 'time' },
      {
        name: 'cost',
        type: 'number',
        config: { unit: 'currencyRUB', displayNameFromDS: 'Compute' },
        labels: { service: 'Compute' },
      },
    ],
  },
  data: {
    values: [
      [1735689600000, 1735776000000],
      [120.5, 99.25],
    ],
  },
});

/** The body of the one query API call made so far. */
function sentBody(backend: ReturnType<typeof fakeBackend>): QueryRequest {
  const calls = backend.requests().filter((r) => r.url.endsWith('/api/v1/query'));
  expect(calls).toHaveLength(1);
  return calls[0]!.data;
}

beforeEach(() => {
  fakeTemplateSrv();
});

describe('query', () => {
  it('POSTs one request to the data proxy with range, interval, currency and the visible queries', async () => {
    const backend = fakeBackend({ '/api/v1/query': { data: { results: { A: { frames: [costFrame('A')] } } } } });
    const ds = newDataSource({ url: 'http://collector:8080', currency: 'USD' });
    const costs: InfraZenDataQuery = { refId: 'A', queryType: 'costs', metric: 'billed_cost', groupBy: ['service'] };
    const hidden: InfraZenDataQuery = { refId: 'B', queryType: 'resources', hide: true };

    const response = await ds.query(request([costs, hidden]));

    const [call] = backend.requests();
    expect(call).toMatchObject({ method: 'POST', url: `${PROXY_URL}/api/v1/query`, requestId: 'Q1' });
    // The token is added by Grafana's proxy route; the browser request carries no credentials.
    expect(call?.headers).toBeUndefined();
    expect(sentBody(backend)).toEqual({
      from: RANGE.from.valueOf(),
      to: RANGE.to.valueOf(),
      queries: [{ ...costs, filters: [] }],
      intervalMs: 3_600_000,
      maxDataPoints: 500,
      currency: 'USD',
    });
    expect(response.errors).toBeUndefined();
    expect(response.data).toHaveLength(1);
    const frame = response.data[0];
    expect(frame.refId).toBe('A');
    expect(frame.fields.map((f: { type: FieldType }) => f.type)).toEqual([FieldType.time, FieldType.number]);
    expect(frame.fields[1].config.unit).toBe('currencyRUB');
  });

  it('sends nothing when every query is hidden', async () => {
    const backend = fakeBackend({});
    const response = await newDataSource().query(request([{ refId: 'A', queryType: 'costs', hide: true }]));
    expect(response.data).toEqual([]);
    expect(backend.fetch).not.toHaveBeenCalled();
  });

  it('defaults the currency to RUB and runs untyped queries as the default costs query', async () => {
    const backend = fakeBackend({ '/api/v1/query': { data: { results: { A: { frames: [] } } } } });
    await newDataSource({ url: 'http://collector:8080' }).query(request([{ refId: 'A' } as InfraZenDataQuery]));
    const body = sentBody(backend);
    expect(body.currency).toBe('RUB');
    expect(body.queries[0]).toMatchObject({ refId: 'A', queryType: 'costs', granularity: 'auto' });
  });

  it('shows a failed query as an error for its refId while the other queries still show', async () => {
    fakeBackend({
      '/api/v1/query': {
        data: {
          results: {
            A: { frames: [costFrame('A')] },
            B: { frames: [], error: 'groupBy: unknown dimension "foo"', status: 400 },
          },
        },
      },
    });
    const response = await newDataSource().query(
      request<InfraZenDataQuery>([
        { refId: 'A', queryType: 'costs' },
        { refId: 'B', queryType: 'costs' },
        { refId: 'C', queryType: 'snapshots' },
      ])
    );
    expect(response.data.map((f: { refId: string }) => f.refId)).toEqual(['A']);
    expect(response.errors).toEqual([
      { refId: 'B', message: 'groupBy: unknown dimension "foo"', status: 400 },
      { refId: 'C', message: 'The collector returned no result for this query.' },
    ]);
  });

  it('reports a rejected token (the proxy turns 401 into 400) on every query', async () => {
    fakeBackend({ '/api/v1/query': { status: 400, data: 'Authentication to data source failed' } });
    const response = await newDataSource().query(
      request<InfraZenDataQuery>([
        { refId: 'A', queryType: 'costs' },
        { refId: 'B', queryType: 'cost_summary' },
      ])
    );
    expect(response.data).toEqual([]);
    expect(response.errors?.map((e) => [e.refId, e.status, e.message])).toEqual([
      ['A', 400, 'The collector rejected the API token. Update it in the datasource settings.'],
      ['B', 400, 'The collector rejected the API token. Update it in the datasource settings.'],
    ]);
  });

  it('says the collector is unreachable when the proxy answers 502', async () => {
    fakeBackend({ '/api/v1/query': { status: 502, statusText: 'Bad Gateway' } });
    const response = await newDataSource().query(request<InfraZenDataQuery>([{ refId: 'A', queryType: 'costs' }]));
    expect(response.errors?.[0]?.message).toBe('Cannot reach the InfraZen collector (Bad Gateway).');
  });
});

describe('template variables in queries', () => {
  const run = async (query: InfraZenDataQuery, extra: Partial<DataQueryRequest<InfraZenDataQuery>> = {}) => {
    const backend = fakeBackend({ '/api/v1/query': { data: { results: {} } } });
    await newDataSource().query(request([query], extra));
    return sentBody(backend).queries[0];
  };

  it('expands single and multi-value variables into filter value lists', async () => {
    fakeTemplateSrv([
      { name: 'provider', current: 'yandex' },
      { name: 'service', current: ['Compute', 'Storage'] },
    ]);
    const sent = await run({
      refId: 'A',
      queryType: 'costs',
      filters: [
        { dimension: 'provider', op: 'include', values: ['$provider'] },
        { dimension: 'service', op: 'exclude', values: ['${service}', 'Network'] },
      ],
    });
    expect(sent?.filters).toEqual([
      { dimension: 'provider', op: 'include', values: ['yandex'] },
      { dimension: 'service', op: 'exclude', values: ['Compute', 'Storage', 'Network'] },
    ]);
  });

  it('drops a filter whose variable is set to All, and one left without values', async () => {
    fakeTemplateSrv([
      { name: 'region', current: ['$__all'], options: ['ru-central1', 'ru-7'] },
      { name: 'project', current: [] },
    ]);
    const sent = await run({
      refId: 'A',
      queryType: 'costs',
      filters: [
        { dimension: 'region', op: 'include', values: ['$region'] },
        { dimension: 'project', op: 'include', values: ['[[project]]'] },
        { dimension: 'provider', op: 'include', values: ['beget'] },
      ],
    });
    expect(sent?.filters).toEqual([{ dimension: 'provider', op: 'include', values: ['beget'] }]);
  });

  it('uses the repeated panel value over the dashboard selection', async () => {
    fakeTemplateSrv([{ name: 'region', current: '$__all', options: ['a', 'b'] }]);
    const sent = await run(
      { refId: 'A', queryType: 'costs', filters: [{ dimension: 'region', op: 'include', values: ['$region'] }] },
      { scopedVars: { region: { text: 'a', value: 'a' } } }
    );
    expect(sent?.filters).toEqual([{ dimension: 'region', op: 'include', values: ['a'] }]);
  });

  it('interpolates text fields and resource id lists of the other query types', async () => {
    fakeTemplateSrv([
      { name: 'q', current: 'web' },
      { name: 'vm', current: ['c1/vm-1', 'c1/vm-2'] },
    ]);
    expect(await run({ refId: 'A', queryType: 'resources', search: '$q', status: '' })).toMatchObject({
      search: 'web',
      status: undefined,
    });
    expect(await run({ refId: 'A', queryType: 'utilization', resourceIds: ['$vm'] })).toMatchObject({
      resourceIds: ['c1/vm-1', 'c1/vm-2'],
    });
  });

  it('appends ad hoc filters as dimension filters', async () => {
    const sent = await run(
      { refId: 'A', queryType: 'costs' },
      {
        filters: [
          { key: 'provider', operator: '=', value: 'yandex' },
          { key: 'tag:env', operator: '!=', value: 'dev' },
          { key: 'region', operator: '=|', value: '', values: ['a', 'b'] },
          { key: 'service', operator: '=~', value: 'Comp.*' },
          { key: 'not_a_dimension', operator: '=', value: 'x' },
        ],
      }
    );
    expect(sent?.filters).toEqual([
      { dimension: 'provider', op: 'include', values: ['yandex'] },
      { dimension: 'tag:env', op: 'exclude', values: ['dev'] },
      { dimension: 'region', op: 'include', values: ['a', 'b'] },
    ]);
  });

  it('resolves variables for Explore (interpolateVariablesInQueries)', () => {
    fakeTemplateSrv([{ name: 'provider', current: ['yandex', 'selectel'] }]);
    const [query] = newDataSource().interpolateVariablesInQueries(
      [{ refId: 'A', queryType: 'costs', filters: [{ dimension: 'provider', op: 'include', values: ['$provider'] }] }],
      {}
    );
    expect(query?.filters).toEqual([{ dimension: 'provider', op: 'include', values: ['yandex', 'selectel'] }]);
  });
});

describe('variable queries', () => {
  const variableQuery = (ds: DataSource, query: InfraZenVariableQuery) => {
    if (!(ds.variables instanceof InfraZenVariableSupport)) {
      throw new Error('expected the custom variable support');
    }
    return lastValueFrom(ds.variables.query(request([query])));
  };

  it('lists a dimension’s values as text/value pairs, filtered by other variables', async () => {
    fakeTemplateSrv([{ name: 'provider', current: ['yandex', 'selectel'] }]);
    const backend = fakeBackend({
      '/api/v1/dimensions/connection/values': {
        data: {
          values: [
            { value: 'c1', text: 'Yandex prod' },
            { value: 'c2', text: 'Selectel' },
          ],
        },
      },
    });
    const response = await variableQuery(newDataSource(), {
      refId: 'V',
      dimension: 'connection',
      filters: [{ dimension: 'provider', op: 'include', values: ['$provider'] }],
    });
    expect(response.data).toEqual([
      { text: 'Yandex prod', value: 'c1' },
      { text: 'Selectel', value: 'c2' },
    ]);
    expect(backend.requests()[0]).toMatchObject({
      url: `${PROXY_URL}/api/v1/dimensions/connection/values`,
      params: {
        from: '2025-01-01T00:00:00.000Z',
        to: '2025-01-31T00:00:00.000Z',
        filters: JSON.stringify([{ dimension: 'provider', op: 'include', values: ['yandex', 'selectel'] }]),
      },
    });
  });

  it('lists the values of one tag, with the key interpolated', async () => {
    fakeTemplateSrv([{ name: 'tagkey', current: 'env' }]);
    const backend = fakeBackend({
      '/api/v1/dimensions/tag_value/values': { data: { values: [{ value: 'prod', text: 'prod' }] } },
    });
    const response = await variableQuery(newDataSource(), { refId: 'V', dimension: 'tag_value', tagKey: '$tagkey' });
    expect(response.data).toEqual([{ text: 'prod', value: 'prod' }]);
    expect(backend.requests()[0]?.params).toMatchObject({ key: 'env' });
  });

  it('lists nothing until a dimension (and for tag values a key) is chosen', async () => {
    const backend = fakeBackend({});
    const ds = newDataSource();
    expect((await variableQuery(ds, { refId: 'V' })).data).toEqual([]);
    expect((await variableQuery(ds, { refId: 'V', dimension: 'tag_value' })).data).toEqual([]);
    expect(backend.fetch).not.toHaveBeenCalled();
  });
});

describe('ad hoc filter keys and values', () => {
  it('offers every dimension and each tag key', async () => {
    fakeBackend({ '/api/v1/dimensions/tag_key/values': { data: { values: [{ value: 'env', text: 'env' }] } } });
    const keys = await newDataSource().getTagKeys({ filters: [] });
    expect(keys[0]).toEqual({ text: 'Provider', value: 'provider' });
    expect(keys.at(-1)).toEqual({ text: 'tag: env', value: 'tag:env' });
  });

  it('still offers the dimensions when tag keys cannot be read', async () => {
    fakeBackend({ '/api/v1/dimensions/tag_key/values': { status: 500, data: { message: 'boom' } } });
    const keys = await newDataSource().getTagKeys({ filters: [] });
    expect(keys.map((k) => k.value)).toContain('service');
  });

  it('reads tag values through tag_value and narrows by the other filters', async () => {
    const backend = fakeBackend({
      '/api/v1/dimensions/tag_value/values': { data: { values: [{ value: 'prod', text: 'prod' }] } },
    });
    const values = await newDataSource().getTagValues({
      key: 'tag:env',
      filters: [
        { key: 'provider', operator: '=', value: 'yandex' },
        { key: 'tag:env', operator: '=', value: 'dev' },
      ],
    });
    expect(values).toEqual([{ text: 'prod', value: 'prod' }]);
    expect(backend.requests()[0]?.params).toEqual({
      key: 'env',
      filters: JSON.stringify([{ dimension: 'provider', op: 'include', values: ['yandex'] }]),
    });
  });
});

describe('testDatasource', () => {
  const NOW = Date.parse('2025-02-01T12:00:00Z');
  const ME = {
    data: {
      tenant: { id: 't1', grafanaOrgId: 1, name: 'Acme', reportingCurrency: 'RUB', timezone: 'UTC', locale: 'en' },
      tokenId: 'k1',
    },
  };
  const freshness = (over: object) => ({
    data: {
      connections: 2,
      lastSyncAt: '2025-02-01T11:30:00Z',
      lastCostAt: '2025-02-01T00:00:00Z',
      failing: [],
      ...over,
    },
  });
  const test = (
    routes: Parameters<typeof fakeBackend>[0],
    url = 'http://collector:8080'
  ): Promise<TestDataSourceResponse> => {
    fakeBackend(routes);
    return newDataSource({ url }).testDatasource();
  };

  beforeEach(() => {
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('succeeds with the tenant, connection count and sync age', async () => {
    const result = await test({ '/api/v1/health': { data: {} }, '/api/v1/me': ME, '/api/v1/freshness': freshness({}) });
    expect(result).toEqual({
      status: 'success',
      message: 'Connected to tenant "Acme": 2 connections, last sync 30 min ago.',
    });
  });

  it('asks for the URL when none is set', async () => {
    const result = await test({}, '');
    expect(result).toMatchObject({ status: 'error', message: 'Set the collector URL, then save and test again.' });
  });

  it('says the collector cannot be reached (proxy 502)', async () => {
    const result = await test({ '/api/v1/health': { status: 502, statusText: 'Bad Gateway' } });
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/^Cannot reach the InfraZen collector at http:\/\/collector:8080 /);
  });

  it('passes on the collector’s reason when it is up but not ready (503)', async () => {
    const result = await test({
      '/api/v1/health': { status: 503, data: { status: 'degraded', db: { error: 'database not migrated' } } },
    });
    expect(result).toMatchObject({
      status: 'error',
      message: expect.stringContaining('not ready: database not migrated'),
    });
  });

  it('says the API token was rejected when /me answers 400 through the proxy', async () => {
    const result = await test({
      '/api/v1/health': { data: {} },
      '/api/v1/me': { status: 400, data: 'Authentication to data source failed' },
    });
    expect(result.status).toBe('error');
    expect(result.message).toContain('the API token was rejected');
  });

  it('says a valid token is not allowed (403)', async () => {
    const result = await test({
      '/api/v1/health': { data: {} },
      '/api/v1/me': { status: 403, data: { message: 'forbidden' } },
    });
    expect(result).toMatchObject({ status: 'error', message: expect.stringContaining('not allowed') });
  });

  it('warns when the tenant has no connections', async () => {
    const result = await test({
      '/api/v1/health': { data: {} },
      '/api/v1/me': ME,
      '/api/v1/freshness': freshness({ connections: 0, lastSyncAt: null }),
    });
    expect(result).toMatchObject({
      status: 'warning',
      message: expect.stringContaining('no provider connections yet'),
    });
  });

  it('warns about failing connections and lists them in the details', async () => {
    const failing = [
      { id: 'c1', name: 'Yandex prod', lastError: 'invalid key' },
      { id: 'c2', name: 'Beget', lastError: null },
    ];
    const result = await test({
      '/api/v1/health': { data: {} },
      '/api/v1/me': ME,
      '/api/v1/freshness': freshness({ failing }),
    });
    expect(result).toMatchObject({
      status: 'warning',
      message: expect.stringContaining('2 of 2 provider connections fail to sync'),
      details: { message: 'Yandex prod: invalid key; Beget' },
    });
  });

  it('warns when nothing has synced yet, and when the last sync is older than 2 hours', async () => {
    const never = await test({
      '/api/v1/health': { data: {} },
      '/api/v1/me': ME,
      '/api/v1/freshness': freshness({ lastSyncAt: null }),
    });
    expect(never).toMatchObject({ status: 'warning', message: expect.stringContaining('nothing has synced yet') });

    const stale = await test({
      '/api/v1/health': { data: {} },
      '/api/v1/me': ME,
      '/api/v1/freshness': freshness({ lastSyncAt: '2025-02-01T09:00:00Z' }),
    });
    expect(stale).toMatchObject({
      status: 'warning',
      message: expect.stringContaining('the last sync was 3 h 0 min ago'),
    });
  });

  it('warns when freshness cannot be read', async () => {
    const result = await test({ '/api/v1/health': { data: {} }, '/api/v1/me': ME });
    expect(result).toMatchObject({
      status: 'warning',
      message: expect.stringContaining('data freshness could not be checked'),
    });
  });
});

describe('plugin wiring', () => {
  it('registers the datasource and editors, with variable and annotation support', () => {
    const ds = newDataSource();
    expect(plugin.DataSourceClass).toBe(DataSource);
    expect(plugin.components.ConfigEditor).toBeDefined();
    expect(plugin.components.QueryEditor).toBeDefined();
    expect(ds.variables).toBeInstanceOf(InfraZenVariableSupport);
    expect(ds.annotations?.QueryEditor).toBeDefined();
    expect(ds.getDefaultQuery(CoreApp.Explore)).toEqual({
      queryType: 'costs',
      metric: 'billed_cost',
      granularity: 'auto',
      groupBy: ['service'],
      topN: 10,
    });
  });
});

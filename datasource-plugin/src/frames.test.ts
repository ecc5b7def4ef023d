import { FieldType } from '@grafana/data';
import type { DataFrameJSON } from '@infrazen/contract';

import { RESOURCE_PAGE, toDataFrame, toGrafanaFrameJSON, toQueryResponse } from './frames';

const table: DataFrameJSON = {
  schema: {
    name: 'costs',
    fields: [
      { name: 'resource', type: 'string', config: { displayName: 'Resource' } },
      { name: 'resource_id', type: 'string' },
      { name: 'cost', type: 'number', config: { unit: 'currencyRUB', decimals: 2 } },
      { name: 'active', type: 'boolean' },
    ],
    meta: {
      notices: [{ severity: 'warning', text: '3 rows lack an FX rate for KZT' }],
      preferredVisualisationType: 'table',
    },
  },
  data: {
    values: [
      ['web-1', 'db-1'],
      ['r-1', 'r-2'],
      [10.5, 20],
      [true, false],
    ],
  },
};

describe('toDataFrame', () => {
  it('keeps values, field types, units, display names and notices, and stamps the refId', () => {
    const frame = toDataFrame(table, 'A');
    expect(frame.refId).toBe('A');
    expect(frame.name).toBe('costs');
    expect(frame.length).toBe(2);
    expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
      ['resource', FieldType.string],
      ['resource_id', FieldType.string],
      ['cost', FieldType.number],
      ['active', FieldType.boolean],
    ]);
    expect(frame.fields[2]?.values).toEqual([10.5, 20]);
    expect(frame.fields[2]?.config).toMatchObject({ unit: 'currencyRUB', decimals: 2 });
    expect(frame.fields[0]?.config.displayName).toBe('Resource');
    expect(frame.meta?.notices).toEqual([{ severity: 'warning', text: '3 rows lack an FX rate for KZT' }]);
    expect(frame.meta?.preferredVisualisationType).toBe('table');
  });

  it('keeps a refId the collector set', () => {
    expect(toDataFrame({ ...table, schema: { ...table.schema, refId: 'B' } }, 'A').refId).toBe('B');
  });

  it('reads time fields as epoch milliseconds and labels as labels', () => {
    const frame = toDataFrame(
      {
        schema: {
          fields: [
            { name: 'time', type: 'time' },
            { name: 'cost', type: 'number', labels: { service: 'Compute' }, config: { displayNameFromDS: 'Compute' } },
          ],
        },
        data: { values: [[1735689600000], [5]] },
      },
      'A'
    );
    expect(frame.fields[0]?.type).toBe(FieldType.time);
    expect(frame.fields[0]?.values).toEqual([1735689600000]);
    expect(frame.fields[1]?.labels).toEqual({ service: 'Compute' });
    expect(frame.fields[1]?.config.displayNameFromDS).toBe('Compute');
  });
});

describe('resource links', () => {
  const links = (json: DataFrameJSON) =>
    Object.fromEntries(toGrafanaFrameJSON(json, 'A').schema!.fields.map((f) => [f.name, f.config?.links?.[0]?.url]));

  it('links the resource id column and the resource name beside it to the app’s resource page', () => {
    expect(links(table)).toEqual({
      resource: `${RESOURCE_PAGE}?id=\${__data.fields.resource_id}`,
      resource_id: `${RESOURCE_PAGE}?id=\${__value.raw}`,
      cost: undefined,
      active: undefined,
    });
  });

  it('links the name of the inventory table through its hidden id column', () => {
    const inventory: DataFrameJSON = {
      schema: {
        name: 'resources',
        fields: [
          { name: 'id', type: 'string', config: { custom: { hidden: true } } },
          { name: 'name', type: 'string' },
          { name: 'provider_resource_id', type: 'string' },
        ],
      },
      data: { values: [['u1'], ['web-1'], ['fhm123']] },
    };
    expect(links(inventory).name).toBe(`${RESOURCE_PAGE}?id=\${__data.fields.id}`);
  });

  it('links series labelled with a resource id, and leaves links the collector set alone', () => {
    const series: DataFrameJSON = {
      schema: {
        fields: [
          { name: 'time', type: 'time' },
          { name: 'cpu_avg', type: 'number', labels: { resource_id: 'c1/vm-1' } },
          { name: 'resource_id', type: 'string', config: { links: [{ title: 'Console', url: 'https://console' }] } },
        ],
      },
      data: { values: [[1], [2], ['x']] },
    };
    expect(links(series)).toEqual({
      time: undefined,
      cpu_avg: `${RESOURCE_PAGE}?id=\${__field.labels.resource_id}`,
      resource_id: 'https://console',
    });
  });
});

describe('toQueryResponse', () => {
  it('returns the frames of every query and one error per failed or missing query', () => {
    const response = toQueryResponse(
      {
        results: {
          A: { frames: [table, table] },
          B: { frames: [], error: 'unknown queryType "x"', status: 400 },
          Z: { frames: [table] },
        },
      },
      ['A', 'B', 'C']
    );
    expect(response.data.map((f: { refId: string }) => f.refId)).toEqual(['A', 'A']);
    expect(response.errors).toEqual([
      { refId: 'B', message: 'unknown queryType "x"', status: 400 },
      { refId: 'C', message: 'The collector returned no result for this query.' },
    ]);
  });

  it('has no errors key when every query succeeded', () => {
    expect(toQueryResponse({ results: { A: { frames: [] } } }, ['A'])).toEqual({ data: [] });
  });
});

import { applyQueryFix, queryDisplayText } from './explore';
import { InfraZenDataQuery } from './types';

describe('applyQueryFix (Explore filter for / out value)', () => {
  const base: InfraZenDataQuery = {
    refId: 'A',
    queryType: 'costs',
    filters: [{ dimension: 'provider', op: 'include', values: ['yandex'] }],
  };

  it('adds the value to the filter of that dimension, or a new filter', () => {
    const more = applyQueryFix(base, { type: 'ADD_FILTER', options: { key: 'provider', value: 'beget' } });
    expect(more.filters).toEqual([{ dimension: 'provider', op: 'include', values: ['yandex', 'beget'] }]);

    const out = applyQueryFix(base, { type: 'ADD_FILTER_OUT', options: { key: 'service', value: 'Compute' } });
    expect(out.filters).toEqual([
      { dimension: 'provider', op: 'include', values: ['yandex'] },
      { dimension: 'service', op: 'exclude', values: ['Compute'] },
    ]);
  });

  it('leaves the query alone for columns that are not dimensions and for other actions', () => {
    expect(applyQueryFix(base, { type: 'ADD_FILTER', options: { key: 'cost', value: '5' } })).toBe(base);
    expect(applyQueryFix(base, { type: 'ADD_STRING_FILTER', options: { key: 'provider', value: 'x' } })).toBe(base);
  });
});

describe('queryDisplayText', () => {
  it('summarizes type, metric, grouping, top N and filters on one line', () => {
    expect(
      queryDisplayText({
        refId: 'A',
        queryType: 'costs',
        metric: 'billed_cost',
        groupBy: ['service', 'tag:env'],
        topN: 5,
        filters: [{ dimension: 'provider', op: 'exclude', values: ['beget'] }],
      })
    ).toBe('Costs · billed_cost · Group by: Service, Tag: env · Top N: 5 · Provider ≠ beget');
    expect(queryDisplayText({ refId: 'A', queryType: 'resources' })).toBe('Resources');
  });
});

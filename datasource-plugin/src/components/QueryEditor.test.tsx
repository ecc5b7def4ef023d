import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';

import { InfraZenDataQuery } from '../types';
import { fakeBackend, fakeTemplateSrv, newDataSource, RANGE } from '../testUtils';
import { QueryEditor } from './QueryEditor';
import { testIds } from './testIds';

function renderEditor(query: InfraZenDataQuery) {
  const onChange = jest.fn<void, [InfraZenDataQuery]>();
  const onRunQuery = jest.fn();
  const view = render(
    <QueryEditor datasource={newDataSource()} query={query} range={RANGE} onChange={onChange} onRunQuery={onRunQuery} />
  );
  return { onChange, onRunQuery, view };
}

/** Async Combobox options arrive after a debounce and a fetch; allow for a slow CI machine. */
const findOption = (text: string | RegExp) => screen.findByText(text, undefined, { timeout: 5000 });

const lastQuery = (onChange: jest.Mock<void, [InfraZenDataQuery]>) => onChange.mock.calls.at(-1)?.[0];

beforeEach(() => {
  fakeTemplateSrv([{ name: 'provider', current: 'yandex' }]);
  fakeBackend({
    '/api/v1/dimensions/tag_key/values': { data: { values: [{ value: 'env', text: 'env' }] } },
    '/api/v1/dimensions/provider/values': {
      data: {
        values: [
          { value: 'yandex', text: 'Yandex Cloud' },
          { value: 'beget', text: 'Beget' },
        ],
      },
    },
  });
});

describe('QueryEditor', () => {
  it('shows an untyped query as the default costs query, with its help text', () => {
    renderEditor({ refId: 'A' } as InfraZenDataQuery);
    expect(screen.getByTestId(testIds.queryEditor.queryType)).toHaveValue('Costs');
    expect(screen.getByTestId(testIds.queryEditor.help)).toHaveTextContent(/Cost over time or in total/);
    expect(screen.getByLabelText('Auto')).toBeChecked();
    expect(screen.getByLabelText('Billed')).toBeChecked();
  });

  it('resets to the new type’s default when the query type changes, keeping Grafana’s fields', async () => {
    const { onChange, onRunQuery } = renderEditor({
      refId: 'B',
      datasource: { uid: 'infrazen-uid', type: 'infrazen-finops-datasource' },
      queryType: 'costs',
      groupBy: ['region'],
      topN: 3,
      filters: [{ dimension: 'provider', op: 'include', values: ['yandex'] }],
    });

    fireEvent.click(screen.getByTestId(testIds.queryEditor.queryType));
    fireEvent.click(await findOption(/^Utilization/));

    expect(lastQuery(onChange)).toEqual({
      refId: 'B',
      datasource: { uid: 'infrazen-uid', type: 'infrazen-finops-datasource' },
      queryType: 'utilization',
      metric: 'cpu',
      aggregation: 'avg',
      groupBy: ['resource'],
      granularity: 'auto',
      topN: 10,
    });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('adds a group-by dimension picked from the list (dimensions and tag keys)', async () => {
    const { onChange, onRunQuery } = renderEditor({ refId: 'A', queryType: 'costs', groupBy: ['service'] });

    fireEvent.click(screen.getByTestId(testIds.queryEditor.groupBy));
    expect(await findOption('tag:env')).toBeInTheDocument();
    fireEvent.click(screen.getByText('Region'));

    expect(lastQuery(onChange)).toMatchObject({ queryType: 'costs', groupBy: ['service', 'region'] });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('changes granularity and metric with the radio buttons', () => {
    const { onChange } = renderEditor({ refId: 'A', queryType: 'costs' });
    fireEvent.click(screen.getByLabelText('Month'));
    expect(lastQuery(onChange)).toMatchObject({ granularity: 'month' });
    fireEvent.click(screen.getByLabelText('Effective'));
    expect(lastQuery(onChange)).toMatchObject({ metric: 'effective_cost' });
  });

  it('edits top N as you type and runs the query on blur', () => {
    const { onChange, onRunQuery } = renderEditor({ refId: 'A', queryType: 'costs', topN: 10 });
    const input = screen.getByTestId(testIds.queryEditor.topN);

    fireEvent.change(input, { target: { value: '5' } });
    expect(lastQuery(onChange)).toMatchObject({ topN: 5 });
    expect(onRunQuery).not.toHaveBeenCalled();
    fireEvent.change(input, { target: { value: '' } });
    expect(lastQuery(onChange)).toMatchObject({ topN: undefined });

    fireEvent.blur(input);
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('adds a filter, picks suggested values (and variables), flips it to exclude and removes it', async () => {
    const { onChange, view } = renderEditor({ refId: 'A', queryType: 'costs' });

    fireEvent.click(screen.getByTestId(testIds.filters.add));
    const added = lastQuery(onChange);
    expect(added?.filters).toEqual([{ dimension: 'provider', op: 'include', values: [] }]);

    view.rerender(
      <QueryEditor
        datasource={newDataSource()}
        query={added!}
        range={RANGE}
        onChange={onChange}
        onRunQuery={jest.fn()}
      />
    );
    fireEvent.click(screen.getByTestId(testIds.filters.values));
    expect(await findOption('$provider')).toBeInTheDocument();
    fireEvent.click(screen.getByText('Yandex Cloud'));
    expect(lastQuery(onChange)?.filters).toEqual([{ dimension: 'provider', op: 'include', values: ['yandex'] }]);

    fireEvent.click(screen.getByLabelText('Is not'));
    expect(lastQuery(onChange)?.filters).toEqual([{ dimension: 'provider', op: 'exclude', values: [] }]);

    fireEvent.click(screen.getByTestId(testIds.filters.remove));
    expect(lastQuery(onChange)?.filters).toEqual([]);
  });

  it('shows the fields of the resources type and maps "Any" flag to no flag', () => {
    const { onChange } = renderEditor({ refId: 'A', queryType: 'resources', flag: 'zombie', search: 'web' });
    expect(screen.getByTestId(testIds.queryEditor.search)).toHaveValue('web');
    expect(screen.getByLabelText('Zombie')).toBeChecked();

    fireEvent.click(screen.getByLabelText('Any'));
    expect(lastQuery(onChange)).toMatchObject({ queryType: 'resources', flag: undefined });
  });

  it('edits the actions of a changes query', async () => {
    const { onChange } = renderEditor({ refId: 'A', queryType: 'changes', actions: ['created'] });
    fireEvent.click(screen.getByTestId(testIds.queryEditor.actions));
    fireEvent.click(await findOption('Deleted'));
    await waitFor(() => expect(lastQuery(onChange)).toMatchObject({ actions: ['created', 'deleted'] }));
  });
});

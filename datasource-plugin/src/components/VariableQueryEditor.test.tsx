import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import { fakeBackend, fakeTemplateSrv, newDataSource, RANGE } from '../testUtils';
import { InfraZenVariableQuery } from '../types';
import { testIds } from './testIds';
import { VariableQueryEditor } from './VariableQueryEditor';

const findOption = (text: string) => screen.findByText(text, undefined, { timeout: 5000 });

function renderEditor(query: InfraZenVariableQuery) {
  const onChange = jest.fn<void, [InfraZenVariableQuery]>();
  render(
    <VariableQueryEditor
      datasource={newDataSource()}
      query={query}
      range={RANGE}
      onChange={onChange}
      onRunQuery={jest.fn()}
    />
  );
  return onChange;
}

beforeEach(() => {
  fakeTemplateSrv([{ name: 'tagkey', current: 'env' }]);
  fakeBackend({ '/api/v1/dimensions/tag_key/values': { data: { values: [{ value: 'team', text: 'team' }] } } });
});

describe('VariableQueryEditor', () => {
  it('picks the dimension whose values the variable lists', async () => {
    const onChange = renderEditor({ refId: 'V' });
    expect(screen.queryByTestId(testIds.variableEditor.tagKey)).not.toBeInTheDocument();

    fireEvent.click(screen.getByTestId(testIds.variableEditor.dimension));
    fireEvent.click(await findOption('Service'));

    expect(onChange).toHaveBeenLastCalledWith({ refId: 'V', dimension: 'service', tagKey: undefined });
  });

  it('asks for a tag key (suggested, or a variable) when listing tag values', async () => {
    const onChange = renderEditor({ refId: 'V', dimension: 'tag_value' });

    fireEvent.click(screen.getByTestId(testIds.variableEditor.tagKey));
    expect(await findOption('$tagkey')).toBeInTheDocument();
    fireEvent.click(screen.getByText('team'));

    expect(onChange).toHaveBeenLastCalledWith({ refId: 'V', dimension: 'tag_value', tagKey: 'team' });
  });

  it('forgets the tag key when switching to another dimension', async () => {
    const onChange = renderEditor({ refId: 'V', dimension: 'tag_value', tagKey: 'env' });
    fireEvent.click(screen.getByTestId(testIds.variableEditor.dimension));
    fireEvent.click(await findOption('Region'));
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'V', dimension: 'region', tagKey: undefined });
  });

  it('narrows the list with filters (chained variables)', () => {
    const onChange = renderEditor({ refId: 'V', dimension: 'service' });
    fireEvent.click(screen.getByTestId(testIds.filters.add));
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'V',
      dimension: 'service',
      filters: [{ dimension: 'provider', op: 'include', values: [] }],
    });
  });
});

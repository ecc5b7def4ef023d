import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import { fakeBackend, fakeTemplateSrv, newDataSource } from '../testUtils';
import { InfraZenDataQuery } from '../types';
import { AnnotationQueryEditor } from './AnnotationQueryEditor';
import { testIds } from './testIds';

beforeEach(() => {
  fakeTemplateSrv();
  fakeBackend({});
});

describe('AnnotationQueryEditor', () => {
  it('edits a changes query, starting from the default when the annotation has none', async () => {
    const onChange = jest.fn<void, [InfraZenDataQuery]>();
    render(
      <AnnotationQueryEditor
        datasource={newDataSource()}
        query={{ refId: 'Anno' } as InfraZenDataQuery}
        onChange={onChange}
        onRunQuery={jest.fn()}
      />
    );
    expect(screen.queryByTestId(testIds.queryEditor.queryType)).not.toBeInTheDocument();

    fireEvent.click(screen.getByTestId(testIds.queryEditor.kinds));
    fireEvent.click(await screen.findByText('Status', undefined, { timeout: 5000 }));

    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'Anno',
      queryType: 'changes',
      actions: ['created', 'updated', 'deleted'],
      kinds: ['status'],
    });
  });
});

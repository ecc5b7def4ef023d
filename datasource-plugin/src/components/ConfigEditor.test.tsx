import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { DataSourceSettings } from '@grafana/data';

import { ConfigEditor } from './ConfigEditor';
import { InfraZenDataSourceOptions, InfraZenSecureJsonData } from '../types';

const options = {
  uid: 'infrazen-uid',
  name: 'InfraZen FinOps',
  type: 'infrazen-finops-datasource',
  url: '',
  jsonData: {},
  secureJsonFields: {},
} as unknown as DataSourceSettings<InfraZenDataSourceOptions, InfraZenSecureJsonData>;

describe('ConfigEditor', () => {
  it('stores the collector URL in the instance url', () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={options} onOptionsChange={onOptionsChange} />);

    fireEvent.change(screen.getByPlaceholderText('http://localhost:8080'), {
      target: { value: ' http://collector:8080 ' },
    });

    expect(onOptionsChange).toHaveBeenCalledWith(expect.objectContaining({ url: 'http://collector:8080' }));
  });

  it('keeps the API token in secureJsonData only', () => {
    const onOptionsChange = jest.fn();
    render(<ConfigEditor options={options} onOptionsChange={onOptionsChange} />);

    fireEvent.change(screen.getByPlaceholderText('API token'), { target: { value: 'secret' } });

    const saved = onOptionsChange.mock.calls[0][0];
    expect(saved.secureJsonData).toEqual({ apiToken: 'secret' });
    expect(saved.jsonData).toEqual({});
  });
});

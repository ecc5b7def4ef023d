import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { DataSourceSettings } from '@grafana/data';
import { config } from '@grafana/runtime';

import { InfraZenDataSourceOptions, InfraZenSecureJsonData } from '../types';
import { ConfigEditor, normalizeUrl } from './ConfigEditor';
import { testIds } from './testIds';

type Settings = DataSourceSettings<InfraZenDataSourceOptions, InfraZenSecureJsonData>;

function settings(over: Partial<Settings> = {}): Settings {
  // Typed by assertion because the interface still requires the deprecated `database` field.
  return {
    id: 1,
    uid: 'infrazen-uid',
    orgId: 1,
    name: 'InfraZen FinOps',
    type: 'infrazen-finops-datasource',
    typeName: 'InfraZen FinOps',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    readOnly: false,
    withCredentials: false,
    jsonData: {},
    secureJsonFields: {},
    ...over,
  } as Settings;
}

function renderEditor(options: Settings) {
  const onOptionsChange = jest.fn<void, [Settings]>();
  render(<ConfigEditor options={options} onOptionsChange={onOptionsChange} />);
  return onOptionsChange;
}

describe('ConfigEditor', () => {
  it('stores the collector URL in jsonData (the proxy routes read it), trimmed on blur', () => {
    const onChange = renderEditor(settings({ jsonData: { url: ' http://collector:8080/ ' } }));
    const input = screen.getByTestId(testIds.configEditor.url);

    fireEvent.change(input, { target: { value: 'http://c' } });
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ jsonData: { url: 'http://c' } }));

    fireEvent.blur(input);
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ jsonData: { url: 'http://collector:8080' } }));
  });

  it('normalizes URLs without eating what is being typed', () => {
    expect(normalizeUrl('  http://x:8080//  ')).toBe('http://x:8080');
    expect(normalizeUrl('http://')).toBe('http:');
  });

  it('keeps the API token in secureJsonData only', () => {
    const onChange = renderEditor(settings());
    fireEvent.change(screen.getByTestId(testIds.configEditor.apiToken), { target: { value: 'izt_secret' } });
    const saved = onChange.mock.calls[0]![0];
    expect(saved.secureJsonData).toEqual({ apiToken: 'izt_secret' });
    expect(saved.jsonData).toEqual({});
  });

  it('shows a stored token as configured, and Reset makes it editable and empty', () => {
    const onChange = renderEditor(settings({ secureJsonFields: { apiToken: true } }));
    expect(screen.getByTestId(testIds.configEditor.apiToken)).toBeDisabled();
    expect(screen.getByTestId(testIds.configEditor.apiToken)).toHaveValue('configured');

    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));

    expect(onChange).toHaveBeenCalledWith(
      expect.objectContaining({ secureJsonFields: { apiToken: false }, secureJsonData: { apiToken: '' } })
    );
  });

  it('shows RUB as the default currency and stores the one picked', async () => {
    const onChange = renderEditor(settings());
    const currency = screen.getByTestId(testIds.configEditor.currency);
    expect(currency).toHaveValue('RUB');

    fireEvent.click(currency);
    fireEvent.click(await screen.findByText('USD'));

    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ jsonData: { currency: 'USD' } }));
  });

  it('speaks Russian to Russian users', () => {
    const original = config.bootData.user.language;
    config.bootData.user.language = 'ru-RU';
    try {
      renderEditor(settings());
      expect(screen.getByText('URL коллектора')).toBeInTheDocument();
      expect(screen.getByText('Валюта отчётности')).toBeInTheDocument();
    } finally {
      config.bootData.user.language = original;
    }
  });
});

import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { PluginType } from '@grafana/data';

import AppConfig, { AppConfigProps } from './AppConfig';
import { testIds } from '../testIds';

function renderConfig(jsonData: Record<string, unknown> = {}, secureJsonFields: Record<string, boolean> = {}) {
  const props = {
    plugin: {
      meta: {
        id: 'infrazen-finops-app',
        name: 'InfraZen FinOps',
        type: PluginType.app,
        enabled: true,
        jsonData,
        secureJsonFields,
      },
    },
    query: {},
  } as unknown as AppConfigProps;
  return render(<AppConfig {...props} />);
}

describe('Components/AppConfig', () => {
  it('renders the collector fieldset with URL and token inputs', () => {
    renderConfig();

    expect(screen.getByRole('group', { name: /collector/i })).toBeInTheDocument();
    expect(screen.getByTestId(testIds.appConfig.apiUrl)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.appConfig.apiToken)).toBeInTheDocument();
  });

  it('enables saving only once both URL and token are given', () => {
    renderConfig();
    const submit = screen.getByRole('button', { name: /save settings/i });
    expect(submit).toBeDisabled();

    fireEvent.change(screen.getByTestId(testIds.appConfig.apiUrl), {
      target: { name: 'apiUrl', value: 'http://collector:8080' },
    });
    expect(submit).toBeDisabled();

    fireEvent.change(screen.getByTestId(testIds.appConfig.apiToken), { target: { name: 'apiToken', value: 'token' } });
    expect(submit).toBeEnabled();
  });

  it('allows saving with a stored token', () => {
    renderConfig({ apiUrl: 'http://collector:8080' }, { apiToken: true });

    expect(screen.getByTestId(testIds.appConfig.apiUrl)).toHaveValue('http://collector:8080');
    expect(screen.getByRole('button', { name: /save settings/i })).toBeEnabled();
  });
});

import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { PluginType } from '@grafana/data';

import { fakeBackend } from '../../test/backend';
import AppConfig, { AppConfigProps, isValidCollectorUrl } from './AppConfig';
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

  it('enables saving only once a valid URL and a token are given', () => {
    renderConfig();
    const submit = screen.getByRole('button', { name: /save settings/i });
    expect(submit).toBeDisabled();

    fireEvent.change(screen.getByTestId(testIds.appConfig.apiUrl), { target: { value: 'collector:8080' } });
    fireEvent.change(screen.getByTestId(testIds.appConfig.apiToken), { target: { value: 'token' } });
    expect(screen.getByTestId(testIds.appConfig.urlError)).toHaveTextContent('Enter an http:// or https:// URL');
    expect(submit).toBeDisabled();

    fireEvent.change(screen.getByTestId(testIds.appConfig.apiUrl), { target: { value: 'http://collector:8080' } });
    expect(screen.queryByTestId(testIds.appConfig.urlError)).not.toBeInTheDocument();
    expect(submit).toBeEnabled();
  });

  it('saves the URL in jsonData and the token in secureJsonData', async () => {
    const backend = fakeBackend({ 'POST /api/plugins/infrazen-finops-app/settings': { data: {} } });
    const reload = jest.fn();
    const location = window.location;
    Object.defineProperty(window, 'location', { configurable: true, value: { ...location, reload } });
    try {
      renderConfig();
      fireEvent.change(screen.getByTestId(testIds.appConfig.apiUrl), { target: { value: 'http://collector:8080/' } });
      fireEvent.change(screen.getByTestId(testIds.appConfig.apiToken), { target: { value: 'izt_secret' } });
      fireEvent.click(screen.getByRole('button', { name: /save settings/i }));

      await waitFor(() => expect(reload).toHaveBeenCalled());
      expect(backend.requests()[0].data).toEqual({
        enabled: true,
        pinned: undefined,
        jsonData: { collectorUrl: 'http://collector:8080' },
        secureJsonData: { collectorToken: 'izt_secret' },
      });
    } finally {
      Object.defineProperty(window, 'location', { configurable: true, value: location });
    }
  });

  it('allows saving with a stored token, and checks the saved connection', async () => {
    fakeBackend({
      'GET /me': {
        data: {
          tenant: {
            id: 't1',
            grafanaOrgId: 1,
            name: 'Main Org.',
            reportingCurrency: 'RUB',
            timezone: 'Europe/Moscow',
            locale: 'ru',
          },
          tokenId: 'tok',
        },
      },
    });
    renderConfig({ collectorUrl: 'http://collector:8080' }, { collectorToken: true });

    expect(screen.getByTestId(testIds.appConfig.apiUrl)).toHaveValue('http://collector:8080');
    expect(screen.getByRole('button', { name: /save settings/i })).toBeEnabled();

    fireEvent.click(screen.getByTestId(testIds.appConfig.check));
    expect(
      await screen.findByText('Connected to tenant “Main Org.” (organization 1, reporting currency RUB).')
    ).toBeInTheDocument();
  });

  it('reports a failed check and refuses to check unsaved settings', async () => {
    fakeBackend({ 'GET /me': { status: 401, data: { error: 'unauthorized', message: 'bad token' } } });
    renderConfig({ collectorUrl: 'http://collector:8080' }, { collectorToken: true });
    fireEvent.click(screen.getByTestId(testIds.appConfig.check));
    expect(await screen.findByText(/The collector rejected the API token/)).toBeInTheDocument();

    fireEvent.change(screen.getByTestId(testIds.appConfig.apiUrl), { target: { value: 'http://other:8080' } });
    // With a tooltip, Grafana's Button stays focusable and says it is disabled through aria-disabled.
    expect(screen.getByTestId(testIds.appConfig.check)).toHaveAttribute('aria-disabled', 'true');
  });

  it('accepts only http(s) URLs without credentials', () => {
    expect(isValidCollectorUrl('https://collector.example/infrazen')).toBe(true);
    expect(isValidCollectorUrl('ftp://collector')).toBe(false);
    expect(isValidCollectorUrl('http://user:pass@collector')).toBe(false);
  });
});

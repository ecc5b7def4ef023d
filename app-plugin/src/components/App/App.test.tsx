import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { AppRootProps, PluginType } from '@grafana/data';
import { render, screen } from '@testing-library/react';

import App from './App';
import { testIds } from '../testIds';

// Lazy pages load their chunk first; on a busy CI machine that can take longer than the 1 s default.
const LAZY_PAGE_TIMEOUT = 20_000;
jest.setTimeout(30_000);

describe('Components/App', () => {
  const props = {
    basename: 'a/infrazen-finops-app',
    meta: {
      id: 'infrazen-finops-app',
      name: 'InfraZen FinOps',
      type: PluginType.app,
      enabled: true,
      jsonData: {},
    },
    query: {},
    path: '',
    onNavChanged: jest.fn(),
  } as unknown as AppRootProps;

  it('renders the overview page at the app root', async () => {
    render(
      <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <App {...props} />
      </MemoryRouter>
    );

    // Pages are lazy loaded, so wait for the route to render.
    expect(await screen.findByTestId(testIds.overview.container, {}, { timeout: LAZY_PAGE_TIMEOUT })).toHaveTextContent(
      'InfraZen'
    );
  });

  it('renders the overview page on its own route', async () => {
    render(
      <MemoryRouter initialEntries={['/overview']} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <App {...props} />
      </MemoryRouter>
    );

    expect(
      await screen.findByTestId(testIds.overview.container, {}, { timeout: LAZY_PAGE_TIMEOUT })
    ).toBeInTheDocument();
  });
});

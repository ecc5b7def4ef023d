import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { AppRootProps, PluginType } from '@grafana/data';
import { render, screen } from '@testing-library/react';

import { reportTestIds } from '../../pages/Reports/testIds';
import { actAs, fakeBackend } from '../../test/backend';
import App from './App';
import { testIds } from '../testIds';

// Lazy pages load their chunk first; on a busy CI machine that can take longer than the 1 s default.
const LAZY_PAGE_TIMEOUT = 20_000;
jest.setTimeout(60_000);

const props = {
  basename: 'a/infrazen-finops-app',
  meta: { id: 'infrazen-finops-app', name: 'InfraZen FinOps', type: PluginType.app, enabled: true, jsonData: {} },
  query: {},
  path: '',
  onNavChanged: jest.fn(),
} as unknown as AppRootProps;

function renderAt(path: string) {
  return render(
    <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <React.Suspense fallback={null}>
        <App {...props} />
      </React.Suspense>
    </MemoryRouter>
  );
}

describe('Components/App', () => {
  beforeEach(() => {
    actAs('Admin');
    // Every page starts empty; the pages' own tests cover their data.
    fakeBackend({
      'GET /connections': { data: { items: [], total: 0 } },
      'GET /providers': { data: { items: [] } },
      'GET /resources': { data: { items: [], total: 0 } },
      'GET /budgets': { data: { items: [] } },
      'GET /admin/status': { status: 503, data: { message: 'starting' } },
    });
  });

  it.each([
    ['/', testIds.overview.container],
    ['/overview', testIds.overview.container],
    ['/connections', testIds.connections.container],
    ['/resources', testIds.resources.container],
    ['/recommendations', testIds.recommendations.container],
    ['/budgets', testIds.budgets.container],
    ['/allocation', testIds.allocation.container],
    ['/reports', reportTestIds.container],
    ['/admin', testIds.admin.container],
    ['/no-such-page', testIds.overview.container],
  ])('renders %s', async (path, container) => {
    renderAt(path);
    // Pages are lazy loaded, so wait for the route to render.
    expect(await screen.findByTestId(container, {}, { timeout: LAZY_PAGE_TIMEOUT })).toBeInTheDocument();
  });
});

import { actAs, fakeBackend } from '../test/backend';
import { api, PROXY_BASE, SUPPORT_TENANT_HEADER } from './client';
import { setSupportTenant } from './supportAccess';

describe('InfraZen client', () => {
  beforeEach(() => {
    actAs('Admin');
    setSupportTenant(null);
  });

  it('calls the collector through the app’s plugin-proxy routes, without global error toasts', async () => {
    const backend = fakeBackend({ 'GET /recommendations': { data: { items: [], totals: {} } } });
    await api.recommendations({ status: ['open', 'snoozed'], kind: ['rightsize'], limit: 50 });
    const [request] = backend.requests();
    expect(PROXY_BASE).toBe('/api/plugin-proxy/infrazen-finops-app/api/v1');
    expect(request.url).toBe(`${PROXY_BASE}/recommendations`);
    // The agreed comma lists; empty values are left out.
    expect(request.params).toEqual({ status: 'open,snoozed', kind: 'rightsize', limit: 50 });
    expect(request.showErrorAlert).toBe(false);
  });

  it('escapes ids in paths', async () => {
    const backend = fakeBackend({ 'PATCH /budgets/a%2Fb': { data: {} } });
    await api.updateBudget('a/b', { name: 'x' });
    expect(backend.requests()[0].url).toBe(`${PROXY_BASE}/budgets/a%2Fb`);
  });

  it('pages through the whole inventory', async () => {
    const page = (n: number, offset: number) => Array.from({ length: n }, (_, i) => ({ id: `r${offset + i}` }));
    const backend = fakeBackend({
      'GET /resources': (request) => {
        const offset = Number(request.params?.offset);
        return { data: { items: page(offset === 0 ? 1000 : 500, offset), total: 1500 } };
      },
    });
    const all = await api.allResources({ provider: 'yandex' });
    expect(all).toHaveLength(1500);
    expect(backend.requests().map((r) => r.params)).toEqual([
      { provider: 'yandex', limit: 1000, offset: 0 },
      { provider: 'yandex', limit: 1000, offset: 1000 },
    ]);
  });

  it('sends the support tenant on reads only while support access is on', async () => {
    const backend = fakeBackend({
      'GET /connections': { data: { items: [], total: 0 } },
      'POST /query': { data: { results: {} } },
      'PATCH /budgets/b1': { data: {} },
    });
    await api.connections();
    setSupportTenant({ id: 'tenant-b', name: 'Org B' });
    await api.connections();
    await api.query({ from: 0, to: 1, queries: [] });
    await api.updateBudget('b1', { name: 'x' });
    const headers = backend.requests().map((r) => r.headers);
    expect(headers).toEqual([
      undefined,
      { [SUPPORT_TENANT_HEADER]: 'tenant-b' },
      { [SUPPORT_TENANT_HEADER]: 'tenant-b' },
      undefined,
    ]);
  });
});

import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { getSupportTenant, setSupportTenant } from '../../api/supportAccess';
import { RULE_GROUPS } from '../../alerting/rules';
import { testIds } from '../../components/testIds';
import { actAs, fakeBackend } from '../../test/backend';
import { renderPage } from '../../test/render';
import Admin from './Admin';

jest.setTimeout(30_000);

const STATUS = {
  version: '0.4.0',
  database: { mode: 'timescale', embedded: false, migrations: { applied: 12, latest: 13 } },
  scheduler: {
    jobs: [
      {
        name: 'sync-tick',
        schedule: '* * * * *',
        running: false,
        lastStatus: 'ok',
        lastRunAt: '2025-03-10T08:00:00Z',
        nextRunAt: '2025-03-10T08:01:00Z',
      },
    ],
  },
  syncs: { running: 1 },
  lastErrors: [
    { at: '2025-03-10T07:00:00Z', connectionId: 'c1', connectionName: 'Selectel prod', message: 'auth failed' },
  ],
};

const TOKENS = [
  {
    id: 't1',
    name: 'Grafana datasource',
    prefix: 'izt_ab12',
    createdAt: '2025-01-01T00:00:00Z',
    createdBy: 'admin',
    lastUsedAt: null,
    revokedAt: null,
    expiresAt: null,
  },
  {
    id: 't2',
    name: 'Old CI',
    prefix: 'izt_cd34',
    createdAt: '2024-01-01T00:00:00Z',
    createdBy: 'admin',
    lastUsedAt: null,
    revokedAt: '2024-06-01T00:00:00Z',
    expiresAt: null,
  },
];

describe('Admin page', () => {
  beforeEach(() => {
    actAs('Admin');
    setSupportTenant(null);
  });

  it('is closed to non-admins, without asking the collector anything', async () => {
    actAs('Editor');
    const api = fakeBackend({});
    renderPage(<Admin />);
    expect(await screen.findByTestId(testIds.admin.denied)).toHaveTextContent('This page is for organization admins.');
    expect(api.requests()).toHaveLength(0);
  });

  it('shows the system status', async () => {
    fakeBackend({ 'GET /admin/status': { data: STATUS } });
    renderPage(<Admin />);
    const status = await screen.findByTestId(testIds.admin.status);
    expect(status).toHaveTextContent('0.4.0');
    expect(status).toHaveTextContent('timescale · external');
    expect(status).toHaveTextContent('12 of 13');
    expect(screen.getByText('The database is not fully migrated.')).toBeInTheDocument();
    expect(status).toHaveTextContent('sync-tick');
    expect(status).toHaveTextContent('Selectel prod: auth failed');
  });

  it('explains a failed status request', async () => {
    fakeBackend({ 'GET /admin/status': { status: 403, data: { message: 'plugin proxy route access denied' } } });
    renderPage(<Admin />);
    expect(await screen.findByTestId(testIds.common.error)).toHaveTextContent(
      'Your Grafana role is not allowed to do this.'
    );
  });

  it('creates a token, shows it once, and revokes tokens', async () => {
    const api = fakeBackend({
      'GET /admin/tokens': { data: { items: TOKENS } },
      'POST /admin/tokens': {
        data: { id: 't3', name: 'CI export', prefix: 'izt_ef56', token: 'izt_ef56_SECRET_VALUE' },
      },
      'DELETE /admin/tokens/t1': { data: null },
    });
    renderPage(<Admin />, '/admin?tab=tokens');
    const tokens = await screen.findByTestId(testIds.admin.tokens);
    expect(await within(tokens).findByText('Grafana datasource')).toBeInTheDocument();
    expect(within(tokens).getByText(/revoked/)).toBeInTheDocument();
    // Revoked tokens cannot be revoked again.
    expect(within(tokens).getAllByTestId(testIds.admin.tokenRevoke)).toHaveLength(1);

    fireEvent.click(within(tokens).getByRole('button', { name: 'Create token' }));
    fireEvent.click(screen.getByTestId(testIds.admin.tokenCreate));
    expect(await screen.findByText('Required.')).toBeInTheDocument();
    expect(api.calls('POST /admin/tokens')).toHaveLength(0);

    fireEvent.change(screen.getByTestId(testIds.admin.tokenName), { target: { value: 'CI export' } });
    fireEvent.click(screen.getByTestId(testIds.admin.tokenCreate));
    expect(await screen.findByTestId(testIds.admin.tokenShown)).toHaveValue('izt_ef56_SECRET_VALUE');
    expect(api.calls('POST /admin/tokens')[0].data).toEqual({ name: 'CI export' });

    fireEvent.click(within(tokens).getByTestId(testIds.admin.tokenRevoke));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(api.calls('DELETE /admin/tokens/t1')).toHaveLength(1));
  });

  it('filters the audit log and pages back', async () => {
    const entry = (id: string, action: string) => ({
      id,
      at: '2025-03-10T08:00:00Z',
      actor: 'alice',
      actorKind: 'user',
      action,
      targetKind: 'budget',
      targetId: 'b1',
      summary: 'amount 100 → 200',
      sourceAddress: '10.0.0.7',
    });
    const api = fakeBackend({
      'GET /audit': (request) =>
        request.params?.before
          ? { data: { items: [entry('e2', 'budget.create')], nextBefore: null } }
          : { data: { items: [entry('e1', 'budget.update')], nextBefore: 'cursor-1' } },
    });
    renderPage(<Admin />, '/admin?tab=audit');
    const audit = await screen.findByTestId(testIds.admin.audit);
    expect(await within(audit).findByText('budget.update')).toBeInTheDocument();

    fireEvent.change(screen.getByTestId(testIds.admin.auditActor), { target: { value: ' alice ' } });
    fireEvent.click(screen.getByTestId(testIds.admin.auditApply));
    await waitFor(() => expect(api.calls('GET /audit')).toHaveLength(2));
    expect(api.calls('GET /audit')[1].params).toEqual({ actor: 'alice', limit: 100 });

    fireEvent.click(await screen.findByTestId(testIds.admin.auditMore));
    expect(await within(audit).findByText('budget.create')).toBeInTheDocument();
    expect(api.calls('GET /audit')[2].params).toEqual({ actor: 'alice', limit: 100, before: 'cursor-1' });
    expect(screen.queryByTestId(testIds.admin.auditMore)).not.toBeInTheDocument();
  });

  it('offers support access to server admins only, and switches the tenant read-only', async () => {
    fakeBackend({ 'GET /admin/status': { data: STATUS } });
    const { unmount } = renderPage(<Admin />);
    await screen.findByTestId(testIds.admin.status);
    expect(screen.queryByText('Support access')).not.toBeInTheDocument();
    unmount();

    actAs('Admin', true);
    const api = fakeBackend({
      'GET /admin/tenants': {
        data: {
          items: [
            {
              id: 'tenant-b',
              grafanaOrgId: 2,
              name: 'Org B',
              createdAt: '2025-01-01T00:00:00Z',
              connections: 3,
              monthToDateCost: '5000.00',
              currency: 'RUB',
            },
          ],
        },
      },
    });
    renderPage(<Admin />, '/admin?tab=support');
    fireEvent.click(await screen.findByTestId(testIds.admin.supportOpen));
    expect(getSupportTenant()).toEqual({ id: 'tenant-b', name: 'Org B' });
    // The tenant list is the admin's own; it never carries the switch.
    expect(api.calls('GET /admin/tenants')[0].headers).toBeUndefined();
  });

  it('installs the recommended alert rules through Grafana’s provisioning API', async () => {
    const rules = RULE_GROUPS.flatMap((g) => g.rules);
    const [fileRule, existingRule] = rules;
    const api = fakeBackend({
      'GET /api/datasources': {
        data: [
          { uid: 'infrazen', name: 'InfraZen', type: 'infrazen-finops-datasource' },
          { uid: 'pg-org2', name: 'InfraZen TSDB', type: 'grafana-postgresql-datasource' },
        ],
      },
      'GET /api/folders': { data: [] },
      'POST /api/folders': { data: { uid: 'infrazen', title: 'InfraZen' } },
      'GET /api/v1/provisioning/alert-rules/*': (request) =>
        request.url.endsWith(fileRule.uid)
          ? { data: { uid: fileRule.uid, provenance: 'file' } }
          : request.url.endsWith(existingRule.uid)
            ? { data: { uid: existingRule.uid, provenance: '' } }
            : { status: 404, data: { message: 'not found' } },
      'POST /api/v1/provisioning/alert-rules': { data: {} },
      'PUT /api/v1/provisioning/alert-rules/*': { data: {} },
      'GET /api/v1/provisioning/folder/*': { data: { title: 'g', folderUid: 'infrazen', interval: 60, rules: [] } },
      'PUT /api/v1/provisioning/folder/*': { data: {} },
    });
    renderPage(<Admin />, '/admin?tab=alerts');

    const install = await screen.findByTestId(testIds.admin.alertsInstall);
    // The only PostgreSQL datasource is picked.
    await waitFor(() => expect(install).toBeEnabled());
    fireEvent.click(install);

    const result = await screen.findByText(/^Done:/);
    expect(result).toHaveTextContent(
      `Done: ${rules.length - 2} created, 1 updated, 1 already provisioned from files, 0 failed.`
    );
    expect(api.calls('POST /api/folders')[0].data).toEqual({ uid: 'infrazen', title: 'InfraZen' });

    const posted = api.calls('POST /api/v1/provisioning/alert-rules');
    expect(posted).toHaveLength(rules.length - 2);
    expect(posted[0].headers).toEqual({ 'X-Disable-Provenance': 'true' });
    const body = posted[0].data as {
      folderUID: string;
      ruleGroup: string;
      data: Array<{ datasourceUid: string; model: { datasource?: { uid?: string } } }>;
    };
    expect(body.folderUID).toBe('infrazen');
    // Queries run on the chosen datasource; expressions stay on __expr__.
    expect(body.data.map((q) => q.datasourceUid)).toEqual(expect.arrayContaining(['pg-org2', '__expr__']));
    expect(
      body.data.filter((q) => q.datasourceUid === 'pg-org2').every((q) => q.model.datasource?.uid === 'pg-org2')
    ).toBe(true);
    expect(api.calls('PUT /api/v1/provisioning/alert-rules/' + existingRule.uid)).toHaveLength(1);

    // Each group gets the file's evaluation interval (1h = 3600 s, 15m = 900 s).
    const groupPuts = api.requests().filter((r) => r.method === 'PUT' && r.url.includes('/rule-groups/'));
    const byNumber = (a: number, b: number) => a - b;
    expect(groupPuts.map((r) => (r.data as { interval: number }).interval).sort(byNumber)).toEqual(
      RULE_GROUPS.map((g) => (g.interval === '15m' ? 900 : 3600)).sort(byNumber)
    );
  });
});

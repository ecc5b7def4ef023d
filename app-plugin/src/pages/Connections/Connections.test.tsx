import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { testIds } from '../../components/testIds';
import { actAs, fakeBackend } from '../../test/backend';
import { connection, PROVIDERS, snapshot } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import Connections from './Connections';

jest.setTimeout(30_000);

const BEGET = connection({
  account: {
    accountId: 'acme',
    balance: '1520.50',
    currency: 'RUB',
    daysToBlock: 12,
    dailyRate: '25.00',
    details: {
      planName: 'Blog',
      accountStatus: 'active',
      rates: { daily: '25.00', monthly: '750.00' },
      limits: { sites: { used: 3, limit: 5 }, quota: { used: 1200, limit: null } },
    },
  },
});
const SELECTEL = connection({
  id: 'c-sel',
  name: 'Selectel prod',
  provider: 'selectel',
  status: 'error',
  lastError: 'auth: the API key was rejected',
  lastSyncStatus: 'error',
  account: {},
});

function backend(extra = {}) {
  return fakeBackend({
    'GET /connections': { data: { items: [BEGET, SELECTEL], total: 2 } },
    'GET /providers': { data: { items: PROVIDERS } },
    ...extra,
  });
}

describe('Connections page', () => {
  beforeEach(() => actAs('Admin'));

  it('shows each connection with status, sync times, errors and account information', async () => {
    backend();
    renderPage(<Connections />);

    const cards = await screen.findAllByTestId(testIds.connections.card);
    expect(cards).toHaveLength(2);
    const [beget, selectel] = cards;
    expect(within(beget).getByText('Healthy')).toBeInTheDocument();
    expect(within(beget).getByText(/Last sync: .* \(success\)/)).toBeInTheDocument();
    // 12 days of runway is under the 30-day threshold: a warning even while the details are collapsed.
    expect(within(beget).getByTestId(testIds.connections.daysToBlock)).toHaveTextContent(
      'Top up the balance: the account is blocked in 12 days.'
    );
    expect(within(selectel).getByText('auth: the API key was rejected')).toBeInTheDocument();
    expect(within(selectel).queryByTestId(testIds.connections.daysToBlock)).not.toBeInTheDocument();

    fireEvent.click(within(beget).getByText('Account information'));
    const account = within(beget).getByTestId(testIds.connections.account);
    expect(account).toHaveTextContent('Blog');
    expect(account).toHaveTextContent('1,520.5');
    expect(account).toHaveTextContent('Sites: 3 of 5');
    expect(account).toHaveTextContent('Disk quota: 1,200 (no limit)');
    expect(account).toHaveTextContent('/ month');
  });

  it('offers management to admins only', async () => {
    actAs('Editor');
    backend();
    renderPage(<Connections />);

    const [card] = await screen.findAllByTestId(testIds.connections.card);
    expect(within(card).queryByTestId(testIds.connections.sync)).not.toBeInTheDocument();
    expect(within(card).queryByTestId(testIds.connections.edit)).not.toBeInTheDocument();
    expect(within(card).queryByTestId(testIds.connections.remove)).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.connections.add)).not.toBeInTheDocument();
    // History is reading: everyone may open it.
    expect(within(card).getByTestId(testIds.connections.history)).toBeInTheDocument();
  });

  it('invites an admin to add the first connection', async () => {
    fakeBackend({
      'GET /connections': { data: { items: [], total: 0 } },
      'GET /providers': { data: { items: PROVIDERS } },
    });
    renderPage(<Connections />);

    expect(await screen.findByText(/No connections yet. Add a cloud account/)).toBeInTheDocument();
    expect(screen.getAllByTestId(testIds.connections.add).length).toBeGreaterThan(0);
  });

  it('shows the reason when the list cannot be loaded', async () => {
    fakeBackend({
      'GET /connections': { status: 401, data: { error: 'unauthorized', message: 'bad token' } },
      'GET /providers': { data: { items: PROVIDERS } },
    });
    renderPage(<Connections />);

    expect(await screen.findByTestId(testIds.common.error)).toHaveTextContent('The collector rejected the API token');
  });

  it('runs a sync and follows its phases to the end', async () => {
    let polls = 0;
    const api = backend({
      'POST /connections/c-beget/sync': { data: { snapshotId: 's9' } },
      'GET /snapshots/s9': () => {
        polls++;
        return polls === 1
          ? {
              data: snapshot({
                id: 's9',
                status: 'running',
                phase: 3,
                phaseName: 'servers',
                phases: [
                  { phase: 1, name: 'billing', status: 'done', startedAt: '2025-03-10T08:00:00Z' },
                  { phase: 2, name: 'grouping', status: 'done', startedAt: '2025-03-10T08:00:10Z' },
                  { phase: 3, name: 'servers', status: 'running', startedAt: '2025-03-10T08:00:20Z' },
                ],
              }),
            }
          : { data: snapshot({ id: 's9', status: 'success' }) };
      },
    });
    renderPage(<Connections />);

    const [card] = await screen.findAllByTestId(testIds.connections.card);
    fireEvent.click(within(card).getByTestId(testIds.connections.sync));
    expect(await within(card).findByText('Phase 3 of 8: Servers')).toBeInTheDocument();
    expect(
      await within(card).findByText(
        'Sync finished: success. Found 12, created 1, updated 2, deleted 1.',
        {},
        { timeout: 5000 }
      )
    ).toBeInTheDocument();
    // Progress polls without the resource states; the list is reloaded once the sync ends.
    expect(api.calls('GET /snapshots/s9')[0].params).toEqual({ statesLimit: 0 });
    await waitFor(() => expect(api.calls('GET /connections')).toHaveLength(2));
  });

  it('says so when a sync is already running', async () => {
    backend({
      'POST /connections/c-beget/sync': { status: 409, data: { error: 'sync_in_progress', message: 'running' } },
    });
    renderPage(<Connections />);

    const [card] = await screen.findAllByTestId(testIds.connections.card);
    fireEvent.click(within(card).getByTestId(testIds.connections.sync));
    expect(await within(card).findByText('A sync of this connection is already running.')).toBeInTheDocument();
  });

  it('tests a stored connection and shows the account it reached', async () => {
    backend({
      'POST /connections/c-sel/test': {
        data: { ok: false, error: { kind: 'auth', message: 'The API key was rejected' } },
      },
    });
    renderPage(<Connections />);

    const [, card] = await screen.findAllByTestId(testIds.connections.card);
    fireEvent.click(within(card).getByTestId(testIds.connections.test));
    expect(await within(card).findByTestId(testIds.connections.testResult)).toHaveTextContent(
      'Test failed (auth): The API key was rejected'
    );
  });

  it('shows the sync history and what a sync changed', async () => {
    backend({
      'GET /connections/c-beget/snapshots': {
        data: {
          items: [
            snapshot({ id: 's2', totalDailyCost: '1300.50', startedAt: '2025-03-10T08:00:00Z' }),
            snapshot({ id: 's1', totalDailyCost: '1200.50', startedAt: '2025-03-10T07:00:00Z' }),
          ],
          total: 2,
        },
      },
      'GET /snapshots/s2': {
        data: {
          ...snapshot({ id: 's2', totalDailyCost: '1300.50' }),
          states: {
            total: 3,
            items: [
              {
                resourceName: 'web-2',
                resourceType: 'server',
                providerResourceId: 'p2',
                action: 'created',
                changes: {},
                dailyCost: '100.00',
                currency: 'RUB',
              },
              {
                resourceName: 'web-1',
                resourceType: 'server',
                providerResourceId: 'p1',
                action: 'updated',
                changes: { status: { from: 'RUNNING', to: 'STOPPED' } },
                dailyCost: '0',
                currency: 'RUB',
              },
              {
                resourceName: 'old-disk',
                resourceType: 'volume',
                providerResourceId: 'p3',
                action: 'deleted',
                changes: {},
                dailyCost: null,
                currency: null,
              },
            ],
          },
        },
      },
    });
    renderPage(<Connections />);

    const [card] = await screen.findAllByTestId(testIds.connections.card);
    fireEvent.click(within(card).getByTestId(testIds.connections.history));
    const rows = await screen.findAllByTestId(testIds.connections.historyRow);
    expect(rows).toHaveLength(2);
    fireEvent.click(rows[0]);

    const diff = await screen.findByTestId(testIds.connections.diff);
    expect(diff).toHaveTextContent('+RUB 100');
    expect(await within(diff).findByText('Created (1)')).toBeInTheDocument();
    expect(within(diff).getByText('status: RUNNING → STOPPED')).toBeInTheDocument();
    expect(within(diff).getByText('Deleted (1)')).toBeInTheDocument();
  });

  it('deletes a connection, purging its history when asked', async () => {
    const api = backend({ 'DELETE /connections/c-sel': { data: null } });
    renderPage(<Connections />);

    const [, card] = await screen.findAllByTestId(testIds.connections.card);
    fireEvent.click(within(card).getByTestId(testIds.connections.remove));
    fireEvent.click(await screen.findByLabelText(/Also delete its cost history/));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));

    await waitFor(() => expect(api.calls('DELETE /connections/c-sel')).toHaveLength(1));
    expect(api.calls('DELETE /connections/c-sel')[0].params).toEqual({ purge: 'true' });
  });
});

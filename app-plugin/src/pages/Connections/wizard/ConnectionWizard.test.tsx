import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { testIds } from '../../../components/testIds';
import { actAs, badRequest, fakeBackend } from '../../../test/backend';
import { connection, PROVIDERS } from '../../../test/fixtures';
import { renderPage } from '../../../test/render';
import Connections from '../Connections';

jest.setTimeout(30_000);

const CREATED = connection({ id: 'c-new', name: 'Beget blog', enabled: false, status: 'disabled' });

function type(label: RegExp | string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

async function openWizardFor(provider: string) {
  const tiles = await screen.findAllByTestId(testIds.connections.providerTile);
  const tile = tiles.find((el) => within(el).queryByText(provider));
  fireEvent.click(within(tile!).getByRole('button'));
}

describe('Connection wizard', () => {
  beforeEach(() => actAs('Admin'));

  it('validates, tests a disabled draft, then enables it on save', async () => {
    const api = fakeBackend({
      'GET /connections': { data: { items: [], total: 0 } },
      'GET /providers': { data: { items: PROVIDERS } },
      'POST /connections': { data: CREATED },
      'POST /connections/c-new/test': {
        data: { ok: true, account: { accountId: 'acme', name: 'Blog plan', balance: '1520.50', currency: 'RUB' } },
      },
      'PATCH /connections/c-new': { data: { ...CREATED, enabled: true } },
    });
    renderPage(<Connections />, '/connections?add=1');
    await openWizardFor('Beget');

    // Nothing filled: the form says what is missing and sends nothing.
    fireEvent.click(screen.getByTestId(testIds.connections.wizardTest));
    expect(await screen.findAllByText('Required.')).toHaveLength(3);
    expect(api.calls('POST /connections')).toHaveLength(0);
    // Save waits for a successful test.
    expect(screen.getByTestId(testIds.connections.wizardSave)).toBeDisabled();

    type(/^Connection name/, 'Beget blog');
    type(/^Login/, 'acme');
    type(/^Password/, 'S3cret-pass');
    type(/History to load/, '500');
    fireEvent.click(screen.getByTestId(testIds.connections.wizardTest));
    expect(await screen.findByText('At most 400.')).toBeInTheDocument();
    type(/History to load/, '60');
    fireEvent.click(screen.getByTestId(testIds.connections.wizardTest));

    expect(await screen.findByTestId(testIds.connections.wizardResult)).toHaveTextContent('Connection works.');
    expect(screen.getByTestId(testIds.connections.wizardResult)).toHaveTextContent('Account: Blog plan');
    const [created] = api.calls('POST /connections');
    expect(created.data).toEqual({
      name: 'Beget blog',
      provider: 'beget',
      credentials: { login: 'acme', password: 'S3cret-pass' },
      settings: { backfillDays: 60, collectMetrics: true },
      schedule: null,
      enabled: false,
    });

    fireEvent.click(screen.getByTestId(testIds.connections.wizardSave));
    await waitFor(() => expect(api.calls('PATCH /connections/c-new')).toHaveLength(1));
    expect(api.calls('PATCH /connections/c-new')[0].data).toEqual({ enabled: true });
    await waitFor(() => expect(screen.queryByTestId(testIds.connections.wizard)).not.toBeInTheDocument());
    expect(api.calls('DELETE /connections/c-new')).toHaveLength(0);
  });

  it('puts the collector’s validation errors on their fields', async () => {
    fakeBackend({
      'GET /connections': { data: { items: [], total: 0 } },
      'GET /providers': { data: { items: PROVIDERS } },
      'POST /connections': badRequest('Invalid body: /credentials/login must be an e-mail', [
        { path: '/credentials/login', message: 'must be an e-mail' },
      ]),
    });
    renderPage(<Connections />, '/connections?add=1');
    await openWizardFor('Beget');
    type(/^Connection name/, 'Beget blog');
    type(/^Login/, 'acme');
    type(/^Password/, 'pw-123456');
    fireEvent.click(screen.getByTestId(testIds.connections.wizardTest));

    expect(await screen.findByText('must be an e-mail')).toBeInTheDocument();
    expect(screen.getByText('Invalid body: /credentials/login must be an e-mail')).toBeInTheDocument();
  });

  it('keeps save disabled after a failed test, asks to re-test after changes, and purges the draft on cancel', async () => {
    const api = fakeBackend({
      'GET /connections': { data: { items: [], total: 0 } },
      'GET /providers': { data: { items: PROVIDERS } },
      'POST /connections': { data: CREATED },
      'PATCH /connections/c-new': { data: CREATED },
      'POST /connections/c-new/test': {
        data: { ok: false, error: { kind: 'auth', message: 'Wrong login or password' } },
      },
      'DELETE /connections/c-new': { data: null },
    });
    renderPage(<Connections />, '/connections?add=1');
    await openWizardFor('Beget');
    type(/^Connection name/, 'Beget blog');
    type(/^Login/, 'acme');
    type(/^Password/, 'wrong');
    fireEvent.click(screen.getByTestId(testIds.connections.wizardTest));

    expect(await screen.findByText('Wrong login or password')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.connections.wizardSave)).toBeDisabled();

    // A second test updates the same draft instead of creating another.
    type(/^Password/, 'right');
    expect(screen.getByText('The values changed since the test: test again before saving.')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId(testIds.connections.wizardTest));
    await waitFor(() => expect(api.calls('PATCH /connections/c-new')).toHaveLength(1));
    expect(api.calls('PATCH /connections/c-new')[0].data).toEqual({
      name: 'Beget blog',
      credentials: { login: 'acme', password: 'right' },
      settings: {},
      schedule: null,
    });
    expect(api.calls('POST /connections')).toHaveLength(1);

    await waitFor(() => expect(api.calls('POST /connections/c-new/test')).toHaveLength(2));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Cancel' })).toBeEnabled());
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(api.calls('DELETE /connections/c-new')).toHaveLength(1));
    expect(api.calls('DELETE /connections/c-new')[0].params).toEqual({ purge: 'true' });
  });

  it('saves FOCUS connections without a test', async () => {
    const api = fakeBackend({
      'GET /connections': { data: { items: [], total: 0 } },
      'GET /providers': { data: { items: PROVIDERS } },
      'POST /connections': { data: connection({ id: 'c-focus', provider: 'focus' }) },
    });
    renderPage(<Connections />, '/connections?add=1');
    await openWizardFor('FOCUS import');
    expect(screen.queryByTestId(testIds.connections.wizardTest)).not.toBeInTheDocument();
    type(/^Connection name/, 'AWS exports');
    type(/Source cloud/, 'AWS');
    fireEvent.click(screen.getByTestId(testIds.connections.wizardSave));

    await waitFor(() => expect(api.calls('POST /connections')).toHaveLength(1));
    expect(api.calls('POST /connections')[0].data).toEqual({
      name: 'AWS exports',
      provider: 'focus',
      credentials: {},
      settings: { sourceProvider: 'AWS' },
      schedule: null,
      enabled: true,
    });
  });

  it('edits with write-only credentials: sends only what changed, then tests it', async () => {
    const stored = connection({ settings: { backfillDays: 30 } });
    const api = fakeBackend({
      'GET /connections': { data: { items: [stored], total: 1 } },
      'GET /providers': { data: { items: PROVIDERS } },
      'PATCH /connections/c-beget': { data: stored },
      'POST /connections/c-beget/test': { data: { ok: true, account: { accountId: 'acme' } } },
    });
    renderPage(<Connections />);
    fireEvent.click(await screen.findByTestId(testIds.connections.edit));

    // Stored credentials are never shown; empty means "keep".
    expect(screen.getByLabelText(/^Password/)).toHaveValue('');
    expect(screen.getByLabelText(/^Password/)).toHaveAttribute('placeholder', 'Stored — leave empty to keep');
    expect(screen.getByLabelText(/History to load/)).toHaveValue(30);

    type(/^Password/, 'rotated-pass');
    fireEvent.click(screen.getByTestId(testIds.connections.wizardSave));

    await waitFor(() => expect(api.calls('POST /connections/c-beget/test')).toHaveLength(1));
    expect(api.calls('PATCH /connections/c-beget')[0].data).toEqual({ credentials: { password: 'rotated-pass' } });
    await waitFor(() => expect(screen.queryByTestId(testIds.connections.wizard)).not.toBeInTheDocument());
  });
});

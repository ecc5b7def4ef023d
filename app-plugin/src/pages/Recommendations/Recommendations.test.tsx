import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { testIds } from '../../components/testIds';
import { actAs, badRequest, fakeBackend } from '../../test/backend';
import { recommendation, recommendationList } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import Recommendations from './Recommendations';
import { snoozeUntil } from './StatusModals';

jest.setTimeout(30_000);

const ITEMS = [
  recommendation(),
  recommendation({
    id: 'r2',
    kind: 'delete_orphan_volume',
    title: 'Delete orphan disk data-7',
    resourceName: 'data-7',
    estimatedMonthlySavings: '4400.00',
    confidence: 0.97,
  }),
];

function backend(extra = {}) {
  const list = recommendationList(ITEMS);
  list.totals.byStatus = {
    open: { count: 2, monthlySavings: '10400.00' },
    dismissed: { count: 1, monthlySavings: '300.00' },
  };
  return fakeBackend({ 'GET /recommendations': { data: list }, ...extra });
}

describe('Recommendations page', () => {
  beforeEach(() => actAs('Editor'));

  it('lists open recommendations with savings, confidence and totals by status', async () => {
    const api = backend();
    renderPage(<Recommendations />);

    const rows = await screen.findAllByTestId(testIds.recommendations.row);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('Rightsize web-1 to 2 vCPU');
    expect(rows[0]).toHaveTextContent('Rightsize');
    expect(rows[0]).toHaveTextContent('RUB 6,000');
    expect(rows[0]).toHaveTextContent('85 %');
    expect(rows[1]).toHaveTextContent('Delete orphan volume');

    const totals = screen.getByTestId(testIds.recommendations.totals);
    expect(totals).toHaveTextContent('Potential savings: RUB 10,400 / month');
    expect(totals).toHaveTextContent('Realized: RUB 1,500 / month');
    expect(totals).toHaveTextContent('Dismissed: 1 · RUB 300');
    expect(api.calls('GET /recommendations')[0].params).toEqual({ status: 'open' });

    fireEvent.click(within(rows[0]).getByRole('button', { name: 'Evidence' }));
    expect(screen.getByText('cpuP95')).toBeInTheDocument();
  });

  it('accepts a recommendation and reloads the list', async () => {
    const api = backend({ 'PATCH /recommendations/r1': { data: recommendation({ status: 'accepted' }) } });
    renderPage(<Recommendations />);
    const [row] = await screen.findAllByTestId(testIds.recommendations.row);
    fireEvent.click(within(row).getByTestId(testIds.recommendations.accept));

    await waitFor(() => expect(api.calls('PATCH /recommendations/r1')).toHaveLength(1));
    expect(api.calls('PATCH /recommendations/r1')[0].data).toEqual({ status: 'accepted' });
    await waitFor(() => expect(api.calls('GET /recommendations')).toHaveLength(2));
  });

  it('requires a reason to dismiss', async () => {
    const api = backend({ 'PATCH /recommendations/r2': { data: recommendation({ id: 'r2', status: 'dismissed' }) } });
    renderPage(<Recommendations />);
    const rows = await screen.findAllByTestId(testIds.recommendations.row);
    fireEvent.click(within(rows[1]).getByTestId(testIds.recommendations.dismiss));

    fireEvent.click(await screen.findByTestId(testIds.recommendations.confirm));
    expect(await screen.findByText('Required.')).toBeInTheDocument();
    expect(api.calls('PATCH /recommendations/r2')).toHaveLength(0);

    fireEvent.change(screen.getByTestId(testIds.recommendations.reason), {
      target: { value: '  the disk holds backups  ' },
    });
    fireEvent.click(screen.getByTestId(testIds.recommendations.confirm));
    await waitFor(() => expect(api.calls('PATCH /recommendations/r2')).toHaveLength(1));
    expect(api.calls('PATCH /recommendations/r2')[0].data).toEqual({
      status: 'dismissed',
      reason: 'the disk holds backups',
    });
  });

  it('snoozes until a future day only, and shows the collector’s refusal', async () => {
    const api = backend({ 'PATCH /recommendations/r1': badRequest('snoozedUntil must be in the future') });
    renderPage(<Recommendations />);
    const [row] = await screen.findAllByTestId(testIds.recommendations.row);
    fireEvent.click(within(row).getByTestId(testIds.recommendations.snooze));

    fireEvent.change(await screen.findByTestId(testIds.recommendations.until), { target: { value: '2000-01-01' } });
    fireEvent.click(screen.getByTestId(testIds.recommendations.confirm));
    expect(await screen.findByText('Choose a day in the future.')).toBeInTheDocument();
    expect(api.calls('PATCH /recommendations/r1')).toHaveLength(0);

    fireEvent.change(screen.getByTestId(testIds.recommendations.until), { target: { value: '2999-06-01' } });
    fireEvent.click(screen.getByTestId(testIds.recommendations.confirm));
    expect(await screen.findByText(/The change was not saved: snoozedUntil must be in the future/)).toBeInTheDocument();
    expect(api.calls('PATCH /recommendations/r1')[0].data).toEqual({
      status: 'snoozed',
      snoozedUntil: new Date('2999-06-01T00:00:00').toISOString(),
    });
  });

  it('shows no actions to viewers', async () => {
    actAs('Viewer');
    backend();
    renderPage(<Recommendations />);
    const [row] = await screen.findAllByTestId(testIds.recommendations.row);
    expect(within(row).queryByTestId(testIds.recommendations.accept)).not.toBeInTheDocument();
    expect(screen.queryByText('Actions')).not.toBeInTheDocument();
  });

  it('switches the status filter, and shows empty and failed lists', async () => {
    const api = fakeBackend({
      'GET /recommendations': (request) =>
        request.params?.status === 'dismissed'
          ? { status: 500, data: { error: 'internal', message: 'database is down' } }
          : { data: recommendationList([]) },
    });
    renderPage(<Recommendations />);
    expect(await screen.findByText('No recommendations with this status.')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('radio', { name: 'Dismissed' }));
    expect(await screen.findByTestId(testIds.common.error)).toHaveTextContent('database is down');
    expect(api.calls('GET /recommendations').map((r) => r.params)).toEqual([
      { status: 'open' },
      { status: 'dismissed' },
    ]);
  });

  it('computes the end of a snooze', () => {
    const now = new Date('2025-03-10T12:00:00');
    expect(snoozeUntil('2025-03-11', now)).toEqual({ iso: new Date('2025-03-11T00:00:00').toISOString() });
    expect(snoozeUntil('2025-03-10', now).error).toBe('Choose a day in the future.');
    expect(snoozeUntil('', now).error).toBe('Required.');
  });
});

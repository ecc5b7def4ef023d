import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import { testIds } from '../../components/testIds';
import { actAs, badRequest, fakeBackend } from '../../test/backend';
import { budget, connection } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import Budgets from './Budgets';
import { parseThresholds, toBudgetInput, validateBudget, NEW_BUDGET } from './budgetForm';

jest.setTimeout(30_000);

const BUDGETS = [
  budget(),
  budget({
    id: 'b2',
    name: 'Selectel prod',
    scope: { kind: 'connection', value: 'c-sel' },
    status: {
      ...budget().status,
      actual: '20000.00',
      usedPercent: 20,
      forecast: null,
      forecastPercent: null,
      state: 'ok',
      crossed: [],
    },
  }),
];

function backend(extra = {}) {
  return fakeBackend({
    'GET /budgets': { data: { items: BUDGETS } },
    'GET /connections': { data: { items: [connection({ id: 'c-sel', name: 'Selectel prod' })], total: 1 } },
    ...extra,
  });
}

function type(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

describe('Budgets page', () => {
  beforeEach(() => actAs('Editor'));

  it('shows actual against budget against forecast, with crossed thresholds', async () => {
    backend();
    renderPage(<Budgets />);

    const [monthly, selectel] = await screen.findAllByTestId(testIds.budgets.row);
    expect(monthly).toHaveTextContent('Actual RUB 123,000 (82 %) of RUB 150,000');
    expect(monthly).toHaveTextContent('Forecast RUB 165,000 (110 %)');
    expect(monthly).toHaveTextContent('Burn rate RUB 5,500 / day');
    expect(monthly).toHaveTextContent('Warning');
    expect(monthly).toHaveTextContent('Crossed: actual 80 %, forecast 100 %');
    expect(within(monthly).getByRole('meter')).toHaveAttribute('aria-valuenow', '82');
    // A connection scope reads as the connection's name.
    expect(await within(selectel).findByText('Connection: Selectel prod')).toBeInTheDocument();
    expect(selectel).toHaveTextContent('No forecast yet');
    expect(selectel).toHaveTextContent('On track');
  });

  it('validates the form and creates a budget', async () => {
    const api = backend({ 'POST /budgets': { data: budget({ id: 'b3' }) } });
    renderPage(<Budgets />);
    fireEvent.click(await screen.findByTestId(testIds.budgets.add));

    type(testIds.budgets.name, '');
    type(testIds.budgets.amount, '-5');
    type(testIds.budgets.actualThresholds, '50, 50, abc');
    fireEvent.click(screen.getByRole('radio', { name: 'Tag' }));
    fireEvent.click(screen.getByTestId(testIds.budgets.save));

    const form = screen.getByTestId(testIds.budgets.form);
    expect(within(form).getAllByText('Required.')).toHaveLength(3); // name, tag key, tag value
    expect(within(form).getByText('Enter a positive amount with at most two decimals.')).toBeInTheDocument();
    expect(
      within(form).getByText('Use whole percentages from 1 to 1000, comma-separated, without repeats.')
    ).toBeInTheDocument();
    expect(api.calls('POST /budgets')).toHaveLength(0);

    type(testIds.budgets.name, 'Team Alpha');
    type(testIds.budgets.amount, '25000.50');
    type(testIds.budgets.actualThresholds, '100, 50 80');
    type(testIds.budgets.tagKey, 'team');
    type(testIds.budgets.scopeValue, 'alpha');
    fireEvent.click(screen.getByRole('radio', { name: 'Quarterly' }));
    fireEvent.click(screen.getByTestId(testIds.budgets.save));

    await waitFor(() => expect(api.calls('POST /budgets')).toHaveLength(1));
    expect(api.calls('POST /budgets')[0].data).toEqual({
      name: 'Team Alpha',
      amount: '25000.50',
      currency: 'RUB',
      period: 'quarterly',
      scope: { kind: 'tag', tagKey: 'team', value: 'alpha' },
      thresholds: { actual: [50, 80, 100], forecast: [100] },
    });
    await waitFor(() => expect(screen.queryByTestId(testIds.budgets.form)).not.toBeInTheDocument());
    expect(api.calls('GET /budgets')).toHaveLength(2);
  });

  it('edits a budget and shows the collector’s refusal', async () => {
    const api = backend({ 'PATCH /budgets/b1': badRequest('amount exceeds the allowed maximum') });
    renderPage(<Budgets />);
    const [row] = await screen.findAllByTestId(testIds.budgets.row);
    fireEvent.click(within(row).getByTestId(testIds.budgets.edit));

    expect(screen.getByTestId(testIds.budgets.name)).toHaveValue('Cloud, monthly');
    expect(screen.getByTestId(testIds.budgets.actualThresholds)).toHaveValue('50, 80, 100');
    type(testIds.budgets.amount, '999999999');
    fireEvent.click(screen.getByTestId(testIds.budgets.save));

    expect(await screen.findByText('The change was not saved: amount exceeds the allowed maximum')).toBeInTheDocument();
    expect(api.calls('PATCH /budgets/b1')[0].data).toMatchObject({ amount: '999999999', scope: { kind: 'tenant' } });
  });

  it('deletes a budget after confirmation', async () => {
    const api = backend({ 'DELETE /budgets/b2': { data: null } });
    renderPage(<Budgets />);
    const rows = await screen.findAllByTestId(testIds.budgets.row);
    fireEvent.click(within(rows[1]).getByTestId(testIds.budgets.remove));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(api.calls('DELETE /budgets/b2')).toHaveLength(1));
  });

  it('is read-only for viewers', async () => {
    actAs('Viewer');
    backend();
    renderPage(<Budgets />);
    const [row] = await screen.findAllByTestId(testIds.budgets.row);
    expect(within(row).queryByTestId(testIds.budgets.edit)).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.budgets.add)).not.toBeInTheDocument();
  });

  it('shows empty and failed lists', async () => {
    fakeBackend({ 'GET /budgets': { data: { items: [] } }, 'GET /connections': { data: { items: [], total: 0 } } });
    const { unmount } = renderPage(<Budgets />);
    expect(await screen.findByText(/No budgets yet. Create one/)).toBeInTheDocument();
    unmount();

    fakeBackend({ 'GET /budgets': { status: 403, data: { error: 'forbidden', message: 'no' } } });
    renderPage(<Budgets />);
    expect(await screen.findByTestId(testIds.common.error)).toHaveTextContent(
      'The collector refused this action for your role.'
    );
  });

  it('parses thresholds and builds a tenant-wide budget', () => {
    expect(parseThresholds('100, 50;80')).toEqual([50, 80, 100]);
    expect(parseThresholds('')).toEqual([]);
    expect(parseThresholds('0')).toBeUndefined();
    expect(parseThresholds('1001')).toBeUndefined();
    const form = { ...NEW_BUDGET, name: ' All ', amount: '1000' };
    expect(validateBudget(form)).toEqual({});
    expect(toBudgetInput(form)).toEqual({
      name: 'All',
      amount: '1000',
      currency: 'RUB',
      period: 'monthly',
      scope: { kind: 'tenant' },
      thresholds: { actual: [50, 80, 100], forecast: [100] },
    });
    expect(validateBudget({ ...form, amount: '10.505', currency: 'rub' })).toEqual({
      amount: 'Enter a positive amount with at most two decimals.',
      currency: 'Use a three-letter currency code, e.g. RUB.',
    });
  });
});

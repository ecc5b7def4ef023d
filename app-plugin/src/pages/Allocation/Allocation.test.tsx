import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';

import type { AllocationRule } from '../../api/types';
import { testIds } from '../../components/testIds';
import { actAs, fakeBackend } from '../../test/backend';
import { connection } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import Allocation from './Allocation';
import { NEW_RULE, toRuleInput, validateRule } from './ruleForm';

jest.setTimeout(30_000);

const RULES: AllocationRule[] = [
  {
    id: 'a2',
    name: 'Shared network',
    priority: 200,
    enabled: false,
    match: { service: 'VPC' },
    assign: {},
    split: { mode: 'even', targets: ['Retail', 'Logistics'] },
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
  },
  {
    id: 'a1',
    name: 'Production servers',
    priority: 10,
    enabled: true,
    match: { namePattern: 'prod-*', connectionId: 'c-sel' },
    assign: { businessUnit: 'Retail', environment: 'production' },
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
  },
];

const COVERAGE = {
  currency: 'RUB',
  totalCost: '200000.00',
  coveredCost: '150000.00',
  coveragePercent: 75,
  rules: [
    { id: 'a1', name: 'Production servers', matchedCost: '120000.00', matchedResources: 14 },
    { id: 'a2', name: 'Shared network', matchedCost: '30000.00', matchedResources: 3 },
  ],
};

function backend(extra = {}) {
  return fakeBackend({
    'GET /allocation-rules': { data: { items: RULES } },
    'POST /allocation-rules/preview': (request) =>
      (request.data as { rules?: unknown[] }).rules
        ? { data: { ...COVERAGE, rules: [{ id: null, name: 'draft', matchedCost: '4200.00', matchedResources: 2 }] } }
        : { data: COVERAGE },
    'GET /connections': { data: { items: [connection({ id: 'c-sel', name: 'Selectel prod' })], total: 1 } },
    ...extra,
  });
}

describe('Allocation page', () => {
  beforeEach(() => actAs('Editor'));

  it('lists rules by priority with what each covers and the overall coverage', async () => {
    backend();
    renderPage(<Allocation />);

    const rows = await screen.findAllByTestId(testIds.allocation.row);
    expect(rows.map((r) => within(r).getAllByRole('cell')[1].textContent)).toEqual([
      'Production servers',
      'Shared networkdisabled',
    ]);
    expect(await within(rows[0]).findByText('name ~ prod-*, connection = Selectel prod')).toBeInTheDocument();
    expect(rows[0]).toHaveTextContent('Business unit: Retail · Environment: production');
    expect(rows[0]).toHaveTextContent('RUB 120,000');
    expect(rows[0]).toHaveTextContent('14 resources');
    expect(rows[1]).toHaveTextContent('split evenly across Retail, Logistics');
    expect(screen.getByTestId(testIds.allocation.coverage)).toHaveTextContent(
      'Rules cover 75 % of this month’s cost (RUB 150,000 of RUB 200,000).'
    );
  });

  it('validates a new rule, previews it and saves it', async () => {
    const api = backend({ 'POST /allocation-rules': { data: RULES[1] } });
    renderPage(<Allocation />);
    fireEvent.click(await screen.findByTestId(testIds.allocation.add));

    fireEvent.change(screen.getByTestId(testIds.allocation.priority), { target: { value: '-1' } });
    fireEvent.click(screen.getByTestId(testIds.allocation.save));
    const form = screen.getByTestId(testIds.allocation.form);
    expect(within(form).getByText('Required.')).toBeInTheDocument();
    expect(within(form).getByText('A whole number from 0 to 10000.')).toBeInTheDocument();
    expect(within(form).getByText('Give at least one condition.')).toBeInTheDocument();
    expect(within(form).getByText('Assign at least one field, or split the cost.')).toBeInTheDocument();
    expect(api.calls('POST /allocation-rules')).toHaveLength(0);

    fireEvent.change(screen.getByTestId(testIds.allocation.name), { target: { value: 'Staging' } });
    fireEvent.change(screen.getByTestId(testIds.allocation.priority), { target: { value: '50' } });
    fireEvent.change(screen.getByTestId(testIds.allocation.namePattern), { target: { value: 'stg-*' } });
    fireEvent.change(screen.getByTestId(testIds.allocation.businessUnit), { target: { value: 'Platform' } });

    fireEvent.click(screen.getByTestId(testIds.allocation.preview));
    expect(await screen.findByText('This rule would match RUB 4,200 this month (2 resources).')).toBeInTheDocument();
    const preview = api.calls('POST /allocation-rules/preview').find((r) => (r.data as { rules?: unknown }).rules);
    expect((preview!.data as { rules: unknown[] }).rules).toEqual([
      {
        name: 'Staging',
        priority: 50,
        enabled: true,
        match: { namePattern: 'stg-*' },
        assign: { businessUnit: 'Platform' },
      },
    ]);

    fireEvent.click(screen.getByTestId(testIds.allocation.save));
    await waitFor(() => expect(api.calls('POST /allocation-rules')).toHaveLength(1));
    expect(api.calls('POST /allocation-rules')[0].data).toEqual({
      name: 'Staging',
      priority: 50,
      enabled: true,
      match: { namePattern: 'stg-*' },
      assign: { businessUnit: 'Platform' },
    });
  });

  it('edits and deletes rules; viewers only read', async () => {
    const api = backend({
      'PATCH /allocation-rules/a1': { data: RULES[1] },
      'DELETE /allocation-rules/a2': { data: null },
    });
    const { unmount } = renderPage(<Allocation />);
    const rows = await screen.findAllByTestId(testIds.allocation.row);
    fireEvent.click(within(rows[0]).getByTestId(testIds.allocation.edit));
    expect(screen.getByTestId(testIds.allocation.namePattern)).toHaveValue('prod-*');
    fireEvent.change(screen.getByTestId(testIds.allocation.priority), { target: { value: '5' } });
    fireEvent.click(screen.getByTestId(testIds.allocation.save));
    await waitFor(() => expect(api.calls('PATCH /allocation-rules/a1')).toHaveLength(1));
    expect(api.calls('PATCH /allocation-rules/a1')[0].data).toMatchObject({
      priority: 5,
      match: { connectionId: 'c-sel' },
    });

    fireEvent.click(
      within((await screen.findAllByTestId(testIds.allocation.row))[1]).getByTestId(testIds.allocation.remove)
    );
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(api.calls('DELETE /allocation-rules/a2')).toHaveLength(1));
    unmount();

    actAs('Viewer');
    backend();
    renderPage(<Allocation />);
    const [row] = await screen.findAllByTestId(testIds.allocation.row);
    expect(within(row).queryByTestId(testIds.allocation.edit)).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.allocation.add)).not.toBeInTheDocument();
  });

  it('shows empty and failed lists', async () => {
    fakeBackend({
      'GET /allocation-rules': { data: { items: [] } },
      'POST /allocation-rules/preview': { data: { ...COVERAGE, coveredCost: '0', coveragePercent: 0, rules: [] } },
      'GET /connections': { data: { items: [], total: 0 } },
    });
    const { unmount } = renderPage(<Allocation />);
    expect(await screen.findByText(/No allocation rules yet. Add one/)).toBeInTheDocument();
    unmount();

    fakeBackend({
      'GET /allocation-rules': {
        status: 404,
        data: { error: 'not_found', message: 'Route GET:/api/v1/allocation-rules not found' },
      },
    });
    renderPage(<Allocation />);
    expect(await screen.findByTestId(testIds.common.error)).toHaveTextContent(
      'Route GET:/api/v1/allocation-rules not found'
    );
  });

  it('requires split targets and tag pairs', () => {
    const errors = validateRule({ ...NEW_RULE, name: 'x', tagKey: 'team', split: true, splitTargets: ['only-one'] });
    expect(errors).toEqual({ tag: 'Give both the tag key and the value.', splitTargets: 'Name at least two targets.' });
    expect(
      toRuleInput({
        ...NEW_RULE,
        name: 'x',
        tagKey: 'team',
        tagValue: 'a',
        split: true,
        splitMode: 'proportional',
        splitTargets: ['A', ' B '],
      })
    ).toEqual({
      name: 'x',
      priority: 100,
      enabled: true,
      match: { tag: { key: 'team', value: 'a' } },
      assign: {},
      split: { mode: 'proportional', targets: ['A', 'B'] },
    });
  });
});

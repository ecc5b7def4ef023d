import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { QueryRequest } from '@infrazen/contract';

import { testIds } from '../../components/testIds';
import { actAs, fakeBackend } from '../../test/backend';
import { connection, resource } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import Resources from './Resources';

jest.setTimeout(30_000);

const CONNECTIONS = [connection(), connection({ id: 'c-sel', name: 'Selectel prod', provider: 'selectel' })];
const RESOURCES = [
  resource(),
  resource({
    id: 'res-vol',
    providerResourceId: 'vol-7',
    name: 'web-1-disk',
    type: 'volume',
    parentId: 'res-1',
    specs: { sizeGb: 50 },
    dailyCost: '50.00',
    monthlyCost: '1500.00',
  }),
  resource({
    id: 'res-2',
    connectionId: 'c-sel',
    provider: 'selectel',
    providerResourceId: '6f1c-uuid',
    name: 'old-db',
    type: 'database',
    status: 'STOPPED',
    flags: { zombie: true, orphan: false },
    dailyCost: '100.05',
    monthlyCost: '3001.50',
  }),
];

const CHANGES = {
  results: {
    changes: {
      frames: [
        {
          schema: {
            fields: [
              { name: 'time', type: 'time' },
              { name: 'text', type: 'string' },
              { name: 'resource_id', type: 'string' },
              { name: 'action', type: 'string' },
            ],
          },
          data: {
            values: [
              [Date.parse('2025-03-09T08:00:00Z'), Date.parse('2025-03-08T08:00:00Z')],
              ['status "RUNNING" → "STOPPED"', 'created'],
              ['res-1', 'res-2'],
              ['updated', 'created'],
            ],
          },
        },
      ],
    },
  },
};

function backend() {
  return fakeBackend({
    'GET /resources': { data: { items: RESOURCES, total: RESOURCES.length } },
    'GET /connections': { data: { items: CONNECTIONS, total: 2 } },
    'POST /query': (request) => {
      const [query] = (request.data as QueryRequest).queries;
      return query.queryType === 'changes'
        ? { data: CHANGES }
        : { data: { results: { [query.refId]: { frames: [] } } } };
    },
  });
}

describe('Resources page', () => {
  beforeEach(() => actAs('Viewer'));

  it('summarizes the inventory and lists it by connection', async () => {
    backend();
    renderPage(<Resources />);

    const summary = await screen.findByTestId(testIds.resources.summary);
    // 3 resources, one stopped zombie; the volume folded into web-1 is not costed twice: 400.10 + 100.05.
    expect(within(summary).getByText('Resources').parentElement?.parentElement).toHaveTextContent('3');
    expect(within(summary).getByText('Zombies').parentElement?.parentElement).toHaveTextContent('1');
    expect(within(summary).getByText('Cost per day').parentElement?.parentElement).toHaveTextContent('RUB 500.15');
    expect(within(summary).getByText('Cost per month').parentElement?.parentElement).toHaveTextContent('RUB 15,004.5');

    const sections = screen.getAllByTestId(testIds.resources.section);
    expect(sections).toHaveLength(2);
    expect(sections[0]).toHaveTextContent('Beget main');
    expect(within(sections[0]).getAllByTestId(testIds.resources.row)).toHaveLength(2);
    expect(within(sections[0]).getByText('in the VM’s cost')).toBeInTheDocument();
    expect(within(sections[1]).getByText('Zombie')).toBeInTheDocument();
  });

  it('filters by search text and by flag', async () => {
    backend();
    renderPage(<Resources />);
    await screen.findByTestId(testIds.resources.summary);

    fireEvent.change(within(screen.getByTestId(testIds.resources.search)).getByRole('textbox'), {
      target: { value: 'old' },
    });
    expect(
      screen.getAllByTestId(testIds.resources.row).map((r) => within(r).getAllByRole('cell')[0].textContent)
    ).toEqual(['old-db']);

    fireEvent.change(within(screen.getByTestId(testIds.resources.search)).getByRole('textbox'), {
      target: { value: 'nothing-like-this' },
    });
    expect(screen.getByText('No resource matches the filters.')).toBeInTheDocument();

    fireEvent.change(within(screen.getByTestId(testIds.resources.search)).getByRole('textbox'), {
      target: { value: '' },
    });
    fireEvent.click(screen.getByRole('radio', { name: 'Zombie' }));
    expect(
      screen.getAllByTestId(testIds.resources.row).map((r) => within(r).getAllByRole('cell')[0].textContent)
    ).toEqual(['old-db']);
  });

  it('opens a closed section when a search matches inside it', async () => {
    // Five connections: sections start closed, and a search must still show its match.
    const connections = ['a', 'b', 'c', 'd', 'e'].map((k) => connection({ id: `c-${k}`, name: `Account ${k}` }));
    const resources = connections.map((c, i) =>
      resource({ id: `r-${i}`, connectionId: c.id, providerResourceId: `vm-${i}`, name: `host-${i}` })
    );
    fakeBackend({
      'GET /resources': { data: { items: resources, total: resources.length } },
      'GET /connections': { data: { items: connections, total: connections.length } },
      'POST /query': { data: { results: {} } },
    });
    renderPage(<Resources />);
    await screen.findByTestId(testIds.resources.summary);
    expect(screen.queryAllByTestId(testIds.resources.row)).toHaveLength(0);

    fireEvent.change(within(screen.getByTestId(testIds.resources.search)).getByRole('textbox'), {
      target: { value: 'host-4' },
    });
    expect(
      screen.getAllByTestId(testIds.resources.row).map((r) => within(r).getAllByRole('cell')[0].textContent)
    ).toEqual(['host-4']);
  });

  it('opens the detail drawer from a provider resource id in the URL', async () => {
    const api = backend();
    renderPage(<Resources />, '/resources?resource=vps-101');

    const drawer = await screen.findByTestId(testIds.resources.drawer);
    expect(drawer).toHaveTextContent('vCPU8');
    expect(drawer).toHaveTextContent('Memory16 GB');
    expect(drawer).toHaveTextContent('IP addresses10.0.0.5');
    expect(drawer).toHaveTextContent('Attached volumesweb-1-disk (50 GB)');
    expect(drawer).toHaveTextContent('Per dayRUB 400.1');
    expect(drawer).toHaveTextContent('provider billing');

    // CPU and memory for this resource only, scoped to its connection.
    await waitFor(() => expect(api.calls('POST /query').length).toBeGreaterThanOrEqual(4));
    const queries = api.calls('POST /query').map((r) => (r.data as QueryRequest).queries[0]);
    const cpu = queries.find((q) => q.refId === 'cpu');
    expect(cpu).toMatchObject({
      queryType: 'utilization',
      metric: 'cpu',
      resourceIds: ['vps-101'],
      filters: [{ dimension: 'connection', op: 'include', values: ['c-beget'] }],
    });
    expect(queries.find((q) => q.refId === 'cost')).toMatchObject({
      queryType: 'costs',
      filters: [
        { dimension: 'connection', op: 'include', values: ['c-beget'] },
        { dimension: 'resource', op: 'include', values: ['vps-101'] },
      ],
    });

    // The state history keeps this resource's rows only.
    const history = await within(drawer).findByTestId(testIds.resources.history);
    expect(await within(history).findByText('status "RUNNING" → "STOPPED"')).toBeInTheDocument();
    expect(within(history).getAllByRole('row')).toHaveLength(1);
  });

  it('opens the drawer from an InfraZen id too, and says when an id is unknown', async () => {
    backend();
    const { unmount } = renderPage(<Resources />, '/resources?resource=res-2');
    await screen.findByTestId(testIds.resources.drawer);
    expect(screen.getByText('Provider id: 6f1c-uuid · InfraZen id: res-2')).toBeInTheDocument();
    unmount();

    backend();
    renderPage(<Resources />, '/resources?resource=gone-42');
    expect(await screen.findByTestId(testIds.resources.notFound)).toHaveTextContent('Resource “gone-42” was not found');
  });

  it('opens a resource when its row is clicked', async () => {
    backend();
    renderPage(<Resources />);
    const [, , zombie] = await screen.findAllByTestId(testIds.resources.row);
    fireEvent.click(within(zombie).getByRole('button', { name: 'old-db' }));
    await screen.findByTestId(testIds.resources.drawer);
    expect(screen.getByText('Provider id: 6f1c-uuid · InfraZen id: res-2')).toBeInTheDocument();
  });

  it('shows an empty inventory and a failed load', async () => {
    fakeBackend({
      'GET /resources': { data: { items: [], total: 0 } },
      'GET /connections': { data: { items: [], total: 0 } },
    });
    const { unmount } = renderPage(<Resources />);
    expect(await screen.findByText(/No resources yet/)).toBeInTheDocument();
    unmount();

    fakeBackend({ 'GET /resources': { status: 504, data: '' }, 'GET /connections': { data: { items: [], total: 0 } } });
    renderPage(<Resources />);
    expect(await screen.findByTestId(testIds.common.error)).toHaveTextContent('Cannot reach the InfraZen collector');
  });
});

import React from 'react';
import { screen, within } from '@testing-library/react';
import { config } from '@grafana/runtime';

import { testIds } from '../../components/testIds';
import { actAs, fakeBackend } from '../../test/backend';
import { connection, kpiResponse, recommendation, recommendationList } from '../../test/fixtures';
import { renderPage } from '../../test/render';
import Overview from './Overview';

const SUMMARY = kpiResponse('summary', {
  month_to_date: 117150,
  last_month_same_period: 133885.71,
  change_percent: -12.5,
  forecast_month_end: 240000,
  active_resources: 8,
  connected_providers: 2,
  potential_savings: 999,
});

const CONNECTIONS = [
  connection(),
  connection({ id: 'c-sel', name: 'Selectel prod', provider: 'selectel', status: 'error', lastError: 'auth failed' }),
];

const RECOMMENDATIONS = recommendationList([
  recommendation({ id: 'small', title: 'Release unused IP', estimatedMonthlySavings: '400.00' }),
  recommendation({ id: 'big', title: 'Rightsize db-1', estimatedMonthlySavings: '6000.00' }),
  recommendation({ id: 'done', title: 'Already done', status: 'accepted', estimatedMonthlySavings: '9000.00' }),
]);

jest.setTimeout(30_000);

describe('Overview page', () => {
  beforeEach(() => actAs('Admin'));

  it('shows the KPIs, the accounts, the top recommendations and the dashboards', async () => {
    const backend = fakeBackend({
      'POST /query': { data: SUMMARY },
      'GET /connections': { data: { items: CONNECTIONS, total: 2 } },
      'GET /recommendations': { data: RECOMMENDATIONS },
    });
    renderPage(<Overview />);

    const spend = await screen.findByTestId(testIds.overview.kpiSpend);
    expect(spend).toHaveTextContent('117,150');
    // Spend went down against last month: shown as a decrease, with the month-end forecast.
    expect(spend).toHaveTextContent('▼ 12.5 %');
    expect(spend).toHaveTextContent('240,000');
    // Savings come from the recommendations' exact totals, not the KPI frame.
    expect(screen.getByTestId(testIds.overview.kpiSavings)).toHaveTextContent('10,400');
    expect(screen.getByTestId(testIds.overview.kpiResources)).toHaveTextContent('8');
    expect(await screen.findByTestId(testIds.overview.kpiProviders)).toHaveTextContent('2 connections, 1 failing');

    const cards = await screen.findAllByTestId(testIds.overview.providerCard);
    expect(cards.map((c) => within(c).getByRole('heading').textContent)).toEqual(['Beget main', 'Selectel prod']);
    expect(within(cards[1]).getByText('Failing')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.overview.addProvider)).toBeInTheDocument();

    const top = await screen.findByTestId(testIds.overview.topRecommendations);
    const titles = within(top)
      .getAllByRole('heading')
      .map((h) => h.textContent);
    // Open ones only, largest savings first.
    expect(titles).toEqual(['Rightsize db-1', 'Release unused IP']);

    const links = within(screen.getByTestId(testIds.overview.dashboards)).getAllByRole('link');
    expect(links.map((a) => a.getAttribute('href'))).toContain('/d/infrazen-executive');
    expect(links).toHaveLength(7);

    // The KPI query asks the collector for cost_summary only.
    const [query] = backend.calls('POST /query');
    expect((query.data as { queries: unknown[] }).queries).toEqual([{ refId: 'summary', queryType: 'cost_summary' }]);
  });

  it('invites an admin to add a provider when nothing is connected', async () => {
    fakeBackend({
      'POST /query': { data: kpiResponse('summary', { month_to_date: 0, change_percent: null, active_resources: 0 }) },
      'GET /connections': { data: { items: [], total: 0 } },
      'GET /recommendations': { data: recommendationList([]) },
    });
    renderPage(<Overview />);

    expect(await screen.findByText('No cloud accounts are connected yet.')).toBeInTheDocument();
    expect(within(screen.getByTestId(testIds.overview.addProvider)).getByRole('link')).toHaveAttribute(
      'href',
      '/a/infrazen-finops-app/connections?add=1'
    );
    expect(await screen.findByText('No open recommendations: nothing to save right now.')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.overview.kpiSpend)).toHaveTextContent(
      'No spend in the same days of last month to compare with'
    );
  });

  it('does not offer adding providers to viewers', async () => {
    actAs('Viewer');
    fakeBackend({
      'POST /query': { data: SUMMARY },
      'GET /connections': { data: { items: [], total: 0 } },
      'GET /recommendations': { data: recommendationList([]) },
    });
    renderPage(<Overview />);

    expect(await screen.findByText(/Ask an administrator to add one/)).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.overview.addProvider)).not.toBeInTheDocument();
  });

  it('speaks Russian to Russian users', async () => {
    const language = config.bootData.user.language;
    config.bootData.user.language = 'ru-RU';
    try {
      fakeBackend({
        'POST /query': { data: SUMMARY },
        'GET /connections': { data: { items: CONNECTIONS, total: 2 } },
        'GET /recommendations': { data: RECOMMENDATIONS },
      });
      renderPage(<Overview />);
      expect(await screen.findByRole('heading', { name: 'Обзор' })).toBeInTheDocument();
      const spend = await screen.findByTestId(testIds.overview.kpiSpend);
      expect(spend).toHaveTextContent('Расходы с начала месяца');
      expect(spend).toHaveTextContent('117 150 ₽');
      expect(spend).toHaveTextContent('▼ 12,5 % к тем же дням прошлого месяца');
      expect(await screen.findByText('Ошибка')).toBeInTheDocument();
    } finally {
      config.bootData.user.language = language;
    }
  });

  it('explains a collector that cannot be reached, section by section', async () => {
    fakeBackend({
      'POST /query': { status: 502, data: 'Bad Gateway' },
      'GET /connections': { data: { items: CONNECTIONS, total: 2 } },
      'GET /recommendations': {
        status: 404,
        data: { error: 'not_found', message: 'Route GET:/api/v1/recommendations not found' },
      },
    });
    renderPage(<Overview />);

    const error = await screen.findByTestId('data-testid iz-error');
    expect(error).toHaveTextContent('Cannot reach the InfraZen collector (Bad Gateway)');
    // Accounts still render; the missing recommendations endpoint is reported, not fatal.
    expect(await screen.findAllByTestId(testIds.overview.providerCard)).toHaveLength(2);
    expect(await screen.findByText(/not available yet/)).toBeInTheDocument();
  });
});

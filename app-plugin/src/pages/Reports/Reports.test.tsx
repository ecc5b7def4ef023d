import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { config } from '@grafana/runtime';

import { actAs, badRequest, fakeBackend } from '../../test/backend';
import { renderPage } from '../../test/render';
import type { Destination, Report, Run } from './api';
import Reports from './Reports';
import { reportTestIds as ids } from './testIds';

jest.setTimeout(30_000);

const REPORT: Report = {
  id: 'r1',
  name: 'CFO monthly',
  definition: {
    scope: { filters: [] },
    period: { kind: 'previous_month' },
    sections: ['kpi', 'spend_by_provider'],
    language: 'ru',
    currency: null,
  },
  schedule: { cron: '0 9 1 * *', timezone: 'Europe/Moscow', enabled: true },
  timezone: 'Europe/Moscow',
  destinationIds: ['d1'],
  nextRunAt: '2026-12-01T06:00:00.000Z',
  lastRunAt: null,
  lastRun: { id: 'run1', status: 'delivery_failed', createdAt: '2026-11-05T10:00:00.000Z' },
};
const TELEGRAM: Destination = {
  id: 'd1',
  name: 'CFO chat',
  kind: 'telegram',
  settings: { chatId: '-1001234567890' },
  secretFields: ['botToken'],
  enabled: true,
};
const RUN: Run = {
  id: 'run1',
  reportId: 'r1',
  reportName: 'CFO monthly',
  trigger: 'manual',
  scheduledFor: null,
  requestedBy: 'cfo@example.ru',
  status: 'delivery_failed',
  periodFrom: '2026-09-30T21:00:00.000Z',
  periodTo: '2026-10-31T21:00:00.000Z',
  fileName: 'infrazen-cfo-monthly_2026-10-01_2026-10-31.pdf',
  sizeBytes: 39_000,
  sha256: 'ab'.repeat(32),
  error: null,
  createdAt: '2026-11-05T10:00:00.000Z',
  deliveries: [
    {
      id: 'del1',
      destinationId: 'd1',
      destinationName: 'CFO chat',
      kind: 'telegram',
      status: 'failed',
      attempts: 4,
      nextAttemptAt: null,
      lastError: 'Telegram: 502 Bad Gateway',
      sentAt: null,
    },
  ],
};
const PDF = new Blob(['%PDF-1.7'], { type: 'application/pdf' });

function backend(extra = {}) {
  return fakeBackend({
    'GET /reports': { data: { items: [REPORT] } },
    'GET /report-destinations': { data: { items: [TELEGRAM] } },
    'GET /reports/r1/runs': { data: { items: [RUN] } },
    ...extra,
  });
}

describe('Reports page', () => {
  const createObjectURL = jest.fn(() => 'blob:report');
  let downloads: string[] = [];
  beforeAll(() => {
    // jsdom has neither object URLs nor navigation: downloads are recorded instead.
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    });
  });
  beforeEach(() => {
    actAs('Editor');
    createObjectURL.mockClear();
    downloads = [];
  });
  afterEach(() => {
    config.bootData.user.language = 'en-US';
  });

  it('lists reports with their schedule and last run, and the archive with delivery attempts', async () => {
    backend();
    renderPage(<Reports />);
    const [row] = await screen.findAllByTestId(ids.row);
    expect(row).toHaveTextContent('CFO monthly');
    expect(row).toHaveTextContent('Previous month');
    expect(row).toHaveTextContent('0 9 1 * * (Europe/Moscow)');
    expect(row).toHaveTextContent('Delivery failed');

    fireEvent.click(within(row).getByTestId(ids.archive));
    const run = await screen.findByTestId(ids.runRow);
    expect(run).toHaveTextContent('by cfo@example.ru');
    expect(run).toHaveTextContent('CFO chat: failed');
  });

  it('defines a scheduled report with a destination', async () => {
    const api = backend({ 'POST /reports': { data: { ...REPORT, id: 'r2' } } });
    renderPage(<Reports />);
    fireEvent.click(await screen.findByTestId(ids.add));
    const editor = screen.getByTestId(ids.editor);
    fireEvent.change(within(editor).getByTestId(ids.editorName), { target: { value: 'Weekly brief' } });
    for (const section of [
      'Top resources',
      'Anomalies',
      'Recommendations with savings',
      'Balance runway',
      'Budgets: actual and forecast',
    ]) {
      fireEvent.click(within(editor).getByLabelText(section));
    }
    fireEvent.click(within(editor).getByLabelText('English'));
    fireEvent.click(within(editor).getByTestId(ids.editorSchedule));
    fireEvent.change(within(editor).getByTestId(ids.editorCron), { target: { value: '0 9 * * 1' } });
    fireEvent.click(within(editor).getByLabelText('CFO chat (Telegram)'));
    fireEvent.click(within(editor).getByTestId(ids.editorSave));

    await waitFor(() => expect(api.calls('POST /reports')).toHaveLength(1));
    expect(api.calls('POST /reports')[0].data).toEqual({
      name: 'Weekly brief',
      definition: {
        scope: { filters: [] },
        period: { kind: 'previous_month' },
        sections: ['kpi', 'spend_by_provider', 'spend_by_service'],
        language: 'en',
        currency: null,
      },
      schedule: { cron: '0 9 * * 1', timezone: 'Europe/Moscow', enabled: true },
      destinationIds: ['d1'],
    });
    await waitFor(() => expect(screen.queryByTestId(ids.editor)).not.toBeInTheDocument());
  });

  it('shows the collector’s refusal next to the field', async () => {
    backend({
      'PATCH /reports/r1': badRequest('Invalid body', [
        { path: '/schedule/cron', message: 'must be a 5-field cron expression' },
      ]),
    });
    renderPage(<Reports />);
    fireEvent.click(within((await screen.findAllByTestId(ids.row))[0]).getByTestId(ids.edit));
    fireEvent.change(screen.getByTestId(ids.editorCron), { target: { value: 'every monday' } });
    fireEvent.click(screen.getByTestId(ids.editorSave));
    expect(await screen.findByText('must be a 5-field cron expression', {}, { timeout: 5000 })).toBeInTheDocument();
  });

  it('previews the PDF of an unsaved definition', async () => {
    const api = backend({ 'POST /reports/preview': { data: PDF } });
    renderPage(<Reports />);
    fireEvent.click(await screen.findByTestId(ids.add));
    fireEvent.change(screen.getByTestId(ids.editorName), { target: { value: 'Draft' } });
    fireEvent.click(screen.getByTestId(ids.editorPreview));
    expect(await screen.findByTestId(ids.previewFrame)).toHaveAttribute('src', 'blob:report');
    const [request] = api.calls('POST /reports/preview');
    expect(request.params).toEqual({ format: 'pdf' });
    expect(request.responseType).toBe('blob');
    expect(request.data).toMatchObject({
      name: 'Draft',
      timezone: undefined,
      definition: { period: { kind: 'previous_month' } },
    });
    // The editor stays open underneath.
    expect(screen.getByTestId(ids.editor)).toBeInTheDocument();
  });

  it('runs a report now, downloads the archived file and retries failed deliveries', async () => {
    const api = backend({
      'POST /reports/r1/run': { data: { ...RUN, id: 'run2', status: 'delivering' } },
      'GET /report-runs/run1/file': { data: PDF },
      'POST /report-runs/run1/retry': { data: { ...RUN, status: 'delivering' } },
    });
    renderPage(<Reports />);
    const [row] = await screen.findAllByTestId(ids.row);
    fireEvent.click(within(row).getByTestId(ids.runNow));
    await waitFor(() => expect(api.calls('POST /reports/r1/run')).toHaveLength(1));
    expect(
      await screen.findByText('The report is rendered and archived; deliveries are on their way.')
    ).toBeInTheDocument();

    const run = await screen.findByTestId(ids.runRow);
    fireEvent.click(within(run).getByTestId(ids.runFile));
    await waitFor(() => expect(createObjectURL).toHaveBeenCalledWith(PDF));
    expect(downloads).toEqual(['infrazen-cfo-monthly_2026-10-01_2026-10-31.pdf']);
    expect(api.calls('GET /report-runs/run1/file')[0].responseType).toBe('blob');

    fireEvent.click(within(run).getByTestId(ids.retry));
    await waitFor(() => expect(api.calls('POST /report-runs/run1/retry')).toHaveLength(1));
  });

  it('creates a Telegram destination; the token is sent once and never shown', async () => {
    const api = backend({ 'POST /report-destinations': { data: { ...TELEGRAM, id: 'd2' } } });
    renderPage(<Reports />);
    fireEvent.click(await screen.findByText('Destinations'));
    const [row] = await screen.findAllByTestId(ids.destinationRow);
    expect(row).toHaveTextContent('-1001234567890');
    expect(row).toHaveTextContent('secret set: botToken');

    fireEvent.click(screen.getByTestId(ids.destinationAdd));
    const editor = screen.getByTestId(ids.destinationEditor);
    fireEvent.change(within(editor).getByLabelText('Destination'), { target: { value: 'Finance' } });
    fireEvent.change(within(editor).getByLabelText('Chat id'), { target: { value: '@finance_reports' } });
    fireEvent.change(within(editor).getByLabelText('Bot token'), {
      target: { value: '123456:AAExampleExampleExampleExample' },
    });
    fireEvent.click(within(editor).getByTestId(ids.destinationSave));
    await waitFor(() => expect(api.calls('POST /report-destinations')).toHaveLength(1));
    expect(api.calls('POST /report-destinations')[0].data).toEqual({
      name: 'Finance',
      kind: 'telegram',
      settings: { chatId: '@finance_reports' },
      secrets: { botToken: '123456:AAExampleExampleExampleExample' },
    });
  });

  it('is read-only for viewers and speaks Russian', async () => {
    actAs('Viewer');
    config.bootData.user.language = 'ru-RU';
    backend();
    renderPage(<Reports />);
    const [row] = await screen.findAllByTestId(ids.row);
    expect(row).toHaveTextContent('Прошлый месяц');
    expect(row).toHaveTextContent('Не доставлен');
    expect(within(row).getByTestId(ids.preview)).toHaveTextContent('Просмотр');
    expect(within(row).queryByTestId(ids.runNow)).not.toBeInTheDocument();
    expect(within(row).queryByTestId(ids.edit)).not.toBeInTheDocument();
    expect(screen.queryByTestId(ids.add)).not.toBeInTheDocument();
  });
});

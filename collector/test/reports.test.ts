/**
 * Reports API over known-answer costs: definitions CRUD (audited, validated, tenant-scoped), the PDF
 * parses and shows the section titles and the totals the query API returns for the same scope, XLSX
 * cells are typed numbers, CSV is exact, PNG charts render, costs export equals the query API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import type { QueryResponse } from '../src/contract/query.js';
import { formatMoney } from '../src/reports/format.js';
import { createTenant, ensureBootstrapTenant } from '../src/services/tenancy.js';
import { buildTestApp } from './helpers/app.js';
import { createTestDatabase, stopTestCluster, type TestDatabase } from './helpers/postgres.js';
import {
  OCTOBER_SELECTEL,
  OCTOBER_TOTAL,
  pdfText,
  plain,
  seedCosts,
  SEPTEMBER_TOTAL,
  sha256,
} from './helpers/report-fixtures.js';

/** 2026-11-05 13:00 Moscow: "previous month" is October 2026. */
const NOW = new Date('2026-11-05T10:00:00Z');
const OCTOBER = { from: '2026-09-30T21:00:00.000Z', to: '2026-10-31T21:00:00.000Z' };

describe('reports API', () => {
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
  let runtime: Awaited<ReturnType<typeof buildTestApp>>['runtime'];
  let token: string;
  let otherToken: string;

  before(async () => {
    t = await createTestDatabase('reports');
    ({ app, runtime } = await buildTestApp(t.db, { now: () => NOW }));
    const boot = await ensureBootstrapTenant(t.db, undefined);
    token = boot.generatedToken!;
    otherToken = (await createTenant(t.db, { orgId: 2, name: 'Other', actor: 'test' })).token.token;
    await seedCosts(t.db, boot.tenant.id);
  });
  after(async () => {
    await app.close();
    await t.drop();
    await stopTestCluster();
  });

  const headers = (as = token) => ({ authorization: `Bearer ${as}`, 'x-grafana-user': 'cfo@example.ru' });
  async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, as = token) {
    const res = await app.inject({ method, url: `/api/v1${url}`, headers: headers(as), payload: payload as object });
    assert.ok(res.statusCode < 500, `${method} ${url}: ${res.statusCode} ${res.body}`);
    return res;
  }
  async function queryTotal(filters: unknown[] = []): Promise<number> {
    const res = await call('POST', '/query', {
      ...OCTOBER,
      queries: [{ refId: 'A', queryType: 'costs', granularity: 'total', filters }],
    });
    const frame = (res.json() as QueryResponse).results.A!.frames[0]!;
    return frame.data.values.at(-1)![0] as number;
  }
  const count = async (table: string) =>
    Number((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n);

  let reportId: string;

  it('creates a report with defaults, audited with the Grafana login', async () => {
    const res = await call('POST', '/reports', { name: 'Ежемесячный отчёт' });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    reportId = body.id;
    assert.deepEqual(body.definition, {
      scope: { filters: [] },
      period: { kind: 'previous_month' },
      sections: [
        'kpi',
        'spend_by_provider',
        'spend_by_service',
        'top_resources',
        'budgets',
        'anomalies',
        'recommendations',
        'balance_runway',
      ],
      language: 'ru',
      currency: null,
    });
    assert.equal(body.schedule, null);
    assert.equal(body.nextRunAt, null);
    assert.equal(body.timezone, 'Europe/Moscow');
    const [entry] = await t.db.query<{ actor: string; action: string }>(
      `SELECT actor, action FROM audit_log WHERE target_id = $1`,
      [reportId]
    );
    assert.deepEqual(entry, { actor: 'cfo@example.ru', action: 'report.create' });
    assert.equal((await call('POST', '/reports', { name: 'Ежемесячный отчёт' })).statusCode, 409);
  });

  it('renders a PDF whose totals equal the query API for the same scope and period', async () => {
    const res = await call('POST', `/reports/${reportId}/render?format=pdf`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.match(
      String(res.headers['content-disposition']),
      /^attachment; filename="infrazen-ezhemesyachnyy-otchet_2026-10-01_2026-10-31\.pdf"$/
    );
    assert.equal(res.headers['x-content-sha256'], sha256(res.rawPayload));
    const { pages, text } = await pdfText(res.rawPayload);

    const apiTotal = await queryTotal();
    assert.equal(apiTotal, Number(OCTOBER_TOTAL));
    assert.ok(text.includes(plain(formatMoney(String(apiTotal), 'RUB', 'ru'))), 'the query API total is in the PDF');
    assert.ok(text.includes('1 061,13 ₽'), 'roubles the Russian way');
    assert.ok(text.includes(plain(formatMoney(SEPTEMBER_TOTAL, 'RUB', 'ru'))), 'previous period');
    for (const title of [
      'Ключевые показатели',
      'Расходы по провайдерам',
      'Расходы по сервисам',
      'Самые дорогие ресурсы',
      'Бюджеты: факт и прогноз',
      'Аномалии расходов',
      'Рекомендации по экономии',
      'Баланс и запас по времени',
    ]) {
      assert.ok(text.includes(title), `section ${title}`);
    }
    // Title page, page numbers on every page, per-provider and per-resource figures.
    assert.ok(pages[0]!.includes('1–31 октября 2026'));
    pages.forEach((p, i) => assert.ok(p.includes(`Страница ${i + 1} из ${pages.length}`), `page ${i + 1} number`));
    assert.ok(text.includes('Selectel') && text.includes('751,13 ₽'));
    assert.ok(text.includes('Yandex Cloud') && text.includes('310,00 ₽'));
    assert.ok(text.includes('web-1') && text.includes('626,82 ₽'));
    // Analytics sections with nothing computed say so instead of failing.
    assert.ok(text.includes('Нет данных за период'));
  });

  it('scopes every figure by the query API filters', async () => {
    const filters = [{ dimension: 'provider', op: 'include', values: ['selectel'] }];
    const res = await call('POST', '/reports/preview?format=pdf', {
      name: 'Selectel only',
      definition: { scope: { filters }, sections: ['kpi', 'spend_by_provider'], language: 'en' },
    });
    assert.equal(res.statusCode, 200);
    const apiTotal = await queryTotal(filters);
    assert.equal(apiTotal, Number(OCTOBER_SELECTEL));
    const { text } = await pdfText(res.rawPayload);
    assert.ok(text.includes(plain(formatMoney(OCTOBER_SELECTEL, 'RUB', 'en'))), text.slice(0, 400));
    assert.ok(text.includes('Spend by provider') && text.includes('Key figures'));
    assert.ok(!text.includes('Yandex Cloud'));
  });

  it('writes XLSX with one sheet per section and typed numeric cells', async () => {
    const res = await call('POST', `/reports/${reportId}/render?format=xlsx`);
    assert.equal(res.statusCode, 200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    assert.deepEqual(
      workbook.worksheets.map((s) => s.name),
      [
        'Сводка',
        'Ключевые показатели',
        'Расходы по провайдерам',
        'Расходы по сервисам',
        'Самые дорогие ресурсы',
        'Бюджеты факт и прогноз',
        'Аномалии расходов',
        'Рекомендации по экономии',
        'Баланс и запас по времени',
      ]
    );
    const providers = workbook.getWorksheet('Расходы по провайдерам')!;
    assert.deepEqual((providers.getRow(1).values as unknown[]).slice(1), [
      'Провайдер',
      'Текущий период',
      'Предыдущий период',
      'Изменение',
      'Изм., %',
      'Доля',
    ]);
    const selectel = providers.getRow(2);
    assert.equal(selectel.getCell(1).value, 'Selectel');
    assert.equal(selectel.getCell(2).type, ExcelJS.ValueType.Number);
    assert.equal(selectel.getCell(2).value, 751.13);
    assert.equal(selectel.getCell(3).value, 480);
    assert.equal(selectel.getCell(4).value, 271.13);
    assert.equal(selectel.getCell(2).numFmt, '#,##0.00 "₽"');
    assert.equal(selectel.getCell(6).value, 0.708);
    assert.equal(selectel.getCell(6).numFmt, '0.0%');
    const total = providers.getRow(4);
    assert.deepEqual([total.getCell(1).value, total.getCell(2).value, total.getCell(3).value], ['Итого', 1061.13, 480]);
    const kpi = workbook.getWorksheet('Ключевые показатели')!;
    assert.equal(kpi.getRow(2).getCell(2).value, 1061.13);
    assert.equal(kpi.getRow(2).getCell(2).type, ExcelJS.ValueType.Number);
  });

  it('writes the report as long-form CSV with exact decimals', async () => {
    const res = await call('POST', `/reports/${reportId}/render?format=csv`);
    assert.equal(res.statusCode, 200);
    const lines = res.body.trim().split('\n');
    assert.equal(lines[0], 'section,section_title,row,item,column,value,unit');
    assert.ok(lines.includes('spend_by_service,Расходы по сервисам,1,Compute,current,936.82,RUB'), res.body);
    assert.ok(lines.includes('spend_by_service,Расходы по сервисам,2,Storage,current,124.31,RUB'));
    assert.ok(lines.includes('top_resources,Самые дорогие ресурсы,1,web-1,cost,626.82,RUB'));

    // A custom period of the same days gives the same figures.
    const custom = await call('POST', '/reports/preview?format=csv', {
      definition: { period: { kind: 'custom', from: '2026-10-01', to: '2026-10-31' }, sections: ['kpi'] },
    });
    const kpi = custom.body.trim().split('\n');
    assert.ok(kpi.includes('kpi,Ключевые показатели,1,Расходы за период,value,1061.13,RUB'), custom.body);
    assert.ok(kpi.includes('kpi,Ключевые показатели,2,Предыдущий период,value,480.00,RUB'));
    assert.ok(kpi.includes('kpi,Ключевые показатели,4,В среднем за день,value,34.23,RUB'));
  });

  it('includes budgets and recommendations once analytics has them', async () => {
    const budget = await call('POST', '/budgets', {
      name: 'Cloud monthly',
      amount: '1500.00',
      currency: 'RUB',
      period: 'monthly',
      scope: { kind: 'tenant' },
    });
    assert.equal(budget.statusCode, 201, budget.body);
    const [tenant] = await t.db.query<{ id: string }>(`SELECT id FROM tenants WHERE grafana_org_id = 1`);
    await t.db.query(
      `INSERT INTO recommendations (tenant_id, fingerprint, kind, title, action, status, current_monthly_cost,
         estimated_monthly_savings, currency, confidence)
       VALUES ($1, 'orphan:vol-1', 'delete_orphan_volume', 'Delete the unattached volume', 'delete', 'open', 124.31, 124.31, 'RUB', 0.9)`,
      [tenant!.id]
    );
    const res = await call('POST', '/reports/preview?format=csv', {
      definition: { sections: ['kpi', 'budgets', 'recommendations'] },
    });
    const lines = res.body.trim().split('\n');
    assert.ok(lines.includes('budgets,Бюджеты: факт и прогноз,1,Cloud monthly,amount,1500.00,RUB'), res.body);
    assert.ok(
      lines.includes('recommendations,Рекомендации по экономии,1,Delete the unattached volume,savings,124.31,RUB')
    );
    assert.ok(lines.includes('recommendations,Рекомендации по экономии,2,Итого,savings,124.31,RUB'));
    assert.ok(lines.includes('kpi,Ключевые показатели,5,Потенциальная экономия в месяц,value,124.31,RUB'));
    const pdf = await call('POST', '/reports/preview?format=pdf', {
      definition: { sections: ['budgets', 'recommendations'] },
    });
    const { text } = await pdfText(pdf.rawPayload);
    assert.ok(text.includes('Cloud monthly') && text.includes('1 500,00 ₽'));
    assert.ok(text.includes('Delete the unattached volume') && text.includes('124,31 ₽'));
    await call('DELETE', `/budgets/${budget.json().id}`);
    await t.db.query(`DELETE FROM recommendations`);
  });

  it('renders a chart as PNG', async () => {
    const res = await call('POST', `/reports/${reportId}/render?format=png&section=spend_by_provider`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'image/png');
    assert.deepEqual([...res.rawPayload.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR: 2 × 800 by 2 × 400 pixels.
    assert.equal(res.rawPayload.readUInt32BE(16), 1600);
    assert.equal(res.rawPayload.readUInt32BE(20), 800);
    const none = await call('POST', `/reports/${reportId}/render?format=png&section=budgets`);
    assert.equal(none.statusCode, 400);
  });

  it('exports any costs query as CSV and XLSX with the query API totals', async () => {
    const qs = new URLSearchParams({ ...OCTOBER, granularity: 'total', groupBy: 'provider,service' });
    const csv = await call('GET', `/export/costs.csv?${qs}`);
    assert.equal(csv.statusCode, 200);
    assert.equal(
      csv.body,
      [
        'provider,service,cost,currency',
        'selectel,Compute,626.82,RUB',
        'yandex,Compute,310,RUB',
        'selectel,Storage,124.31,RUB',
        '',
      ].join('\n')
    );
    const daily = await call('GET', `/export/costs.csv?${new URLSearchParams({ ...OCTOBER, bom: 'true' })}`);
    const dailyLines = daily.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    assert.ok(daily.body.startsWith('\uFEFF'));
    assert.equal(dailyLines.length, 32);
    assert.equal(dailyLines[1], '2026-09-30T21:00:00.000Z,34.23,RUB');

    const xlsx = await call('GET', `/export/costs.xlsx?${new URLSearchParams({ ...OCTOBER, granularity: 'day' })}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Costs')!;
    assert.equal(sheet.rowCount, 32);
    let sum = 0;
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      assert.equal(row.getCell(2).type, ExcelJS.ValueType.Number);
      sum += row.getCell(2).value as number;
    });
    assert.equal(Math.round(sum * 100) / 100, await queryTotal());
    // Moscow days as Excel dates: October 1, not September 30 21:00.
    assert.equal((sheet.getRow(2).getCell(1).value as Date).toISOString(), '2026-10-01T00:00:00.000Z');
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    const before = await count('report_schedules');
    const bad: [string, string, unknown][] = [
      ['POST', '/reports', { name: '' }],
      ['POST', '/reports', { name: 'x', schedule: { cron: 'every monday' } }],
      ['POST', '/reports', { name: 'x', schedule: { cron: '0 9 * * 1', timezone: 'Mars/Olympus' } }],
      ['POST', '/reports', { name: 'x', definition: { sections: ['kpi', 'pie'] } }],
      ['POST', '/reports', { name: 'x', definition: { sections: [] } }],
      ['POST', '/reports', { name: 'x', definition: { period: { kind: 'custom', from: '2026-10-01' } } }],
      [
        'POST',
        '/reports/preview',
        { definition: { period: { kind: 'custom', from: '2026-02-01', to: '2026-02-30' } } },
      ],
      [
        'POST',
        '/reports/preview',
        { definition: { period: { kind: 'custom', from: '2020-01-01', to: '2026-01-01' } } },
      ],
      [
        'POST',
        '/reports',
        { name: 'x', definition: { period: { kind: 'custom', from: '2026-10-31', to: '2026-10-01' } } },
      ],
      ['POST', '/reports', { name: 'x', definition: { currency: 'rub' } }],
      ['POST', '/reports', { name: 'x', definition: { scope: { filters: [{ dimension: 'planet', values: ['x'] }] } } }],
      ['POST', '/reports', { name: 'x', destinationIds: ['00000000-0000-4000-8000-000000000001'] }],
      ['POST', '/reports', { name: 'x', surprise: true }],
      ['POST', '/reports', { name: 'nul\u0000' }],
      [
        'POST',
        '/reports',
        { name: 'x', definition: { scope: { filters: [{ dimension: 'service', values: ['\u0000'] }] } } },
      ],
      [
        'POST',
        '/report-destinations',
        {
          name: 'a\u0000',
          kind: 'telegram',
          settings: { chatId: '@finance' },
          secrets: { botToken: '123456:AAExampleExampleExampleExample' },
        },
      ],
      ['PATCH', `/reports/${reportId}`, {}],
      ['PATCH', `/reports/not-a-uuid`, { name: 'y' }],
      ['POST', `/reports/${reportId}/render?format=docx`, undefined],
      [
        'POST',
        '/report-destinations',
        { name: 'tg', kind: 'telegram', settings: { chatId: 'abc' }, secrets: { botToken: '1:2' } },
      ],
      [
        'POST',
        '/report-destinations',
        { name: 'mail', kind: 'email', settings: { host: 'smtp', from: 'nope', to: [] } },
      ],
      ['POST', '/report-destinations', { name: 'pigeon', kind: 'pigeon', settings: {} }],
      ['GET', `/export/costs.csv?from=${OCTOBER.from}`, undefined],
      ['GET', `/export/costs.csv?from=${OCTOBER.from}&to=${OCTOBER.to}&groupBy=planet`, undefined],
      ['GET', `/export/costs.csv?from=${OCTOBER.from}&to=${OCTOBER.to}&filters=%5Bnope`, undefined],
      ['GET', `/export/costs.xlsx?from=${OCTOBER.to}&to=${OCTOBER.from}`, undefined],
    ];
    for (const [method, url, payload] of bad) {
      const res = await call(method as 'GET', url, payload);
      assert.equal(res.statusCode, 400, `${method} ${url} ${JSON.stringify(payload)}: ${res.body}`);
      const body = res.json();
      assert.equal(body.error, 'bad_request');
      assert.equal(typeof body.message, 'string');
    }
    assert.equal(await count('report_schedules'), before);
    assert.equal(await count('report_destinations'), 0);
  });

  it('answers 404 for other tenants’ reports, runs and destinations', async () => {
    const dest = await call('POST', '/report-destinations', {
      name: 'Finance chat',
      kind: 'telegram',
      settings: { chatId: '-1001234567890' },
      secrets: { botToken: '123456789:AAExampleExampleExampleExample_123' },
    });
    assert.equal(dest.statusCode, 201, dest.body);
    const destId = dest.json().id;
    const run = await call('POST', `/reports/${reportId}/run`);
    assert.equal(run.statusCode, 202, run.body);
    const runId = run.json().id;
    await runtime.reports!.idle();
    const foreign: [string, string, unknown?][] = [
      ['GET', `/reports/${reportId}`],
      ['PATCH', `/reports/${reportId}`, { name: 'stolen' }],
      ['DELETE', `/reports/${reportId}`],
      ['POST', `/reports/${reportId}/render?format=pdf`],
      ['POST', `/reports/${reportId}/run`],
      ['GET', `/reports/${reportId}/runs`],
      ['GET', `/report-runs/${runId}`],
      ['GET', `/report-runs/${runId}/file`],
      ['POST', `/report-runs/${runId}/retry`],
      ['GET', `/report-destinations/${destId}`],
      ['PATCH', `/report-destinations/${destId}`, { name: 'stolen' }],
      ['DELETE', `/report-destinations/${destId}`],
      ['POST', `/report-destinations/${destId}/test`],
    ];
    for (const [method, url, payload] of foreign) {
      const res = await call(method as 'GET', url, payload, otherToken);
      assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
    }
    // Referencing another tenant's destination is a bad body, not a way to learn it exists.
    const other = await call('POST', '/reports', { name: 'x', destinationIds: [destId] }, otherToken);
    assert.equal(other.statusCode, 400);
    assert.equal((await call('GET', '/reports', undefined, otherToken)).json().items.length, 0);
    assert.equal((await call('GET', `/reports/${reportId}`)).json().name, 'Ежемесячный отчёт');
  });

  it('keeps destination secrets write-only', async () => {
    const list = await call('GET', '/report-destinations');
    const [dest] = list.json().items;
    assert.deepEqual(dest.secretFields, ['botToken']);
    assert.equal(list.body.includes('AAExample'), false);
    const rows = await t.db.query<{ ciphertext: string }>(
      `SELECT s.ciphertext FROM secrets s JOIN report_destinations d ON d.secret_id = s.id`
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.ciphertext.includes('AAExample'), false);
    const audit = await t.db.query<{ details: unknown }>(
      `SELECT details FROM audit_log WHERE target_kind = 'report_destination'`
    );
    assert.equal(JSON.stringify(audit).includes('AAExample'), false);
    const patched = await call('PATCH', `/report-destinations/${dest.id}`, {
      secrets: { botToken: '987654321:BBExampleExampleExampleExample_456' },
    });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.body.includes('BBExample'), false);
  });

  it('lists the archive with the run, and serves its file with the stored checksum', async () => {
    const runs = await call('GET', `/reports/${reportId}/runs`);
    const [run] = runs.json().items;
    assert.equal(run.trigger, 'manual');
    assert.equal(run.requestedBy, 'cfo@example.ru');
    assert.equal(run.status, 'rendered');
    assert.equal(run.periodFrom, OCTOBER.from);
    assert.equal(run.periodTo, OCTOBER.to);
    assert.deepEqual(run.summary.total, OCTOBER_TOTAL);
    const file = await call('GET', `/report-runs/${run.id}/file`);
    assert.equal(file.statusCode, 200);
    assert.equal(sha256(file.rawPayload), run.sha256);
    assert.equal(file.rawPayload.length, run.sizeBytes);
    const { text } = await pdfText(file.rawPayload);
    assert.ok(text.includes('1 061,13 ₽'));
  });

  it('lets Viewers read and render, and only Editors change reports', async () => {
    const as = (role: string) => ({ authorization: `Bearer ${token}`, 'x-infrazen-role': role });
    const viewer = as('Viewer');
    const inject = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers, payload });
    assert.equal((await inject('GET', '/reports', viewer)).statusCode, 200);
    assert.equal((await inject('POST', `/reports/${reportId}/render?format=csv`, viewer)).statusCode, 200);
    assert.equal((await inject('POST', '/reports', viewer, { name: 'Viewer report' })).statusCode, 403);
    assert.equal((await inject('POST', `/reports/${reportId}/run`, viewer)).statusCode, 403);
    const editor = await inject('POST', '/reports', as('Editor'), { name: 'Editor report' });
    assert.equal(editor.statusCode, 201);
    assert.equal((await call('DELETE', `/reports/${editor.json().id}`)).statusCode, 204);
  });

  it('changes and deletes a report, audited', async () => {
    const patched = await call('PATCH', `/reports/${reportId}`, {
      schedule: { cron: '0 9 1 * *' },
      definition: { sections: ['kpi'], language: 'en', period: { kind: 'last_7_days' } },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.deepEqual(patched.json().schedule, { cron: '0 9 1 * *', timezone: 'Europe/Moscow', enabled: true });
    // 09:00 Moscow on December 1.
    assert.equal(patched.json().nextRunAt, '2026-12-01T06:00:00.000Z');
    assert.equal((await call('DELETE', `/reports/${reportId}`)).statusCode, 204);
    assert.equal((await call('GET', `/reports/${reportId}`)).statusCode, 404);
    assert.equal(await count('report_runs'), 0);
    const actions = await t.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`,
      [reportId]
    );
    assert.deepEqual(
      actions.map((a) => a.action),
      ['report.create', 'report.run', 'report.update', 'report.delete']
    );
  });
});

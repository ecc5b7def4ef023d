/**
 * Schedules and delivery with a controllable clock: a schedule fires at the right minute in its time
 * zone, two replicas ticking at once make one run, Telegram and SMTP receive exactly the expected
 * requests, and a Telegram failure is retried with backoff and then marked failed while the archived
 * report stays downloadable.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import { loggerOptions } from '../src/observability/logger.js';
import { ReportService } from '../src/reports/service.js';
import { ensureBootstrapTenant } from '../src/services/tenancy.js';
import { buildTestApp } from './helpers/app.js';
import { createTestDatabase, stopTestCluster, type TestDatabase } from './helpers/postgres.js';
import {
  pdfText,
  seedCosts,
  sha256,
  startFakeTelegram,
  startSmtp,
  TELEGRAM_BAD_GATEWAY,
  TELEGRAM_OK,
  type FakeTelegram,
} from './helpers/report-fixtures.js';

const BOT_TOKEN = '7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const SMTP_USER = 'reports@infrazen.example';
const SMTP_PASS = 'smtp-Pa55-word';
const NBSP = '\u00a0';
const MINUTE = 60_000;

/** What the Telegram caption of the October report must say, character for character. */
const OCTOBER_CAPTION = [
  'InfraZen FinOps: Ежемесячный отчёт',
  `Период: 1–31 октября 2026${NBSP}г.`,
  `Расходы: 1${NBSP}061,13${NBSP}₽ (+121,1${NBSP}% к пред. периоду)`,
  `Больше всего: Selectel — 751,13${NBSP}₽`,
].join('\n');

describe('report schedules and delivery', () => {
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
  let reports: ReportService;
  let runtime: Awaited<ReturnType<typeof buildTestApp>>['runtime'];
  let telegram: FakeTelegram;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let token: string;
  let tenantId: string;
  const logLines: string[] = [];
  /** The clock every part of the app reads. */
  let clock = new Date('2026-11-05T10:00:00Z');

  before(async () => {
    t = await createTestDatabase('repdeliv');
    telegram = await startFakeTelegram();
    smtp = await startSmtp({ user: SMTP_USER, pass: SMTP_PASS });
    const logger = pino(loggerOptions('debug'), { write: (line: string) => void logLines.push(line) });
    const built = await buildTestApp(t.db, { now: () => clock, config: { telegramApiUrl: telegram.url }, logger });
    app = built.app;
    runtime = built.runtime;
    reports = runtime.reports!;
    const boot = await ensureBootstrapTenant(t.db, undefined);
    token = boot.generatedToken!;
    tenantId = boot.tenant.id;
    await seedCosts(t.db, tenantId);
  });
  after(async () => {
    await app.close();
    await telegram.close();
    await smtp.close();
    await t.drop();
    await stopTestCluster();
  });
  beforeEach(() => {
    telegram.requests.length = 0;
    telegram.script.length = 0;
    telegram.otherwise = TELEGRAM_OK;
    smtp.received.length = 0;
  });

  async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
    const res = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}`, 'x-grafana-user': 'cfo@example.ru' },
      payload: payload as object,
    });
    assert.ok(res.statusCode < 500, `${method} ${url}: ${res.body}`);
    return res;
  }
  const runs = async (reportId: string) => (await call('GET', `/reports/${reportId}/runs`)).json().items;

  let telegramId: string;
  let emailId: string;

  it('creates Telegram and email destinations', async () => {
    const tg = await call('POST', '/report-destinations', {
      name: 'CFO chat',
      kind: 'telegram',
      settings: { chatId: '-1001234567890' },
      secrets: { botToken: BOT_TOKEN },
    });
    assert.equal(tg.statusCode, 201, tg.body);
    telegramId = tg.json().id;
    const mail = await call('POST', '/report-destinations', {
      name: 'Finance mailbox',
      kind: 'email',
      settings: {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'none',
        username: SMTP_USER,
        from: 'reports@infrazen.example',
        fromName: 'InfraZen',
        to: ['cfo@example.ru', 'finance@example.ru'],
      },
      secrets: { password: SMTP_PASS },
    });
    assert.equal(mail.statusCode, 201, mail.body);
    emailId = mail.json().id;
    assert.deepEqual(mail.json().secretFields, ['password']);
    // The test message reaches the fake Bot API (sendMessage, not sendDocument).
    const test = await call('POST', `/report-destinations/${telegramId}/test`);
    assert.deepEqual(test.json(), { ok: true, message: 'sent' });
    assert.equal(telegram.requests[0]!.path, `/bot${BOT_TOKEN}/sendMessage`);
    assert.equal(telegram.requests[0]!.fields.chat_id, '-1001234567890');
  });

  it('fires a schedule at the right minute in the tenant time zone, once across two replicas', async () => {
    clock = new Date('2026-11-30T12:00:00Z');
    const created = await call('POST', '/reports', {
      name: 'Ежемесячный отчёт',
      definition: { sections: ['kpi', 'spend_by_provider'] },
      schedule: { cron: '0 9 1 * *' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const report = created.json();
    // 09:00 in Moscow (the tenant's zone, UTC+3) on December 1.
    assert.equal(report.nextRunAt, '2026-12-01T06:00:00.000Z');
    assert.equal(report.schedule.timezone, 'Europe/Moscow');

    assert.deepEqual(await reports.tick(new Date('2026-12-01T05:59:59.999Z')), {
      scheduled: 0,
      rendered: 0,
      deliveries: 0,
    });
    assert.equal((await runs(report.id)).length, 0);

    // A second replica: its own service over the same database (and key), ticking at the same instant.
    const replica = new ReportService({
      db: t.db,
      secrets: runtime.secrets,
      logger: pino({ level: 'silent' }),
      telegramApiUrl: telegram.url,
    });
    const slot = new Date('2026-12-01T06:00:00.000Z');
    const results = await Promise.all([reports.tick(slot), replica.tick(slot)]);
    assert.equal(results[0].scheduled + results[1].scheduled, 1);
    assert.equal(results[0].rendered + results[1].rendered, 1);
    const list = await runs(report.id);
    assert.equal(list.length, 1);
    assert.equal(list[0].trigger, 'schedule');
    assert.equal(list[0].scheduledFor, '2026-12-01T06:00:00.000Z');
    assert.equal(list[0].status, 'rendered');
    // As of its slot: "previous month" is November 2026 in Moscow.
    assert.equal(list[0].periodFrom, '2026-10-31T21:00:00.000Z');
    assert.equal(list[0].periodTo, '2026-11-30T21:00:00.000Z');
    const after = (await call('GET', `/reports/${report.id}`)).json();
    assert.equal(after.nextRunAt, '2027-01-01T06:00:00.000Z');
    assert.equal(after.lastRunAt, '2026-12-01T06:00:00.000Z');
    // Ticking again in the same minute creates nothing.
    assert.equal((await reports.tick(new Date('2026-12-01T06:00:30Z'))).scheduled, 0);
    await call('DELETE', `/reports/${report.id}`);
  });

  it('computes slots in the schedule’s own time zone', async () => {
    clock = new Date('2026-11-30T12:00:00Z'); // 22:00 in Vladivostok (UTC+10)
    const created = await call('POST', '/reports', {
      name: 'Daily Far East',
      definition: { sections: ['kpi'], period: { kind: 'last_7_days' } },
      schedule: { cron: '30 8 * * *', timezone: 'Asia/Vladivostok' },
    });
    const report = created.json();
    assert.equal(report.nextRunAt, '2026-11-30T22:30:00.000Z');
    assert.equal((await reports.tick(new Date('2026-11-30T22:29:59Z'))).scheduled, 0);
    assert.equal((await reports.tick(new Date('2026-11-30T22:30:00Z'))).scheduled, 1);
    const [run] = await runs(report.id);
    // Seven whole days before December 1 in Vladivostok.
    assert.equal(run.periodFrom, '2026-11-23T14:00:00.000Z');
    assert.equal(run.periodTo, '2026-11-30T14:00:00.000Z');
    await call('DELETE', `/reports/${report.id}`);
  });

  it('sends the PDF to Telegram and by email with exactly the expected requests', async () => {
    clock = new Date('2026-11-05T10:00:00Z');
    const created = await call('POST', '/reports', {
      name: 'Ежемесячный отчёт',
      definition: { sections: ['kpi', 'spend_by_provider', 'spend_by_service'] },
      destinationIds: [telegramId, emailId],
    });
    assert.equal(created.statusCode, 201, created.body);
    const reportId = created.json().id;
    const started = await call('POST', `/reports/${reportId}/run`);
    assert.equal(started.statusCode, 202, started.body);
    const run = started.json();
    assert.equal(run.status, 'delivering');
    await reports.idle();

    const done = (await call('GET', `/report-runs/${run.id}`)).json();
    assert.equal(done.status, 'delivered', JSON.stringify(done.deliveries));
    assert.deepEqual(
      done.deliveries.map((d: { kind: string; status: string; attempts: number }) => [d.kind, d.status, d.attempts]),
      [
        ['telegram', 'sent', 1],
        ['email', 'sent', 1],
      ]
    );

    assert.equal(telegram.requests.length, 1);
    const req = telegram.requests[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, `/bot${BOT_TOKEN}/sendDocument`);
    assert.match(req.contentType, /^multipart\/form-data; boundary=/);
    // multipart/form-data carries line breaks in field values as CRLF (the HTML form encoding).
    assert.deepEqual(req.fields, { chat_id: '-1001234567890', caption: OCTOBER_CAPTION.replace(/\n/g, '\r\n') });
    assert.equal(req.file!.name, 'infrazen-ezhemesyachnyy-otchet_2026-10-01_2026-10-31.pdf');
    assert.equal(req.file!.type, 'application/pdf');
    assert.equal(sha256(req.file!.bytes), run.sha256);

    assert.equal(smtp.received.length, 1);
    const mail = smtp.received[0]!;
    assert.equal(mail.user, SMTP_USER);
    assert.equal(mail.mailFrom, 'reports@infrazen.example');
    assert.deepEqual(mail.parsed.from?.value, [{ address: 'reports@infrazen.example', name: 'InfraZen' }]);
    assert.deepEqual(mail.rcptTo, ['cfo@example.ru', 'finance@example.ru']);
    assert.equal(mail.parsed.subject, `InfraZen: Ежемесячный отчёт — 1–31 октября 2026${NBSP}г.`);
    assert.equal(mail.parsed.text, `${OCTOBER_CAPTION}\n\nSHA-256: ${run.sha256}\n`);
    assert.equal(mail.parsed.attachments.length, 1);
    const attachment = mail.parsed.attachments[0]!;
    assert.equal(attachment.filename, req.file!.name);
    assert.equal(attachment.contentType, 'application/pdf');
    assert.equal(sha256(attachment.content), run.sha256);
    const { text } = await pdfText(attachment.content);
    assert.ok(text.includes('Расходы по сервисам'));
    await call('DELETE', `/reports/${reportId}`);
  });

  it('retries a failing Telegram delivery with backoff, then marks it failed and keeps the report', async () => {
    clock = new Date('2026-11-05T10:00:00Z');
    telegram.otherwise = TELEGRAM_BAD_GATEWAY;
    const created = await call('POST', '/reports', {
      name: 'Ежемесячный отчёт',
      definition: { sections: ['kpi'] },
      destinationIds: [telegramId],
    });
    const reportId = created.json().id;
    const run = (await call('POST', `/reports/${reportId}/run`)).json();
    await reports.idle();
    const start = clock.getTime();
    const delivery = async () => (await call('GET', `/report-runs/${run.id}`)).json().deliveries[0];

    let d = await delivery();
    assert.deepEqual([d.status, d.attempts, d.lastError], ['pending', 1, 'Telegram: 502 Bad Gateway']);
    assert.equal(d.nextAttemptAt, new Date(start + MINUTE).toISOString());

    // Not before its time…
    await reports.tick(new Date(start + MINUTE - 1));
    assert.equal(telegram.requests.length, 1);
    // …then after 1, 5 and 30 minutes.
    const due = [start + MINUTE, start + 6 * MINUTE, start + 36 * MINUTE];
    const expectedNext = [start + 6 * MINUTE, start + 36 * MINUTE, null];
    for (const [i, at] of due.entries()) {
      clock = new Date(at);
      assert.equal((await reports.tick(clock)).deliveries, 1);
      d = await delivery();
      assert.equal(d.attempts, i + 2);
      assert.equal(d.nextAttemptAt, expectedNext[i] === null ? null : new Date(expectedNext[i]!).toISOString());
    }
    assert.equal(d.status, 'failed');
    assert.equal(telegram.requests.length, 4);
    assert.equal(new Set(telegram.requests.map((r) => JSON.stringify(r.fields))).size, 1, 'the same caption each time');
    assert.ok(
      telegram.requests.every((r) => sha256(r.file!.bytes) === run.sha256),
      'the same archived file each time'
    );
    assert.equal(
      (await reports.tick(new Date(start + 10 * 60 * MINUTE))).deliveries,
      0,
      'a failed delivery stays failed'
    );

    const failed = (await call('GET', `/report-runs/${run.id}`)).json();
    assert.equal(failed.status, 'delivery_failed');
    const file = await call('GET', `/report-runs/${run.id}/file`);
    assert.equal(file.statusCode, 200);
    assert.equal(sha256(file.rawPayload), run.sha256);

    // Once Telegram works again, a retry sends the archived file (no new rendering).
    telegram.otherwise = TELEGRAM_OK;
    const retried = await call('POST', `/report-runs/${run.id}/retry`);
    assert.equal(retried.statusCode, 202, retried.body);
    await reports.idle();
    const delivered = (await call('GET', `/report-runs/${run.id}`)).json();
    assert.equal(delivered.status, 'delivered');
    assert.equal(delivered.sha256, run.sha256);
    assert.equal((await call('POST', `/report-runs/${run.id}/retry`)).statusCode, 409);

    // The bot token is in the Bot API URL: it must not leak into errors, the archive or the logs.
    const everything = [
      JSON.stringify(failed),
      JSON.stringify(await t.db.query(`SELECT * FROM report_deliveries`)),
      JSON.stringify(await t.db.query(`SELECT details FROM audit_log`)),
      logLines.join('\n'),
    ].join('\n');
    assert.ok(logLines.some((l) => l.includes('report delivery failed')));
    assert.equal(everything.includes(BOT_TOKEN), false);
    assert.equal(everything.includes(BOT_TOKEN.split(':')[1]!), false);
    assert.equal(everything.includes(SMTP_PASS), false);
  });

  it('honours Telegram’s retry_after and gives up at once on a permanent error', async () => {
    clock = new Date('2026-11-05T10:00:00Z');
    telegram.script.push(
      {
        status: 429,
        body: {
          ok: false,
          error_code: 429,
          description: 'Too Many Requests: retry after 600',
          parameters: { retry_after: 600 },
        },
      },
      { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } }
    );
    const created = await call('POST', '/reports', {
      name: 'Rate limited',
      definition: { sections: ['kpi'] },
      destinationIds: [telegramId],
    });
    const run = (await call('POST', `/reports/${created.json().id}/run`)).json();
    await reports.idle();
    let d = (await call('GET', `/report-runs/${run.id}`)).json().deliveries[0];
    assert.equal(d.nextAttemptAt, new Date(clock.getTime() + 600_000).toISOString());
    assert.equal((await reports.tick(new Date(clock.getTime() + 599_000))).deliveries, 0);
    assert.equal((await reports.tick(new Date(clock.getTime() + 600_000))).deliveries, 1);
    d = (await call('GET', `/report-runs/${run.id}`)).json().deliveries[0];
    assert.deepEqual([d.status, d.attempts, d.lastError], ['failed', 2, 'Telegram: 400 Bad Request: chat not found']);
  });
});

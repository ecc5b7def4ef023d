/**
 * Known-answer cost data and delivery fakes for the report tests: a loopback HTTP server standing in
 * for the Telegram Bot API (it records every request and answers from a script), a real SMTP server
 * (smtp-server) that records envelopes and messages, and PDF text extraction (pdfjs-dist).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { Response } from 'undici';
import type { Database } from '../../src/storage/db.js';
import { upsertCostRecords, type CostRecordInput } from '../../src/storage/repositories/cost-records.js';
import { refreshCostDaily } from '../../src/storage/rollups.js';

const DAY = 86_400_000;
/** 2026-09-01 00:00 Moscow. */
const SEP = Date.UTC(2026, 7, 31, 21);

/**
 * October 2026 (Moscow), per day: Selectel Compute 20.22, Selectel Storage 4.01, Yandex Cloud Compute 10.00
 * → October 626.82 + 124.31 + 310.00 = 1061.13 ₽. September, per day: Selectel Compute 16.00 → 480.00 ₽.
 */
export const OCTOBER_TOTAL = '1061.13';
export const OCTOBER_SELECTEL = '751.13';
export const SEPTEMBER_TOTAL = '480.00';

export async function seedCosts(db: Database, tenantId: string): Promise<{ selectel: string; yandex: string }> {
  const ids: Record<string, string> = {};
  for (const [provider, name] of [
    ['selectel', 'Selectel prod'],
    ['yandex', 'Yandex main'],
  ] as const) {
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO connections (tenant_id, name, provider) VALUES ($1, $2, $3) RETURNING id`,
      [tenantId, name, provider]
    );
    ids[provider] = row!.id;
  }
  const rows: CostRecordInput[] = [];
  const line = (day: number, hour: number, provider: string, resource: string, service: string, amount: string) => {
    const start = new Date(SEP + day * DAY + hour * 3_600_000);
    rows.push({
      tenantId,
      connectionId: ids[provider]!,
      resourceId: resource,
      lineKey: 'usage',
      chargePeriodStart: start,
      chargePeriodEnd: new Date(start.getTime() + 3_600_000),
      provider,
      billedCost: amount,
      effectiveCost: amount,
      billingCurrency: 'RUB',
      serviceName: service,
      resourceType: resource.startsWith('vol') ? 'volume' : 'server',
    });
  };
  for (let d = 0; d < 30; d++) for (const h of [6, 18]) line(d, h, 'selectel', 'vm-1', 'Compute', '8.00');
  for (let d = 30; d < 61; d++) {
    for (const h of [6, 18]) {
      line(d, h, 'selectel', 'vm-1', 'Compute', '10.11');
      line(d, h, 'selectel', 'vol-1', 'Storage', '2.005');
      line(d, h, 'yandex', 'yc-vm', 'Compute', '5.00');
    }
  }
  await upsertCostRecords(db, rows);
  await refreshCostDaily(db, 'plain', { from: new Date(SEP - DAY), to: new Date(SEP + 62 * DAY) });
  await db.query(
    `INSERT INTO resources (tenant_id, connection_id, provider, provider_resource_id, name, type, status, currency)
     VALUES ($1, $2, 'selectel', 'vm-1', 'web-1', 'server', 'RUNNING', 'RUB'),
            ($1, $2, 'selectel', 'vol-1', 'web-1-disk', 'volume', 'RUNNING', 'RUB'),
            ($1, $3, 'yandex', 'yc-vm', 'api-1', 'server', 'RUNNING', 'RUB')`,
    [tenantId, ids.selectel, ids.yandex]
  );
  return { selectel: ids.selectel!, yandex: ids.yandex! };
}

export const sha256 = (body: Buffer | Uint8Array) => createHash('sha256').update(body).digest('hex');

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface TelegramRequest {
  method: string;
  path: string;
  contentType: string;
  fields: Record<string, string>;
  file?: { name: string; type: string; bytes: Buffer };
}

export interface FakeTelegram {
  url: string;
  requests: TelegramRequest[];
  /** Answers for the next requests, in order; once used up, every request gets `otherwise`. */
  script: { status: number; body: Record<string, unknown> }[];
  otherwise: { status: number; body: Record<string, unknown> };
  close(): Promise<void>;
}

export const TELEGRAM_OK = { status: 200, body: { ok: true, result: { message_id: 4242 } } };
export const TELEGRAM_BAD_GATEWAY = {
  status: 502,
  body: { ok: false, error_code: 502, description: 'Bad Gateway' },
};

/** A loopback stand-in for api.telegram.org that parses the multipart body like the real one. */
export async function startFakeTelegram(): Promise<FakeTelegram> {
  const fake: FakeTelegram = {
    url: '',
    requests: [],
    script: [],
    otherwise: TELEGRAM_OK,
    close: async () => undefined,
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const contentType = String(req.headers['content-type'] ?? '');
      const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
      const fields: Record<string, string> = {};
      let file: TelegramRequest['file'];
      for (const [key, value] of form.entries()) {
        if (typeof value === 'string') fields[key] = value;
        else file = { name: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
      }
      fake.requests.push({ method: req.method ?? '', path: req.url ?? '', contentType, fields, file });
      const answer = fake.script.shift() ?? fake.otherwise;
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}

export interface ReceivedMail {
  mailFrom: string;
  rcptTo: string[];
  user: string | undefined;
  raw: Buffer;
  parsed: ParsedMail;
}

/** A real SMTP server on loopback (plain, with AUTH allowed without TLS: loopback only). */
export async function startSmtp(credentials: { user: string; pass: string }) {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.pass) {
        callback(null, { user: auth.username });
      } else {
        callback(new Error('Invalid username or password'));
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            received.push({
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              rcptTo: session.envelope.rcptTo.map((r) => r.address),
              user: session.user as string | undefined,
              raw,
              parsed,
            });
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The text of every page (pdf.js), whitespace (no-break spaces included) collapsed to single spaces. */
export async function pdfText(pdf: Buffer): Promise<{ pages: string[]; text: string }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false })
    .promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(
      content.items
        .map((item) => ('str' in item ? item.str : ''))
        .join(' ')
        .replace(/[\s\u00a0\u202f]+/g, ' ')
    );
  }
  await doc.destroy();
  return { pages, text: pages.join('\n') };
}

/** `1 061,13 ₽` with any spaces made plain, as pdfText returns it. */
export const plain = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, ' ');

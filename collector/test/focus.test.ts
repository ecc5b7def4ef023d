/**
 * FOCUS import and export against a real PostgreSQL through the HTTP API (and the CLI): FOCUS 1.0 and 1.2
 * headers, CSV edge cases, rejected rows, atomicity, re-import, corrections, inventory, the export → import
 * round trip between tenants, and no 5xx for anything a client can send.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { FocusError } from '../src/focus/errors.js';
import { importFocus } from '../src/focus/import.js';
import { resourceTypeOf } from '../src/focus/resource-types.js';
import { resolveHeader } from '../src/focus/rows.js';
import { parseDecimal, parseTimestamp, ValueError } from '../src/focus/values.js';
import { generateKey } from '../src/security/crypto.js';
import { createTenant, ensureBootstrapTenant } from '../src/services/tenancy.js';
import type { Database, Queryable } from '../src/storage/db.js';
import { upsertCostRecords, type CostRecordInput } from '../src/storage/repositories/cost-records.js';
import { refreshCostDaily } from '../src/storage/rollups.js';
import { buildTestApp } from './helpers/app.js';
import { createTestDatabase, stopTestCluster, type TestDatabase } from './helpers/postgres.js';
import { runCli } from './helpers/process.js';

// ---------------------------------------------------------------------------------------------------
// FOCUS files for the tests

const HEADER_12 = [
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'RegionId',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'ServiceSubcategory',
  'SkuId',
  'Tags',
];

/** FOCUS 1.0 columns (no ServiceSubcategory) in another order. */
const COLUMNS_10 = HEADER_12.filter((c) => c !== 'ServiceSubcategory').reverse();
/** Their header with the names PROVIDERS.md gives (display names), and mixed case. */
const HEADER_DISPLAY = COLUMNS_10.map((c, i) => {
  const name =
    c === 'ProviderName'
      ? 'Provider'
      : c === 'PublisherName'
        ? 'Publisher'
        : c === 'InvoiceIssuerName'
          ? 'InvoiceIssuer'
          : c;
  return i % 2 ? name.toLowerCase() : name;
});

type Row = Record<string, string>;

function awsRow(over: Row = {}): Row {
  return {
    BilledCost: '1.25',
    BillingAccountId: '123456789012',
    BillingAccountName: 'Acme prod',
    BillingCurrency: 'USD',
    BillingPeriodEnd: '2026-11-01T00:00:00Z',
    BillingPeriodStart: '2026-10-01T00:00:00Z',
    ChargeCategory: 'Usage',
    ChargeClass: 'NULL',
    ChargeDescription: 'm5.large on-demand',
    ChargeFrequency: 'Usage-Based',
    ChargePeriodEnd: '2026-10-05T01:00:00Z',
    ChargePeriodStart: '2026-10-05T00:00:00Z',
    ConsumedQuantity: '1',
    ConsumedUnit: 'Hours',
    ContractedCost: '1.25',
    EffectiveCost: '1.25',
    InvoiceIssuerName: 'Amazon Web Services, Inc.',
    ListCost: '1.25',
    PricingQuantity: '1',
    PricingUnit: 'Hours',
    ProviderName: 'AWS',
    PublisherName: 'AWS',
    RegionId: 'us-east-1',
    ResourceId: 'i-0abc',
    ResourceName: 'web-1',
    ResourceType: 'Instance',
    ServiceCategory: 'Compute',
    ServiceName: 'Amazon Elastic Compute Cloud',
    ServiceSubcategory: 'Virtual Machines',
    SkuId: 'SKU1',
    Tags: '{"env":"prod","team":"web"}',
    ...over,
  };
}

function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** `names` renames the header line only (the rows are keyed by the FOCUS 1.2 ids). */
function toCsv(rows: Row[], columns = HEADER_12, eol = '\n', names = columns): string {
  const lines = [names.map(field).join(','), ...rows.map((r) => columns.map((c) => field(r[c] ?? '')).join(','))];
  return lines.join(eol) + eol;
}

const hour = (day: number, h: number) => `2026-10-${String(day).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00Z`;

/** 3 resources × 2 days × 3 hours of usage, a tax line, a credit, a purchase and an adjustment. */
function octoberRows(): Row[] {
  const rows: Row[] = [];
  const resources = [
    {
      ResourceId: 'i-0abc',
      ResourceName: 'web-1',
      ResourceType: 'Instance',
      ServiceName: 'Amazon Elastic Compute Cloud',
    },
    {
      ResourceId: 'vol-0def',
      ResourceName: 'web-1-root',
      ResourceType: 'Volume',
      ServiceName: 'Amazon Elastic Block Store',
    },
    {
      ResourceId: 'arn:aws:s3:::acme-logs',
      ResourceName: 'acme-logs',
      ResourceType: 'Bucket',
      ServiceName: 'Amazon S3',
    },
  ];
  for (const day of [5, 6]) {
    for (const h of [0, 1, 2]) {
      for (const [i, r] of resources.entries()) {
        const cost = `0.${i + 1}0000000000000000001`;
        rows.push(
          awsRow({
            ...r,
            ChargePeriodStart: hour(day, h),
            ChargePeriodEnd: hour(day, h + 1),
            BilledCost: cost,
            EffectiveCost: cost,
          })
        );
      }
    }
  }
  const accountLine = {
    ResourceId: 'NULL',
    ResourceName: 'NULL',
    ResourceType: 'NULL',
    ChargePeriodStart: hour(6, 0),
    ChargePeriodEnd: hour(7, 0),
  };
  rows.push(
    awsRow({
      ...accountLine,
      ChargeCategory: 'Tax',
      BilledCost: '0.5',
      EffectiveCost: '0.5',
      ServiceName: 'Tax',
      PricingQuantity: 'NULL',
    })
  );
  rows.push(
    awsRow({
      ...accountLine,
      ChargeCategory: 'Credit',
      BilledCost: '-0.25',
      EffectiveCost: '-0.25',
      ServiceName: 'Credits',
    })
  );
  rows.push(
    awsRow({
      ...accountLine,
      ChargeCategory: 'Purchase',
      BilledCost: '10',
      EffectiveCost: '0',
      ServiceName: 'Savings Plans',
    })
  );
  rows.push(
    awsRow({
      ...accountLine,
      ChargeCategory: 'Adjustment',
      BilledCost: '-1',
      EffectiveCost: '-1',
      ServiceName: 'Support',
    })
  );
  return rows;
}

describe('FOCUS values', () => {
  it('parses timestamps with and without a zone (no zone = UTC), keeping microseconds', () => {
    assert.equal(parseTimestamp('2026-10-05T00:00:00Z').iso, '2026-10-05T00:00:00Z');
    assert.equal(parseTimestamp('2026-10-05T00:00:00').iso, '2026-10-05T00:00:00Z');
    assert.equal(parseTimestamp('2026-10-05 03:00:00+03:00').iso, '2026-10-05T00:00:00Z');
    assert.equal(parseTimestamp('2026-10-05T00:00:00.123456789Z').iso, '2026-10-05T00:00:00.123456Z');
    assert.equal(parseTimestamp('2026-10-05 00:00:00 UTC').iso, '2026-10-05T00:00:00Z');
    assert.equal(parseTimestamp('2026-10-05').iso, '2026-10-05T00:00:00Z');
    assert.equal(parseTimestamp('2026-10-04T19:00:00-0500').iso, '2026-10-05T00:00:00Z');
    for (const bad of [
      '2026-02-30T00:00:00Z',
      '2026-10-05T24:00:00Z',
      '05.10.2026',
      'yesterday',
      '2026-10-05T00:00:00+25:00',
    ]) {
      assert.throws(() => parseTimestamp(bad), ValueError, bad);
    }
  });

  it('keeps decimals exact and refuses what is not a number', () => {
    assert.equal(parseDecimal('0.10000000000000000000001'), '0.10000000000000000000001');
    assert.equal(parseDecimal('1.5E-7'), '1.5E-7');
    assert.equal(parseDecimal('+3'), '3');
    assert.equal(parseDecimal(' -42.00 '), '-42.00');
    for (const bad of ['1,5', '$3', 'NaN', 'Infinity', '1e99999', '0x10', ''])
      assert.throws(() => parseDecimal(bad), ValueError, bad);
  });

  it('maps FOCUS resource types to the inventory taxonomy', () => {
    const cases: [Parameters<typeof resourceTypeOf>[0], string][] = [
      [{ resourceType: 'Virtual machine' }, 'server'],
      [{ resourceType: 'Instance', serviceName: 'Amazon Elastic Compute Cloud' }, 'server'],
      [{ resourceType: 'DB Instance', serviceName: 'Amazon Relational Database Service' }, 'database'],
      [{ resourceType: 'Disk' }, 'volume'],
      [{ resourceType: 'Bucket' }, 'bucket'],
      [{ resourceType: 'Storage account' }, 'bucket'],
      [{ resourceType: 'Public IP address' }, 'ip'],
      [{ resourceType: 'Kubernetes service' }, 'k8s'],
      [{ resourceType: 'Load balancer' }, 'load_balancer'],
      [{ resourceType: 'File system', serviceName: 'Amazon EFS' }, 'file_storage'],
      [{ resourceType: 'Hosted zone' }, 'domain'],
      [{ resourceType: 'NAT gateway' }, 'network'],
      [{ resourceType: 'file_storage' }, 'file_storage'],
      [{ serviceName: 'Azure SQL Database' }, 'database'],
      [{ serviceCategory: 'Networking' }, 'network'],
      [{ resourceType: 'Function', serviceCategory: 'Compute' }, 'other'],
    ];
    for (const [input, expected] of cases) assert.equal(resourceTypeOf(input), expected, JSON.stringify(input));
  });

  it('resolves 1.0 and 1.2 headers alike and refuses files without the mandatory columns', () => {
    const a = resolveHeader(HEADER_12);
    const b = resolveHeader(HEADER_DISPLAY);
    assert.deepEqual([...a.columns].sort(), [...b.columns, 'ServiceSubcategory'].sort());
    assert.equal(a.version, '1.1+');
    assert.equal(b.version, '1.0');
    assert.deepEqual(a.unstored, ['BillingAccountName', 'PublisherName', 'ServiceSubcategory']);
    assert.throws(() => resolveHeader(['a', 'b', 'c']), FocusError);
    assert.throws(
      () => resolveHeader(HEADER_12.filter((c) => c !== 'BilledCost' && c !== 'ChargeClass')),
      (err: FocusError) => err.statusCode === 400 && /BilledCost, ChargeClass/.test(err.message)
    );
    assert.throws(() => resolveHeader([...HEADER_12, 'billed_cost']), /BilledCost \(BilledCost, billed_cost\)/);
  });
});

describe('FOCUS import and export', () => {
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
  let tokenA: string;
  let tenantA: string;
  let tokenB: string;
  let tenantB: string;

  before(async () => {
    t = await createTestDatabase('focus');
    ({ app } = await buildTestApp(t.db));
    const boot = await ensureBootstrapTenant(t.db, undefined);
    tokenA = boot.generatedToken!;
    tenantA = boot.tenant.id;
    const other = await createTenant(t.db, { orgId: 2, name: 'Other Org', actor: 'test' });
    tokenB = other.token.token;
    tenantB = other.tenant.id;
  });
  after(async () => {
    await app.close();
    await t.drop();
    await stopTestCluster();
  });

  async function call(
    method: InjectOptions['method'],
    url: string,
    options: { payload?: InjectOptions['payload']; token?: string; headers?: Record<string, string> } = {}
  ): Promise<LightMyRequestResponse> {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${options.token ?? tokenA}`, ...options.headers },
      ...(options.payload === undefined ? {} : { payload: options.payload }),
    });
    assert.ok(res.statusCode < 500, `${method} ${url} answered ${res.statusCode}: ${res.body}`);
    return res;
  }

  async function createConnection(
    name: string,
    provider = 'focus',
    token = tokenA,
    settings: Record<string, unknown> = {}
  ) {
    const credentials = provider === 'beget' ? { login: 'acme', password: 'Pa55word-Beget!' } : {};
    const res = await call('POST', '/api/v1/connections', {
      token,
      payload: { name, provider, credentials, settings },
    });
    assert.equal(res.statusCode, 201, res.body);
    return (res.json() as { id: string }).id;
  }

  const upload = (connectionId: string, body: string | Buffer, token = tokenA, type = 'text/csv') =>
    call('POST', `/api/v1/connections/${connectionId}/focus-import`, {
      token,
      payload: body,
      headers: { 'content-type': type },
    });

  async function importOk(connectionId: string, body: string | Buffer, token = tokenA, type = 'text/csv') {
    const res = await upload(connectionId, body, token, type);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as {
      importId: string;
      rowsRead: number;
      rowsImported: number;
      rowsRejected: number;
      errors: { line: number; reason: string; file?: string }[];
      billingPeriods: string[];
      replacedRows: number;
      resources: number;
      notices: string[];
      files: { focusVersion: string; ignoredColumns: string[]; gzip: boolean; sha256: string }[];
    };
  }

  async function totals(q: Queryable, connectionId: string) {
    const [row] = await q.query<{ rows: number; billed: string | null; effective: string | null }>(
      `SELECT count(*)::int AS rows, sum(billed_cost)::text AS billed, sum(effective_cost)::text AS effective
       FROM cost_records WHERE connection_id = $1`,
      [connectionId]
    );
    return row!;
  }

  async function dailyTotals(connectionId: string) {
    return t.db.query<{ day: string; billed: string }>(
      `SELECT to_char(day AT TIME ZONE 'Europe/Moscow', 'YYYY-MM-DD') AS day, sum(billed_cost)::text AS billed
       FROM cost_daily WHERE connection_id = $1 GROUP BY 1 ORDER BY 1`,
      [connectionId]
    );
  }

  it('imports a FOCUS 1.2 file: every charge category, exact decimals, tags, inventory, rollups, snapshot, audit', async () => {
    const id = await createConnection('AWS via FOCUS');
    const rows = octoberRows();
    const r = await importOk(id, toCsv(rows));
    assert.equal(r.rowsRead, rows.length);
    assert.equal(r.rowsImported, rows.length);
    assert.equal(r.rowsRejected, 0);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.billingPeriods, ['2026-10-01T00:00:00Z']);
    assert.equal(r.files[0]!.focusVersion, '1.1+');
    assert.ok(r.notices.some((n) => /not store.*BillingAccountName, PublisherName, ServiceSubcategory/.test(n)));

    // 18 usage lines of 0.1…01, 0.2…01, 0.3…01 (1e-20 each stays exact), tax 0.5, credit -0.25, purchase 10
    // (effective 0: amortized elsewhere) and an adjustment of -1.
    assert.deepEqual(await totals(t.db, id), {
      rows: rows.length,
      billed: '12.85000000000000000018',
      effective: '2.85000000000000000018',
    });
    const categories = await t.db.query<{ charge_category: string; n: number }>(
      `SELECT charge_category, count(*)::int AS n FROM cost_records WHERE connection_id = $1 GROUP BY 1 ORDER BY 1`,
      [id]
    );
    assert.deepEqual(
      categories.map((c) => c.charge_category),
      ['Adjustment', 'Credit', 'Purchase', 'Tax', 'Usage']
    );
    const [line] = await t.db.query<Record<string, unknown>>(
      `SELECT provider, billed_cost::text AS billed, tags, source, import_id::text AS import_id, charge_class,
         billing_account_id, invoice_issuer, region_id, sku_id, charge_frequency
       FROM cost_records WHERE connection_id = $1 AND resource_id = 'i-0abc' ORDER BY charge_period_start LIMIT 1`,
      [id]
    );
    assert.deepEqual(line, {
      provider: 'AWS',
      billed: '0.10000000000000000001',
      tags: { env: 'prod', team: 'web' },
      source: 'focus',
      import_id: r.importId,
      charge_class: null,
      billing_account_id: '123456789012',
      invoice_issuer: 'Amazon Web Services, Inc.',
      region_id: 'us-east-1',
      sku_id: 'SKU1',
      charge_frequency: 'Usage-Based',
    });
    // The account-level lines belong to no resource.
    const [accountLines] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cost_records WHERE connection_id = $1 AND resource_id = ''`,
      [id]
    );
    assert.equal(accountLines!.n, 4);

    // Rollups: Moscow days (00:00–03:00 UTC is the same Moscow day).
    assert.deepEqual(await dailyTotals(id), [
      { day: '2026-10-05', billed: '1.80000000000000000009' },
      { day: '2026-10-06', billed: '11.05000000000000000009' },
    ]);

    // Inventory: the resources with their FOCUS provider, typed, with a baseline from the latest day.
    const res = await call('GET', `/api/v1/resources?connection=${id}`);
    const items = (res.json() as { items: Record<string, unknown>[] }).items;
    const byId = Object.fromEntries(items.map((i) => [i.providerResourceId as string, i]));
    assert.equal(items.length, 3);
    assert.equal(byId['i-0abc']!.provider, 'AWS');
    assert.equal(byId['i-0abc']!.type, 'server');
    assert.equal(byId['vol-0def']!.type, 'volume');
    assert.equal(byId['arn:aws:s3:::acme-logs']!.type, 'bucket');
    assert.equal(byId['i-0abc']!.status, 'RUNNING');
    assert.equal(byId['i-0abc']!.name, 'web-1');
    assert.equal(byId['i-0abc']!.currency, 'USD');
    assert.equal(byId['i-0abc']!.costPeriod, 'hourly');
    // Three hourly lines of 0.1…1 on the latest day: an average hour × 24.
    assert.equal(byId['i-0abc']!.dailyCost, '2.4');
    assert.equal(byId['vol-0def']!.dailyCost, '4.8');

    // The import is a snapshot of the connection, and audited.
    const snaps = await call('GET', `/api/v1/connections/${id}/snapshots`);
    const snap = (snaps.json() as { items: Record<string, unknown>[] }).items[0]!;
    assert.equal(snap.id, r.importId);
    assert.equal(snap.trigger, 'import');
    assert.equal(snap.status, 'success');
    assert.equal(snap.linesWritten, rows.length);
    const conn = (await call('GET', `/api/v1/connections/${id}`)).json() as Record<string, unknown>;
    assert.equal(conn.status, 'ok');
    assert.equal(conn.lastSyncStatus, 'success');
    const [audit] = await t.db.query<{ action: string; details: Record<string, unknown> }>(
      `SELECT action, details FROM audit_log WHERE target_id = $1 AND action = 'connection.focus_import'`,
      [id]
    );
    assert.equal(audit!.details.rowsImported, rows.length);
  });

  it('reads FOCUS 1.0 column names, display names, any column order and case the same way', async () => {
    const a = await createConnection('FOCUS 1.2 header');
    const b = await createConnection('FOCUS 1.0 header');
    const rows = octoberRows();
    await importOk(a, toCsv(rows));
    const r = await importOk(b, toCsv(rows, COLUMNS_10, '\n', HEADER_DISPLAY));
    assert.equal(r.files[0]!.focusVersion, '1.0');
    const sample = (id: string) =>
      t.db.query(
        `SELECT resource_id, charge_period_start, billed_cost::text, provider, invoice_issuer, charge_category, tags
         FROM cost_records WHERE connection_id = $1 ORDER BY 1, 2, 3, 6`,
        [id]
      );
    assert.deepEqual(await sample(b), await sample(a));
  });

  it('handles BOM, CRLF, quoted newlines, quoted JSON tags, NULL literals, zones, Cyrillic and unknown columns', async () => {
    const id = await createConnection('CSV edge cases');
    const header = [...HEADER_12, 'x_CostCenter', 'Unrelated Column'];
    const rows: Row[] = [
      awsRow({
        ChargeDescription: 'line one\r\nline two, with "quotes"',
        Tags: '{"owner":"Иван Петров","note":"a, b \\"c\\""}',
        ResourceName: 'веб-сервер',
        x_CostCenter: 'CC-1',
      }),
      awsRow({
        ChargeDescription: 'multi\nline\nLF only',
        ChargePeriodStart: '2026-10-05T03:00:00+03:00',
        ChargePeriodEnd: '2026-10-05 01:00:00',
        ResourceId: 'i-0xyz',
        Tags: 'NULL',
        ConsumedQuantity: 'NULL',
        ListCost: '',
      }),
      // A bad row after the multi-line ones: its line number must be its real line in the file.
      awsRow({ BilledCost: 'twelve' }),
    ];
    const body = '\uFEFF' + toCsv(rows, header, '\r\n');
    const r = await importOk(id, body, tokenA, 'text/csv; charset=utf-8');
    assert.equal(r.rowsImported, 2);
    assert.equal(r.rowsRejected, 1);
    // Header line 1; row 1 spans lines 2–3; row 2 spans lines 4–6; the bad row is line 7.
    assert.deepEqual(r.errors, [{ line: 7, reason: 'BilledCost: not a decimal number: "twelve"' }]);
    assert.deepEqual(r.files[0]!.ignoredColumns, ['x_CostCenter', 'Unrelated Column']);
    assert.ok(r.notices.some((n) => n.includes('ignored: x_CostCenter, Unrelated Column')));
    const stored = await t.db.query<Record<string, unknown>>(
      `SELECT charge_description, tags, resource_name, list_cost, consumed_quantity,
         to_char(charge_period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS start
       FROM cost_records WHERE connection_id = $1 ORDER BY resource_id`,
      [id]
    );
    assert.deepEqual(stored, [
      {
        charge_description: 'line one\r\nline two, with "quotes"',
        tags: { owner: 'Иван Петров', note: 'a, b "c"' },
        resource_name: 'веб-сервер',
        list_cost: '1.25',
        consumed_quantity: '1',
        start: '2026-10-05 00:00',
      },
      {
        charge_description: 'multi\nline\nLF only',
        tags: {},
        resource_name: 'web-1',
        list_cost: null,
        consumed_quantity: null,
        start: '2026-10-05 00:00',
      },
    ]);
  });

  it('rejects rows with bad values (line and reason) and imports the rest', async () => {
    const id = await createConnection('Bad rows', 'focus', tokenA, { sourceProvider: 'Oracle' });
    const bad: [Row, string][] = [
      [{ EffectiveCost: '1,5' }, 'EffectiveCost: not a decimal number: "1,5"'],
      [
        { ChargePeriodStart: '2026-13-01T00:00:00Z' },
        'ChargePeriodStart: date/time out of range: "2026-13-01T00:00:00Z"',
      ],
      [
        { ChargeCategory: 'Refund' },
        'ChargeCategory: must be one of Usage, Purchase, Tax, Credit, Adjustment, got "Refund"',
      ],
      [{ ChargeClass: 'Restatement' }, 'ChargeClass: must be Correction or null, got "Restatement"'],
      [{ BillingCurrency: 'US$' }, 'BillingCurrency: not an ISO 4217 currency code: "US$"'],
      [{ Tags: '["a"]' }, 'Tags: must be a JSON object: "[\\"a\\"]"'],
      [{ Tags: '{"a":' }, 'Tags: not valid JSON: "{\\"a\\":"'],
      [{ Tags: '{"a":"\\u0000"}' }, 'Tags: contains a \\u0000 escape, which PostgreSQL cannot store'],
      [{ ResourceName: 'nul\u0000byte' }, 'ResourceName: contains a NUL character'],
      [
        { Tags: `{"deep":${'['.repeat(5000)}${']'.repeat(5000)}}` },
        'Tags: values must be strings, numbers, booleans or null',
      ],
      [{ ResourceId: 'r'.repeat(3000) }, 'ResourceId is longer than 1024 bytes'],
      [{ ChargePeriodEnd: '2026-10-04T00:00:00Z' }, 'ChargePeriodEnd is before ChargePeriodStart'],
      [{ BillingPeriodStart: 'NULL' }, 'BillingPeriodStart is null'],
      [{ BilledCost: '' }, 'BilledCost is null'],
    ];
    const rows = [
      awsRow(),
      ...bad.map(([over]) => awsRow(over)),
      awsRow({ ProviderName: 'NULL', ResourceId: 'ocid1.instance' }),
    ];
    const csv = toCsv(rows) + '1,2,3\n';
    const r = await importOk(id, csv);
    assert.equal(r.rowsRead, rows.length + 1);
    assert.equal(r.rowsImported, 2);
    assert.equal(r.rowsRejected, bad.length + 1);
    assert.deepEqual(r.errors, [
      ...bad.map(([, reason], i) => ({ line: i + 3, reason })),
      { line: rows.length + 2, reason: `has 3 fields, the header has ${HEADER_12.length}` },
    ]);
    // A null ProviderName falls back to the connection's sourceProvider setting.
    const providers = await t.db.query<{ provider: string }>(
      `SELECT provider FROM cost_records WHERE connection_id = $1 ORDER BY provider`,
      [id]
    );
    assert.deepEqual(
      providers.map((p) => p.provider),
      ['AWS', 'Oracle']
    );
    const snap = (await call('GET', `/api/v1/connections/${id}/snapshots`)).json() as { items: { status: string }[] };
    assert.equal(snap.items[0]!.status, 'partial');

    // Only the first 100 errors are listed; all are counted.
    const many = await importOk(id, toCsv(Array.from({ length: 150 }, () => awsRow({ BilledCost: 'x' }))));
    assert.equal(many.rowsRejected, 150);
    assert.equal(many.errors.length, 100);
    assert.equal(many.rowsImported, 0);
  });

  it('answers 400 and writes nothing for empty files and headers without FOCUS columns', async () => {
    const id = await createConnection('Refused files');
    await importOk(id, toCsv(octoberRows()));
    const before = await totals(t.db, id);
    const snapshots = async () =>
      (
        await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sync_snapshots WHERE connection_id = $1`, [id])
      )[0]!.n;
    const snapsBefore = await snapshots();
    const cases: [string | Buffer, RegExp][] = [
      ['', /empty/],
      ['\uFEFF', /empty/],
      ['\n\r\n\n', /empty/],
      ['name,amount,date\nvm,1,2026-10-01\n', /names no FOCUS columns/],
      [
        toCsv(
          [awsRow()],
          HEADER_12.filter((c) => c !== 'EffectiveCost' && c !== 'BillingCurrency')
        ),
        /lacks mandatory FOCUS columns: BillingCurrency, EffectiveCost/,
      ],
      [toCsv([awsRow()], [...HEADER_12, 'Billed Cost']), /more than once/],
      [toCsv(octoberRows()) + '1,"never closed\n2,3\n', /Line \d+: a quoted field is never closed/],
    ];
    for (const [body, message] of cases) {
      const res = await upload(id, body);
      assert.equal(res.statusCode, 400, `${JSON.stringify(body).slice(0, 60)} → ${res.body}`);
      assert.equal(res.json().error, 'bad_request');
      assert.match(res.json().message, message);
    }
    const missing = await upload(
      id,
      toCsv(
        [awsRow()],
        HEADER_12.filter((c) => c !== 'BilledCost')
      )
    );
    assert.deepEqual(missing.json().details, [
      { path: '/header/BilledCost', message: 'mandatory FOCUS column missing' },
    ]);
    assert.deepEqual(await totals(t.db, id), before);
    assert.equal(await snapshots(), snapsBefore);

    // A header with no rows is an empty dataset, not an error.
    const headerOnly = await importOk(id, toCsv([]));
    assert.equal(headerOnly.rowsRead, 0);
    assert.deepEqual(await totals(t.db, id), before);
  });

  it('re-importing the same file replaces its rows; a restated billing period replaces the period', async () => {
    const id = await createConnection('Re-import');
    const october = toCsv(octoberRows());
    const first = await importOk(id, october);
    const once = await totals(t.db, id);
    const days = await dailyTotals(id);
    const second = await importOk(id, october);
    assert.equal(second.replacedRows, first.rowsImported);
    assert.deepEqual(await totals(t.db, id), once);
    assert.deepEqual(await dailyTotals(id), days);

    const november = octoberRows().map((r) => ({
      ...r,
      BillingPeriodStart: '2026-11-01T00:00:00Z',
      BillingPeriodEnd: '2026-12-01T00:00:00Z',
      ChargePeriodStart: r.ChargePeriodStart!.replace('2026-10-', '2026-11-'),
      ChargePeriodEnd: r.ChargePeriodEnd!.replace('2026-10-', '2026-11-'),
    }));
    const nov = await importOk(id, toCsv(november));
    assert.equal(nov.replacedRows, 0);
    assert.equal((await totals(t.db, id)).rows, once.rows * 2);

    // October restated: fewer lines, other amounts. Only October changes.
    const restated = octoberRows()
      .slice(0, 3)
      .map((r) => ({ ...r, BilledCost: '2', EffectiveCost: '2' }));
    const re = await importOk(id, toCsv(restated));
    assert.equal(re.replacedRows, once.rows);
    const [oct] = await t.db.query<{ rows: number; billed: string }>(
      `SELECT count(*)::int AS rows, sum(billed_cost)::text AS billed FROM cost_records
       WHERE connection_id = $1 AND billing_period_start = '2026-10-01T00:00:00Z'`,
      [id]
    );
    assert.deepEqual(oct, { rows: 3, billed: '6' });
    assert.equal((await totals(t.db, id)).rows, once.rows + 3);
    // The rollups follow: October 6 had lines that are gone now.
    const after = await dailyTotals(id);
    assert.deepEqual(
      after.filter((d) => d.day.startsWith('2026-10')),
      [{ day: '2026-10-05', billed: '6' }]
    );
  });

  it('keeps corrections as their own lines, adjusting earlier periods without double counting', async () => {
    const id = await createConnection('Corrections');
    const october = toCsv([awsRow({ BilledCost: '100', EffectiveCost: '100' })]);
    const novemberRows = [
      awsRow({
        BillingPeriodStart: '2026-11-01T00:00:00Z',
        BillingPeriodEnd: '2026-12-01T00:00:00Z',
        ChargePeriodStart: '2026-11-02T00:00:00Z',
        ChargePeriodEnd: '2026-11-02T01:00:00Z',
        BilledCost: '50',
        EffectiveCost: '50',
      }),
      // A refund for October 5, invoiced in November: same resource and charge period as the October line.
      awsRow({
        BillingPeriodStart: '2026-11-01T00:00:00Z',
        BillingPeriodEnd: '2026-12-01T00:00:00Z',
        ChargeClass: 'Correction',
        ChargeCategory: 'Credit',
        BilledCost: '-10',
        EffectiveCost: '-10',
      }),
    ];
    const november = toCsv(novemberRows);
    const oct5 = async () =>
      (
        await t.db.query<{ billed: string }>(
          `SELECT sum(billed_cost)::text AS billed FROM cost_records
           WHERE connection_id = $1 AND charge_period_start = '2026-10-05T00:00:00Z'`,
          [id]
        )
      )[0]!.billed;
    await importOk(id, october);
    assert.equal(await oct5(), '100');
    await importOk(id, november);
    assert.equal(await oct5(), '90');
    // Re-importing either file changes nothing: the correction belongs to November's billing period.
    await importOk(id, november);
    assert.equal(await oct5(), '90');
    await importOk(id, october);
    assert.equal(await oct5(), '90');
    const lines = await t.db.query<{ charge_class: string | null; line_key: string }>(
      `SELECT charge_class, line_key FROM cost_records WHERE connection_id = $1 AND charge_period_start = '2026-10-05T00:00:00Z'
       ORDER BY charge_class NULLS FIRST`,
      [id]
    );
    assert.equal(lines.length, 2);
    assert.equal(lines[1]!.charge_class, 'Correction');
    assert.notEqual(lines[0]!.line_key, lines[1]!.line_key);
    // The rollup's October 5 (Moscow) carries the corrected amount.
    const days = await dailyTotals(id);
    assert.deepEqual(
      days.find((d) => d.day === '2026-10-05'),
      { day: '2026-10-05', billed: '90' }
    );
    // Identical rows in one file are both kept (FOCUS allows repeated lines); this October file replaces the
    // 100 line, and November's correction still applies: 1.25 + 1.25 - 10.
    const twice = await importOk(id, toCsv([awsRow(), awsRow()]));
    assert.equal(twice.rowsImported, 2);
    assert.equal(await oct5(), '-7.50');
  });

  it('is atomic: a database failure or an aborted upload midway leaves the database as it was', async () => {
    const id = await createConnection('Atomic');
    await importOk(id, toCsv(octoberRows()));
    const state = async () => ({
      costs: await totals(t.db, id),
      days: await dailyTotals(id),
      resources: await t.db.query(
        `SELECT provider_resource_id, daily_cost::text FROM resources WHERE connection_id = $1 ORDER BY 1`,
        [id]
      ),
      snapshots: (await t.db.query(`SELECT id, status FROM sync_snapshots WHERE connection_id = $1 ORDER BY 1`, [id]))
        .length,
    });
    const before = await state();
    const restated = toCsv(octoberRows().map((r) => ({ ...r, BilledCost: '7', EffectiveCost: '7' })));

    // A database that fails late in the import, after the old period was deleted and the new rows copied.
    const failing: Database = {
      ...t.db,
      transaction: (fn) =>
        t.db.transaction((tx) =>
          fn({
            query: (sql, params) => {
              if (sql.includes('UPDATE resources r SET')) return Promise.reject(new Error('forced failure'));
              return tx.query(sql, params);
            },
            copyFrom: tx.copyFrom!.bind(tx),
          })
        ),
    };
    const deps = { db: failing, storageMode: 'plain' as const };
    const request = (stream: Readable) => ({
      tenantId: tenantA,
      connectionId: id,
      actor: { actor: 'test', actorKind: 'user' as const },
      sources: [{ stream }],
    });
    await assert.rejects(importFocus(deps, request(Readable.from([restated]))), /forced failure/);
    assert.deepEqual(await state(), before);

    // PostgreSQL refusing COPY data midway (here a line the validation would never produce, injected after
    // the first 256 KB chunk) is the file's fault: a 400, and everything rolls back.
    const refusing: Database = {
      ...t.db,
      transaction: (fn) =>
        t.db.transaction((tx) =>
          fn({
            query: (sql, params) => tx.query(sql, params),
            copyFrom: (sql, rows) =>
              tx.copyFrom!(
                sql,
                (async function* () {
                  for await (const chunk of rows as AsyncIterable<string>) {
                    yield chunk;
                    yield 'not\ta valid\tline\n';
                  }
                })()
              ),
          })
        ),
    };
    const many = toCsv(Array.from({ length: 3000 }, (_, i) => awsRow({ ResourceId: `i-${i}`, BilledCost: '3' })));
    await assert.rejects(
      importFocus({ db: refusing, storageMode: 'plain' }, request(Readable.from([many]))),
      (err: FocusError) => err.statusCode === 400 && /database refused a row/.test(err.message)
    );
    assert.deepEqual(await state(), before);

    // An upload that breaks off after some rows (the client went away).
    const aborted = new PassThrough();
    const pending = importFocus({ db: t.db, storageMode: 'plain' }, request(aborted));
    aborted.write(restated.slice(0, Math.floor(restated.length / 2)));
    setTimeout(() => aborted.destroy(new Error('aborted')), 50);
    await assert.rejects(
      pending,
      (err: FocusError) => err.statusCode === 400 && /upload could not be read/.test(err.message)
    );
    assert.deepEqual(await state(), before);
  });

  it('refuses other providers (409), unknown or foreign connections (404) and a second concurrent import (409)', async () => {
    const focus = await createConnection('Concurrent');
    const beget = await createConnection('Beget main', 'beget');
    const body = toCsv([awsRow()]);
    assert.equal((await upload(beget, body)).statusCode, 409);
    assert.match((await upload(beget, body)).json().message, /beget connection/);
    assert.equal((await upload('00000000-0000-4000-8000-000000000000', body)).statusCode, 404);
    assert.equal((await upload(focus, body, tokenB)).statusCode, 404);
    assert.equal((await upload('not-a-uuid', body)).statusCode, 400);

    const slow = new PassThrough();
    const first = importFocus(
      { db: t.db, storageMode: 'plain' },
      {
        tenantId: tenantA,
        connectionId: focus,
        actor: { actor: 'test', actorKind: 'user' },
        sources: [{ stream: slow }],
      }
    );
    slow.write(toCsv([awsRow()]));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await upload(focus, body);
    assert.equal(second.statusCode, 409, second.body);
    assert.match(second.json().message, /Another FOCUS import/);
    slow.end();
    assert.equal((await first).rowsImported, 1);
    assert.equal((await upload(focus, body)).statusCode, 200);
  });

  it('accepts gzip and multipart uploads; the parts of one export import together', async () => {
    const id = await createConnection('Gzip and multipart');
    const rows = octoberRows();
    const gz = await importOk(id, gzipSync(Buffer.from(toCsv(rows))), tokenA, 'application/gzip');
    assert.equal(gz.rowsImported, rows.length);
    assert.equal(gz.files[0]!.gzip, true);
    const whole = await totals(t.db, id);

    const boundary = '----infrazen' + randomBytes(8).toString('hex');
    const part = (name: string, content: string | Buffer) =>
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`
        ),
        Buffer.from(content),
        Buffer.from('\r\n'),
      ]);
    const body = Buffer.concat([
      part('export-00001.csv', toCsv(rows.slice(0, 10))),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nignored field\r\n`),
      part('export-00002.csv.gz', gzipSync(Buffer.from(toCsv(rows.slice(10))))),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    const r = await importOk(id, body, tokenA, `multipart/form-data; boundary=${boundary}`);
    assert.equal(r.files.length, 2);
    assert.equal(r.rowsImported, rows.length);
    assert.equal(r.replacedRows, rows.length);
    assert.deepEqual(await totals(t.db, id), whole);

    // A rejected row in a part names the file.
    const withBad = Buffer.concat([
      part('a.csv', toCsv([awsRow()])),
      part('b.csv', toCsv([awsRow({ BilledCost: 'x' })])),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    const bad = await importOk(id, withBad, tokenA, `multipart/form-data; boundary=${boundary}`);
    assert.deepEqual(bad.errors, [{ line: 2, reason: 'BilledCost: not a decimal number: "x"', file: 'b.csv' }]);
  });

  it('never answers 5xx to garbage, huge fields, wrong content types or broken encodings', async () => {
    const id = await createConnection('Garbage');
    const big = 'x'.repeat(2 * 1024 * 1024);
    const cases: { body: string | Buffer; type: string; status: number }[] = [
      { body: randomBytes(64 * 1024), type: 'text/csv', status: 400 },
      { body: Buffer.from([0, 1, 2, 3, 0, 0, 255, 254]), type: 'text/csv', status: 400 },
      { body: `${HEADER_12.join(',')}\n${big}\n`, type: 'text/csv', status: 400 },
      { body: `"${big}`, type: 'text/csv', status: 400 },
      { body: '{"rows": []}', type: 'application/json', status: 415 },
      { body: '<focus/>', type: 'application/xml', status: 415 },
      { body: 'whatever', type: 'text/plain', status: 415 },
      { body: Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5]), type: 'application/gzip', status: 400 },
      { body: Buffer.from('PAR1\u0000\u0000garbage'), type: 'application/octet-stream', status: 415 },
      { body: Buffer.from('\uFEFFBilledCost,x\n', 'utf16le'), type: 'text/csv', status: 400 },
      { body: Buffer.from([0xff, 0xfe, 0x41, 0x00]), type: 'text/csv', status: 400 },
      { body: 'garbage without boundary', type: 'multipart/form-data', status: 400 },
      {
        body: '--abc\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nBilledCost',
        type: 'multipart/form-data; boundary=abc',
        status: 400,
      },
      { body: '--abc--\r\n', type: 'multipart/form-data; boundary=abc', status: 400 },
    ];
    for (const c of cases) {
      const res = await upload(id, c.body, tokenA, c.type);
      assert.equal(
        res.statusCode,
        c.status,
        `${c.type} ${JSON.stringify(c.body.toString().slice(0, 40))} → ${res.body}`
      );
      assert.ok(res.json().message, res.body);
    }
    const noBody = await call('POST', `/api/v1/connections/${id}/focus-import`);
    assert.ok(noBody.statusCode >= 400 && noBody.statusCode < 500, noBody.body);

    // Invalid UTF-8 inside a value is not an error of the import: it arrives as U+FFFD.
    const latin1 = Buffer.concat([
      Buffer.from(toCsv([awsRow({ ResourceName: 'PLACEHOLDER' })]).split('PLACEHOLDER')[0]!),
      Buffer.from([0xe9, 0xff]),
      Buffer.from(toCsv([awsRow({ ResourceName: 'PLACEHOLDER' })]).split('PLACEHOLDER')[1]!),
    ]);
    const r = await importOk(id, latin1);
    assert.equal(r.rowsImported, 1);
    assert.equal((await totals(t.db, id)).rows, 1);
  });

  it('exports every connection as FOCUS 1.2 and the export imports into another tenant with identical totals', async () => {
    const begetA = await createConnection('Beget (round trip)', 'beget');
    const begetB = await createConnection('Selectel and Yandex (round trip)', 'beget');
    const lines: CostRecordInput[] = [];
    const base = Date.UTC(2026, 9, 1, 0, 0, 0);
    for (let d = 0; d < 5; d++) {
      for (const h of [0, 20, 21, 23]) {
        const start = new Date(base + d * 86_400_000 + h * 3_600_000);
        const common = {
          tenantId: tenantA,
          lineKey: `compute:${h}`,
          chargePeriodStart: start,
          chargePeriodEnd: new Date(start.getTime() + 3_600_000),
          billingCurrency: 'RUB',
          resourceType: 'server',
        };
        lines.push(
          {
            ...common,
            connectionId: begetA,
            resourceId: 'vps-1',
            provider: 'beget',
            billedCost: '12.3456789012345678',
            effectiveCost: '12.3456789012345678',
            serviceName: 'VPS',
            serviceCategory: 'Compute',
            tags: { basis: 'stated-price' },
          },
          {
            ...common,
            connectionId: begetB,
            resourceId: 'srv-1',
            provider: 'selectel',
            billedCost: `0.0${d}${h}1`,
            effectiveCost: `0.0${d}${h}1`,
            serviceName: 'Облачные серверы',
            regionId: 'ru-3',
            resourceName: 'сервер "1"',
          },
          {
            ...common,
            connectionId: begetB,
            resourceId: 'yc-vm',
            provider: 'yandex',
            billedCost: '3',
            effectiveCost: '3',
            serviceName: 'Compute Cloud',
          },
          {
            ...common,
            connectionId: begetB,
            resourceId: '',
            lineKey: `credit:${h}`,
            provider: 'yandex',
            billedCost: '-0.5',
            effectiveCost: '-0.5',
            serviceName: 'Compute Cloud',
            chargeCategory: 'Credit',
            resourceType: null,
          }
        );
      }
    }
    await upsertCostRecords(t.db, lines);
    await refreshCostDaily(t.db, 'plain', { from: new Date(base - 86_400_000), to: new Date(base + 6 * 86_400_000) });

    const res = await call('GET', '/api/v1/export/focus');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/csv/);
    assert.match(res.headers['content-disposition'] as string, /attachment; filename="infrazen-focus\.csv"/);
    const csv = res.body;
    const [headerLine] = csv.split('\n');
    assert.ok(
      headerLine!.startsWith('AvailabilityZone,BilledCost,BillingAccountId,BillingAccountName,BillingCurrency')
    );
    for (const expected of [
      ',Selectel,Selectel,',
      ',Beget,Beget,',
      ',Yandex Cloud,Yandex Cloud,',
      ',RUB,',
      '12.3456789012345678',
      '"сервер ""1"""',
    ]) {
      assert.ok(csv.includes(expected), `the export has ${expected}`);
    }
    assert.match(csv, /,2026-10-01T00:00:00Z,/);
    // The Moscow month is the billing period of Russian providers: October 1, 00:00 MSK.
    assert.match(csv, /2026-09-30T21:00:00Z/);

    // Into another tenant's focus connection.
    const target = await createConnection('Round trip target', 'focus', tokenB);
    const r = await importOk(target, csv, tokenB);
    assert.equal(r.rowsRejected, 0, JSON.stringify(r.errors.slice(0, 3)));
    const [count] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cost_records c JOIN connections cn ON cn.id = c.connection_id WHERE c.tenant_id = $1`,
      [tenantA]
    );
    assert.equal(r.rowsImported, count!.n);

    const names = JSON.stringify({ beget: 'Beget', selectel: 'Selectel', yandex: 'Yandex Cloud' });
    const bySource = (table: 'cost_records' | 'cost_daily', tenant: string, connection?: string) =>
      t.db.query(
        `SELECT coalesce($3::jsonb ->> c.provider, c.provider) AS provider, c.service_name,
           to_char(${table === 'cost_records' ? "date_trunc('day', c.charge_period_start, 'Europe/Moscow')" : 'c.day'} AT TIME ZONE 'Europe/Moscow', 'YYYY-MM-DD') AS day,
           c.billing_currency, sum(c.billed_cost)::text AS billed, sum(c.effective_cost)::text AS effective
         FROM ${table} c JOIN connections cn ON cn.id = c.connection_id
         WHERE c.tenant_id = $1 AND ($2::uuid IS NULL OR c.connection_id = $2)
         GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
        [tenant, connection ?? null, names]
      );
    const source = await bySource('cost_records', tenantA);
    assert.ok(source.length > 10);
    assert.deepEqual(await bySource('cost_records', tenantB, target), source);
    assert.deepEqual(await bySource('cost_daily', tenantB, target), await bySource('cost_daily', tenantA));

    // Both routes are documented.
    const docs = (await call('GET', '/api/docs/json')).json() as { paths: Record<string, unknown> };
    assert.ok(docs.paths['/api/v1/connections/{id}/focus-import']);
    assert.ok(docs.paths['/api/v1/export/focus']);

    // Tenant B's export has its own data only.
    const exportB = (await call('GET', '/api/v1/export/focus', { token: tokenB })).body;
    assert.ok(!exportB.includes('Beget (round trip)'));
    assert.ok(exportB.includes('Round trip target'));
  });

  it('filters the export by Moscow day and connection, and refuses bad filters', async () => {
    const id = await createConnection('Export filters');
    await importOk(id, toCsv(octoberRows()));
    const rowsOf = (csv: string) => csv.trim().split('\n').length - 1;
    const all = await call('GET', `/api/v1/export/focus?connection=${id}`);
    assert.equal(rowsOf(all.body), octoberRows().length);
    // October 6 (Moscow) starts at 21:00 UTC on October 5.
    const oct5 = await call('GET', `/api/v1/export/focus?connection=${id}&from=2026-10-05&to=2026-10-05`);
    assert.equal(rowsOf(oct5.body), 9);
    const instant = await call(
      'GET',
      `/api/v1/export/focus?connection=${id}&from=2026-10-06T00:00:00Z&to=2026-10-06T01:00:00`
    );
    assert.equal(rowsOf(instant.body), 3 + 4);
    const none = await call('GET', `/api/v1/export/focus?connection=${id}&from=2030-01-01`);
    assert.equal(none.statusCode, 200);
    assert.equal(rowsOf(none.body), 0);
    assert.equal((await call('GET', '/api/v1/export/focus?from=yesterday')).statusCode, 400);
    assert.equal((await call('GET', '/api/v1/export/focus?from=2026-02-30')).statusCode, 400);
    assert.equal((await call('GET', '/api/v1/export/focus?connection=nope')).statusCode, 400);
    assert.equal((await call('GET', `/api/v1/export/focus?connection=${id}`, { token: tokenB })).statusCode, 404);
  });

  it('imports from the command line with the same service', async () => {
    const id = await createConnection('CLI import');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'infrazen-focus-cli-'));
    try {
      const file = path.join(dir, 'october.csv');
      await fs.writeFile(file, toCsv(octoberRows()));
      const empty = path.join(dir, 'empty.csv');
      await fs.writeFile(empty, '');
      const env = { DATABASE_URL: t.url, INFRAZEN_SECRET_KEY: generateKey().toString('hex'), INFRAZEN_DATA_DIR: dir };
      const ok = runCli(['import-focus', file, '--connection', id], env);
      assert.equal(ok.status, 0, ok.stderr);
      assert.match(ok.stdout, new RegExp(`imported ${octoberRows().length} of ${octoberRows().length} rows`));
      assert.equal((await totals(t.db, id)).rows, octoberRows().length);
      const json = runCli(['import-focus', file, '--connection', id, '--json'], env);
      assert.equal(json.status, 0, json.stderr);
      assert.equal((JSON.parse(json.stdout) as { replacedRows: number }).replacedRows, octoberRows().length);
      const bad = runCli(['import-focus', empty, '--connection', id], env);
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /empty\.csv: The file is empty/);
      const missing = runCli(['import-focus', path.join(dir, 'nope.csv'), '--connection', id], env);
      assert.equal(missing.status, 1);
      assert.match(missing.stderr, /no such file/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

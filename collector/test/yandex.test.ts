/**
 * The Yandex Cloud connector: pure mappers, JWT signing checked against a known key with node:crypto
 * (independently of jose and of the sandbox), the connector against the sandbox fake (both auth paths,
 * pagination, int64 strings, the incremental export with a re-exported day, credits, faults), and the
 * engine end to end through the HTTP API against the fake's truth.
 */
import assert from 'node:assert/strict';
import { constants, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { Decimal } from 'decimal.js';
import { createLogger } from '../src/observability/logger.js';
import { ProviderHttpClient, type HttpOptions } from '../src/providers/http/client.js';
import { ProviderError } from '../src/providers/http/errors.js';
import { chooseAccount, decimalOrUndefined, parseBillingAccount } from '../src/providers/yandex/account.js';
import {
  IAM_AUDIENCE,
  IamAuth,
  parsePrivateKey,
  parseTokenResponse,
  signServiceAccountJwt,
} from '../src/providers/yandex/auth.js';
import { classify, foldDay, mapExportRow } from '../src/providers/yandex/billing-mapper.js';
import { BATCH_SIZE, fetchBilling, parseExport, planDays } from '../src/providers/yandex/billing.js';
import { createContext } from '../src/providers/yandex/context.js';
import { ExportState } from '../src/providers/yandex/export-state.js';
import type { ExportObject, ExportStore } from '../src/providers/yandex/export-store.js';
import { yandexConnector } from '../src/providers/yandex/index.js';
import { mapAddress, mapDisk, mapInstance, normalizeInstanceStatus } from '../src/providers/yandex/inventory-mapper.js';
import { cpuQuery, parseSeries } from '../src/providers/yandex/metrics.js';
import type { YandexCredentials, YandexSettings } from '../src/providers/yandex/schema.js';
import { yandexCredentialsSchema, yandexSettingsSchema } from '../src/providers/yandex/schema.js';
import { dayOfKey, moscowDayOf, moscowDayStart, parseDay } from '../src/providers/yandex/time.js';
import { bytesToGb, int64, regionOfZone } from '../src/providers/yandex/values.js';
import type {
  BillingLine,
  EndpointError,
  ConnectorContext,
  InventoryResource,
  MetricSample,
  TimeWindow,
} from '../src/providers/types.js';
import type { InjectOptions } from 'fastify';
import type { Fault } from '../src/sandbox/faults.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../src/sandbox/index.js';
import { ensureBootstrapTenant } from '../src/services/tenancy.js';
import { buildTestApp } from './helpers/app.js';
import { createTestDatabase, stopTestCluster, type TestDatabase } from './helpers/postgres.js';

const NOW = new Date('2025-10-10T12:34:56Z');
const DAY = 86_400_000;
const HTTP: HttpOptions = { timeoutMs: 1500, retries: 3, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 5000 };
const silent = createLogger('silent');

type Ctx = ConnectorContext<YandexCredentials, YandexSettings>;

interface EngineSnapshot {
  id: string;
  status: string;
  phases: { name: string; status: string }[];
  counts: Record<string, number>;
  endpointErrors: { endpoint: string; kind: string; message: string }[];
  states: { items: { action: string; providerResourceId: string }[]; total: number };
}

interface EngineResource {
  id: string;
  providerResourceId: string;
  type: string;
  status: string;
  parentId: string | null;
  dailyCost: string | null;
  specs: Record<string, unknown>;
}

function ctxFor(
  sandbox: Sandbox,
  overrides: {
    credentials?: YandexCredentials;
    settings?: Partial<YandexSettings>;
    state?: Record<string, unknown>;
  } = {}
): Ctx {
  return {
    credentials: overrides.credentials ?? sandbox.yandex.credentials,
    settings: { ...sandbox.yandex.settings, ...overrides.settings },
    logger: silent,
    http: HTTP,
    now: NOW,
    state: overrides.state ?? {},
  };
}

async function collect<T>(iterable: AsyncIterable<T[]>): Promise<{ items: T[]; batches: T[][] }> {
  const items: T[] = [];
  const batches: T[][] = [];
  for await (const batch of iterable) {
    batches.push(batch);
    for (const item of batch) items.push(item);
  }
  return { items, batches };
}

const sum = (lines: BillingLine[]) => lines.reduce((acc, l) => acc.plus(l.amount), new Decimal(0)).toFixed();

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}

function assertNoSecrets(text: string, credentials: YandexCredentials): void {
  const secrets = [
    credentials.oauthToken,
    credentials.exportSecretAccessKey,
    credentials.serviceAccountKey?.private_key.split('\n')[1],
  ].filter((s): s is string => typeof s === 'string' && s.length > 0);
  for (const secret of secrets) assert.ok(!text.includes(secret), 'a secret leaked');
}

/** How to decode a compact JWS by hand, to check it without jose. */
function decodeJwt(jwt: string) {
  const [header, payload, signature] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(header!, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, number | string>,
    signingInput: `${header}.${payload}`,
    signature: Buffer.from(signature!, 'base64url'),
  };
}

describe('Yandex Cloud mappers (pure)', () => {
  it('reads int64 strings, sizes, zones and Moscow days', () => {
    assert.equal(int64('21474836480'), 21474836480);
    assert.equal(int64(4), 4);
    assert.equal(int64('4.5'), undefined);
    assert.equal(int64('99999999999999999999'), undefined, 'beyond 2^53 is refused, not rounded');
    assert.equal(bytesToGb('21474836480'), 20);
    assert.equal(regionOfZone('ru-central1-d'), 'ru-central1');
    assert.equal(regionOfZone('kz1-a'), 'kz1');
    assert.equal(parseDay('2025-10-09'), '2025-10-09');
    assert.equal(parseDay('2025-10-09 00:00:00'), '2025-10-09');
    assert.equal(parseDay('09.10.2025'), '2025-10-09');
    assert.equal(parseDay('2025-02-30'), undefined);
    assert.equal(parseDay('yesterday'), undefined);
    assert.equal(moscowDayStart('2025-10-09').toISOString(), '2025-10-08T21:00:00.000Z');
    assert.equal(moscowDayOf(new Date('2025-10-09T21:00:00Z')), '2025-10-10');
    assert.equal(moscowDayOf(new Date('2025-10-09T20:59:59Z')), '2025-10-09');
    assert.equal(dayOfKey('yc-billing-export/20251009.csv'), '2025-10-09');
    assert.equal(dayOfKey('exports/2025-10-09.csv'), '2025-10-09');
    assert.equal(dayOfKey('2024/exports/detail.csv'), undefined, 'dates in folders are not the file day');
  });

  it('maps an export row to a usage line and one negative Credit line per credit column', () => {
    const mapped = mapExportRow(
      {
        billing_account_id: 'dn2',
        folder_id: 'b1gfolder',
        folder_name: 'prod, "main"',
        resource_id: 'fhmvm',
        service_name: 'Compute Cloud',
        sku_id: 'sku-cpu',
        sku_name: 'Intel Ice Lake. 100% vCPU',
        date: '2025-10-09',
        currency: 'RUB',
        pricing_quantity: '48',
        pricing_unit: 'core*hour',
        cost: '53.920000',
        credit: '-37.744',
        monetary_grant_credit: '-26.96',
        volume_incentive_credit: '0',
        cud_credit: '-10.784',
        misc_credit: '',
        'label.user_labels.env': 'prod',
        'label.user_labels.team': '',
      },
      'RUB'
    );
    assert.ok(mapped.ok);
    const [usage, grant, cud, ...rest] = mapped.lines;
    assert.deepEqual(rest, [], '`credit` is the total of the detail columns: no extra line');
    assert.equal(usage!.amount, '53.92');
    assert.equal(usage!.chargeCategory, 'Usage');
    assert.equal(usage!.lineKey, 'sku-cpu');
    assert.equal(usage!.resourceType, 'server');
    assert.equal(usage!.periodStart.toISOString(), '2025-10-08T21:00:00.000Z');
    assert.equal(usage!.periodEnd.getTime() - usage!.periodStart.getTime(), DAY);
    assert.equal(usage!.consumedQuantity, '48');
    assert.equal(usage!.subAccountId, 'b1gfolder');
    assert.equal(usage!.subAccountName, 'prod, "main"');
    assert.deepEqual(usage!.tags, { env: 'prod' });
    assert.deepEqual(
      [grant, cud].map((l) => [l!.lineKey, l!.amount, l!.chargeCategory]),
      [
        ['sku-cpu:monetary_grant_credit', '-26.96', 'Credit'],
        ['sku-cpu:cud_credit', '-10.784', 'Credit'],
      ]
    );
    const net = mapped.lines.reduce((acc, l) => acc.plus(l.amount), new Decimal(0));
    assert.equal(net.toFixed(), '16.176', 'net = cost + credit, exactly');

    // An export without detail columns keeps its total credit as one line; folder-wide usage keys by folder.
    const old = mapExportRow(
      {
        resource_id: '',
        folder_id: 'b1gf',
        service_name: 'Monitoring',
        sku_id: 's',
        date: '2025-10-09',
        cost: '1',
        credit: '-0.25',
      },
      'KZT'
    );
    assert.ok(old.ok);
    assert.deepEqual(
      old.lines.map((l) => [l.resourceId, l.lineKey, l.amount, l.currency]),
      [
        ['', 's@b1gf', '1', 'KZT'],
        ['', 's@b1gf:credit', '-0.25', 'KZT'],
      ]
    );
    assert.deepEqual(mapExportRow({ date: '2025-10-09', cost: 'n/a' }, 'RUB'), {
      ok: false,
      reason: 'cost is not a number',
    });
    assert.equal(mapExportRow({ date: '', cost: '1' }, 'RUB').ok, false);
  });

  it('classifies billed objects by service and SKU, in English and Russian', () => {
    assert.equal(classify('Compute Cloud', 'Intel Ice Lake. RAM').type, 'server');
    assert.equal(classify('Compute Cloud', 'Fast network drive (SSD)').type, 'volume');
    assert.equal(classify('Compute Cloud', 'Быстрое сетевое хранилище (SSD)').type, 'volume');
    assert.equal(classify('Compute Cloud', 'Снимок диска').type, 'other');
    assert.equal(classify('Virtual Private Cloud', 'Public IP address - reserved').type, 'ip');
    assert.equal(classify('Virtual Private Cloud', 'Публичный IP-адрес').type, 'ip');
    assert.equal(classify('Virtual Private Cloud', 'Egress traffic').type, 'network');
    assert.equal(classify('Object Storage', 'Standard storage').type, 'bucket');
    assert.equal(classify('Managed Service for PostgreSQL', 'PostgreSQL. RAM').type, 'database');
    assert.equal(classify('Managed Service for Kubernetes', 'Master').type, 'k8s');
    assert.equal(classify('Monitoring', 'Metrics write').type, 'other');
  });

  it('folds a day: repeated keys are summed and a resource keeps its strongest type', () => {
    const line = (over: Partial<BillingLine>): BillingLine => ({
      resourceId: 'vm',
      resourceType: 'server',
      lineKey: 'cpu',
      periodStart: new Date(0),
      periodEnd: new Date(DAY),
      amount: '1',
      currency: 'RUB',
      ...over,
    });
    const folded = foldDay([
      line({ amount: '0.1', consumedQuantity: '1', tags: { team: 'web' } }),
      line({ amount: '0.2', consumedQuantity: '2', tags: { team: 'frontend' } }),
      line({ lineKey: 'egress', resourceType: 'network', amount: '5' }),
    ]);
    assert.equal(folded.length, 2);
    assert.equal(folded[0]!.amount, '0.3', 'no float drift');
    assert.equal(folded[0]!.consumedQuantity, '3');
    assert.equal(folded[1]!.resourceType, 'server', "a VM's egress keeps the VM a server");
  });

  it('parses CSV with a BOM, CRLF, quoted commas and newlines, extra columns; refuses a wrong header', async () => {
    const header =
      'billing_account_id,folder_id,folder_name,resource_id,service_id,service_name,sku_id,sku_name,date,currency,pricing_quantity,pricing_unit,cost,credit,monetary_grant_credit,volume_incentive_credit,cud_credit,misc_credit,label.user_labels.note,future_column,locale,updated_at,exported_at';
    const rows = [
      'dn2,b1g,"staging, ""beta""",fhm1,svc,Compute Cloud,cpu,"Intel, vCPU",2025-10-09,RUB,24,core*hour,10.500000,0,0,0,0,0,"two\r\nlines",x,en,1760050000,2025-10-10T02:00:00Z',
      'dn2,b1g,staging,fhm1,svc,Compute Cloud,cpu,"Intel, vCPU",2025-10-09,RUB,24,core*hour,0.250000,0,0,0,0,0,,y,en,1760050000,2025-10-10T02:00:00Z',
      'other,b1g,staging,fhm9,svc,Compute Cloud,cpu,x,2025-10-09,RUB,1,u,99,0,0,0,0,0,,,en,1,2',
      'dn2,b1g,staging,fhm2,svc,Compute Cloud,ram,RAM,2025-10-09,RUB,1,u,oops,0,0,0,0,0,,,en,1,2',
    ];
    const text = `\ufeff${header}\r\n${rows.join('\r\n')}\r\n`;
    const body = async function* () {
      const bytes = Buffer.from(text);
      // Split inside a multi-byte character and inside a quoted newline: the parser must not care.
      yield bytes.subarray(0, 7);
      yield bytes.subarray(7, 400);
      yield bytes.subarray(400);
    };
    const content = await parseExport(body(), 'k.csv', 'dn2');
    const lines = content.byDay.get('2025-10-09')!;
    assert.equal(lines.length, 2, 'the other billing account is filtered out');
    assert.equal(lines[0]!.subAccountName, 'staging, "beta"');
    assert.equal(lines[0]!.chargeDescription, 'Intel, vCPU');
    assert.deepEqual(lines[0]!.tags, { note: 'two\r\nlines' });
    assert.equal(sum(foldDay(lines)), '10.75');
    assert.equal(content.unusable, 1);
    assert.equal(content.firstReason, 'cost is not a number');

    const empty = await parseExport((async function* () {})(), 'empty.csv', undefined);
    assert.equal(empty.byDay.size, 0, 'an empty file is an empty day, not an error');
    const headerOnly = await parseExport(
      (async function* () {
        yield Buffer.from(`${header}\n`);
      })(),
      'h.csv',
      undefined
    );
    assert.equal(headerOnly.byDay.size, 0);
    const wrong = await rejection(
      parseExport(
        (async function* () {
          yield Buffer.from('a,b\n1,2\n');
        })(),
        'wrong.csv',
        undefined
      )
    );
    assert.equal(wrong.kind, 'bad_response');
    assert.match(wrong.message, /wrong\.csv is not a Yandex detailed billing export \(missing columns: date, cost/);
    const ragged = await rejection(
      parseExport(
        (async function* () {
          yield Buffer.from(`${header}\n1,2,3\n`);
        })(),
        'r.csv',
        undefined
      )
    );
    assert.equal(ragged.kind, 'bad_response');
  });

  it('maps instances, disks and addresses from proto3 JSON with int64 strings', () => {
    const folder = { id: 'b1gf', name: 'prod' };
    const vm = mapInstance(
      {
        id: 'fhm1',
        name: 'web',
        zoneId: 'ru-central1-a',
        status: 'STOPPED',
        platformId: 'standard-v3',
        resources: { memory: '4294967296', cores: '2', coreFraction: '20' },
        bootDisk: { diskId: 'd1' },
        secondaryDisks: [{ diskId: 'd2' }],
        networkInterfaces: [
          { macAddress: 'd0:0d:1', primaryV4Address: { address: '10.0.0.5', oneToOneNat: { address: '158.160.1.2' } } },
        ],
        labels: { env: 'prod' },
      },
      folder
    )!;
    assert.equal(vm.status, 'STOPPED');
    assert.equal(vm.region, 'ru-central1');
    assert.equal(vm.specs.vcpus, 2);
    assert.equal(vm.specs.ramMb, 4096);
    assert.equal(vm.specs.coreFraction, 20);
    assert.equal(vm.specs.preemptible, false, 'an omitted boolean is false');
    assert.deepEqual(vm.specs.ips, ['10.0.0.5', '158.160.1.2']);
    assert.deepEqual(vm.specs.volumeIds, ['d1', 'd2']);
    assert.equal(vm.specs.memoryMetrics, 'unavailable');
    assert.deepEqual(vm.tags, { env: 'prod' });
    const disk = mapDisk(
      { id: 'd1', size: '21474836480', typeId: 'network-ssd', status: 'READY', instanceIds: ['fhm1'] },
      folder,
      new Set(['d1'])
    )!;
    assert.equal(disk.specs.sizeGb, 20);
    assert.equal(disk.specs.bootable, true);
    assert.deepEqual(disk.attachedTo, ['fhm1']);
    assert.deepEqual(mapDisk({ id: 'd9', size: '1073741824', status: 'READY' }, folder, new Set())!.attachedTo, []);
    const unused = mapAddress(
      { id: 'e9b1', externalIpv4Address: { address: '51.250.1.1', zoneId: 'ru-central1-a' }, reserved: true },
      folder
    )!;
    assert.deepEqual(unused.flags, { orphan: true });
    assert.equal(unused.specs.used, false);
    const used = mapAddress(
      { id: 'e9b2', externalIpv4Address: { address: '51.250.1.2' }, reserved: true, used: true },
      folder
    )!;
    assert.equal(used.flags, undefined);
    const ephemeral = mapAddress({ id: 'e9b3', externalIpv4Address: { address: '51.250.1.3' }, used: true }, folder)!;
    assert.equal(ephemeral.flags, undefined);
    assert.equal(normalizeInstanceStatus('PROVISIONING'), 'UNKNOWN');
    assert.equal(normalizeInstanceStatus('CRASHED'), 'ERROR');
    assert.equal(normalizeInstanceStatus('RESTARTING'), 'RUNNING');
  });

  it('parses monitoring series with int64 timestamps and drops NaN gaps', () => {
    assert.equal(cpuQuery('fhm"1'), 'cpu_utilization{service="compute", resource_id="fhm\\"1"}');
    const window = { start: new Date('2025-10-10T10:00:00Z'), end: new Date('2025-10-10T11:00:00Z') };
    const t = (iso: string) => String(Date.parse(iso));
    const points = parseSeries(
      {
        metrics: [
          {
            timeseries: {
              timestamps: [
                t('2025-10-10T09:55:00Z'),
                t('2025-10-10T10:00:00Z'),
                t('2025-10-10T10:05:00Z'),
                Date.parse('2025-10-10T10:10:00Z'),
              ],
              doubleValues: [1, 12.5, 'NaN', 7],
            },
          },
        ],
      },
      window
    );
    assert.deepEqual(points, [
      { ts: new Date('2025-10-10T10:00:00Z'), value: 12.5 },
      { ts: new Date('2025-10-10T10:10:00Z'), value: 7 },
    ]);
  });

  it('reads billing accounts: decimal balances, the configured or first active account', () => {
    const accounts = [
      parseBillingAccount({ id: 'a', active: false, balance: '1' })!,
      parseBillingAccount({ id: 'b', active: true, balance: '-1500.10', currency: 'rub' })!,
    ];
    assert.equal(chooseAccount(accounts, undefined)?.id, 'b');
    assert.equal(chooseAccount(accounts, 'a')?.id, 'a');
    assert.equal(chooseAccount(accounts, 'zzz'), undefined);
    assert.equal(accounts[1]!.balance, '-1500.1');
    assert.equal(accounts[1]!.currency, 'RUB');
    assert.equal(decimalOrUndefined('1e3'), '1000');
    assert.equal(decimalOrUndefined('lots'), undefined);
  });

  it('plans only complete days with new or re-exported files, and remembers what it read', () => {
    const obj = (day: string, etag: string, key = `p/${day.replace(/-/g, '')}.csv`): ExportObject => ({
      key,
      etag,
      day,
    });
    const previous = new ExportState({}, 'b/p');
    previous.setListing([obj('2025-10-07', 'a'), obj('2025-10-08', 'b')], '2025-10-01');
    previous.markRead('p/20251007.csv', 'a');
    previous.markRead('p/20251008.csv', 'b');
    const saved = previous.next();

    const state = new ExportState(saved, 'b/p');
    const listing = [
      obj('2025-09-01', 'old'),
      obj('2025-10-07', 'a'),
      obj('2025-10-08', 'b2'),
      obj('2025-10-09', 'c'),
      obj('2025-10-10', 'today'),
      { key: 'p/extra.csv', etag: 'x' },
    ];
    const plan = planDays(listing, state, '2025-09-15', '2025-10-09');
    assert.deepEqual(
      plan.map((p) => p.day ?? 'undated'),
      ['2025-10-08', '2025-10-09', 'undated'],
      'unchanged, too old and unfinished days are skipped; the restated one is read'
    );
    state.setListing(listing, '2025-09-15');
    state.markRead('p/20251009.csv', 'c');
    const objects = (state.next().yandexExport as { objects: Record<string, string> }).objects;
    assert.deepEqual(objects, { 'p/20251007.csv': 'a', 'p/20251008.csv': 'b', 'p/20251009.csv': 'c' });
    assert.equal(
      new ExportState(saved, 'other/prefix').unchanged(obj('2025-10-07', 'a')),
      false,
      'state is per bucket and prefix'
    );
  });

  it('validates credentials and settings strictly', () => {
    assert.equal(yandexCredentialsSchema.safeParse({}).success, false);
    assert.equal(yandexCredentialsSchema.safeParse({ oauthToken: 'y0_x', exportAccessKeyId: 'k' }).success, false);
    const key = yandexCredentialsSchema.parse({
      serviceAccountKey: {
        id: 'k',
        service_account_id: 's',
        private_key: 'p',
        created_at: 'x',
        key_algorithm: 'RSA_2048',
      },
    });
    assert.deepEqual(Object.keys(key.serviceAccountKey!).sort(), ['id', 'private_key', 'service_account_id']);
    assert.equal(yandexSettingsSchema.safeParse({ nope: 1 }).success, false);
    assert.equal(yandexSettingsSchema.safeParse({ apiUrlTemplate: 'https://example.com' }).success, false);
    assert.equal(yandexSettingsSchema.safeParse({ folderIds: ['B1G!'] }).success, false);
    const defaults = yandexSettingsSchema.parse({});
    assert.equal(defaults.storageUrl, 'https://storage.yandexcloud.net');
    assert.equal(defaults.apiUrlTemplate, 'https://{service}.api.cloud.yandex.net');
  });
});

describe('Yandex IAM: JWT signing and token cache', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = { id: 'ajekeyid000000000001', service_account_id: 'ajesa00000000000001', private_key: pem };

  it('signs PS256 with kid, iss, aud and a one-hour lifetime, verifiable with the public key', async () => {
    const now = new Date('2025-10-10T12:00:00Z');
    const jwt = await signServiceAccountJwt(key, now);
    const { header, payload, signingInput, signature } = decodeJwt(jwt);
    assert.deepEqual(header, { alg: 'PS256', typ: 'JWT', kid: key.id });
    assert.equal(payload.iss, key.service_account_id);
    assert.equal(payload.aud, IAM_AUDIENCE);
    assert.equal(payload.iat, now.getTime() / 1000);
    assert.equal(Number(payload.exp) - Number(payload.iat), 3600);
    const ok = verify(
      'sha256',
      Buffer.from(signingInput),
      { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
      signature
    );
    assert.ok(ok, 'the RSASSA-PSS SHA-256 signature verifies against the known public key');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    assert.ok(
      !verify(
        'sha256',
        Buffer.from(signingInput),
        { key: other, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
        signature
      )
    );
  });

  it("accepts the key file's warning line and PKCS#1; refuses a broken key without echoing it", async () => {
    const withLine = `PLEASE DO NOT REMOVE THIS LINE! Yandex.Cloud SA Key ID <${key.id}>\n${pem}`;
    assert.equal(parsePrivateKey(withLine).asymmetricKeyType, 'rsa');
    const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    assert.equal(parsePrivateKey(pkcs1).asymmetricKeyType, 'rsa');
    const escaped = pem.replace(/\n/g, '\\n');
    assert.equal(parsePrivateKey(escaped).asymmetricKeyType, 'rsa', 'newlines pasted as \\n');
    const broken = `-----BEGIN PRIVATE KEY-----\nMIIEsecretSECRETsecret\n-----END PRIVATE KEY-----`;
    const err = await rejection(signServiceAccountJwt({ ...key, private_key: broken }));
    assert.equal(err.kind, 'auth');
    assert.ok(!err.message.includes('MIIEsecret'));
    const { privateKey: ec } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    assert.throws(() => parsePrivateKey(ec.export({ type: 'pkcs8', format: 'pem' }).toString()), ProviderError);
    assert.equal(
      createPublicKey(parsePrivateKey(pem)).export({ type: 'spki', format: 'pem' }),
      publicKey.export({ type: 'spki', format: 'pem' })
    );
  });

  it('keeps a token until shortly before expiresAt', () => {
    const now = Date.parse('2025-10-10T12:00:00Z');
    const long = parseTokenResponse({ iamToken: 't1', expiresAt: '2025-10-11T00:00:00Z' }, now);
    assert.equal(long.refreshAt, Date.parse('2025-10-10T23:55:00Z'));
    const short = parseTokenResponse({ iamToken: 't2', expiresAt: '2025-10-10T12:04:00Z' }, now);
    assert.equal(short.refreshAt, Date.parse('2025-10-10T12:02:00Z'), 'half-life for short tokens');
    assert.throws(() => parseTokenResponse({ expiresAt: 'x' }, now), ProviderError);
  });

  it('exchanges once, reuses the token, and exchanges again when it is about to expire', async () => {
    const sandbox = await startSandbox({ now: () => NOW });
    try {
      let clock = Date.now();
      const http = new ProviderHttpClient({ provider: 'yandex', options: HTTP, logger: silent });
      const url = `${sandbox.yandex.settings.apiUrlTemplate.replace('{service}', 'iam')}/iam/v1/tokens`;
      const auth = new IamAuth(http, url, sandbox.yandex.credentials, () => clock);
      const first = await auth.token();
      assert.equal(await auth.token(), first);
      assert.equal(sandbox.faults.hits('yandex.iam'), 1);
      clock += 11 * 3_600_000 + 56 * 60_000; // 4 minutes before the 12 h expiry
      const second = await auth.token();
      assert.notEqual(second, first);
      assert.equal(sandbox.faults.hits('yandex.iam'), 2);
      await Promise.all([auth.refresh(), auth.refresh(), auth.token()]);
      assert.ok(sandbox.faults.hits('yandex.iam') <= 4, 'parallel refreshes share one exchange');
    } finally {
      await sandbox.close();
    }
  });
});

describe('Yandex Cloud connector against the sandbox', () => {
  let sandbox: Sandbox;
  const extra: Sandbox[] = [];
  const start = async (options: SandboxOptions = {}) => {
    const s = await startSandbox({ now: () => NOW, ...options });
    extra.push(s);
    return s;
  };
  /** Ten days back from now: the last nine complete days are read (today is still growing). */
  const window10: TimeWindow = { start: new Date(NOW.getTime() - 10 * DAY), end: NOW };

  before(async () => {
    sandbox = await startSandbox({ now: () => NOW });
  });
  afterEach(() => {
    sandbox.faults.clear();
    sandbox.faults.resetHits();
  });
  after(async () => {
    await sandbox.close();
    for (const s of extra) await s.close();
  });

  /** Billing of a window, a fresh session each time; `settings.backfillDays` bounds the horizon. */
  const readBilling = async (
    s: Sandbox,
    window: TimeWindow,
    state: Record<string, unknown> = {},
    settings: Partial<YandexSettings> = {}
  ) => {
    const session = await yandexConnector.open(ctxFor(s, { state, settings: { backfillDays: 10, ...settings } }));
    const { items, batches } = await collect(session.billing(window));
    return { session, lines: items, batches, nextState: session.nextState!() };
  };

  describe('test()', () => {
    it('authenticates with the service-account key and reports account, folders and export', async () => {
      const { truth } = sandbox.yandex;
      const info = await yandexConnector.test(ctxFor(sandbox));
      assert.equal(info.accountId, truth.billingAccount.id);
      assert.equal(info.balance, new Decimal(truth.billingAccount.balance).toFixed());
      assert.equal(info.currency, 'RUB');
      assert.equal(info.details.auth, 'service-account-key');
      assert.deepEqual(
        info.details.folders,
        truth.folders.map((f) => f.id)
      );
      assert.ok(Number(info.details.exportFiles) > 100);
      assert.equal(info.details.warnings, undefined);
    });

    it('authenticates with an OAuth token and discovers folders when none are configured', async () => {
      const { truth } = sandbox.yandex;
      const credentials = { oauthToken: truth.oauthToken };
      const info = await yandexConnector.test(ctxFor(sandbox, { credentials, settings: { folderIds: [] } }));
      assert.equal(info.details.auth, 'oauth');
      assert.deepEqual(
        info.details.folders,
        truth.folders.map((f) => f.id)
      );
      assert.deepEqual(info.details.warnings, [
        'export: exportAccessKeyId and exportSecretAccessKey are needed to read the bucket',
      ]);
    });

    it('says which credential IAM rejected, without echoing it', async () => {
      const oauth = { oauthToken: 'y0_AgAAAAwrongtokenvalue123' };
      const err = await rejection(yandexConnector.test(ctxFor(sandbox, { credentials: oauth })));
      assert.equal(err.kind, 'auth');
      assert.match(err.message, /IAM rejected the OAuth token/);
      assertNoSecrets(err.message, oauth);

      // A key IAM does not know (another key pair under the same ids): the signature does not verify.
      const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString();
      const creds = {
        ...sandbox.yandex.credentials,
        serviceAccountKey: { ...sandbox.yandex.credentials.serviceAccountKey!, private_key: stranger },
      };
      const badKey = await rejection(yandexConnector.test(ctxFor(sandbox, { credentials: creds })));
      assert.equal(badKey.kind, 'auth');
      assert.match(badKey.message, /IAM rejected the service-account key/);
      assertNoSecrets(badKey.message, creds);
      const wrongId = {
        ...sandbox.yandex.credentials,
        serviceAccountKey: { ...sandbox.yandex.credentials.serviceAccountKey!, id: 'ajeunknownkey0000000' },
      };
      assert.equal((await rejection(yandexConnector.test(ctxFor(sandbox, { credentials: wrongId })))).kind, 'auth');
    });

    it('says when the export access key is wrong, without echoing it', async () => {
      const creds = {
        ...sandbox.yandex.credentials,
        exportAccessKeyId: 'YCAJEwrong',
        exportSecretAccessKey: 'YCNsecretvalue',
      };
      const err = await rejection(yandexConnector.test(ctxFor(sandbox, { credentials: creds })));
      assert.equal(err.kind, 'auth');
      assert.match(err.message, /Object Storage rejected the export access key/);
      assertNoSecrets(err.message, creds);
      assert.ok(!err.message.includes('YCAJEwrong'));
    });

    it('says when Yandex Cloud cannot be reached', async () => {
      const err = await rejection(
        yandexConnector.test(ctxFor(sandbox, { settings: { apiUrlTemplate: 'http://127.0.0.1:1/{service}' } }))
      );
      assert.equal(err.kind, 'unreachable');
      assert.match(err.message, /cannot reach Yandex Cloud IAM at 127\.0\.0\.1:1/);
    });
  });

  describe('account() and inventory()', () => {
    it('survives a 429 on IAM by honouring Retry-After, and reuses the token afterwards', async () => {
      sandbox.faults.set('yandex.iam', { kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 });
      const session = await yandexConnector.open(ctxFor(sandbox));
      const started = Date.now();
      const info = await session.account();
      assert.ok(Date.now() - started >= 950);
      assert.equal(info.accountId, sandbox.yandex.truth.billingAccount.id);
      await session.inventory();
      assert.equal(sandbox.faults.hits('yandex.iam'), 2, 'one 429, then one token for the whole session');
    });

    it('lists every folder across pages and matches the truth: int64 sizes, statuses, waste signals', async () => {
      const { truth } = sandbox.yandex;
      const session = await yandexConnector.open(ctxFor(sandbox));
      const inventory = await session.inventory();
      assert.deepEqual(inventory.errors, []);
      assert.equal(inventory.complete, true);
      assert.deepEqual(inventory.coveredTypes, ['server', 'volume', 'ip', 'bucket']);
      const of = (type: string) => inventory.resources.filter((r) => r.type === type);
      assert.equal(of('server').length, truth.instances.length);
      assert.equal(of('volume').length, truth.disks.length);
      assert.ok(sandbox.faults.hits('yandex.disks') > truth.folders.length, 'disks came in several pages');
      for (const i of truth.instances) {
        const r = inventory.resources.find((x) => x.providerResourceId === i.id)!;
        assert.equal(r.specs.vcpus, i.cores);
        assert.equal(r.specs.ramMb, i.memoryMb);
        assert.equal(r.status, i.status);
        assert.equal(r.region, 'ru-central1');
        assert.deepEqual(r.specs.volumeIds, i.diskIds);
        assert.deepEqual(r.specs.ips, i.ips);
        assert.equal(r.specs.folderId, i.folderId);
        assert.equal(r.specs.memoryMetrics, 'unavailable');
      }
      for (const d of truth.disks) {
        const r = inventory.resources.find((x) => x.providerResourceId === d.id)!;
        assert.equal(r.specs.sizeGb, d.sizeGb);
        assert.deepEqual(r.attachedTo, d.instanceIds);
      }
      assert.deepEqual(inventory.resources.find((r) => r.providerResourceId === truth.orphanDisk.id)!.attachedTo, []);
      const flagged = inventory.resources.filter((r) => r.flags?.orphan).map((r) => r.providerResourceId);
      assert.deepEqual(flagged, [truth.reservedIp.id]);
      assert.deepEqual(
        of('bucket')
          .map((b) => b.providerResourceId)
          .sort(),
        [...truth.buckets].sort()
      );
      assert.deepEqual(
        of('database')
          .map((d) => d.providerResourceId)
          .sort(),
        truth.dbHosts.map((h) => h.name).sort()
      );
      assert.ok(!inventory.resources.some((r) => r.providerResourceId === truth.zombieServer.id));
    });

    it('reports a folder listing that keeps failing, and calls the inventory incomplete', async () => {
      const folder = sandbox.yandex.truth.folders[1]!.id;
      sandbox.faults.set(`yandex.instances:${folder}`, { kind: 'status', status: 503 });
      const inventory = await (await yandexConnector.open(ctxFor(sandbox))).inventory();
      assert.equal(inventory.complete, false);
      assert.deepEqual(
        inventory.errors.map((e) => [e.endpoint, e.kind]),
        [['compute.instances', 'server']]
      );
      assert.match(inventory.errors[0]!.message, new RegExp(`folder ${folder}`));
      assert.equal(sandbox.faults.hits(`yandex.instances:${folder}`), 1 + HTTP.retries);
      assert.ok(
        inventory.resources.some((r) => r.type === 'server'),
        'the other folder is still listed'
      );
    });

    it('gets a new IAM token when the old one dies mid-inventory', async () => {
      sandbox.faults.set('yandex.token-expiry', { kind: 'token-expiry', afterRequests: 4, times: 1 });
      const inventory = await (await yandexConnector.open(ctxFor(sandbox))).inventory();
      assert.deepEqual(inventory.errors, []);
      assert.equal(inventory.complete, true);
      assert.ok(sandbox.faults.hits('yandex.iam') >= 2);
    });

    it('reports one reason when IAM refuses, instead of one failure per listing', async () => {
      const inventory = await (
        await yandexConnector.open(ctxFor(sandbox, { credentials: { oauthToken: 'y0_bad' } }))
      ).inventory();
      assert.equal(inventory.complete, false);
      assert.equal(inventory.errors.length, 1);
      assert.equal(inventory.errors[0]!.kind, 'auth');
    });
  });

  describe('billing()', () => {
    it('reads complete Moscow days from the export, one day per batch, in order, exactly', async () => {
      const { truth } = sandbox.yandex;
      const { session, lines, batches } = await readBilling(sandbox, window10);
      assert.deepEqual(session.errors, []);
      const from = moscowDayOf(new Date(NOW.getTime() - 10 * DAY));
      const expected = truth.expected(from, truth.lastCompleteDay());
      assert.equal(sum(lines), expected.net);
      assert.equal(sum(lines.filter((l) => l.chargeCategory !== 'Credit')), expected.cost);
      assert.equal(sum(lines.filter((l) => l.chargeCategory === 'Credit')), expected.credits);
      assert.equal(lines.length, expected.lines);
      assert.equal(batches.length, 10, 'ten complete days, each in its own batch');
      let previous = 0;
      for (const batch of batches) {
        const starts = new Set(batch.map((l) => l.periodStart.getTime()));
        assert.equal(starts.size, 1, 'a batch holds one day');
        const start = [...starts][0]!;
        assert.ok(start > previous, 'days in order');
        previous = start;
        assert.equal(new Date(start).toISOString().slice(11), '21:00:00.000Z', 'Moscow midnight');
      }
      assert.ok(
        lines.every((l) => l.periodEnd.getTime() <= NOW.getTime()),
        'today (incomplete) is not read'
      );
      const byResource: Record<string, Decimal> = {};
      for (const l of lines) byResource[l.resourceId] = (byResource[l.resourceId] ?? new Decimal(0)).plus(l.amount);
      for (const [id, net] of Object.entries(expected.byResource))
        assert.equal(byResource[id]?.toFixed(), net, id || 'folder-wide');
    });

    it('types lines by resource, keeps credits negative, labels as tags, folder-wide usage apart', async () => {
      const { truth } = sandbox.yandex;
      const { lines } = await readBilling(sandbox, window10);
      const typeOf = (id: string) => new Set(lines.filter((l) => l.resourceId === id).map((l) => l.resourceType));
      assert.deepEqual(typeOf(truth.zombieServer.id), new Set(['server']));
      assert.deepEqual(typeOf(truth.zombieDisk.id), new Set(['volume']));
      assert.deepEqual(
        typeOf(truth.egressServer.id),
        new Set(['server']),
        'VPC egress billed to a VM keeps it a server'
      );
      assert.deepEqual(typeOf(truth.reservedIp.id), new Set(['ip']));
      assert.deepEqual(typeOf(truth.dbHosts[0]!.name), new Set(['database']));
      assert.deepEqual(typeOf(truth.stoppedServer.id), new Set(), 'a stopped VM bills nothing itself');
      for (const diskId of truth.stoppedServer.diskIds)
        assert.deepEqual(typeOf(diskId), new Set(['volume']), 'its disks still bill');
      const credits = lines.filter((l) => l.chargeCategory === 'Credit');
      assert.ok(credits.length > 0 && credits.every((l) => new Decimal(l.amount).isNegative()));
      assert.ok(credits.some((l) => l.lineKey.endsWith(':cud_credit')));
      assert.ok(credits.some((l) => l.lineKey.endsWith(':misc_credit') && l.resourceId === ''));
      const folderWide = lines.filter((l) => l.resourceId === '');
      assert.equal(new Set(folderWide.map((l) => l.lineKey.split(':')[0])).size, 2, 'one key per folder');
      assert.equal(sum(folderWide), '0', 'free tier: misc_credit gives it all back');
      const web = lines.find((l) => l.resourceId === truth.instances[0]!.id)!;
      assert.equal(web.tags?.env, 'prod');
      const staging = lines.find((l) => l.subAccountId === truth.folders[1]!.id)!;
      assert.equal(staging.subAccountName, 'staging, "beta"');
    });

    it('applies the grant as monetary_grant_credit on its days only, across changing headers', async () => {
      const { truth } = sandbox.yandex;
      const { lines } = await readBilling(
        sandbox,
        { start: new Date(NOW.getTime() - 45 * DAY), end: NOW },
        {},
        { backfillDays: 45 }
      );
      // 45 days span the day a `project` label column first appears: the header changes between files.
      const from = moscowDayOf(new Date(NOW.getTime() - 45 * DAY));
      assert.equal(sum(lines), truth.expected(from, truth.lastCompleteDay()).net);
      assert.ok(lines.some((l) => l.tags?.project === 'reports'));
      const grantLines = lines.filter((l) => l.lineKey.endsWith(':monetary_grant_credit'));
      assert.ok(grantLines.length > 0);
      const days = new Set(grantLines.map((l) => moscowDayOf(l.periodStart)));
      assert.ok([...days].every((d) => d >= truth.grant.fromDay && d < truth.grant.toDay));
    });

    it('reads nothing again on the next sync, then only the re-exported day, replacing it', async () => {
      const own = await start();
      const first = await readBilling(own, window10);
      assert.equal(own.faults.hits('yandex.export.get'), 10);
      const second = await readBilling(own, { start: new Date(NOW.getTime() - 3 * DAY), end: NOW }, first.nextState);
      assert.deepEqual(second.lines, []);
      assert.equal(own.faults.hits('yandex.export.get'), 10, 'unchanged files are not downloaded');
      assert.deepEqual(second.nextState, first.nextState);

      const day = moscowDayOf(new Date(NOW.getTime() - 6 * DAY)); // older than the engine's 3-day re-read
      const before = own.yandex.truth.expected(day, day).net;
      own.yandex.truth.restate(day, 1.25);
      const third = await readBilling(own, { start: new Date(NOW.getTime() - 3 * DAY), end: NOW }, second.nextState);
      assert.equal(own.faults.hits('yandex.export.get'), 11, 'only the re-exported file');
      assert.deepEqual(new Set(third.lines.map((l) => moscowDayOf(l.periodStart))), new Set([day]));
      assert.equal(sum(third.lines), own.yandex.truth.expected(day, day).net);
      assert.notEqual(sum(third.lines), before);
      const fourth = await readBilling(own, { start: new Date(NOW.getTime() - 3 * DAY), end: NOW }, third.nextState);
      assert.deepEqual(fourth.lines, []);
    });

    it('follows ListObjectsV2 continuation tokens', async () => {
      const paged = await start({ yandex: { s3PageSize: 7 } });
      const { lines, session } = await readBilling(paged, window10);
      assert.deepEqual(session.errors, []);
      assert.ok(paged.faults.hits('yandex.export.list') >= 17, '121 files, 7 per page');
      const from = moscowDayOf(new Date(NOW.getTime() - 10 * DAY));
      assert.equal(sum(lines), paged.yandex.truth.expected(from, paged.yandex.truth.lastCompleteDay()).net);
    });

    it('retries a file cut mid-body, a 5xx, a malformed listing and a timeout; loses nothing', async () => {
      const from = moscowDayOf(new Date(NOW.getTime() - 10 * DAY));
      const expected = sandbox.yandex.truth.expected(from, sandbox.yandex.truth.lastCompleteDay()).net;
      const faults = [
        ['yandex.export.get', { kind: 'truncated', times: 2 }],
        ['yandex.export.get', { kind: 'status', status: 500, times: 2 }],
        ['yandex.export.get', { kind: 'malformed', times: 1 }],
        ['yandex.export.list', { kind: 'malformed', times: 1 }],
        ['yandex.export.list', { kind: 'truncated', times: 1 }],
        ['yandex.export.list', { kind: 'timeout', times: 1 }],
        ['yandex.export.get', { kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 }],
      ] as const;
      for (const [endpoint, fault] of faults) {
        sandbox.faults.resetHits();
        sandbox.faults.set(endpoint, fault);
        const { lines, session } = await readBilling(sandbox, window10);
        sandbox.faults.clear();
        assert.deepEqual(session.errors, [], `${endpoint} ${fault.kind}`);
        assert.equal(sum(lines), expected, `${endpoint} ${fault.kind}`);
        const retried = endpoint === 'yandex.export.get' ? fault.times : 0;
        assert.equal(
          sandbox.faults.hits('yandex.export.get'),
          10 + retried,
          `${endpoint} ${fault.kind}: each failure retried once`
        );
      }
    });

    it('skips a day whose file keeps failing, reports it, and reads it on the next sync', async () => {
      const own = await start();
      const day = moscowDayOf(new Date(NOW.getTime() - 4 * DAY));
      const key = own.yandex.truth.objectKey(day);
      // Fail every attempt at that one file: 500 for GETs of its key only.
      own.faults.set('yandex.export.get', { kind: 'status', status: 500, times: 1 + HTTP.retries });
      // The first file read is the oldest day, so aim the fault with a plan that starts at `day`.
      const window = { start: new Date(NOW.getTime() - 4 * DAY), end: NOW };
      const first = await readBilling(own, window, {}, { backfillDays: 4 });
      assert.equal(first.session.errors.length, 1);
      assert.equal(first.session.errors[0]!.endpoint, 'export.get');
      assert.match(first.session.errors[0]!.message, new RegExp(`${day} was not read`));
      assert.ok(!first.lines.some((l) => moscowDayOf(l.periodStart) === day));
      const objects = (first.nextState.yandexExport as { objects: Record<string, string> }).objects;
      assert.equal(objects[key], undefined, 'the failed day is not remembered as read');
      const second = await readBilling(own, window, first.nextState, { backfillDays: 4 });
      assert.deepEqual(second.session.errors, []);
      assert.deepEqual(new Set(second.lines.map((l) => moscowDayOf(l.periodStart))), new Set([day]));
      assert.equal(sum(second.lines), own.yandex.truth.expected(day, day).net);
    });

    it('gives up after three failed days in a row, and at once on a rejected access key', async () => {
      sandbox.faults.set('yandex.export.get', { kind: 'status', status: 502 });
      const { lines, session } = await readBilling(sandbox, window10);
      assert.deepEqual(lines, []);
      assert.equal(session.errors.length, 3);
      assert.match(session.errors[2]!.message, /and 7 later day\(s\) were not read/);
      sandbox.faults.clear();
      const creds = { ...sandbox.yandex.credentials, exportAccessKeyId: 'YCAJEnope' };
      const s = await yandexConnector.open(ctxFor(sandbox, { credentials: creds, settings: { backfillDays: 10 } }));
      const denied = await collect(s.billing(window10));
      assert.deepEqual(denied.items, []);
      assert.deepEqual(
        s.errors.map((e) => [e.endpoint, e.kind]),
        [['export.list', 'auth']]
      );
      assert.deepEqual(s.nextState!(), {
        yandexExport: {
          v: 1,
          scope: `${sandbox.yandex.settings.exportBucket}/${sandbox.yandex.settings.exportPrefix}`,
          objects: {},
        },
      });
    });

    it('reads no costs, quietly, when no export is configured', async () => {
      const s = await yandexConnector.open(ctxFor(sandbox, { settings: { exportBucket: undefined } }));
      assert.deepEqual((await collect(s.billing(window10))).items, []);
      assert.deepEqual(s.errors, []);
    });

    it('hands a large day on in batches of at most 10k lines, all of that day', async () => {
      const day = moscowDayOf(new Date(NOW.getTime() - DAY));
      const header = 'resource_id,service_name,sku_id,sku_name,date,currency,cost,credit';
      const rows = Array.from({ length: 25_000 }, (_, i) => `vm${i},Compute Cloud,cpu,vCPU,${day},RUB,0.01,0`);
      const csv = Buffer.from(`${header}\n${rows.join('\n')}\n`);
      const object = { key: `p/${day.replace(/-/g, '')}.csv`, etag: '"big"', day };
      const store = {
        list: async () => [object],
        read: async <T>(_key: string, consume: (body: AsyncIterable<Uint8Array>) => Promise<T>) => ({
          etag: object.etag,
          value: await consume(
            (async function* () {
              yield csv;
            })()
          ),
        }),
        destroy: () => undefined,
      } as unknown as ExportStore;
      const c = createContext(ctxFor(sandbox, { settings: { backfillDays: 3 } }));
      const errors: EndpointError[] = [];
      const state = new ExportState({}, 'b/p');
      const { batches } = await collect(fetchBilling(c, store, state, window10, errors));
      assert.deepEqual(errors, []);
      assert.deepEqual(
        batches.map((b) => b.length),
        [BATCH_SIZE, BATCH_SIZE, 5_000]
      );
      assert.ok(batches.flat().every((l) => moscowDayOf(l.periodStart) === day));
      assert.equal(sum(batches.flat()), '250');
    });
  });

  describe('metrics()', () => {
    it('reads CPU of running VMs on a 5-minute grid and never invents memory', async () => {
      const { truth } = sandbox.yandex;
      const session = await yandexConnector.open(ctxFor(sandbox));
      const inventory = await session.inventory();
      const window = { start: new Date(NOW.getTime() - 2 * 3_600_000), end: NOW };
      const { items } = await collect<MetricSample>(session.metrics(inventory.resources, window));
      assert.deepEqual(session.errors, []);
      const running = truth.instances
        .filter((i) => i.status === 'RUNNING')
        .map((i) => i.id)
        .sort();
      assert.deepEqual([...new Set(items.map((s) => s.resourceId))].sort(), running);
      assert.ok(items.every((s) => s.metric === 'cpu_utilization' && s.value >= 0 && s.value <= 100));
      assert.ok(items.every((s) => s.ts >= window.start && s.ts < window.end && s.ts.getTime() % 300_000 === 0));
      assert.equal(items.filter((s) => s.resourceId === running[0]).length, 24);
    });

    it('records a failing monitoring call once and goes on', async () => {
      sandbox.faults.set('yandex.monitoring', { kind: 'status', status: 500 });
      const session = await yandexConnector.open(ctxFor(sandbox));
      const servers: InventoryResource[] = (await session.inventory()).resources;
      const { items } = await collect<MetricSample>(
        session.metrics(servers, { start: new Date(NOW.getTime() - 3_600_000), end: NOW })
      );
      assert.deepEqual(items, []);
      assert.equal(session.errors.length, 1);
      assert.match(session.errors[0]!.message, /servers failed alike/);
    });
  });
});

describe('Yandex Cloud through the sync engine and the HTTP API', () => {
  const ENGINE_NOW = new Date('2026-11-20T09:30:00Z');
  let t: TestDatabase;
  let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
  let sandbox: Sandbox;
  let token: string;

  before(async () => {
    t = await createTestDatabase('yandex');
    sandbox = await startSandbox({ now: () => ENGINE_NOW });
    ({ app } = await buildTestApp(t.db, { now: () => ENGINE_NOW }));
    token = (await ensureBootstrapTenant(t.db, undefined)).generatedToken!;
  });
  after(async () => {
    await app.close();
    await sandbox.close();
    await t.drop();
    await stopTestCluster();
  });

  async function api<T>(
    method: InjectOptions['method'],
    url: string,
    body?: unknown
  ): Promise<{ status: number; body: T }> {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    assert.ok(res.statusCode < 500, `${method} ${url} → ${res.statusCode} ${res.body}`);
    return { status: res.statusCode, body: res.json() as T };
  }

  let seq = 0;
  async function connect(settings: Record<string, unknown> = {}, credentials: object = sandbox.yandex.credentials) {
    const res = await api<{ id: string }>('POST', '/api/v1/connections', {
      name: `yandex ${++seq}`,
      provider: 'yandex',
      credentials,
      settings: { ...sandbox.yandex.settings, backfillDays: 5, ...settings },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id;
  }

  async function sync(connectionId: string): Promise<EngineSnapshot> {
    const started = await api<{ snapshotId: string }>('POST', `/api/v1/connections/${connectionId}/sync`);
    assert.equal(started.status, 202, JSON.stringify(started.body));
    for (;;) {
      const snap = await api<EngineSnapshot>(
        'GET',
        `/api/v1/snapshots/${started.body.snapshotId}?states=all&statesLimit=5000`
      );
      if (snap.body.status !== 'running') return snap.body;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function resources(connectionId: string, query = ''): Promise<EngineResource[]> {
    return (
      await api<{ items: EngineResource[] }>('GET', `/api/v1/resources?connection=${connectionId}&limit=1000${query}`)
    ).body.items;
  }

  async function costTotals(connectionId: string, day?: string) {
    const [row] = await t.db.query<{ n: number; total: string | null; credits: string | null; keys: number }>(
      `SELECT count(*)::int AS n, sum(billed_cost) AS total,
         sum(billed_cost) FILTER (WHERE charge_category = 'Credit') AS credits,
         count(DISTINCT (resource_id, line_key, charge_period_start))::int AS keys
       FROM cost_records WHERE connection_id = $1 AND ($2::timestamptz IS NULL OR charge_period_start = $2)`,
      [connectionId, day ? moscowDayStart(day).toISOString() : null]
    );
    return {
      ...row!,
      total: row!.total === null ? null : new Decimal(row!.total).toFixed(),
      credits: row!.credits === null ? null : new Decimal(row!.credits).toFixed(),
    };
  }

  /** The days a 5-day backfill from ENGINE_NOW covers: from its Moscow-midnight start to yesterday. */
  const firstDay = () => moscowDayOf(new Date(ENGINE_NOW.getTime() - 5 * DAY));
  const expected = () => sandbox.yandex.truth.expected(firstDay(), sandbox.yandex.truth.lastCompleteDay());

  describe('a clean account', () => {
    let id: string;
    let first: EngineSnapshot;
    before(async () => {
      id = await connect();
      first = await sync(id);
    });

    it('syncs every phase and writes exactly what the export says, credits as Credit lines', async () => {
      assert.equal(first.status, 'success', JSON.stringify(first.endpointErrors));
      assert.ok(first.phases.every((p) => p.status === 'done'));
      const totals = await costTotals(id);
      assert.equal(totals.total, expected().net);
      assert.equal(totals.credits, expected().credits);
      assert.equal(totals.n, expected().lines);
      assert.equal(totals.n, totals.keys);
    });

    it('finds the zombie VM and disk, the orphan disk, the unused reserved IP, the stopped VM with billed disks', async () => {
      const { truth } = sandbox.yandex;
      const list = await resources(id);
      const byPid = new Map(list.map((r) => [r.providerResourceId, r]));
      const zombies = (await resources(id, '&flag=zombie')).map((r) => r.providerResourceId).sort();
      assert.deepEqual(zombies, [truth.zombieServer.id, truth.zombieDisk.id].sort());
      const orphans = (await resources(id, '&flag=orphan')).map((r) => r.providerResourceId).sort();
      assert.deepEqual(orphans, [truth.orphanDisk.id, truth.reservedIp.id].sort());
      const stopped = byPid.get(truth.stoppedServer.id)!;
      assert.equal(stopped.status, 'STOPPED');
      assert.equal(stopped.specs.stoppedButBilled, true);
      assert.ok(Number(stopped.dailyCost) > 0, 'its cost is its disks');
      for (const diskId of truth.stoppedServer.diskIds) assert.equal(byPid.get(diskId)!.parentId, stopped.id);
      assert.equal(byPid.get(truth.egressServer.id)!.type, 'server');
      for (const host of truth.dbHosts) assert.equal(byPid.get(host.name)!.type, 'database');
      assert.equal(byPid.get(truth.instances[0]!.id)!.specs.memoryMetrics, 'unavailable');
    });

    it('is idempotent: a re-sync downloads nothing, changes no totals, records every resource unchanged', async () => {
      const before = await costTotals(id);
      sandbox.faults.resetHits();
      const again = await sync(id);
      assert.equal(again.status, 'success', JSON.stringify(again.endpointErrors));
      assert.equal(sandbox.faults.hits('yandex.export.get'), 0);
      assert.deepEqual(await costTotals(id), before);
      assert.equal(
        again.counts.unchanged,
        again.counts.found,
        JSON.stringify(again.states.items.filter((s) => s.action !== 'unchanged').slice(0, 3))
      );
    });

    it('replaces a re-exported day instead of adding to it', async () => {
      const day = moscowDayOf(new Date(ENGINE_NOW.getTime() - 4 * DAY));
      const before = await costTotals(id);
      const oldDay = await costTotals(id, day);
      sandbox.yandex.truth.restate(day, 1.5);
      sandbox.faults.resetHits();
      const restated = await sync(id);
      assert.equal(restated.status, 'success');
      assert.equal(sandbox.faults.hits('yandex.export.get'), 1);
      const newDay = await costTotals(id, day);
      assert.equal(newDay.total, sandbox.yandex.truth.expected(day, day).net);
      assert.notEqual(newDay.total, oldDay.total);
      assert.equal(newDay.n, oldDay.n, 'no rows added');
      assert.equal((await costTotals(id)).n, before.n);
      assert.equal((await costTotals(id)).total, expected().net);
    });
  });

  it('works with an OAuth token for the APIs as well', async () => {
    const id = await connect(
      {},
      { ...sandbox.yandex.credentials, serviceAccountKey: undefined, oauthToken: sandbox.yandex.truth.oauthToken }
    );
    const snap = await sync(id);
    assert.equal(snap.status, 'success', JSON.stringify(snap.endpointErrors));
    assert.equal((await costTotals(id)).total, expected().net);
  });

  describe('faults: recorded as partial, no duplicates, a rerun converges', () => {
    const scenarios: { name: string; endpoint: string; fault: Fault; errorEndpoint: string; inventory?: boolean }[] = [
      {
        name: 'export file 500 persistent',
        endpoint: 'yandex.export.get',
        fault: { kind: 'status', status: 500 },
        errorEndpoint: 'export.get',
      },
      {
        name: 'export listing malformed',
        endpoint: 'yandex.export.list',
        fault: { kind: 'malformed' },
        errorEndpoint: 'export.list',
      },
      {
        name: 'instances 503 in one folder',
        endpoint: 'yandex.instances',
        fault: { kind: 'status', status: 503 },
        errorEndpoint: 'compute.instances',
        inventory: true,
      },
      {
        name: 'export file cut mid-body every time',
        endpoint: 'yandex.export.get',
        fault: { kind: 'truncated' },
        errorEndpoint: 'export.get',
      },
    ];
    for (const scenario of scenarios) {
      it(scenario.name, async () => {
        const id = await connect();
        sandbox.faults.set(scenario.endpoint, scenario.fault);
        let faulted: EngineSnapshot;
        try {
          faulted = await sync(id);
        } finally {
          sandbox.faults.clear(scenario.endpoint);
        }
        assert.equal(faulted.status, 'partial', JSON.stringify(faulted.endpointErrors));
        assert.ok(
          faulted.endpointErrors.some((e) => e.endpoint === scenario.errorEndpoint),
          JSON.stringify(faulted.endpointErrors)
        );
        const text = JSON.stringify(faulted);
        assertNoSecrets(text, sandbox.yandex.credentials);
        const during = await costTotals(id);
        assert.equal(during.n, during.keys, 'no duplicate cost rows');
        if (scenario.inventory)
          assert.equal((await resources(id, '&flag=zombie')).length, 0, 'an incomplete inventory flags no zombies');
        const rerun = await sync(id);
        assert.equal(rerun.status, 'success', JSON.stringify(rerun.endpointErrors));
        const totals = await costTotals(id);
        assert.deepEqual({ n: totals.n, total: totals.total }, { n: expected().lines, total: expected().net });
        assert.equal((await resources(id, '&flag=zombie')).length, 2);
      });
    }

    it('a token expiring mid-sync costs nothing', async () => {
      const id = await connect();
      sandbox.faults.set('yandex.token-expiry', { kind: 'token-expiry', afterRequests: 5, times: 1 });
      const snap = await sync(id);
      sandbox.faults.clear('yandex.token-expiry');
      assert.equal(snap.status, 'success', JSON.stringify(snap.endpointErrors));
      assert.equal((await costTotals(id)).total, expected().net);
    });

    it('bad credentials: the sync fails with a reason that echoes no secret', async () => {
      const credentials = { oauthToken: 'y0_AgAAAAsecretbutwrong' };
      const id = await connect({ exportBucket: undefined }, credentials);
      const snap = await sync(id);
      assert.notEqual(snap.status, 'success');
      const text = JSON.stringify(snap);
      assert.match(text, /IAM rejected the OAuth token/);
      assert.ok(!text.includes('y0_AgAAAAsecretbutwrong'));
    });
  });
});

/**
 * Seeded situations for the alert rules: for every rule, cases that must fire it and near misses that
 * must not (a threshold not reached, an old event, a disabled or deleted connection, feedback that says
 * "false positive"…), in two tenants so that isolation is checked by the same data. Times are relative
 * to the database clock, and costs sit on the first day of the current Moscow month, so the outcomes do
 * not depend on the day the tests run.
 */
import type { Database } from '../../src/storage/db.js';
import { upsertCostRecords, type CostRecordInput } from '../../src/storage/repositories/cost-records.js';
import { insertTenant } from '../../src/storage/repositories/tenants.js';
import { refreshCostDaily } from '../../src/storage/rollups.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface Clock {
  now: Date;
  /** Midnight in Moscow starting the current month / today. */
  monthStart: Date;
  todayStart: Date;
}

export async function databaseClock(db: Database): Promise<Clock> {
  const [row] = await db.query<Clock>(
    `SELECT now() AS now,
       date_trunc('month', now() AT TIME ZONE 'Europe/Moscow') AT TIME ZONE 'Europe/Moscow' AS "monthStart",
       date_trunc('day', now() AT TIME ZONE 'Europe/Moscow') AT TIME ZONE 'Europe/Moscow' AS "todayStart"`
  );
  return row!;
}

/** The Moscow calendar day (YYYY-MM-DD) `days` days before today. */
export function moscowDay(clock: Clock, daysAgo: number): string {
  const noon = new Date(clock.todayStart.getTime() + 12 * HOUR - daysAgo * DAY);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(noon);
}

interface ConnectionSpec {
  name: string;
  provider: string;
  enabled?: boolean;
  deleted?: boolean;
  createdHoursAgo?: number;
}

export class Seeder {
  constructor(
    readonly db: Database,
    readonly clock: Clock
  ) {}

  async connection(tenantId: string, spec: ConnectionSpec): Promise<string> {
    const [row] = await this.db.query<{ id: string }>(
      `INSERT INTO connections (tenant_id, name, provider, enabled, deleted_at, created_at)
       VALUES ($1, $2, $3, $4, CASE WHEN $5 THEN now() END, now() - make_interval(hours => $6)) RETURNING id`,
      [tenantId, spec.name, spec.provider, spec.enabled ?? true, spec.deleted ?? false, spec.createdHoursAgo ?? 40]
    );
    return row!.id;
  }

  /** A finished sync that ended `hoursAgo` hours ago. */
  async snapshot(tenantId: string, connectionId: string, status: string, hoursAgo: number, error?: string) {
    const [row] = await this.db.query<{ id: string }>(
      `INSERT INTO sync_snapshots (tenant_id, connection_id, status, started_at, completed_at, error_message)
       VALUES ($1, $2, $3, now() - make_interval(hours => $4) - interval '5 minutes', now() - make_interval(hours => $4), $5)
       RETURNING id`,
      [tenantId, connectionId, status, hoursAgo, error ?? null]
    );
    return row!.id;
  }

  async balance(
    tenantId: string,
    connectionId: string,
    b: { hoursAgo: number; balance: string; dailySpend: string | null; daysToBlock: number | null; currency?: string }
  ) {
    await this.db.query(
      `INSERT INTO account_balances (tenant_id, connection_id, ts, balance, currency, daily_spend, days_to_block)
       VALUES ($1, $2, now() - make_interval(hours => $3), $4, $5, $6, $7)`,
      [tenantId, connectionId, b.hoursAgo, b.balance, b.currency ?? 'RUB', b.dailySpend, b.daysToBlock]
    );
  }

  async resource(
    tenantId: string,
    connectionId: string,
    r: {
      pid: string;
      name: string;
      type: string;
      zombie?: boolean;
      orphan?: boolean;
      active?: boolean;
      firstSeenHoursAgo?: number;
      monthlyCost?: string | null;
      tags?: Record<string, string>;
      businessUnit?: string;
      provider?: string;
    }
  ): Promise<string> {
    const [row] = await this.db.query<{ id: string }>(
      `INSERT INTO resources (tenant_id, connection_id, provider, provider_resource_id, name, type, status, is_zombie,
         is_orphan, active, first_seen, monthly_cost, daily_cost, currency, tags, business_unit)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() - make_interval(hours => $11), $12::numeric,
         $12::numeric / 30, CASE WHEN $12::numeric IS NULL THEN NULL ELSE 'RUB' END, $13, $14)
       RETURNING id`,
      [
        tenantId,
        connectionId,
        r.provider ?? 'yandex',
        r.pid,
        r.name,
        r.type,
        r.zombie ? 'DELETED' : 'RUNNING',
        r.zombie ?? false,
        r.orphan ?? false,
        r.active ?? true,
        r.firstSeenHoursAgo ?? 200,
        r.monthlyCost ?? null,
        r.tags ?? {},
        r.businessUnit ?? null,
      ]
    );
    return row!.id;
  }

  /** A resource state recorded by a snapshot: created with the given flags, or an update with changes. */
  async state(
    tenantId: string,
    snapshotId: string,
    resourceId: string,
    s: { action: 'created' | 'updated'; current?: Record<string, unknown>; changes?: Record<string, unknown> }
  ) {
    await this.db.query(
      `INSERT INTO resource_states (tenant_id, snapshot_id, resource_id, provider_resource_id, resource_type,
         resource_name, action, current_state, changes)
       SELECT $1, $2, r.id, r.provider_resource_id, r.type, r.name, $4, $5, $6 FROM resources r WHERE r.id = $3`,
      [tenantId, snapshotId, resourceId, s.action, s.current ?? null, s.changes ?? {}]
    );
  }

  async anomaly(
    tenantId: string,
    a: {
      kind: 'connection' | 'service';
      key: string;
      connectionId: string;
      daysAgo: number;
      impact: string;
      feedback?: string;
    }
  ) {
    const expected = '1000';
    await this.db.query(
      `INSERT INTO anomalies (tenant_id, connection_id, scope_kind, scope_key, day, actual, expected, lower_bound,
         upper_bound, score, impact, currency, feedback)
       VALUES ($1, $2, $3, $4, $5::date, $6::numeric + $7::numeric, $6, $6::numeric * 0.9, $6::numeric * 1.1, 5, $7, 'RUB', $8)`,
      [
        tenantId,
        a.connectionId,
        a.kind,
        a.key,
        moscowDay(this.clock, a.daysAgo),
        expected,
        a.impact,
        a.feedback ?? null,
      ]
    );
  }

  async budget(
    tenantId: string,
    b: {
      name: string;
      amount: string;
      currency?: string;
      period?: string;
      scope: Record<string, string>;
      thresholds: number[];
      forecast: number[];
    }
  ): Promise<string> {
    const [row] = await this.db.query<{ id: string }>(
      `INSERT INTO budgets (tenant_id, name, amount, currency, period, scope, thresholds, forecast_thresholds)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [tenantId, b.name, b.amount, b.currency ?? 'RUB', b.period ?? 'monthly', b.scope, b.thresholds, b.forecast]
    );
    return row!.id;
  }

  /** Billing lines, then the daily rollup over everything written. */
  async costs(rows: CostRecordInput[]) {
    await upsertCostRecords(this.db, rows);
    const starts = rows.map((r) => new Date(r.chargePeriodStart).getTime());
    await refreshCostDaily(this.db, 'plain', {
      from: new Date(Math.min(...starts) - 2 * DAY),
      to: new Date(Math.max(...starts) + 2 * DAY),
    });
  }
}

export function line(
  tenantId: string,
  connectionId: string,
  provider: string,
  at: Date,
  amount: string,
  extra: Partial<CostRecordInput> = {}
): CostRecordInput {
  return {
    tenantId,
    connectionId,
    provider,
    resourceId: extra.resourceId ?? 'vm-1',
    lineKey: extra.lineKey ?? `usage-${at.getTime()}`,
    chargePeriodStart: at,
    chargePeriodEnd: new Date(at.getTime() + HOUR),
    billedCost: amount,
    effectiveCost: amount,
    billingCurrency: 'RUB',
    serviceName: 'Compute',
    ...extra,
  };
}

export interface Scenarios {
  tenantA: string;
  tenantB: string;
  connections: Record<string, string>;
}

/** Tenant A (Grafana org 1) with every case, tenant B (org 2) with a few that fire only for B. */
export async function seedAlertScenarios(db: Database, clock: Clock): Promise<Scenarios> {
  const s = new Seeder(db, clock);
  const a = (await insertTenant(db, 1, 'Org A')).id;
  const b = (await insertTenant(db, 2, 'Org B')).id;
  const c: Record<string, string> = {};
  const conn = async (key: string, tenant: string, spec: ConnectionSpec) => (c[key] = await s.connection(tenant, spec));

  // Sync health: failing, stale, fresh and ignored connections.
  await conn('ok', a, { name: 'Yandex prod', provider: 'yandex' });
  await conn('fail', a, { name: 'Selectel main', provider: 'selectel' });
  await conn('stale', a, { name: 'Cloud.ru legacy', provider: 'cloudru' });
  await conn('edge', a, { name: 'VK edge', provider: 'vkcloud' });
  await conn('disabled', a, { name: 'Selectel old', provider: 'selectel', enabled: false });
  await conn('deleted', a, { name: 'Removed', provider: 'yandex', deleted: true });
  await conn('interrupted', a, { name: 'Yandex interrupted', provider: 'yandex' });
  await conn('partial', a, { name: 'Yandex partial', provider: 'yandex' });
  await conn('never', a, { name: 'Never synced', provider: 'cloudru', createdHoursAgo: 30 });
  await conn('new', a, { name: 'Just added', provider: 'vkcloud', createdHoursAgo: 1 });
  await conn('begetLow', a, { name: 'Beget low', provider: 'beget' });
  await conn('begetOk', a, { name: 'Beget ok', provider: 'beget' });
  await conn('yandexBalance', a, { name: 'Yandex billing', provider: 'yandex' });
  await conn('vkZero', a, { name: 'VK zero', provider: 'vkcloud' });
  await conn('vkIdle', a, { name: 'VK idle', provider: 'vkcloud' });
  await conn('bFail', b, { name: 'B Selectel', provider: 'selectel' });
  await conn('bBeget', b, { name: 'B Beget', provider: 'beget' });

  await s.snapshot(a, c.ok!, 'success', 2);
  await s.snapshot(a, c.fail!, 'success', 5);
  await s.snapshot(a, c.fail!, 'error', 1, 'HTTP 503 from api.selectel.ru');
  await s.snapshot(a, c.stale!, 'success', 27);
  await s.snapshot(a, c.edge!, 'success', 25);
  await s.snapshot(a, c.disabled!, 'success', 100);
  await s.snapshot(a, c.disabled!, 'error', 99, 'token expired');
  await s.snapshot(a, c.deleted!, 'error', 1, 'gone');
  await s.snapshot(a, c.interrupted!, 'success', 3);
  await s.snapshot(a, c.interrupted!, 'interrupted', 1, 'collector restarted during the sync');
  await s.snapshot(a, c.partial!, 'partial', 1, 'monitoring: HTTP 429');
  for (const key of ['begetLow', 'begetOk', 'yandexBalance', 'vkZero', 'vkIdle'])
    await s.snapshot(a, c[key]!, 'success', 1);
  await s.snapshot(b, c.bFail!, 'success', 3);
  await s.snapshot(b, c.bFail!, 'error', 1, 'HTTP 401');
  await s.snapshot(b, c.bBeget!, 'success', 1);

  // Balances: runway from the provider's daily spend, from the last seven days of cost, spent, idle.
  await s.balance(a, c.begetLow!, { hoursAgo: 1, balance: '600', dailySpend: '100', daysToBlock: 6 });
  await s.balance(a, c.begetOk!, { hoursAgo: 72, balance: '100', dailySpend: '100', daysToBlock: 1 });
  await s.balance(a, c.begetOk!, { hoursAgo: 1, balance: '800', dailySpend: '100', daysToBlock: 7 });
  await s.balance(a, c.yandexBalance!, { hoursAgo: 1, balance: '690', dailySpend: null, daysToBlock: 3 });
  await s.balance(a, c.vkZero!, { hoursAgo: 1, balance: '0', dailySpend: '50', daysToBlock: null });
  await s.balance(a, c.vkIdle!, { hoursAgo: 1, balance: '100', dailySpend: '0', daysToBlock: null });
  await s.balance(b, c.bBeget!, { hoursAgo: 1, balance: '50', dailySpend: '25', daysToBlock: 2 });

  // Costs: this month's first day for the budgets, last month for a cost that must not count, and the
  // last seven complete days (plus today and another currency, which must not count) for the runway.
  const month = clock.monthStart;
  const rows: CostRecordInput[] = [
    line(a, c.fail!, 'selectel', month, '850'),
    line(a, c.fail!, 'selectel', new Date(month.getTime() - DAY), '5000'),
    line(a, c.ok!, 'yandex', month, '10', { billingCurrency: 'USD', resourceId: 'vm-ok' }),
    line(a, c.ok!, 'yandex', month, '300', { resourceId: 'vol-ok', serviceName: 'Storage' }),
    line(a, c.edge!, 'vkcloud', month, '20', { resourceId: 'vm-e' }),
    line(a, c.stale!, 'cloudru', month, '600', { resourceId: 'vm-prod' }),
    line(b, c.bFail!, 'selectel', month, '850'),
  ];
  for (let d = 1; d <= 7; d++) {
    rows.push(
      line(a, c.yandexBalance!, 'yandex', new Date(clock.todayStart.getTime() - d * DAY + 12 * HOUR), '100', {
        resourceId: '',
      })
    );
  }
  rows.push(
    line(a, c.yandexBalance!, 'yandex', new Date(clock.todayStart.getTime() + 60_000), '1000', { resourceId: '' })
  );
  rows.push(
    line(a, c.yandexBalance!, 'yandex', new Date(clock.todayStart.getTime() - 2 * DAY + 12 * HOUR), '5', {
      resourceId: 'usd',
      billingCurrency: 'USD',
    })
  );
  await s.costs(rows);
  await db.query(
    `INSERT INTO fx_rates (tenant_id, from_currency, to_currency, rate_date, rate) VALUES ($1, 'USD', 'RUB', $2::date, 90)`,
    [a, moscowDay(clock, 400)]
  );
  await s.resource(a, c.stale!, {
    pid: 'vm-prod',
    name: 'prod-1',
    type: 'server',
    provider: 'cloudru',
    tags: { env: 'prod' },
  });

  // Budgets: two thresholds crossed, exceeded, far below, a tag scope; B's own.
  const budgets: [string, Parameters<Seeder['budget']>[1]][] = [
    [
      a,
      {
        name: 'Selectel main',
        amount: '1000',
        scope: { kind: 'connection', value: c.fail! },
        thresholds: [50, 80, 100],
        forecast: [80],
      },
    ],
    [
      a,
      {
        name: 'Yandex prod',
        amount: '1000',
        scope: { kind: 'connection', value: c.ok! },
        thresholds: [50, 80, 100],
        forecast: [100],
      },
    ],
    [
      a,
      {
        name: 'VK edge',
        amount: '1000',
        scope: { kind: 'connection', value: c.edge! },
        thresholds: [50, 80, 100],
        forecast: [100],
      },
    ],
    [
      a,
      {
        name: 'Prod env',
        amount: '1000',
        scope: { kind: 'tag', tagKey: 'env', value: 'prod' },
        thresholds: [50, 80, 100],
        forecast: [],
      },
    ],
    [
      b,
      {
        name: 'B Selectel',
        amount: '100',
        scope: { kind: 'provider', value: 'selectel' },
        thresholds: [50, 80, 100],
        forecast: [100],
      },
    ],
  ];
  for (const [tenant, budget] of budgets) await s.budget(tenant, budget);

  // Anomalies: recent, two days old, a false positive, too old, confirmed, just outside the window, a drop.
  await s.anomaly(a, { kind: 'connection', key: c.ok!, connectionId: c.ok!, daysAgo: 1, impact: '500' });
  await s.anomaly(a, { kind: 'service', key: `${c.fail!}/Compute`, connectionId: c.fail!, daysAgo: 2, impact: '120' });
  await s.anomaly(a, {
    kind: 'connection',
    key: c.edge!,
    connectionId: c.edge!,
    daysAgo: 1,
    impact: '300',
    feedback: 'false_positive',
  });
  await s.anomaly(a, { kind: 'service', key: `${c.ok!}/Storage`, connectionId: c.ok!, daysAgo: 10, impact: '700' });
  await s.anomaly(a, {
    kind: 'connection',
    key: c.stale!,
    connectionId: c.stale!,
    daysAgo: 1,
    impact: '50',
    feedback: 'confirmed',
  });
  await s.anomaly(a, {
    kind: 'connection',
    key: c.interrupted!,
    connectionId: c.interrupted!,
    daysAgo: 3,
    impact: '80',
  });
  await s.anomaly(a, { kind: 'connection', key: c.partial!, connectionId: c.partial!, daysAgo: 1, impact: '-50' });
  await s.anomaly(b, { kind: 'connection', key: c.bFail!, connectionId: c.bFail!, daysAgo: 1, impact: '999' });

  // Waste: flagged just now (created, turned orphan, no history), flagged long ago, inactive, deleted connection.
  const snap72 = await s.snapshot(a, c.ok!, 'success', 72);
  const snap50 = await s.snapshot(a, c.ok!, 'success', 50);
  const snap30 = await s.snapshot(a, c.ok!, 'success', 30);
  const snap2 = await s.snapshot(a, c.ok!, 'success', 2);
  const snap1 = await s.snapshot(a, c.ok!, 'success', 1);
  const z1 = await s.resource(a, c.ok!, {
    pid: 'vm-zombie-1',
    name: 'old-vm',
    type: 'server',
    zombie: true,
    monthlyCost: '3000',
  });
  await s.state(a, snap2, z1, { action: 'created', current: { zombie: true, orphan: false } });
  const z2 = await s.resource(a, c.ok!, {
    pid: 'vm-zombie-2',
    name: 'older-vm',
    type: 'server',
    zombie: true,
    monthlyCost: '900',
  });
  await s.state(a, snap72, z2, { action: 'created', current: { zombie: true, orphan: false } });
  const o1 = await s.resource(a, c.ok!, {
    pid: 'disk-1',
    name: 'disk-orphan',
    type: 'volume',
    orphan: true,
    monthlyCost: '450',
  });
  await s.state(a, snap50, o1, { action: 'created', current: { zombie: false, orphan: false } });
  await s.state(a, snap1, o1, { action: 'updated', changes: { orphan: { from: false, to: true } } });
  const o2 = await s.resource(a, c.ok!, {
    pid: 'disk-2',
    name: 'disk-gone',
    type: 'volume',
    orphan: true,
    active: false,
  });
  await s.state(a, snap1, o2, { action: 'updated', changes: { orphan: { from: false, to: true } } });
  const z3 = await s.resource(a, c.ok!, {
    pid: 'vm-zombie-3',
    name: 'zombie-30h',
    type: 'server',
    zombie: true,
    monthlyCost: '60',
  });
  await s.state(a, snap30, z3, { action: 'created', current: { zombie: true } });
  await s.state(a, snap1, z3, { action: 'updated', changes: { dailyCost: { from: '1', to: '2' } } });
  await s.resource(a, c.ok!, { pid: 'ip-1', name: 'ip-orphan', type: 'ip', orphan: true, firstSeenHoursAgo: 2 });
  const snapDeleted = await s.snapshot(a, c.deleted!, 'success', 1);
  const z4 = await s.resource(a, c.deleted!, { pid: 'vm-x', name: 'removed-conn-vm', type: 'server', zombie: true });
  await s.state(a, snapDeleted, z4, { action: 'created', current: { zombie: true } });
  const snapB = await s.snapshot(b, c.bFail!, 'success', 2);
  const zb = await s.resource(b, c.bFail!, {
    pid: 'b-vm',
    name: 'b-zombie',
    type: 'server',
    zombie: true,
    provider: 'selectel',
  });
  await s.state(b, snapB, zb, { action: 'created', current: { zombie: true } });
  return { tenantA: a, tenantB: b, connections: c };
}

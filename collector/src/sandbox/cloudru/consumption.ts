/**
 * Daily consumption rows, generated on demand from the meters. A full day bills `usefactPerDay` units;
 * today (the day containing now) bills the complete hours elapsed so far. `amount` = usefact × unit
 * price without VAT; `amount_nds` is the amount with VAT (20 % before 2026, 22 % from 2026, as the
 * live API answers), so the connector must read the VAT from the data rather than assume a rate.
 * Everything is integer arithmetic in rouble ten-thousandths.
 */
import { Decimal } from 'decimal.js';
import { dateOf, dayOf, dayStart, HOUR_MS, type CloudruAccount, type Meter } from './model.js';

const VAT_2026_DAY = Date.UTC(2026, 0, 1) / 86_400_000;

/** Rouble ten-thousandths as a decimal string: 12345 → "1.2345", 10000 → "1". */
export function roubles(units: number): string {
  return new Decimal(units).div(10_000).toFixed();
}

export interface Charge {
  meter: Meter;
  day: number;
  usefact: number;
  amount: number;
  vat: number;
}

/** The usefact of a meter on a day, or 0 when not billed then. */
function usefactOf(m: Meter, day: number, now: Date): number {
  const today = dayOf(now.getTime());
  if (day < m.fromDay || day >= m.toDay || day > today) return 0;
  const full = m.usefactPerDay + m.usefactGrowth * (day - m.fromDay);
  if (day < today) return full;
  const hours = Math.floor((now.getTime() - dayStart(today)) / HOUR_MS);
  return Math.floor((full * hours) / 24);
}

export function chargeOf(m: Meter, day: number, now: Date): Charge | undefined {
  const usefact = usefactOf(m, day, now);
  if (usefact <= 0) return undefined;
  const amount = usefact * m.unitPrice;
  const rate = day >= VAT_2026_DAY ? 22 : 20;
  return { meter: m, day, usefact, amount, vat: Math.round((amount * rate) / 100) };
}

/** Charges of the days [fromDay, toDay] (inclusive, as the API reads dates), for the given projects. */
export function charges(
  account: CloudruAccount,
  fromDay: number,
  toDay: number,
  projectIds: ReadonlySet<string> | undefined,
  now: Date
): Charge[] {
  const out: Charge[] = [];
  const meters = account.meters.filter((m) => !projectIds || projectIds.has(m.projectId));
  for (let day = fromDay; day <= toDay; day++) {
    for (const m of meters) {
      const charge = chargeOf(m, day, now);
      if (charge) out.push(charge);
    }
  }
  return out;
}

/** A row as the API writes it. */
export function rowJson(account: CloudruAccount, c: Charge, now: Date): Record<string, unknown> {
  const project = account.projects.find((p) => p.id === c.meter.projectId)!;
  const value = (units: number) => (c.meter.asStrings ? roubles(units) : Number(roubles(units)));
  return {
    dog_id: `EVO-${project.id.slice(0, 8)}`,
    dmid: `${c.meter.sku}:${c.meter.objectId || 'account'}:${dateOf(c.day)}`,
    sku: c.meter.sku,
    servname: c.meter.servname,
    resource_id: c.meter.objectId,
    resource_name: c.meter.objectName,
    usedate: dateOf(c.day),
    amount: value(c.amount),
    amount_nds: value(c.amount + c.vat),
    cost: value(c.meter.unitPrice),
    unit: c.meter.unit,
    usefact: c.meter.asStrings ? String(c.usefact) : c.usefact,
    platform: 'evolution',
    meta: { iam_project_name: project.name, tenant_name: account.customerName, project_id: project.id },
    updated_dt: new Date(Math.min(now.getTime(), dayStart(c.day + 1))).toISOString(),
  };
}

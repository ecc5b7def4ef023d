/**
 * The recommendations engine: loads one tenant's facts, runs every detector, and reconciles the result
 * with the stored recommendations by fingerprint (kind + connection + provider resource id):
 * - new findings are inserted as open;
 * - findings seen again get fresh figures and evidence; their status is the people's (accepted,
 *   dismissed, done stay), except that resolved ones reopen and snoozed ones reopen once their time is up;
 * - stored ones not found again are resolved (dismissed ones stay dismissed, done ones record when the
 *   cause was seen gone) — unless a detector could not judge them this time (metrics missing), which
 *   leaves them untouched instead of flapping.
 * Runs after every sync and on demand; one run per tenant at a time.
 */
import { Decimal } from 'decimal.js';
import type { Database, Queryable } from '../../storage/db.js';
import {
  analysisResources,
  billedLineTotals,
  countOpen,
  insertRecommendations,
  resolveRecommendations,
  storedRecommendations,
  updateRecommendations,
  utilizationStats,
  wakeSnoozed,
  type RateLineRow,
  type RecommendationWrite,
} from '../../storage/repositories/recommendations.js';
import { addDays } from '../forecast.js';
import { reportingDay } from '../history.js';
import { detectIdleDatabases } from './idle-database.js';
import { detectOffHours } from './off-hours.js';
import { detectOrphanVolumes } from './orphan-volume.js';
import { detectUnusedIps } from './release-ip.js';
import { detectRightsize, RIGHTSIZE_CPU_P95 } from './rightsize.js';
import { detectStoppedVmDisks } from './stopped-vm-disks.js';
import { detectStorageTier } from './storage-tier.js';
import type { Locale } from './texts.js';
import type { AnalysisInput, Candidate, Detector, UnitRates, UtilizationStats } from './types.js';
import { detectZombies } from './zombie.js';

/** Utilization look-back (the 14 days). */
export const LOOKBACK_DAYS = 14;

export const DETECTORS: Detector[] = [
  detectRightsize,
  detectZombies,
  detectOrphanVolumes,
  detectUnusedIps,
  detectStoppedVmDisks,
  detectIdleDatabases,
  detectOffHours,
  detectStorageTier,
];

export interface RecommendationRunResult {
  created: number;
  updated: number;
  resolved: number;
  open: number;
}

export async function runRecommendations(db: Database, tenantId: string, now: Date): Promise<RecommendationRunResult> {
  return db.withTenant(tenantId, (tx) => refreshTenant(tx, tenantId, now));
}

export async function refreshTenant(tx: Queryable, tenantId: string, now: Date): Promise<RecommendationRunResult> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('infrazen.recommendations:' || $1))`, [tenantId]);
  const input = await loadAnalysisInput(tx, now);
  const candidates: Candidate[] = [];
  const undecided = new Set<string>();
  for (const detect of DETECTORS) {
    const result = detect(input);
    candidates.push(...result.candidates);
    for (const f of result.undecided) undecided.add(f);
  }
  const stored = new Map((await storedRecommendations(tx)).map((s) => [s.fingerprint, s]));
  const inserts: RecommendationWrite[] = [];
  const updates: (RecommendationWrite & { id: string })[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.fingerprint)) continue;
    seen.add(c.fingerprint);
    const write = toWrite(c);
    const existing = stored.get(c.fingerprint);
    if (existing) updates.push({ ...write, id: existing.id });
    else inserts.push(write);
  }
  const gone = [...stored.values()]
    .filter((s) => !seen.has(s.fingerprint) && !undecided.has(s.fingerprint))
    .map((s) => s.id);
  await insertRecommendations(tx, tenantId, now, inserts);
  await updateRecommendations(tx, now, updates);
  const resolved = await resolveRecommendations(tx, now, gone);
  await wakeSnoozed(tx, now);
  return { created: inserts.length, updated: updates.length, resolved, open: await countOpen(tx) };
}

function toWrite(c: Candidate): RecommendationWrite {
  return {
    connectionId: c.connectionId,
    resourceId: c.resourceId,
    fingerprint: c.fingerprint,
    kind: c.kind,
    title: c.title,
    action: c.action,
    currentMonthlyCost: c.currentMonthlyCost?.toFixed(2) ?? null,
    estimatedMonthlySavings: c.estimatedMonthlySavings?.toFixed(2) ?? null,
    currency: c.currency,
    confidence: c.confidence,
    evidence: c.evidence,
  };
}

export async function loadAnalysisInput(tx: Queryable, now: Date): Promise<AnalysisInput> {
  const today = reportingDay(now);
  const since = new Date(now.getTime() - LOOKBACK_DAYS * 86_400_000);
  const [tenant] = await tx.query<{ locale: Locale }>(`SELECT locale FROM tenants`);
  const rows = await analysisResources(tx, addDays(today, -365));
  const resources = rows.map((r) => ({
    id: r.id,
    connectionId: r.connection_id,
    connectionName: r.connection_name,
    connectionSettings: r.connection_settings,
    provider: r.provider,
    providerResourceId: r.provider_resource_id,
    name: r.name,
    type: r.type,
    status: r.status,
    zombie: r.is_zombie,
    orphan: r.is_orphan,
    parentId: r.parent_id,
    specs: r.specs,
    tags: r.tags,
    environment: r.environment,
    dailyCost: r.daily_cost === null ? null : new Decimal(r.daily_cost),
    monthlyCost: r.monthly_cost === null ? null : new Decimal(r.monthly_cost),
    costSource: r.cost_source,
    currency: r.currency,
    firstSeenDay: r.first_seen_day,
    lastOwnCostDay: r.last_own_cost_day,
    connectionFirstCostDay: r.connection_first_cost_day,
  }));
  const utilization = new Map<string, Partial<Record<UtilizationStats['metric'], UtilizationStats>>>();
  for (const u of await utilizationStats(tx, since)) {
    const entry = utilization.get(u.resource_uuid) ?? {};
    entry[u.metric] = {
      metric: u.metric,
      p95: u.p95,
      avg: u.avg,
      max: u.max,
      hours: u.hours,
      firstHour: u.first_hour,
      lastHour: u.last_hour,
      offHoursP95: u.off_p95,
      offHours: u.off_hours,
      weekendHours: u.weekend_hours,
      businessP95: u.business_p95,
    };
    utilization.set(u.resource_uuid, entry);
  }
  // Unit rates only for the VMs rightsizing may touch: their billing lines are read in full.
  const lowCpu = resources
    .filter((r) => r.type === 'server' && (utilization.get(r.id)?.cpu_utilization?.p95 ?? 100) < RIGHTSIZE_CPU_P95)
    .map((r) => r.id);
  const rates = unitRates(await billedLineTotals(tx, lowCpu, since));
  return {
    locale: tenant?.locale === 'en' ? 'en' : 'ru',
    now,
    today,
    windowDays: LOOKBACK_DAYS,
    resources,
    utilization,
    rates,
  };
}

const CPU_LINE = /core|cpu/i;
const RAM_LINE = /ram|memory/i;
const MB_UNIT = /^mb|^mib|megabyte/i;
const GB_UNIT = /^gb|^gib|gigabyte|gbyte/i;

/**
 * Per resource: what a vCPU-hour and a GB-hour of RAM cost it, from its own lines — total cost ÷ total
 * quantity per kind (an hourly line's quantity is the vCPUs or MB it ran with that hour, a daily line's
 * the unit-hours), so a VM resized within the window gets the average rate.
 */
export function unitRates(lines: RateLineRow[]): Map<string, UnitRates> {
  const sums = new Map<
    string,
    { currency: string; cpu?: [Decimal, Decimal]; ram?: [Decimal, Decimal]; lines: UnitRates['lines'] }
  >();
  for (const line of lines) {
    const text = `${line.line_key} ${line.description ?? ''}`;
    const kind = CPU_LINE.test(text) ? 'cpu' : RAM_LINE.test(text) ? 'ram' : undefined;
    if (!kind) continue;
    let quantity = new Decimal(line.quantity);
    if (kind === 'ram') {
      if (MB_UNIT.test(line.unit ?? '')) quantity = quantity.div(1024);
      else if (!GB_UNIT.test(line.unit ?? '')) continue;
    }
    const entry = sums.get(line.resource_uuid) ?? { currency: line.currency, lines: [] };
    if (entry.currency !== line.currency) continue;
    const [cost, qty] = entry[kind] ?? [new Decimal(0), new Decimal(0)];
    entry[kind] = [cost.plus(line.cost), qty.plus(quantity)];
    entry.lines.push({
      lineKey: line.line_key,
      unit: line.unit,
      cost: line.cost,
      quantity: line.quantity,
      hours: line.hours,
    });
    sums.set(line.resource_uuid, entry);
  }
  const out = new Map<string, UnitRates>();
  for (const [id, e] of sums) {
    out.set(id, {
      currency: e.currency,
      lines: e.lines,
      ...(e.cpu && e.cpu[1].gt(0) ? { vcpuHour: e.cpu[0].div(e.cpu[1]) } : {}),
      ...(e.ram && e.ram[1].gt(0) ? { ramGbHour: e.ram[0].div(e.ram[1]) } : {}),
    });
  }
  return out;
}

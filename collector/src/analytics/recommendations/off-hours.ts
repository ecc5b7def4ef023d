/**
 * Off-hours schedule: a running non-production VM (by environment, tag or name) whose CPU stays near
 * zero at night and on weekends can run Mon–Fri 08:00–20:00 only. Compute is billed per running hour,
 * so the saving is the hours outside that schedule × the VM's hourly compute cost; its disks are billed
 * either way and are not counted.
 */
import { resourceCandidate } from './common.js';
import { metricEvidence, ownMonthlyCost } from './rightsize.js';
import {
  fingerprintOf,
  round2,
  type AnalysisInput,
  type AnalysisResource,
  type Candidate,
  type DetectorResult,
} from './types.js';

export const OFF_HOURS_CPU_P95 = 5;
/** Mon–Fri 08:00–20:00: 60 of the week's 168 hours. */
export const SCHEDULE = { days: 'Mon–Fri', from: '08:00', to: '20:00', hoursPerWeek: 60 };
const WEEK_HOURS = 168;

const NON_PROD = /^(dev|develop|development|test|testing|stage|staging|stg|qa|uat|sandbox|demo|preprod|nonprod)$/i;
const PROD = /^(prod|production|prd|live)$/i;
const NAME_TOKEN = /(?:^|[^a-z])(dev|test|testing|stage|staging|stg|qa|uat|sandbox|demo|preprod)(?:[^a-z]|$)/i;
const ENV_TAGS = ['env', 'environment', 'stage', 'tier'];

/** Why a resource counts as non-production, or undefined when it does not (or is production). */
export function nonProductionReason(r: Pick<AnalysisResource, 'environment' | 'tags' | 'name'>): string | undefined {
  if (r.environment) return NON_PROD.test(r.environment) ? `environment ${r.environment}` : undefined;
  for (const key of ENV_TAGS) {
    const value = Object.entries(r.tags).find(([k]) => k.toLowerCase() === key)?.[1];
    if (value !== undefined) return NON_PROD.test(value) ? `tag ${key}=${value}` : undefined;
  }
  if (PROD.test(r.name)) return undefined;
  const token = NAME_TOKEN.exec(r.name)?.[1];
  return token ? `name contains "${token}"` : undefined;
}

export function detectOffHours(input: AnalysisInput): DetectorResult {
  const candidates: Candidate[] = [];
  const undecided: string[] = [];
  for (const r of input.resources) {
    if (r.type !== 'server' || r.status !== 'RUNNING' || r.zombie) continue;
    const reason = nonProductionReason(r);
    if (!reason) continue;
    const cpu = input.utilization.get(r.id)?.cpu_utilization;
    // Judging nights and weekends needs at least two nights' and one weekend day's worth of hours.
    if (!cpu || cpu.offHours < 48 || cpu.weekendHours < 24 || cpu.offHoursP95 === null) {
      undecided.push(fingerprintOf('off_hours_schedule', r));
      continue;
    }
    if (cpu.offHoursP95 >= OFF_HOURS_CPU_P95) continue;
    const compute = ownMonthlyCost(r);
    if (!compute || compute.lte(0)) continue;
    const share = (WEEK_HOURS - SCHEDULE.hoursPerWeek) / WEEK_HOURS;
    const savings = compute.mul(share);
    const hoursSavedPerMonth = Math.round(share * 720 * 10) / 10;
    candidates.push(
      resourceCandidate(
        input,
        r,
        'off_hours_schedule',
        { env: reason, cpu: cpu.offHoursP95.toFixed(1) },
        savings,
        0.45 + 0.3 * Math.min(1, cpu.hours / (input.windowDays * 24)),
        {
          nonProduction: reason,
          schedule: { ...SCHEDULE, timeZone: 'Europe/Moscow' },
          threshold: { offHoursCpuP95: OFF_HOURS_CPU_P95 },
          cpu: {
            ...metricEvidence(cpu),
            offHoursP95: Math.round(cpu.offHoursP95 * 10) / 10,
            businessHoursP95: cpu.businessP95 === null ? null : Math.round(cpu.businessP95 * 10) / 10,
            offHours: cpu.offHours,
            weekendHours: cpu.weekendHours,
          },
          computeMonthly: round2(compute).toFixed(),
          hourlyCompute: compute.div(720).toDecimalPlaces(4).toFixed(),
          hoursSavedPerMonth,
          savingsRule: `compute monthly × ${WEEK_HOURS - SCHEDULE.hoursPerWeek}/${WEEK_HOURS} (hours outside the schedule)`,
        }
      )
    );
  }
  return { candidates, undecided };
}

/**
 * Idle managed databases: CPU p95 under 5 % over the look-back. Only where the provider reports the
 * database's utilization; a database without metrics is never called idle.
 */
import { hasCost, resourceCandidate } from './common.js';
import { metricEvidence, MIN_METRIC_HOURS } from './rightsize.js';
import { fingerprintOf, type AnalysisInput, type Candidate, type DetectorResult } from './types.js';

export const IDLE_DATABASE_CPU_P95 = 5;

export function detectIdleDatabases(input: AnalysisInput): DetectorResult {
  const candidates: Candidate[] = [];
  const undecided: string[] = [];
  for (const r of input.resources) {
    if (r.type !== 'database' || r.zombie || !hasCost(r)) continue;
    const cpu = input.utilization.get(r.id)?.cpu_utilization;
    if (!cpu || cpu.hours < MIN_METRIC_HOURS) {
      undecided.push(fingerprintOf('idle_database', r));
      continue;
    }
    if (cpu.p95 >= IDLE_DATABASE_CPU_P95) continue;
    const days = Math.max(1, Math.round(cpu.hours / 24));
    const coverage = Math.min(1, cpu.hours / (input.windowDays * 24));
    candidates.push(
      resourceCandidate(
        input,
        r,
        'idle_database',
        { cpu: cpu.p95.toFixed(1), days },
        r.monthlyCost!,
        0.45 + 0.3 * coverage,
        {
          window: { from: cpu.firstHour.toISOString(), to: cpu.lastHour.toISOString(), days: input.windowDays },
          threshold: { cpuP95: IDLE_DATABASE_CPU_P95 },
          cpu: metricEvidence(cpu),
          memory: input.utilization.get(r.id)?.memory_utilization
            ? metricEvidence(input.utilization.get(r.id)!.memory_utilization!)
            : { unavailable: true },
          note: 'idleness judged by CPU only: check connections before deleting',
        }
      )
    );
  }
  return { candidates, undecided };
}

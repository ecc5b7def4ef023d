/** Stopped VMs whose disks are still billed: the disks' cost is the saving. */
import { Decimal } from 'decimal.js';
import { resourceCandidate } from './common.js';
import {
  DAYS_PER_MONTH,
  daysBetween,
  round2,
  type AnalysisInput,
  type Candidate,
  type DetectorResult,
} from './types.js';

/** A VM stopped for less than this may just be in maintenance. */
export const STOPPED_MIN_DAYS = 7;

export function detectStoppedVmDisks(input: AnalysisInput): DetectorResult {
  const candidates: Candidate[] = [];
  for (const r of input.resources) {
    if (r.type !== 'server' || r.status !== 'STOPPED' || r.specs.stoppedButBilled !== true) continue;
    const volumes = (r.specs.volumes as { name: string; sizeGb: number | null; dailyCost: string | null }[]) ?? [];
    const volumesDaily = volumes.reduce((a, v) => a.plus(v.dailyCost ?? 0), new Decimal(0));
    if (volumesDaily.lte(0)) continue;
    // Stopped at least since its own compute was last billed; never billed in the connection's billing
    // data means stopped at least since that data begins.
    const since = r.lastOwnCostDay ?? r.connectionFirstCostDay ?? r.firstSeenDay;
    const days = daysBetween(since, input.today);
    if (days < STOPPED_MIN_DAYS) continue;
    candidates.push(
      resourceCandidate(
        input,
        r,
        'stopped_vm_disks',
        { days },
        volumesDaily.mul(DAYS_PER_MONTH),
        0.55 + Math.min(days, 60) / 200,
        {
          stoppedForDays: days,
          stoppedSince: since,
          stoppedNote: r.lastOwnCostDay
            ? "days since the VM's own compute was last billed"
            : "no compute billed in the connection's billing data: stopped at least since it begins",
          volumes,
          volumesMonthly: round2(volumesDaily.mul(DAYS_PER_MONTH)).toFixed(),
        }
      )
    );
  }
  return { candidates, undecided: [] };
}

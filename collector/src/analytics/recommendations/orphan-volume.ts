/** Orphan volumes: attached to nothing (and folded into no VM) for at least a week, with their age and cost. */
import { hasCost, resourceCandidate } from './common.js';
import { daysBetween, specNumber, type AnalysisInput, type Candidate, type DetectorResult } from './types.js';

/** A volume younger than this may be about to be attached: not yet called waste. */
export const ORPHAN_MIN_AGE_DAYS = 7;

export function detectOrphanVolumes(input: AnalysisInput): DetectorResult {
  const candidates: Candidate[] = [];
  for (const r of input.resources) {
    if (r.type !== 'volume' || !r.orphan || r.zombie || !hasCost(r)) continue;
    const age = daysBetween(r.firstSeenDay, input.today);
    if (age < ORPHAN_MIN_AGE_DAYS) continue;
    const size = specNumber(r.specs, 'sizeGb');
    candidates.push(
      resourceCandidate(
        input,
        r,
        'delete_orphan_volume',
        { size: size ? `${size} GB` : '?', age },
        r.monthlyCost!,
        0.6 + Math.min(age, 90) / 300,
        {
          sizeGb: size ?? null,
          volumeType: r.specs.volumeType ?? null,
          ageDays: age,
          ageNote: 'age since the volume first appeared in billing or inventory data (it may be older)',
          attachedTo: [],
        }
      )
    );
  }
  return { candidates, undecided: [] };
}

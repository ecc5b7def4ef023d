/** Zombies: billed in the latest billing data, absent from a complete inventory; deleting stops the bill. */
import { hasCost, resourceCandidate } from './common.js';
import { type AnalysisInput, type DetectorResult } from './types.js';

export function detectZombies(input: AnalysisInput): DetectorResult {
  const zombies = new Set(input.resources.filter((r) => r.zombie).map((r) => r.id));
  const candidates = input.resources
    // A zombie VM's zombie disk is folded into it: one recommendation, one saving.
    .filter((r) => r.zombie && hasCost(r) && !(r.parentId && zombies.has(r.parentId)))
    .map((r) =>
      resourceCandidate(input, r, 'delete_zombie', { type: r.type }, r.monthlyCost!, 0.9, {
        reason: 'billed in the latest billing data but absent from the last complete inventory',
        lastBilledDay: r.lastOwnCostDay,
        children: input.resources.filter((c) => c.parentId === r.id).map((c) => ({ name: c.name, type: c.type })),
      })
    );
  return { candidates, undecided: [] };
}

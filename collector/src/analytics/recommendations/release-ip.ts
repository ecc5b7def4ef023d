/** Unused static IPs: reserved addresses the provider reports as used by nothing. */
import { hasCost, resourceCandidate } from './common.js';
import { type AnalysisInput, type DetectorResult } from './types.js';

export function detectUnusedIps(input: AnalysisInput): DetectorResult {
  const candidates = input.resources
    .filter((r) => r.type === 'ip' && !r.zombie && (r.orphan || r.specs.used === false) && hasCost(r))
    .map((r) =>
      resourceCandidate(input, r, 'release_ip', {}, r.monthlyCost!, 0.85, {
        address: r.specs.address ?? r.name,
        reserved: r.specs.reserved ?? null,
        used: r.specs.used ?? false,
        reason: 'a reserved address that the provider reports as used by nothing',
      })
    );
  return { candidates, undecided: [] };
}

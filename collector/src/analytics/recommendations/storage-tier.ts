/**
 * Storage tier downgrade: a Selectel volume on fast (NVMe) or universal SSD attached to a server that is
 * nearly idle (CPU p95 under 20 %) moves one tier down. Selectel prices volumes per GB-month by tier
 * (providers/selectel/prices.ts), so the saving is size × the price difference. Without disk I/O
 * metrics the load on the disk itself is unknown: confidence stays low and the evidence says so.
 */
import { Decimal } from 'decimal.js';
import { VOLUME_PRICES_PER_GB_MONTH, volumeTier, type VolumeTier } from '../../providers/selectel/prices.js';
import { resourceCandidate } from './common.js';
import { metricEvidence, MIN_METRIC_HOURS, RIGHTSIZE_CPU_P95 } from './rightsize.js';
import { specNumber, type AnalysisInput, type Candidate, type DetectorResult } from './types.js';

const DOWNGRADE: Partial<Record<VolumeTier, VolumeTier>> = { ssd_fast: 'ssd_universal', ssd_universal: 'ssd_basic' };
const TIER_NAMES: Record<VolumeTier, string> = {
  hdd_basic: 'HDD basic',
  ssd_basic: 'SSD basic',
  ssd_universal: 'SSD universal',
  ssd_fast: 'SSD NVMe fast',
};

export function detectStorageTier(input: AnalysisInput): DetectorResult {
  const candidates: Candidate[] = [];
  const byId = new Map(input.resources.map((r) => [r.id, r]));
  for (const r of input.resources) {
    if (r.type !== 'volume' || r.provider !== 'selectel' || r.orphan || r.zombie || !r.parentId) continue;
    const tier = volumeTier(typeof r.specs.volumeType === 'string' ? r.specs.volumeType : undefined);
    const target = tier && DOWNGRADE[tier];
    const size = specNumber(r.specs, 'sizeGb');
    if (!tier || !target || !size) continue;
    const server = byId.get(r.parentId);
    const cpu = server && input.utilization.get(server.id)?.cpu_utilization;
    if (!server || server.status !== 'RUNNING' || !cpu || cpu.hours < MIN_METRIC_HOURS || cpu.p95 >= RIGHTSIZE_CPU_P95)
      continue;
    const from = new Decimal(VOLUME_PRICES_PER_GB_MONTH[tier]);
    const to = new Decimal(VOLUME_PRICES_PER_GB_MONTH[target]);
    candidates.push(
      resourceCandidate(
        input,
        r,
        'storage_tier',
        { size: `${size} GB`, from: TIER_NAMES[tier], to: TIER_NAMES[target] },
        from.minus(to).mul(size),
        0.35 + (r.specs.bootable === true ? 0 : 0.05),
        {
          sizeGb: size,
          volumeType: r.specs.volumeType,
          tier: { from: tier, to: target },
          pricesPerGbMonth: {
            [tier]: from.toFixed(),
            [target]: to.toFixed(),
            source: 'Selectel reference volume prices',
          },
          server: { name: server.name, cpu: metricEvidence(cpu) },
          note: 'the disk’s own I/O is not measured: check its IOPS before moving it',
        }
      )
    );
  }
  return { candidates, undecided: [] };
}

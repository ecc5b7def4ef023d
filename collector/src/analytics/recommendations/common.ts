/** A recommendation about one resource, with the cost facts every kind's evidence carries. */
import type { Decimal } from 'decimal.js';
import { textFor } from './texts.js';
import {
  confidence,
  DAYS_PER_MONTH,
  fingerprintOf,
  round2,
  type AnalysisInput,
  type AnalysisResource,
  type Candidate,
} from './types.js';

export const hasCost = (r: AnalysisResource) => r.monthlyCost !== null && r.monthlyCost.gt(0);

export function resourceCandidate(
  input: AnalysisInput,
  r: AnalysisResource,
  kind: Candidate['kind'],
  params: Record<string, string | number>,
  savings: Decimal,
  score: number,
  evidence: Record<string, unknown>
): Candidate {
  return {
    fingerprint: fingerprintOf(kind, r),
    kind,
    connectionId: r.connectionId,
    resourceId: r.id,
    ...textFor(input.locale, kind, { name: r.name, ...params }),
    currentMonthlyCost: r.monthlyCost ? round2(r.monthlyCost) : null,
    estimatedMonthlySavings: round2(savings),
    currency: r.currency,
    confidence: confidence(score),
    evidence: {
      costSource: r.costSource,
      dailyCost: r.dailyCost?.toFixed() ?? null,
      monthlyCost: r.monthlyCost?.toFixed() ?? null,
      monthlyRule: `daily × ${DAYS_PER_MONTH}`,
      firstSeenDay: r.firstSeenDay,
      ...evidence,
    },
  };
}

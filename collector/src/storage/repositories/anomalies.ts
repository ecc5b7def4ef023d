/** Stored cost anomalies (runs inside withTenant: RLS scopes every statement to the tenant). */
import type { Decimal } from 'decimal.js';
import type { Queryable } from '../db.js';

export type AnomalyScopeKind = 'connection' | 'service';
export type AnomalyFeedback = 'confirmed' | 'false_positive';

/** A judged day: its cost, the baseline's expectation and band, and how far out it is. */
export interface AnomalyFigures {
  day: string;
  actual: Decimal;
  expected: Decimal;
  lower: Decimal;
  upper: Decimal;
  score: number;
  impact: Decimal;
}

export interface AnomalyInput extends AnomalyFigures {
  tenantId: string;
  connectionId: string | null;
  scopeKind: AnomalyScopeKind;
  scopeKey: string;
  currency: string;
  evidence: object;
}

export interface Anomaly {
  id: string;
  scopeKind: AnomalyScopeKind;
  scopeKey: string;
  scopeLabel: string;
  connectionId: string | null;
  day: string;
  actual: string;
  expected: string;
  lowerBound: string;
  upperBound: string;
  score: number;
  impact: string;
  currency: string;
  feedback: AnomalyFeedback | null;
  evidence: Record<string, unknown>;
  detectedAt: Date;
}

/** Keeps the detection's figures fresh; feedback and first detection time survive re-detection. */
export async function upsertAnomalies(tx: Queryable, items: AnomalyInput[]): Promise<void> {
  if (items.length === 0) return;
  await tx.query(
    `INSERT INTO anomalies (tenant_id, connection_id, scope_kind, scope_key, day, actual, expected, lower_bound,
       upper_bound, score, impact, currency, evidence)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::date[], $6::numeric[], $7::numeric[],
       $8::numeric[], $9::numeric[], $10::float8[], $11::numeric[], $12::text[], $13::jsonb[])
     ON CONFLICT (tenant_id, scope_kind, scope_key, day) DO UPDATE SET
       connection_id = EXCLUDED.connection_id, actual = EXCLUDED.actual, expected = EXCLUDED.expected,
       lower_bound = EXCLUDED.lower_bound, upper_bound = EXCLUDED.upper_bound, score = EXCLUDED.score,
       impact = EXCLUDED.impact, currency = EXCLUDED.currency, evidence = EXCLUDED.evidence`,
    [
      items.map((i) => i.tenantId),
      items.map((i) => i.connectionId),
      items.map((i) => i.scopeKind),
      items.map((i) => i.scopeKey),
      items.map((i) => i.day),
      items.map((i) => i.actual.toFixed()),
      items.map((i) => i.expected.toFixed(2)),
      items.map((i) => i.lower.toFixed(2)),
      items.map((i) => i.upper.toFixed(2)),
      items.map((i) => i.score),
      items.map((i) => i.impact.toFixed(2)),
      items.map((i) => i.currency),
      items.map((i) => JSON.stringify(i.evidence)),
    ]
  );
}

/**
 * Removes rows of judged days that are no longer anomalous (billing was restated), except those
 * someone gave feedback on. `judgedFrom`: per `<kind>:<key>`, the first day judged in this run.
 */
export async function deleteStaleAnomalies(
  tx: Queryable,
  judgedFrom: Map<string, string>,
  kept: { scopeKind: string; scopeKey: string; day: string }[]
): Promise<void> {
  if (judgedFrom.size === 0) return;
  const keys = [...judgedFrom.keys()];
  await tx.query(
    `DELETE FROM anomalies a USING unnest($1::text[], $2::date[]) AS j(scope, from_day)
     WHERE a.scope_kind || ':' || a.scope_key = j.scope AND a.day >= j.from_day AND a.feedback IS NULL
       AND NOT (a.scope_kind || ':' || a.scope_key || '@' || a.day::text = ANY($3::text[]))`,
    [keys, keys.map((k) => judgedFrom.get(k)), kept.map((k) => `${k.scopeKind}:${k.scopeKey}@${k.day}`)]
  );
}

/** Days with the given feedback, per `<kind>:<key>`. */
export async function anomalyFeedbackDays(tx: Queryable, feedback: AnomalyFeedback): Promise<Map<string, Set<string>>> {
  const rows = await tx.query<{ scope: string; day: string }>(
    `SELECT scope_kind || ':' || scope_key AS scope, day FROM anomalies WHERE feedback = $1`,
    [feedback]
  );
  const out = new Map<string, Set<string>>();
  for (const row of rows) {
    const set = out.get(row.scope) ?? new Set<string>();
    set.add(row.day);
    out.set(row.scope, set);
  }
  return out;
}

const SELECT = `
  SELECT a.id, a.scope_kind AS "scopeKind", a.scope_key AS "scopeKey",
    CASE WHEN a.scope_kind = 'service'
      THEN coalesce(c.name, '?') || ' · ' || coalesce(nullif(substring(a.scope_key FROM position('/' IN a.scope_key) + 1), ''), '(no service)')
      ELSE coalesce(c.name, a.scope_key) END AS "scopeLabel",
    a.connection_id AS "connectionId", a.day, a.actual, a.expected, a.lower_bound AS "lowerBound",
    a.upper_bound AS "upperBound", a.score, a.impact, a.currency, a.feedback, a.evidence, a.detected_at AS "detectedAt"
  FROM anomalies a LEFT JOIN connections c ON c.id = a.connection_id`;

export interface AnomalyFilter {
  fromDay?: string;
  toDay?: string;
  connectionId?: string;
  scopeKind?: AnomalyScopeKind;
  hideFalsePositives?: boolean;
  limit: number;
}

/** Newest day first, then the largest impact. `toDay` is exclusive. */
export async function listAnomalies(tx: Queryable, f: AnomalyFilter): Promise<Anomaly[]> {
  return tx.query<Anomaly>(
    `${SELECT}
     WHERE ($1::date IS NULL OR a.day >= $1) AND ($2::date IS NULL OR a.day < $2)
       AND ($3::uuid IS NULL OR a.connection_id = $3) AND ($4::text IS NULL OR a.scope_kind = $4)
       AND (NOT $5 OR a.feedback IS DISTINCT FROM 'false_positive')
     ORDER BY a.day DESC, a.impact DESC LIMIT $6`,
    [
      f.fromDay ?? null,
      f.toDay ?? null,
      f.connectionId ?? null,
      f.scopeKind ?? null,
      f.hideFalsePositives ?? false,
      f.limit,
    ]
  );
}

export async function getAnomaly(tx: Queryable, id: string): Promise<Anomaly | undefined> {
  const [row] = await tx.query<Anomaly>(`${SELECT} WHERE a.id = $1`, [id]);
  return row;
}

export async function setAnomalyFeedback(
  tx: Queryable,
  id: string,
  feedback: AnomalyFeedback | null
): Promise<boolean> {
  const rows = await tx.query(`UPDATE anomalies SET feedback = $2 WHERE id = $1 RETURNING id`, [id, feedback]);
  return rows.length > 0;
}

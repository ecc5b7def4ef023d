/** Shared by the time-series upserts: one row per key, and the time window a write touched. */
export interface WriteResult {
  written: number;
  window?: { from: Date; to: Date };
}

/**
 * Keeps the last row for each key (the same key twice in one INSERT … ON CONFLICT statement is an
 * error in PostgreSQL) and finds the earliest and latest timestamps, for the rollup refresh.
 */
export function dedupeWithWindow<T>(rows: T[], keyOf: (row: T) => string, timeOf: (row: T) => Date | string) {
  const unique = [...new Map(rows.map((r) => [keyOf(r), r])).values()];
  let from = Infinity;
  let to = -Infinity;
  for (const r of unique) {
    const t = new Date(timeOf(r)).getTime();
    from = Math.min(from, t);
    to = Math.max(to, t);
  }
  const window = unique.length ? { from: new Date(from), to: new Date(to) } : undefined;
  return { unique, window };
}

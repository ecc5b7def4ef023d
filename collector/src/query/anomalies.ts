/**
 * `anomalies`: detected cost anomalies in the time range as a table (also usable as annotations: time,
 * title, text), newest first. Filters on connection apply; days marked false positive are hidden unless
 * asked for.
 */
import type { AnomaliesQuery, DataFrameJSON } from '../contract/query.js';
import { reportingDay } from '../analytics/history.js';
import { listAnomalies } from '../storage/repositories/anomalies.js';
import type { QueryContext } from './context.js';
import { dayStart } from './forecast.js';
import { currencyUnit, frame, moneyValue } from './frames.js';

export async function runAnomalies(ctx: QueryContext, q: AnomaliesQuery): Promise<DataFrameJSON[]> {
  const connections = (q.filters ?? []).find((f) => f.dimension === 'connection' && f.op === 'include')?.values;
  const rows = (
    await listAnomalies(ctx.tx, {
      fromDay: reportingDay(ctx.from),
      toDay: reportingDay(new Date(ctx.to.getTime() + 86_400_000 - 1)),
      scopeKind: q.scopeKind,
      hideFalsePositives: q.hideFalsePositives ?? true,
      limit: 5000,
    })
  ).filter((a) => !connections?.length || (a.connectionId !== null && connections.includes(a.connectionId)));
  // Stored in the reporting currency of the day they were detected.
  const money = { unit: currencyUnit(rows[0]?.currency ?? ctx.currency), decimals: 2 };
  return [
    frame(
      q.refId,
      [
        { name: 'time', type: 'time', values: rows.map((r) => dayStart(r.day)) },
        { name: 'scope', type: 'string', values: rows.map((r) => r.scopeLabel) },
        { name: 'scope_kind', type: 'string', values: rows.map((r) => r.scopeKind) },
        { name: 'actual', type: 'number', values: rows.map((r) => moneyValue(r.actual)), config: money },
        { name: 'expected', type: 'number', values: rows.map((r) => moneyValue(r.expected)), config: money },
        { name: 'upper', type: 'number', values: rows.map((r) => moneyValue(r.upperBound)), config: money },
        { name: 'impact', type: 'number', values: rows.map((r) => moneyValue(r.impact)), config: money },
        { name: 'score', type: 'number', values: rows.map((r) => r.score), config: { decimals: 1 } },
        { name: 'feedback', type: 'string', values: rows.map((r) => r.feedback ?? '') },
        {
          name: 'title',
          type: 'string',
          values: rows.map((r) => `Cost anomaly: ${r.scopeLabel}`),
        },
        {
          name: 'text',
          type: 'string',
          values: rows.map(
            (r) => `${r.actual} ${r.currency} vs expected ${r.expected} (+${r.impact}), score ${r.score.toFixed(1)}`
          ),
        },
        { name: 'id', type: 'string', values: rows.map((r) => r.id), config: { custom: { hidden: true } } },
      ],
      { name: 'anomalies', visualisation: 'table' }
    ),
  ];
}

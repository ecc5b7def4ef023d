/**
 * `GET /api/v1/export/costs.csv|.xlsx`: any `costs` query as a flat table, computed by the query API
 * itself (runQueries), so an export, a dashboard panel and a report agree to the kopeck. One line per
 * (time bucket, group); amounts exactly as the API returns them, in the requested currency.
 */
import { stringify } from 'csv-stringify/sync';
import { Decimal } from 'decimal.js';
import type { CostsQuery, DataFrameJSON } from '../contract/query.js';
import { QueryRequestError, runQueries } from '../query/service.js';
import { REPORT_TIME_ZONE } from '../query/time.js';
import type { Database } from '../storage/db.js';
import { ReportError } from './errors.js';
import { moneyFormat, wallClock } from './format.js';

export interface CostsExportRequest {
  from: string;
  to: string;
  currency?: string;
  query: Omit<CostsQuery, 'refId' | 'queryType'>;
}

export interface CostsExport {
  columns: string[];
  rows: { time: Date | null; labels: string[]; cost: string | null }[];
  currency: string;
  byCurrency: boolean;
  /** The bucket the query resolved (auto → hour, day …). */
  granularity: string;
  notices: string[];
}

function fieldValues(frame: DataFrameJSON, name: string): unknown[] {
  const i = frame.schema.fields.findIndex((f) => f.name === name);
  return i >= 0 ? (frame.data.values[i] ?? []) : [];
}

const exact = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? new Decimal(v).toFixed() : null);

export async function exportCosts(
  deps: { db: Database; tenantId: string; now: Date; onError?: (err: unknown) => void },
  request: CostsExportRequest
): Promise<CostsExport> {
  let response;
  try {
    response = await runQueries(
      { db: deps.db, tenantId: deps.tenantId, now: deps.now, onError: deps.onError },
      {
        from: request.from,
        to: request.to,
        currency: request.currency,
        queries: [{ ...request.query, refId: 'A', queryType: 'costs' }],
      }
    );
  } catch (err) {
    if (err instanceof QueryRequestError) throw new ReportError(400, err.message);
    throw err;
  }
  const result = response.results.A!;
  if (result.error) throw new ReportError(result.status === 400 ? 400 : 500, result.error);
  const groupBy = request.query.groupBy ?? [];
  const frames = result.frames;
  const custom = frames[0]?.schema.meta?.custom ?? {};
  const currency = String(custom.currency ?? request.currency ?? 'RUB');
  const byCurrency = currency === 'original';
  const notices = (frames[0]?.schema.meta?.notices ?? []).map((n) => n.text);
  const rows: CostsExport['rows'] = [];
  if (custom.granularity === 'total') {
    const frame = frames[0]!;
    const costs = fieldValues(frame, 'cost');
    costs.forEach((cost, i) => {
      rows.push({ time: null, labels: groupBy.map((g) => String(fieldValues(frame, g)[i] ?? '')), cost: exact(cost) });
    });
  } else {
    for (const frame of frames) {
      const labels = frame.schema.fields.find((f) => f.name === 'cost')?.labels ?? {};
      const times = fieldValues(frame, 'time');
      const costs = fieldValues(frame, 'cost');
      times.forEach((t, i) => {
        rows.push({
          time: typeof t === 'number' ? new Date(t) : null,
          labels: groupBy.map((g) => labels[g] ?? ''),
          cost: exact(costs[i]),
        });
      });
    }
    rows.sort((a, b) => (a.time?.getTime() ?? 0) - (b.time?.getTime() ?? 0));
  }
  const timed = custom.granularity !== 'total';
  const columns = [...(timed ? ['period_start'] : []), ...groupBy, 'cost', ...(byCurrency ? [] : ['currency'])];
  return { columns, rows, currency, byCurrency, granularity: String(custom.granularity ?? ''), notices };
}

export function costsCsv(data: CostsExport, bom: boolean): Buffer {
  const timed = data.columns[0] === 'period_start';
  const lines = data.rows.map((r) => [
    ...(timed ? [r.time?.toISOString() ?? ''] : []),
    ...r.labels,
    r.cost ?? '',
    ...(data.byCurrency ? [] : [data.currency]),
  ]);
  return Buffer.from(stringify(lines, { header: true, columns: data.columns, bom }), 'utf8');
}

export async function costsXlsx(data: CostsExport): Promise<Buffer> {
  // exceljs loads on first use, not at start-up.
  const { default: ExcelJS } = await import('exceljs');
  const hourly = data.granularity === 'hour';
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'InfraZen';
  const sheet = workbook.addWorksheet('Costs', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = data.columns.map((c) => ({ header: c, key: c, width: c === 'cost' ? 18 : 24 }));
  sheet.getRow(1).font = { bold: true };
  const timed = data.columns[0] === 'period_start';
  const format = data.byCurrency ? '#,##0.00' : moneyFormat(data.currency, 'ru');
  for (const r of data.rows) {
    const row = sheet.addRow([
      ...(timed ? [r.time ? wallClock(r.time, REPORT_TIME_ZONE) : null] : []),
      ...r.labels,
      r.cost === null ? null : Number(r.cost),
      ...(data.byCurrency ? [] : [data.currency]),
    ]);
    if (timed) row.getCell(1).numFmt = hourly ? 'dd.mm.yyyy hh:mm' : 'dd.mm.yyyy';
    row.getCell(data.columns.indexOf('cost') + 1).numFmt = format;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

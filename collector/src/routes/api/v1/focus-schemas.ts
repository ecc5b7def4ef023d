/**
 * Schemas of the FOCUS import and export routes (autoload skips files named *-schemas.ts).
 */
import { z } from 'zod';
import { parseTimestamp, ValueError } from '../../../focus/values.js';

const fileSummarySchema = z.object({
  name: z.string().optional(),
  bytes: z.number().describe('bytes received (compressed size for gzip)'),
  sha256: z.string(),
  gzip: z.boolean(),
  focusVersion: z.enum(['1.0', '1.1+']).describe('guessed from the columns present'),
  rowsRead: z.number(),
  rowsImported: z.number(),
  rowsRejected: z.number(),
  ignoredColumns: z.array(z.string()).describe('header names that are not FOCUS columns (ignored)'),
  unstoredColumns: z.array(z.string()).describe('FOCUS columns InfraZen has no place for (read, not kept)'),
});

export const focusImportResultSchema = z
  .object({
    importId: z.string().describe('id of the import snapshot; also cost_records.import_id'),
    rowsRead: z.number().describe('data rows in the file(s), header excluded'),
    rowsImported: z.number(),
    rowsRejected: z.number(),
    errors: z
      .array(z.object({ line: z.number(), reason: z.string(), file: z.string().optional() }))
      .describe('the first 100 rejected rows: line number in the file and why'),
    files: z.array(fileSummarySchema),
    billingPeriods: z.array(z.string()).describe('BillingPeriodStart of each billing period the import replaced'),
    replacedRows: z.number().describe('lines of earlier imports those billing periods held'),
    window: z.object({ from: z.string(), to: z.string() }).nullable().describe('ChargePeriodStart range touched'),
    resources: z.number().describe('resources named by the import, now in the inventory'),
    notices: z.array(z.string()),
  })
  .describe('FocusImportResult');

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A Moscow calendar day (YYYY-MM-DD) or an ISO 8601 date-time (no zone = UTC), normalized for SQL. */
const boundSchema = z
  .string()
  .trim()
  .max(40)
  .transform((value, ctx) => {
    try {
      const parsed = parseTimestamp(value);
      return DATE_ONLY.test(value) ? value : parsed.iso;
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof ValueError ? err.message : 'invalid date' });
      return z.NEVER;
    }
  });

export const focusExportQuerySchema = z.object({
  from: boundSchema
    .optional()
    .describe('first ChargePeriodStart: YYYY-MM-DD (a Moscow calendar day, the reporting day) or an ISO date-time'),
  to: boundSchema
    .optional()
    .describe('YYYY-MM-DD: last day included (Moscow calendar day); an ISO date-time: first instant excluded'),
  connection: z.uuid({ error: 'must be a UUID' }).optional().describe('only this connection'),
});

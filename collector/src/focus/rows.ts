/**
 * From CSV records to cost_records rows: the header is resolved once per file (which field feeds which
 * column), then every record is validated and turned into one line of PostgreSQL's COPY text format.
 * A record with a bad value is rejected with the reason; nothing here touches the database.
 */
import { badFile } from './errors.js';
import {
  FOCUS_COLUMNS,
  MANDATORY_COLUMNS,
  STORED_COLUMNS,
  focusColumnByName,
  focusVersionOf,
  type FocusColumn,
  type StoredColumn,
} from './columns.js';
import {
  ValueError,
  checkText,
  compareTimestamps,
  isNullValue,
  parseChargeCategory,
  parseChargeClass,
  parseCurrency,
  parseDecimal,
  parseJsonObject,
  parseTimestampCached,
  type Timestamp,
} from './values.js';

export interface HeaderLayout {
  fieldCount: number;
  /** Per stored column (STORED_COLUMNS order): the CSV field it comes from, or -1. */
  fieldOf: number[];
  /** FOCUS column ids present in the file. */
  columns: string[];
  /** Header names that are not FOCUS columns (custom `x_` columns and the like): ignored. */
  ignored: string[];
  /** FOCUS columns cost_records has no place for (BillingAccountName, PublisherName …): not stored. */
  unstored: string[];
  version: '1.0' | '1.1+';
}

const MAX_LISTED = 50;

export function resolveHeader(fields: string[]): HeaderLayout {
  const found = new Map<string, { column: FocusColumn; names: string[]; index: number }>();
  const ignored: string[] = [];
  fields.forEach((raw, index) => {
    const name = raw.trim();
    const column = focusColumnByName(name);
    if (!column) {
      if (ignored.length < MAX_LISTED) ignored.push(name || `(unnamed column ${index + 1})`);
      return;
    }
    const seen = found.get(column.id);
    if (seen) seen.names.push(name);
    else found.set(column.id, { column, names: [name], index });
  });
  if (found.size === 0) {
    const start = fields.join(',').slice(0, 80);
    throw badFile(
      `The first line names no FOCUS columns (it starts with ${JSON.stringify(start)}). Upload a FOCUS cost and usage ` +
        'export in CSV (UTF-8, comma-separated, with a header line), as AWS, Azure, Google Cloud and OCI produce it.'
    );
  }
  const duplicates = [...found.values()].filter((f) => f.names.length > 1);
  if (duplicates.length > 0) {
    throw badFile(
      `Columns appear more than once: ${duplicates.map((d) => `${d.column.id} (${d.names.join(', ')})`).join('; ')}`,
      duplicates.map((d) => ({ path: `/header/${d.column.id}`, message: 'appears more than once' }))
    );
  }
  const missing = MANDATORY_COLUMNS.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw badFile(
      `The header lacks mandatory FOCUS columns: ${missing.join(', ')}. FOCUS 1.0 and later datasets always carry them.`,
      missing.map((id) => ({ path: `/header/${id}`, message: 'mandatory FOCUS column missing' }))
    );
  }
  const fieldOf = STORED_COLUMNS.map(() => -1);
  const unstored: string[] = [];
  for (const { column, index } of found.values()) {
    if (column.stored) fieldOf[STORED_COLUMNS.indexOf(column.stored)] = index;
    else unstored.push(column.id);
  }
  return {
    fieldCount: fields.length,
    fieldOf,
    columns: [...found.keys()],
    ignored,
    unstored: unstored.sort(),
    version: focusVersionOf(found.keys()),
  };
}

// ---------------------------------------------------------------------------------------------------
// Rows

type Parse = (raw: string) => string;

const DECIMALS = new Set<StoredColumn>([
  'billed_cost',
  'effective_cost',
  'list_cost',
  'contracted_cost',
  'pricing_quantity',
  'consumed_quantity',
  'list_unit_price',
  'contracted_unit_price',
]);

const PARSERS: Partial<Record<StoredColumn, Parse>> = {
  charge_category: parseChargeCategory,
  charge_class: parseChargeClass,
  billing_currency: parseCurrency,
  tags: parseJsonObject,
};

/** Values a row cannot be stored without; ProviderName may fall back to the connection's setting. */
const REQUIRED = new Set<StoredColumn>([
  'charge_period_start',
  'charge_period_end',
  'billing_period_start',
  'billed_cost',
  'effective_cost',
  'billing_currency',
  'charge_category',
  'provider',
]);

const COLUMN_ID = new Map<StoredColumn, string>(
  FOCUS_COLUMNS.filter((c) => c.stored).map((c) => [c.stored!, c.id] as [StoredColumn, string])
);

const pos = (c: StoredColumn) => STORED_COLUMNS.indexOf(c);
const P_CHARGE_START = pos('charge_period_start');
const P_CHARGE_END = pos('charge_period_end');
const P_BILLING_START = pos('billing_period_start');
const P_BILLING_END = pos('billing_period_end');
const P_PROVIDER = pos('provider');
const P_RESOURCE = pos('resource_id');
const P_TAGS = pos('tags');
const TIMESTAMP_POSITIONS = [P_CHARGE_START, P_CHARGE_END, P_BILLING_START, P_BILLING_END];

const MAX_RESOURCE_ID_BYTES = 1024;

/** COPY text format: backslash, tab and line breaks escaped; NULL is `\N`. */
const NEEDS_ESCAPE = /[\\\t\n\r]/;
function copyText(value: string): string {
  return NEEDS_ESCAPE.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : value;
}

export interface RowContext {
  /** `tenant\tconnection\timport\tfocus\t`: the same for every row of an import. */
  copyPrefix: string;
  /** 1-based position of the file within the import (several parts of one export may come together). */
  fileIndex: number;
  /** The connection's `sourceProvider` setting, for rows whose ProviderName is null. */
  fallbackProvider?: string;
}

export type RowOutcome =
  | {
      ok: true;
      copyLine: string;
      chargeStart: Timestamp;
      /** ISO; the unit of replacement on re-import. */
      billingPeriodStart: string;
    }
  | { ok: false; reason: string };

/**
 * The line key is `focus:<BillingPeriodStart>:<file>:<line>`. It is unique by construction: an import
 * replaces whole billing periods, so every stored row of a billing period comes from one import, where
 * (file, line) is unique. Identical rows in one file therefore stay separate lines (FOCUS allows them),
 * corrections (ChargeClass = Correction) are lines of their own, and re-importing the same file gives the
 * same keys.
 */
export function toCopyLine(record: string[], layout: HeaderLayout, ctx: RowContext, line: number): RowOutcome {
  if (record.length !== layout.fieldCount) {
    return { ok: false, reason: `has ${record.length} fields, the header has ${layout.fieldCount}` };
  }
  const values: (string | null)[] = new Array<string | null>(STORED_COLUMNS.length);
  const stamps: (Timestamp | null)[] = [null, null, null, null];
  for (let i = 0; i < STORED_COLUMNS.length; i++) {
    const field = layout.fieldOf[i]!;
    const raw = field >= 0 ? record[field]! : '';
    const column = STORED_COLUMNS[i]!;
    if (isNullValue(raw)) {
      values[i] = null;
      continue;
    }
    try {
      const t = TIMESTAMP_POSITIONS.indexOf(i);
      if (t >= 0) {
        const stamp = parseTimestampCached(raw);
        stamps[t] = stamp;
        values[i] = stamp.iso;
      } else if (DECIMALS.has(column)) {
        values[i] = parseDecimal(raw);
      } else {
        values[i] = checkText((PARSERS[column] ?? String)(raw));
      }
    } catch (err) {
      if (err instanceof ValueError) return { ok: false, reason: `${COLUMN_ID.get(column)}: ${err.message}` };
      throw err;
    }
  }
  if (values[P_PROVIDER] === null && ctx.fallbackProvider) values[P_PROVIDER] = ctx.fallbackProvider;
  for (const column of REQUIRED) {
    if (values[pos(column)] === null) return { ok: false, reason: `${COLUMN_ID.get(column)} is null` };
  }
  const [chargeStart, chargeEnd, billingStart, billingEnd] = stamps;
  if (compareTimestamps(chargeEnd!, chargeStart!) < 0) {
    return { ok: false, reason: 'ChargePeriodEnd is before ChargePeriodStart' };
  }
  if (billingEnd && compareTimestamps(billingEnd, billingStart!) < 0) {
    return { ok: false, reason: 'BillingPeriodEnd is before BillingPeriodStart' };
  }
  // ResourceId is part of cost_records' and resources' unique keys, and a btree entry holds at most
  // ~2.7 kB; real ids (ARNs, Azure resource paths) are far shorter.
  const resourceId = values[P_RESOURCE];
  if (resourceId && resourceId.length > 256 && Buffer.byteLength(resourceId) > MAX_RESOURCE_ID_BYTES) {
    return { ok: false, reason: `ResourceId is longer than ${MAX_RESOURCE_ID_BYTES} bytes` };
  }
  // cost_records.resource_id is '' for charges that belong to no resource (taxes, support plans), and
  // tags are '{}' when there are none: both columns are NOT NULL.
  if (values[P_RESOURCE] === null) values[P_RESOURCE] = '';
  if (values[P_TAGS] === null) values[P_TAGS] = '{}';

  let text = ctx.copyPrefix + copyText(`focus:${billingStart!.iso}:${ctx.fileIndex}:${line}`);
  for (const value of values) text += value === null ? '\t\\N' : '\t' + copyText(value);
  return { ok: true, copyLine: text + '\n', chargeStart: chargeStart!, billingPeriodStart: billingStart!.iso };
}

/** The cost_records columns of a COPY line, in order. */
export const COPY_COLUMNS = ['tenant_id', 'connection_id', 'import_id', 'source', 'line_key', ...STORED_COLUMNS];

/**
 * What a report is: its scope (the query API's dimension filters), period, sections, language and
 * currency. The same zod schemas validate the API body and the stored JSON, so a definition saved by an
 * older version is read with today's defaults.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { DimensionFilter } from '../contract/query.js';
import { filtersSchema } from '../query/schemas.js';

// Section, period and language names are part of the REST contract the app plugin reads.
import {
  LANGUAGES,
  PERIOD_KINDS,
  SECTION_KINDS,
  type Language,
  type PeriodKind,
  type SectionKind,
} from '../contract/management.js';
export { LANGUAGES, PERIOD_KINDS, SECTION_KINDS, type Language, type PeriodKind, type SectionKind };

/**
 * PostgreSQL text and jsonb cannot hold U+0000: a body carrying one anywhere is refused up front (400)
 * instead of failing in the database.
 */
export function noNul(value: unknown): boolean {
  if (typeof value === 'string') return !value.includes('\u0000');
  if (Array.isArray(value)) return value.every(noNul);
  if (value !== null && typeof value === 'object') return Object.entries(value).every(([k, v]) => noNul(k) && noNul(v));
  return true;
}
export const NO_NUL = { error: 'must not contain NUL characters' } as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
// Date.parse would roll 2026-02-30 over into March; luxon refuses it.
const isCalendarDate = (s: string) => DATE.test(s) && DateTime.fromISO(s).isValid;
const calendarDate = z.string().refine(isCalendarDate, { error: 'must be a date YYYY-MM-DD' });

export const periodSchema = z
  .object({
    kind: z.enum(PERIOD_KINDS),
    from: calendarDate.optional().describe('custom only: first day, YYYY-MM-DD, in the report time zone'),
    to: calendarDate.optional().describe('custom only: last day (inclusive), YYYY-MM-DD'),
  })
  .superRefine((p, ctx) => {
    if (p.kind !== 'custom') return;
    if (!p.from || !p.to) {
      ctx.addIssue({ code: 'custom', message: 'a custom period needs from and to', path: [p.from ? 'to' : 'from'] });
    } else if (p.from > p.to) {
      ctx.addIssue({ code: 'custom', message: 'from must not be after to', path: ['to'] });
    } else if (Date.parse(p.to) - Date.parse(p.from) > 732 * 86_400_000) {
      ctx.addIssue({ code: 'custom', message: 'a custom period spans at most two years', path: ['to'] });
    }
  });
export type PeriodSpec = z.infer<typeof periodSchema>;

export const definitionSchema = z
  .strictObject({
    scope: z
      .strictObject({ filters: filtersSchema.default([]) })
      .default({ filters: [] })
      .describe('dimension filters exactly as in the query API (provider, connection, service, tag:<key> …)'),
    period: periodSchema.default({ kind: 'previous_month' }),
    sections: z
      .array(z.enum(SECTION_KINDS))
      .min(1, 'choose at least one section')
      .max(SECTION_KINDS.length)
      .refine((list) => new Set(list).size === list.length, { error: 'sections must not repeat' })
      .default([...SECTION_KINDS])
      .describe('in the order they appear in the report'),
    language: z.enum(LANGUAGES).default('ru'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code')
      .nullable()
      .default(null)
      .describe("ISO 4217 code; null = the tenant's reporting currency"),
  })
  .describe('ReportDefinition');

export type ReportDefinition = z.infer<typeof definitionSchema> & { scope: { filters: DimensionFilter[] } };

/** A stored definition with today's defaults; undefined if it no longer validates. */
export function readDefinition(stored: unknown): ReportDefinition | undefined {
  const parsed = definitionSchema.safeParse(stored ?? {});
  return parsed.success ? (parsed.data as ReportDefinition) : undefined;
}

export const REPORT_FORMATS = ['pdf', 'csv', 'xlsx', 'png'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  png: 'image/png',
};

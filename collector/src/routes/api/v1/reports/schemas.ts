/**
 * Schemas and helpers shared by the report, report-run and report-destination routes (autoload skips
 * files named schemas.ts). Secrets are write-only: destination responses list `secretFields` only.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { definitionSchema, NO_NUL, noNul, REPORT_FORMATS, SECTION_KINDS } from '../../../../reports/definition.js';
import type { RenderedFile } from '../../../../reports/render.js';
import { isValidTimeZone } from '../../../../reports/period.js';
import { authErrors, errorSchema } from '../../../schemas.js';

export const idParamsSchema = z.object({ id: z.uuid({ error: 'must be a UUID' }) });

export const errors = { 400: errorSchema, 404: errorSchema, ...authErrors } as const;

export const reportSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    definition: definitionSchema,
    schedule: z
      .object({ cron: z.string(), timezone: z.string(), enabled: z.boolean() })
      .nullable()
      .describe('null = on demand only'),
    timezone: z.string().describe('time zone periods are computed in'),
    destinationIds: z.array(z.string()),
    nextRunAt: z.date().nullable(),
    lastRunAt: z.date().nullable(),
    lastRun: z.object({ id: z.string(), status: z.string(), createdAt: z.string() }).nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .describe('Report');

export const deliverySchema = z
  .object({
    id: z.string(),
    destinationId: z.string().nullable().describe('null once the destination was deleted'),
    destinationName: z.string(),
    kind: z.enum(['telegram', 'email']),
    status: z.enum(['pending', 'sending', 'sent', 'failed']),
    attempts: z.number(),
    nextAttemptAt: z.date().nullable().describe('when the next attempt is due (pending only)'),
    lastError: z.string().nullable(),
    sentAt: z.date().nullable(),
  })
  .describe('ReportDelivery');

export const runSchema = z
  .object({
    id: z.string(),
    reportId: z.string(),
    reportName: z.string(),
    trigger: z.enum(['schedule', 'manual']),
    scheduledFor: z.date().nullable().describe('the schedule slot (scheduled runs)'),
    requestedBy: z.string().nullable(),
    status: z
      .enum(['pending', 'rendering', 'rendered', 'delivering', 'delivered', 'delivery_failed', 'failed'])
      .describe(
        'rendered = archived, no destinations; delivering = deliveries pending or retrying; delivery_failed = at least one delivery gave up (the file stays archived); failed = rendering failed'
      ),
    periodFrom: z.date().nullable(),
    periodTo: z.date().nullable().describe('exclusive'),
    format: z.string(),
    fileName: z.string().nullable(),
    sizeBytes: z.number().nullable(),
    sha256: z.string().nullable().describe('hex SHA-256 of the archived file'),
    summary: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe('headline figures: currency, total, previousTotal (decimal strings), changePercent …'),
    error: z.string().nullable(),
    createdAt: z.date(),
    finishedAt: z.date().nullable(),
    deliveries: z.array(deliverySchema),
  })
  .describe('ReportRun');

export const destinationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['telegram', 'email']),
    settings: z.record(z.string(), z.unknown()),
    secretFields: z.array(z.string()).describe('which secret fields are set; values are never returned'),
    enabled: z.boolean(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .describe('ReportDestination');

export const renderQuerySchema = z.strictObject({
  format: z.enum(REPORT_FORMATS).default('pdf'),
  section: z
    .enum(SECTION_KINDS)
    .optional()
    .describe('png only: the section whose chart to draw (default: the first section with a chart)'),
});

export const previewBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).default('Preview'),
    definition: definitionSchema,
    timezone: z
      .string()
      .max(64)
      .refine(isValidTimeZone, { error: 'must be an IANA time zone such as Europe/Moscow' })
      .optional(),
  })
  .refine(noNul, NO_NUL);

/** A rendered or archived file as a download, with its checksum. */
export function sendFile(
  reply: FastifyReply,
  file: Pick<RenderedFile, 'body' | 'contentType' | 'fileName' | 'sha256'>
) {
  return reply
    .type(file.contentType)
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .header('x-content-sha256', file.sha256)
    .header('cache-control', 'no-store')
    .send(file.body);
}

export const FILE_DESCRIPTION =
  'The answer is the file itself (200): application/pdf, text/csv, the XLSX media type or image/png, with ' +
  'Content-Disposition and X-Content-SHA256 (hex SHA-256 of the body).';

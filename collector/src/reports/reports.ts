/**
 * Report definitions with their schedule and destinations: create, read, change, delete, for one tenant.
 * A schedule is a 5-field cron expression in a time zone (the tenant's by default, Europe/Moscow);
 * `nextRunAt` is the next slot, which the scheduler claims. Every change is audited.
 */
import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { isValidSchedule, type AuditActor } from '../services/connections.js';
import type { Database, Queryable } from '../storage/db.js';
import { existingDestinationIds } from '../storage/repositories/report-destinations.js';
import {
  deleteReport,
  findReport,
  insertReport,
  listReports as listReportRows,
  setReportDestinations,
  updateReport,
  type ReportChanges,
  type ReportRecord,
} from '../storage/repositories/reports.js';
import { findTenantById } from '../storage/repositories/tenants.js';
import { auditReports } from './audit.js';
import { definitionSchema, NO_NUL, noNul, readDefinition, type ReportDefinition } from './definition.js';
import { conflict, isUniqueViolation, notFound, ReportError } from './errors.js';
import { isValidTimeZone } from './period.js';

export const scheduleInputSchema = z.strictObject({
  cron: z
    .string()
    .trim()
    .max(200)
    .refine(isValidSchedule, {
      error: 'must be a 5-field cron expression (minute hour day-of-month month day-of-week)',
    })
    .transform((s) => s.split(/\s+/).join(' '))
    .describe('5-field cron expression, e.g. `0 9 1 * *` = 09:00 on the 1st of every month'),
  timezone: z
    .string()
    .max(64)
    .refine(isValidTimeZone, { error: 'must be an IANA time zone such as Europe/Moscow' })
    .optional()
    .describe("IANA time zone of the cron expression; default: the tenant's (Europe/Moscow)"),
  enabled: z.boolean().default(true),
});

const nameSchema = z.string().trim().min(1, 'must not be empty').max(200);
const destinationIdsSchema = z
  .array(z.uuid({ error: 'must be a UUID' }))
  .max(20)
  .refine((ids) => new Set(ids).size === ids.length, { error: 'must not repeat' });

export const createReportBodySchema = z
  .strictObject({
    name: nameSchema.describe('unique within the tenant, case-insensitively'),
    definition: definitionSchema.default(definitionSchema.parse({})),
    schedule: scheduleInputSchema.nullable().optional().describe('null or omitted = run on demand only'),
    destinationIds: destinationIdsSchema
      .default([])
      .describe('report destinations to deliver scheduled and run-now files to'),
  })
  .refine(noNul, NO_NUL);
export type CreateReportInput = z.infer<typeof createReportBodySchema>;

export const updateReportBodySchema = z
  .strictObject({
    name: nameSchema.optional(),
    definition: definitionSchema.optional().describe('replaces the stored definition (omitted fields take defaults)'),
    schedule: scheduleInputSchema.nullable().optional().describe('null removes the schedule'),
    destinationIds: destinationIdsSchema.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { error: 'nothing to update' })
  .refine(noNul, NO_NUL);
export type UpdateReportInput = z.infer<typeof updateReportBodySchema>;

export interface ReportView {
  id: string;
  name: string;
  definition: ReportDefinition;
  schedule: { cron: string; timezone: string; enabled: boolean } | null;
  timezone: string;
  destinationIds: string[];
  nextRunAt: Date | null;
  lastRunAt: Date | null;
  lastRun: { id: string; status: string; createdAt: string } | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ReportDeps {
  db: Database;
  now: () => Date;
}

/** The first slot of `cron` strictly after `after`, in `timezone`. */
export function nextReportSlot(cron: string, timezone: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: timezone }).next().toDate();
}

export function toView(r: ReportRecord): ReportView {
  return {
    id: r.id,
    name: r.name,
    definition: readDefinition(r.definition) ?? (definitionSchema.parse({}) as ReportDefinition),
    schedule: r.cron ? { cron: r.cron, timezone: r.timezone, enabled: r.enabled } : null,
    timezone: r.timezone,
    destinationIds: r.destinationIds,
    nextRunAt: r.cron && r.enabled ? r.nextRunAt : null,
    lastRunAt: r.lastRunAt,
    lastRun: r.lastRun,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

const audit = (q: Queryable, tenantId: string, who: AuditActor, action: string, id: string, details: object) =>
  auditReports(q, tenantId, who, action, { kind: 'report', id }, details);

async function checkDestinations(q: Queryable, ids: string[]): Promise<void> {
  const found = new Set(await existingDestinationIds(q, ids));
  const missing = ids.map((id, i) => ({ id, i })).filter(({ id }) => !found.has(id));
  if (missing.length) {
    const details = missing.map(({ i }) => ({ path: `/destinationIds/${i}`, message: 'no such destination' }));
    throw new ReportError(400, `Invalid body: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, details);
  }
}

const nameTaken = (name: string) => conflict(`A report named "${name}" already exists`);

export async function listReports(deps: ReportDeps, tenantId: string): Promise<ReportView[]> {
  return (await deps.db.withTenant(tenantId, (tx) => listReportRows(tx))).map(toView);
}

export async function getReport(deps: ReportDeps, tenantId: string, id: string): Promise<ReportView> {
  const row = await deps.db.withTenant(tenantId, (tx) => findReport(tx, id));
  if (!row) throw notFound('Report');
  return toView(row);
}

export async function createReport(
  deps: ReportDeps,
  tenantId: string,
  input: CreateReportInput,
  who: AuditActor
): Promise<ReportView> {
  try {
    return await deps.db.withTenant(tenantId, async (tx) => {
      await checkDestinations(tx, input.destinationIds);
      const tenant = await findTenantById(tx, tenantId);
      const timezone = input.schedule?.timezone ?? tenant?.timezone ?? 'Europe/Moscow';
      const cron = input.schedule?.cron ?? null;
      const enabled = input.schedule?.enabled ?? true;
      const id = await insertReport(tx, {
        tenantId,
        name: input.name,
        definition: input.definition,
        cron,
        timezone,
        enabled,
        nextRunAt: cron && enabled ? nextReportSlot(cron, timezone, deps.now()) : null,
        createdBy: who.actor,
      });
      await setReportDestinations(tx, tenantId, id, input.destinationIds);
      await audit(tx, tenantId, who, 'report.create', id, {
        name: input.name,
        sections: input.definition.sections,
        period: input.definition.period,
        schedule: cron ? { cron, timezone, enabled } : null,
        destinationIds: input.destinationIds,
      });
      return toView((await findReport(tx, id))!);
    });
  } catch (err) {
    if (isUniqueViolation(err, 'report_schedules_name_uq')) throw nameTaken(input.name);
    throw err;
  }
}

export async function updateReportById(
  deps: ReportDeps,
  tenantId: string,
  id: string,
  patch: UpdateReportInput,
  who: AuditActor
): Promise<ReportView> {
  try {
    return await deps.db.withTenant(tenantId, async (tx) => {
      const current = await findReport(tx, id, { forUpdate: true });
      if (!current) throw notFound('Report');
      const changes: ReportChanges = {};
      const details: Record<string, unknown> = {};
      if (patch.name !== undefined && patch.name !== current.name) {
        changes.name = patch.name;
        details.name = { from: current.name, to: patch.name };
      }
      if (patch.definition !== undefined && JSON.stringify(patch.definition) !== JSON.stringify(current.definition)) {
        changes.definition = patch.definition;
        details.definition = { sections: patch.definition.sections, period: patch.definition.period };
      }
      if (patch.schedule !== undefined) {
        const cron = patch.schedule?.cron ?? null;
        const timezone = patch.schedule?.timezone ?? current.timezone;
        const enabled = patch.schedule?.enabled ?? true;
        if (cron !== current.cron || timezone !== current.timezone || enabled !== current.enabled) {
          Object.assign(changes, {
            cron,
            timezone,
            enabled,
            // The new schedule applies from its next slot, not after one more run on the old one.
            nextRunAt: cron && enabled ? nextReportSlot(cron, timezone, deps.now()) : null,
          });
          details.schedule = cron ? { cron, timezone, enabled } : null;
        }
      }
      if (
        patch.destinationIds !== undefined &&
        [...patch.destinationIds].sort().join() !== current.destinationIds.join()
      ) {
        await checkDestinations(tx, patch.destinationIds);
        await setReportDestinations(tx, tenantId, id, patch.destinationIds);
        details.destinationIds = patch.destinationIds;
      }
      if (Object.keys(details).length === 0) return toView(current);
      await updateReport(tx, id, changes);
      await audit(tx, tenantId, who, 'report.update', id, details);
      return toView((await findReport(tx, id))!);
    });
  } catch (err) {
    if (isUniqueViolation(err, 'report_schedules_name_uq')) throw nameTaken(patch.name ?? '');
    throw err;
  }
}

/** Deletes the report with its schedule and its archive of runs. */
export async function removeReport(deps: ReportDeps, tenantId: string, id: string, who: AuditActor): Promise<void> {
  await deps.db.withTenant(tenantId, async (tx) => {
    const current = await findReport(tx, id, { forUpdate: true });
    if (!current) throw notFound('Report');
    await deleteReport(tx, id);
    await audit(tx, tenantId, who, 'report.delete', id, { name: current.name });
  });
}

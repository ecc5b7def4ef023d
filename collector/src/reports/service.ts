/**
 * The reports facade the routes and the scheduler use: definitions, destinations, on-demand rendering,
 * run now, the archive, and the scheduler tick. Its clock is injectable (tests pin it), and everything
 * it starts in the background is tracked so shutdown waits for it.
 */
import type { Logger } from '../observability/logger.js';
import type { AuditActor } from '../services/connections.js';
import type { SecretStore } from '../services/secret-store.js';
import type { Database } from '../storage/db.js';
import {
  findRun,
  findRunFile,
  insertRun,
  listDeliveries,
  listRuns,
  requeueFailedDeliveries,
  type DeliveryRecord,
  type RunRecord,
} from '../storage/repositories/report-runs.js';
import { claimDueReports, findReport, setNextRun } from '../storage/repositories/reports.js';
import { auditReports } from './audit.js';
import { buildReport } from './data.js';
import type { ReportDefinition, ReportFormat, SectionKind } from './definition.js';
import { sendEmail } from './delivery/email.js';
import { DeliveryError } from './delivery/errors.js';
import { sendTelegramMessage } from './delivery/telegram.js';
import * as destinations from './destinations.js';
import { conflict, notFound } from './errors.js';
import * as reports from './reports.js';
import { renderReport, type RenderedFile } from './render.js';
import { DEFAULT_DELIVERY_POLICY, deliverDue, renderRuns, type DeliveryPolicy, type RunnerDeps } from './runs.js';

export interface ReportServiceOptions {
  db: Database;
  secrets: SecretStore;
  logger: Logger;
  /** Telegram Bot API base URL (a local Bot API server, a proxy, or a test's fake). */
  telegramApiUrl: string;
  now?: () => Date;
  delivery?: Partial<DeliveryPolicy>;
}

export interface DeliveryView {
  id: string;
  destinationId: string | null;
  destinationName: string;
  kind: 'telegram' | 'email';
  status: DeliveryRecord['status'];
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  sentAt: Date | null;
}

export interface RunView {
  id: string;
  reportId: string;
  reportName: string;
  trigger: 'schedule' | 'manual';
  scheduledFor: Date | null;
  requestedBy: string | null;
  status: RunRecord['status'];
  periodFrom: Date | null;
  periodTo: Date | null;
  format: string;
  fileName: string | null;
  sizeBytes: number | null;
  sha256: string | null;
  summary: Record<string, unknown> | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  deliveries: DeliveryView[];
}

export interface TickResult {
  scheduled: number;
  rendered: number;
  deliveries: number;
}

const SCHEDULE_BATCH = 20;

/** How often each replica looks for due report schedules and deliveries. */
export const REPORT_TICK = '*/20 * * * * *';

function runView(run: RunRecord, deliveries: DeliveryRecord[]): RunView {
  return {
    id: run.id,
    reportId: run.reportId,
    reportName: run.reportName,
    trigger: run.trigger,
    scheduledFor: run.scheduledFor,
    requestedBy: run.requestedBy,
    status: run.status,
    periodFrom: run.periodFrom,
    periodTo: run.periodTo,
    format: run.format,
    fileName: run.fileName,
    sizeBytes: run.sizeBytes,
    sha256: run.sha256,
    summary: Object.keys(run.summary).length ? run.summary : null,
    error: run.error,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
    deliveries: deliveries
      .filter((d) => d.runId === run.id)
      .map((d) => ({
        id: d.id,
        destinationId: d.destinationId,
        destinationName: d.destinationName,
        kind: d.kind,
        status: d.status,
        attempts: d.attempts,
        nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
        lastError: d.lastError,
        sentAt: d.sentAt,
      })),
  };
}

export class ReportService {
  readonly now: () => Date;
  private readonly runner: RunnerDeps;
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly options: ReportServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.runner = {
      db: options.db,
      secrets: options.secrets,
      logger: options.logger,
      now: this.now,
      telegramApiUrl: options.telegramApiUrl,
      policy: { ...DEFAULT_DELIVERY_POLICY, ...options.delivery },
    };
  }

  private get deps() {
    return { db: this.options.db, secrets: this.options.secrets, now: this.now, logger: this.options.logger };
  }

  // Definitions and destinations ---------------------------------------------------------------------

  listReports = (tenantId: string) => reports.listReports(this.deps, tenantId);
  getReport = (tenantId: string, id: string) => reports.getReport(this.deps, tenantId, id);
  createReport = (tenantId: string, input: reports.CreateReportInput, who: AuditActor) =>
    reports.createReport(this.deps, tenantId, input, who);
  updateReport = (tenantId: string, id: string, patch: reports.UpdateReportInput, who: AuditActor) =>
    reports.updateReportById(this.deps, tenantId, id, patch, who);
  removeReport = (tenantId: string, id: string, who: AuditActor) => reports.removeReport(this.deps, tenantId, id, who);

  listDestinations = (tenantId: string) => destinations.listDestinations(this.deps, tenantId);
  getDestination = (tenantId: string, id: string) => destinations.getDestination(this.deps, tenantId, id);
  createDestination = (tenantId: string, input: destinations.CreateDestinationInput, who: AuditActor) =>
    destinations.createDestination(this.deps, tenantId, input, who);
  updateDestination = (tenantId: string, id: string, patch: destinations.UpdateDestinationInput, who: AuditActor) =>
    destinations.updateDestinationById(this.deps, tenantId, id, patch, who);
  removeDestination = (tenantId: string, id: string, who: AuditActor) =>
    destinations.removeDestination(this.deps, tenantId, id, who);

  /** Sends a short test message to a destination now; the outcome is audited and returned, never thrown. */
  async testDestination(tenantId: string, id: string, who: AuditActor): Promise<{ ok: boolean; message: string }> {
    const { db, secrets } = this.options;
    const runtime = await db.withTenant(tenantId, (tx) => destinations.loadDestinationRuntime(tx, secrets, id));
    if (!runtime) throw notFound('Destination');
    const text = 'InfraZen: тестовое сообщение. Отчёты будут приходить сюда.';
    const timeoutMs = this.runner.policy.timeoutMs;
    let result: { ok: boolean; message: string };
    try {
      if (runtime.kind === 'telegram') {
        await sendTelegramMessage({
          apiUrl: this.runner.telegramApiUrl,
          botToken: runtime.secrets.botToken,
          chatId: runtime.settings.chatId,
          text,
          timeoutMs,
        });
      } else {
        await sendEmail({ smtp: runtime.settings, password: runtime.secrets.password, subject: text, text, timeoutMs });
      }
      result = { ok: true, message: 'sent' };
    } catch (err) {
      if (!(err instanceof DeliveryError)) throw err;
      result = { ok: false, message: err.message };
    }
    await db.withTenant(tenantId, (tx) =>
      auditReports(tx, tenantId, who, 'report_destination.test', { kind: 'report_destination', id }, result)
    );
    return result;
  }

  // Rendering ------------------------------------------------------------------------------------------

  /** A file for a definition, now, without archiving it (download and preview). */
  async render(
    tenantId: string,
    input: { name: string; definition: ReportDefinition; timezone?: string },
    format: ReportFormat,
    options: { section?: SectionKind } = {}
  ): Promise<RenderedFile> {
    const model = await buildReport({
      db: this.options.db,
      tenantId,
      name: input.name,
      definition: input.definition,
      now: this.now(),
      timezone: input.timezone,
      onQueryError: (err, refId) => this.options.logger.error({ err, refId }, 'report query failed'),
    });
    return renderReport(model, format, options);
  }

  async renderSaved(tenantId: string, id: string, format: ReportFormat, options: { section?: SectionKind } = {}) {
    const report = await this.getReport(tenantId, id);
    return this.render(
      tenantId,
      { name: report.name, definition: report.definition, timezone: report.timezone },
      format,
      options
    );
  }

  // Runs and the archive ---------------------------------------------------------------------------------

  /** Renders into the archive now; deliveries go out in the background (and are retried by the tick). */
  async runNow(tenantId: string, reportId: string, who: AuditActor): Promise<RunView> {
    const now = this.now();
    const runId = await this.options.db.withTenant(tenantId, async (tx) => {
      const report = await findReport(tx, reportId);
      if (!report) throw notFound('Report');
      const id = await insertRun(tx, {
        tenantId,
        reportId,
        trigger: 'manual',
        scheduledFor: null,
        requestedBy: who.actor,
        definition: report.definition,
        createdAt: now,
      });
      await auditReports(tx, tenantId, who, 'report.run', { kind: 'report', id: reportId }, { runId: id });
      return id!;
    });
    await renderRuns(this.runner, now, runId);
    this.background(() => deliverDue(this.runner, now, runId));
    return this.getRun(tenantId, runId);
  }

  async listRuns(tenantId: string, reportId: string, limit: number): Promise<RunView[]> {
    return this.options.db.withTenant(tenantId, async (tx) => {
      if (!(await findReport(tx, reportId))) throw notFound('Report');
      const runs = await listRuns(tx, reportId, limit);
      const deliveries = await listDeliveries(
        tx,
        runs.map((r) => r.id)
      );
      return runs.map((r) => runView(r, deliveries));
    });
  }

  async getRun(tenantId: string, runId: string): Promise<RunView> {
    return this.options.db.withTenant(tenantId, async (tx) => {
      const run = await findRun(tx, runId);
      if (!run) throw notFound('Report run');
      return runView(run, await listDeliveries(tx, [run.id]));
    });
  }

  async runFile(tenantId: string, runId: string) {
    return this.options.db.withTenant(tenantId, async (tx) => {
      const run = await findRun(tx, runId);
      if (!run) throw notFound('Report run');
      const file = await findRunFile(tx, runId);
      if (!file) throw conflict(`This run has no file (status ${run.status}${run.error ? `: ${run.error}` : ''})`);
      return file;
    });
  }

  /** Puts a run's failed deliveries back in the queue with fresh attempts, and sends them now. */
  async retryDeliveries(tenantId: string, runId: string, who: AuditActor): Promise<RunView> {
    const now = this.now();
    const requeued = await this.options.db.withTenant(tenantId, async (tx) => {
      const run = await findRun(tx, runId);
      if (!run) throw notFound('Report run');
      const n = await requeueFailedDeliveries(tx, runId, now);
      if (n === 0) throw conflict('This run has no failed deliveries to retry');
      await auditReports(tx, tenantId, who, 'report_run.retry', { kind: 'report_run', id: runId }, { deliveries: n });
      return n;
    });
    if (requeued > 0) this.background(() => deliverDue(this.runner, now, runId));
    return this.getRun(tenantId, runId);
  }

  // Scheduler ----------------------------------------------------------------------------------------

  /**
   * One scheduler step, safe on every replica at once: claim due schedules (moving each to its next
   * slot and creating the slot's run in the same transaction), render claimed runs, send due deliveries.
   */
  async tick(now = this.now()): Promise<TickResult> {
    const scheduled = await this.options.db.transaction(async (tx) => {
      let created = 0;
      for (const due of await claimDueReports(tx, now, SCHEDULE_BATCH)) {
        await setNextRun(tx, due.id, reports.nextReportSlot(due.cron, due.timezone, now), now);
        const id = await insertRun(tx, {
          tenantId: due.tenantId,
          reportId: due.id,
          trigger: 'schedule',
          scheduledFor: due.nextRunAt,
          requestedBy: null,
          definition: due.definition,
          createdAt: now,
        });
        if (id) created++;
      }
      return created;
    });
    const rendered = await renderRuns(this.runner, now);
    const deliveries = await deliverDue(this.runner, now);
    return { scheduled, rendered, deliveries };
  }

  private background(task: () => Promise<unknown>): void {
    const p: Promise<void> = task()
      .then(() => undefined)
      .catch((err: unknown) => this.options.logger.error({ err }, 'report background task failed'))
      .finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  /** Resolves once background deliveries started by requests have finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }
}

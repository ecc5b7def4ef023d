/**
 * Runs: render a report into the archive (PDF, checksum, headline summary) and deliver it to the
 * report's destinations, retrying with backoff. Every step that could be taken by two collector
 * replicas is a claim with a lease (repositories/report-runs.ts): a slot renders once, a delivery is
 * sent once, and a replica that dies mid-way is taken over when its lease ends. A delivery that keeps
 * failing ends `failed`; the archived file stays.
 */
import type { Logger } from '../observability/logger.js';
import { DecryptError } from '../security/crypto.js';
import type { SecretStore } from '../services/secret-store.js';
import type { Database } from '../storage/db.js';
import {
  claimDeliveries,
  claimRuns,
  completeRender,
  failRender,
  findRun,
  findRunFile,
  queueDeliveries,
  recordDelivery,
  refreshRunStatus,
  type DeliveryRecord,
  type RunRecord,
} from '../storage/repositories/report-runs.js';
import { emailSubject, summaryText, type RunSummary } from './caption.js';
import { buildReport } from './data.js';
import { readDefinition } from './definition.js';
import { DeliveryError } from './delivery/errors.js';
import { sendEmail } from './delivery/email.js';
import { sendTelegramDocument } from './delivery/telegram.js';
import { loadDestinationRuntime } from './destinations.js';
import { renderReport } from './render.js';

export interface DeliveryPolicy {
  /** Attempts per delivery, the first included. */
  maxAttempts: number;
  /** Wait before attempt n+1 after attempt n failed (the last value repeats). */
  backoffMs: number[];
  /** One send (Telegram upload, SMTP conversation). */
  timeoutMs: number;
  /** How long a replica may hold a claimed render or send before another may take it over. */
  leaseMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 4,
  backoffMs: [60_000, 5 * 60_000, 30 * 60_000],
  timeoutMs: 60_000,
  leaseMs: 5 * 60_000,
};

export interface RunnerDeps {
  db: Database;
  secrets: SecretStore;
  logger: Logger;
  now: () => Date;
  telegramApiUrl: string;
  policy: DeliveryPolicy;
}

const RENDER_BATCH = 5;
const DELIVERY_BATCH = 10;

const later = (now: Date, ms: number) => new Date(now.getTime() + ms);

/** Renders claimed runs; each failure is recorded on its run and never stops the others. */
export async function renderRuns(deps: RunnerDeps, now: Date, runId?: string): Promise<number> {
  const runs = await deps.db.transaction((tx) =>
    claimRuns(tx, now, later(now, deps.policy.leaseMs), { limit: runId ? 1 : RENDER_BATCH, runId })
  );
  for (const run of runs) await renderRun(deps, run, now);
  return runs.length;
}

async function renderRun(deps: RunnerDeps, run: RunRecord, now: Date): Promise<void> {
  const definition = readDefinition(run.definition);
  if (!definition) {
    await deps.db.transaction((tx) =>
      failRender(tx, run.id, 'the stored report definition is no longer valid; edit the report', deps.now())
    );
    return;
  }
  try {
    const model = await buildReport({
      db: deps.db,
      tenantId: run.tenantId,
      name: run.reportName,
      definition,
      // A scheduled run covers the period as of its slot, however late it is rendered.
      now: run.scheduledFor ?? run.createdAt,
      timezone: run.reportTimezone,
      onQueryError: (err, refId) => deps.logger.error({ err, refId, runId: run.id }, 'report query failed'),
    });
    const file = await renderReport(model, 'pdf');
    const summary: RunSummary = {
      ...model.summary,
      reportName: model.name,
      language: model.language,
      timezone: model.period.timezone,
      periodFrom: model.period.from.toISOString(),
      periodLast: model.period.lastDay.toISOString(),
    };
    await deps.db.transaction(async (tx) => {
      const queued = await queueDeliveries(tx, run, now);
      await completeRender(tx, run.id, {
        status: queued > 0 ? 'delivering' : 'rendered',
        periodFrom: model.period.from,
        periodTo: model.period.to,
        file: file.body,
        fileName: file.fileName,
        contentType: file.contentType,
        sha256: file.sha256,
        summary: summary as unknown as Record<string, unknown>,
        finishedAt: deps.now(),
      });
    });
    deps.logger.info({ runId: run.id, reportId: run.reportId, bytes: file.body.length }, 'report rendered');
  } catch (err) {
    deps.logger.error({ err, runId: run.id }, 'report rendering failed');
    await deps.db.transaction((tx) =>
      failRender(tx, run.id, `rendering failed: ${(err as Error).message}`.slice(0, 1000), deps.now())
    );
  }
}

/** Sends every delivery whose time has come (or those of one run). Returns how many were attempted. */
export async function deliverDue(deps: RunnerDeps, now: Date, runId?: string): Promise<number> {
  const claimed = await deps.db.transaction((tx) =>
    claimDeliveries(tx, now, later(now, deps.policy.leaseMs), { limit: DELIVERY_BATCH, runId })
  );
  for (const delivery of claimed) await deliver(deps, delivery, now);
  return claimed.length;
}

async function send(deps: RunnerDeps, d: DeliveryRecord): Promise<Record<string, unknown>> {
  const loaded = await deps.db.withTenant(d.tenantId, async (tx) => ({
    destination: d.destinationId ? await loadDestinationRuntime(tx, deps.secrets, d.destinationId) : undefined,
    run: await findRun(tx, d.runId),
    file: await findRunFile(tx, d.runId),
  }));
  const { destination, run, file } = loaded;
  if (!destination) throw new DeliveryError('the destination was deleted', true);
  if (!run || !file) throw new DeliveryError('the run has no file to send', true);
  const summary = run.summary as unknown as RunSummary;
  const attachment = { body: file.file, fileName: file.fileName, contentType: file.contentType };
  if (destination.kind === 'telegram') {
    const sent = await sendTelegramDocument({
      apiUrl: deps.telegramApiUrl,
      botToken: destination.secrets.botToken,
      chatId: destination.settings.chatId,
      caption: summaryText(summary),
      file: attachment,
      timeoutMs: deps.policy.timeoutMs,
    });
    return { messageId: sent.messageId };
  }
  const sent = await sendEmail({
    smtp: destination.settings,
    password: destination.secrets.password,
    subject: emailSubject(summary),
    text: `${summaryText(summary)}\n\nSHA-256: ${file.sha256}\n`,
    attachment,
    timeoutMs: deps.policy.timeoutMs,
  });
  return { messageId: sent.messageId, accepted: sent.accepted };
}

async function deliver(deps: RunnerDeps, d: DeliveryRecord, now: Date): Promise<void> {
  let outcome: Parameters<typeof recordDelivery>[2];
  try {
    const response = await send(deps, d);
    outcome = { status: 'sent', at: deps.now(), response };
  } catch (err) {
    const e =
      err instanceof DeliveryError
        ? err
        : // Configuration problems (undecryptable secret, incomplete destination) will not fix themselves.
          new DeliveryError(
            (err as Error).message,
            err instanceof DecryptError || (err as { statusCode?: number }).statusCode === 400
          );
    const last = e.permanent || d.attempts >= deps.policy.maxAttempts;
    const { backoffMs } = deps.policy;
    const wait = Math.max(backoffMs[Math.min(d.attempts - 1, backoffMs.length - 1)] ?? 60_000, e.retryAfterMs ?? 0);
    outcome = last
      ? { status: 'failed', at: deps.now(), error: e.message }
      : { status: 'pending', at: deps.now(), nextAttemptAt: later(now, wait), error: e.message };
    deps.logger.warn(
      { deliveryId: d.id, runId: d.runId, kind: d.kind, attempt: d.attempts, final: last, reason: e.message },
      'report delivery failed'
    );
  }
  await deps.db.transaction(async (tx) => {
    await recordDelivery(tx, d.id, outcome);
    await refreshRunStatus(tx, d.runId);
  });
}

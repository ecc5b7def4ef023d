/**
 * Periodic jobs (node-cron). Jobs never overlap themselves; each keeps its last outcome for the health
 * endpoint. Provider syncs register here as connections are added (later issues).
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../observability/logger.js';

export interface JobStatus {
  name: string;
  schedule: string;
  running: boolean;
  lastRunAt: string | null;
  lastStatus: 'ok' | 'error' | null;
  lastError: string | null;
  lastDurationMs: number | null;
  nextRunAt: string | null;
}

interface Job {
  status: JobStatus;
  task?: ScheduledTask;
  run: () => Promise<void>;
}

export class Scheduler {
  private readonly jobs = new Map<string, Job>();
  private started = false;

  constructor(
    private readonly logger: Logger,
    readonly enabled: boolean,
    private readonly timezone = 'Europe/Moscow'
  ) {}

  register(name: string, schedule: string, run: () => Promise<void>): void {
    if (!cron.validate(schedule)) throw new Error(`invalid cron expression for job ${name}: ${schedule}`);
    if (this.jobs.has(name)) throw new Error(`job ${name} is already registered`);
    const job: Job = {
      run,
      status: {
        name,
        schedule,
        running: false,
        lastRunAt: null,
        lastStatus: null,
        lastError: null,
        lastDurationMs: null,
        nextRunAt: null,
      },
    };
    this.jobs.set(name, job);
    if (this.started) this.schedule(job);
  }

  /** Runs a job now (also used by the cron trigger). Resolves when it finishes; skips if already running. */
  async runNow(name: string): Promise<JobStatus> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`no job named ${name}`);
    if (job.status.running) return job.status;
    const started = Date.now();
    job.status.running = true;
    job.status.lastRunAt = new Date(started).toISOString();
    try {
      await job.run();
      job.status.lastStatus = 'ok';
      job.status.lastError = null;
    } catch (err) {
      job.status.lastStatus = 'error';
      job.status.lastError = (err as Error).message;
      this.logger.error({ job: name, err: (err as Error).message }, 'scheduled job failed');
    } finally {
      job.status.running = false;
      job.status.lastDurationMs = Date.now() - started;
    }
    return job.status;
  }

  private schedule(job: Job) {
    job.task = cron.schedule(job.status.schedule, () => this.runNow(job.status.name).then(() => undefined), {
      name: job.status.name,
      timezone: this.timezone,
      noOverlap: true,
    });
  }

  start(): void {
    if (!this.enabled || this.started) return;
    this.started = true;
    for (const job of this.jobs.values()) this.schedule(job);
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const job of this.jobs.values()) {
      await job.task?.destroy();
      job.task = undefined;
    }
  }

  status() {
    return {
      enabled: this.enabled,
      running: this.started,
      jobs: [...this.jobs.values()].map((job) => ({
        ...job.status,
        nextRunAt: job.task?.getNextRun()?.toISOString() ?? null,
      })),
    };
  }
}

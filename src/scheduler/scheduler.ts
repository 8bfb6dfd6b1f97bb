import { randomUUID } from 'node:crypto';
import { createTask, type RunCoordinator, type ScheduledTask } from 'node-cron';
import { type Logger, silentLogger } from '../conversation/ports.ts';

/** Pulje's clock for schedules: deadlines, reminders and digests are Danish wall-clock times. */
export const TIME_ZONE = 'Europe/Copenhagen';

export interface Job {
  /** Unique, no colon (it starts the lease key). */
  name: string;
  /** Five-field cron expression in Europe/Copenhagen time ("0 8 * * *": every day at 08:00). */
  cron: string;
  /** How long a run may hold its slot before another process may take it over (default 10 minutes). */
  leaseMs?: number;
  /** Does the job's work for `slot` (the cron time it is for); what it returns is recorded with the run. */
  run(slot: Date): Promise<unknown>;
}

/** Where runs are leased: `pulje.jobRuns` (a row per job and slot in Pulje's database). */
export interface JobLeases {
  claim(job: string, slot: Date, owner: string, leaseMs: number): Promise<boolean>;
  finish(job: string, slot: Date, owner: string, state: 'done' | 'failed', result: unknown): Promise<void>;
  newestSlot(job: string): Promise<Date | null>;
}

export interface SchedulerOptions {
  jobs: readonly Job[];
  leases: JobLeases;
  log?: Logger;
  /** Who this process is in the lease rows (default: a random id per scheduler). */
  owner?: string;
  /** The time now, for catching up (tests pass a manual clock); Date.now by default. */
  now?: () => Date;
}

export interface RunReport {
  job: string;
  slot: Date;
  /** 'ran': this process ran it; 'skipped': another process had (or has) the slot; 'failed': it threw. */
  outcome: 'ran' | 'skipped' | 'failed';
  result?: unknown;
}

const DEFAULT_LEASE_MS = 10 * 60_000;
/** How far back a missed slot is looked for at start-up (a weekly job's period, and a day more). */
const LOOKBACK_MINUTES = 8 * 24 * 60;

/**
 * Scheduled jobs on node-cron, in Danish time, once per slot across every Pulje process on one database:
 * node-cron's distributed mode asks a run coordinator before each run, and Pulje's coordinator claims the
 * slot's lease row (`JobLeases.claim`), so exactly one process runs it. At start-up, a job that has run before
 * catches up its newest missed slot once (a slot that is already claimed is not run again, so several restarts,
 * or several processes starting at once, still run it once); older missed slots are not replayed.
 */
export function createScheduler(opts: SchedulerOptions) {
  const log = opts.log ?? silentLogger;
  const owner = opts.owner ?? randomUUID();
  const now = opts.now ?? (() => new Date());
  const byName = new Map(opts.jobs.map((j) => [j.name, j]));
  for (const job of opts.jobs) if (job.name.includes(':')) throw new Error(`job name ${job.name} may not contain ':'`);
  const tasks: ScheduledTask[] = [];
  const reports: RunReport[] = [];
  const listeners = new Set<(r: RunReport) => void>();
  const report = (r: RunReport) => {
    reports.push(r);
    if (reports.length > 200) reports.shift();
    for (const l of listeners) l(r);
    return r;
  };
  const leaseOf = (job: Job) => job.leaseMs ?? DEFAULT_LEASE_MS;

  /** Takes the slot's lease; a slot another process has (or had) is reported skipped. */
  async function claim(job: Job, slot: Date): Promise<RunReport | null> {
    if (await opts.leases.claim(job.name, slot, owner, leaseOf(job))) return null;
    return report({ job: job.name, slot, outcome: 'skipped' });
  }

  // node-cron keys a run as `${name}:${slot ISO}`; the name has no colon, so the first one ends it.
  const coordinator: RunCoordinator = {
    async shouldRun(key) {
      const at = key.indexOf(':');
      const job = byName.get(key.slice(0, at));
      return job ? (await claim(job, new Date(key.slice(at + 1)))) === null : false;
    },
  };

  /** Runs a slot this process holds, and records how it went. */
  async function runHeld(job: Job, slot: Date): Promise<RunReport> {
    try {
      const result = await job.run(slot);
      await opts.leases.finish(job.name, slot, owner, 'done', result);
      log.info({ job: job.name, slot: slot.toISOString(), result }, 'scheduler: job ran');
      return report({ job: job.name, slot, outcome: 'ran', result });
    } catch (error) {
      log.error({ err: error, job: job.name, slot: slot.toISOString() }, 'scheduler: job failed');
      await opts.leases.finish(job.name, slot, owner, 'failed', { error: String(error) }).catch(() => {});
      return report({ job: job.name, slot, outcome: 'failed' });
    }
  }

  /** One slot of one job, through the coordinator as node-cron would: claimed, then run here or skipped. */
  async function fire(name: string, slot: Date): Promise<RunReport> {
    const job = byName.get(name);
    if (!job) throw new Error(`no job ${name}`);
    return (await claim(job, slot)) ?? runHeld(job, slot);
  }

  const matchers = new Map<string, ScheduledTask>();
  const matcher = (job: Job) => {
    let m = matchers.get(job.name);
    if (!m) matchers.set(job.name, (m = createTask(job.cron, () => {}, { timezone: TIME_ZONE })));
    return m;
  };

  /** The newest slot of a job at or before `at` (whole minutes), within the look-back; null if none. */
  function previousSlot(name: string, at: Date): Date | null {
    const job = byName.get(name);
    if (!job) throw new Error(`no job ${name}`);
    const m = matcher(job);
    let t = Math.floor(at.getTime() / 60_000) * 60_000;
    const earliest = t - LOOKBACK_MINUTES * 60_000;
    // Each match() formats the date in Copenhagen time (Intl), about 10 µs: minute by minute, a weekly job's
    // look-back took some 100 ms of start-up. A job at a fixed minute ("0 8 * * 1") can only match at that minute
    // of an hour, and Copenhagen's offset from UTC is always whole hours, so that job is tried once an hour.
    // Five fields only: node-cron also takes six, seconds first.
    const fields = job.cron.trim().split(/\s+/);
    const minute = fields.length === 5 && /^\d{1,2}$/.test(fields[0]!) ? Number(fields[0]) : null;
    const step = minute === null ? 60_000 : 3_600_000;
    if (minute !== null) t -= ((new Date(t).getUTCMinutes() - minute + 60) % 60) * 60_000;
    for (; t >= earliest; t -= step) if (m.match(new Date(t))) return new Date(t);
    return null;
  }

  /** Catches up each job's newest missed slot once (jobs that never ran have none to catch up). */
  async function catchUp(): Promise<RunReport[]> {
    const out: RunReport[] = [];
    for (const job of opts.jobs) {
      const slot = previousSlot(job.name, now());
      if (!slot || (await opts.leases.newestSlot(job.name)) === null) continue;
      out.push(await fire(job.name, slot));
    }
    return out;
  }

  return {
    owner,
    reports: reports as readonly RunReport[],
    onReport(listener: (r: RunReport) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    fire,
    catchUp,
    previousSlot,
    /** Catches up, then schedules every job on node-cron (timers unref'd: they never keep the process alive). */
    async start(): Promise<void> {
      await catchUp();
      for (const job of opts.jobs) {
        const task = createTask(job.cron, (context) => runHeld(job, context.date), {
          name: job.name,
          timezone: TIME_ZONE,
          noOverlap: true,
          distributed: true,
          runCoordinator: coordinator,
          distributedLease: leaseOf(job),
          unref: true,
        });
        task.on('execution:skipped', (context) => {
          if (context.reason === 'coordinator-error')
            log.warn({ job: job.name, slot: context.date }, 'scheduler: lease unavailable; slot skipped');
        });
        await task.start();
        tasks.push(task);
      }
    },
    async stop(): Promise<void> {
      for (const task of tasks.splice(0)) await task.destroy();
      for (const m of matchers.values()) await m.destroy();
      matchers.clear();
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;

/**
 * Runs due monitors on their cron schedules. Every lab process may run a scheduler on the same
 * database: each tick lists due monitors and claims each firing with one conditional UPDATE of its
 * `next_run_at` (the store's `claimMonitor`), so a firing runs in exactly one process, whichever
 * claims it first. A missed stretch (every process down) runs once, not once per missed firing.
 */
import {
  claimMonitor,
  listDueMonitors,
  type DataScope,
  type Db,
  type MonitorRow,
  type Queryable,
} from '@nflab/store';
import type { RunQueue } from '../queue/run-queue.js';
import { nextCronRun } from './cron.js';
import { runMonitor, type MonitorExecution } from './run-monitor.js';
import { TickLoop } from './tick-loop.js';
import { sendAlertWebhook, type WebhookResult } from './webhook.js';

/** What a scheduler runs on and whom it tells. */
export interface MonitorSchedulerOptions {
  readonly db: Db;
  /** Time between ticks. @default 15000 */
  readonly intervalMs?: number;
  /** The clock (tests move it). @default () => new Date() */
  readonly now?: () => Date;
  /** The queue refits join. @default a RunQueue on `db` */
  readonly queue?: RunQueue;
  /** Where data tables are read. @default db */
  readonly data?: Queryable;
  /** Which relations are data tables. @default the store's DEFAULT_DATA_SCOPE */
  readonly scope?: DataScope;
  /** Webhook deliveries give up after this. @default 5000 */
  readonly webhookTimeoutMs?: number;
  /** Called after every execution this process ran (alerts included). */
  readonly onExecution?: (monitor: MonitorRow, execution: MonitorExecution) => void;
  /** A webhook delivery's outcome. */
  readonly onWebhook?: (monitor: MonitorRow, result: WebhookResult) => void;
  /** A tick or an execution that failed (the scheduler carries on). */
  readonly onError?: (error: unknown, monitor?: MonitorRow) => void;
}

/** A tick loop over the database's monitors; {@link MonitorScheduler.close} waits for the running tick. */
export class MonitorScheduler {
  private readonly loop: TickLoop;

  constructor(private readonly options: MonitorSchedulerOptions) {
    this.loop = new TickLoop(
      () => this.tick(),
      options.intervalMs ?? 15_000,
      (error) => options.onError?.(error),
    );
  }

  /** Starts ticking (the first tick at once). */
  start(): void {
    this.loop.start();
  }

  /** One pass: claims and runs every due firing; returns how many executions this process ran. */
  async tick(): Promise<number> {
    const { db } = this.options;
    const now = (this.options.now ?? (() => new Date()))();
    let ran = 0;
    for (const due of await listDueMonitors(db, now)) {
      if (this.loop.isClosed) break;
      let next: Date | null;
      try {
        next = nextCronRun(due.cron, now);
      } catch (error) {
        this.options.onError?.(error, due);
        continue;
      }
      const claimed = await claimMonitor(db, { id: due.id, seen: due.next_run_at, next, now });
      // Someone else claimed it, or it was never scheduled and now is.
      if (claimed === undefined || due.next_run_at === null) continue;
      ran += 1;
      await this.execute(claimed, now);
    }
    return ran;
  }

  private async execute(monitor: MonitorRow, now: Date): Promise<void> {
    let execution: MonitorExecution;
    try {
      execution = await runMonitor({
        db: this.options.db,
        monitor,
        now,
        ...(this.options.queue === undefined ? {} : { queue: this.options.queue }),
        ...(this.options.data === undefined ? {} : { data: this.options.data }),
        ...(this.options.scope === undefined ? {} : { scope: this.options.scope }),
      });
    } catch (error) {
      this.options.onError?.(error, monitor);
      return;
    }
    this.options.onExecution?.(monitor, execution);
    const result = await sendAlertWebhook(monitor, execution, this.options.webhookTimeoutMs);
    if (result !== undefined) this.options.onWebhook?.(monitor, result);
  }

  /** Stops ticking and waits for a tick in progress (its current execution finishes; the rest wait for the next process). */
  async close(): Promise<void> {
    await this.loop.close();
  }
}

/**
 * One reader of nf_events per server, fanning events out to SSE clients in id order.
 *
 * Ids come from a sequence, and a transaction can commit after one that took a larger id: reading
 * "id > cursor" naively would skip the late one forever. So the hub delivers ids in order and, at
 * a gap, waits until every transaction that was open when it first saw the gap has ended (the
 * snapshot's xmin passes that moment's xmax); then the gap is a rollback's and is skipped.
 */
import type { EventType } from '@nflab/contracts';
import { latestEventId, listEventsBetween, readEventsAfter, type Queryable } from '@nflab/store';

/** One row of nf_events as the hub hands it out. */
export interface LabEvent {
  readonly id: number;
  readonly type: EventType;
  readonly at: Date;
  readonly run_id: string | null;
  readonly sweep_id: string | null;
  readonly payload: unknown;
}

/** Options of {@link EventHub}. */
export interface EventHubOptions {
  /** How often to look for new events when no notification wakes the hub. @default 200 */
  readonly pollMs?: number;
  /** Rows read per poll. @default 1000 */
  readonly batch?: number;
}

type Listener = (event: LabEvent) => void;

/** Reads nf_events after a cursor and calls every subscriber with each event, in id order, once. */
export class EventHub {
  readonly #db: Queryable;
  readonly #pollMs: number;
  readonly #batch: number;
  readonly #listeners = new Set<Listener>();
  #cursor = 0;
  /** A gap after `at`, first seen when transactions up to `xmax` could still fill it. */
  #gap: { at: number; xmax: bigint } | undefined;
  #started: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #polling = false;
  #pollAgain = false;

  constructor(db: Queryable, options: EventHubOptions = {}) {
    this.#db = db;
    this.#pollMs = options.pollMs ?? 200;
    this.#batch = options.batch ?? 1000;
  }

  /** The last id delivered; every event up to it has been handed to the subscribers of its time. */
  get cursor(): number {
    return this.#cursor;
  }

  /** Listeners subscribed now: one per connected live-event (SSE) client. */
  get subscribers(): number {
    return this.#listeners.size;
  }

  /** Starts from the newest event (earlier ones are for replay), then polls while anyone listens. */
  start(): Promise<void> {
    this.#started ??= (async () => {
      this.#cursor = await latestEventId(this.#db);
    })().catch((error: unknown) => {
      // Let the next client try again instead of failing forever on one bad moment.
      this.#started = undefined;
      throw error;
    });
    return this.#started;
  }

  /** Adds a listener; returns the function that removes it. Call after {@link start} resolved. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    this.#timer ??= setInterval(() => this.wake(), this.#pollMs);
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0 && this.#timer !== undefined) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    };
  }

  /** Looks for new events now (a notification arrived, or the poll timer fired). */
  wake(): void {
    if (this.#polling) {
      this.#pollAgain = true;
      return;
    }
    this.#polling = true;
    void this.#drain().finally(() => {
      this.#polling = false;
    });
  }

  /** Stops polling; subscribers stay registered but receive nothing more. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#listeners.clear();
  }

  async #drain(): Promise<void> {
    do {
      this.#pollAgain = false;
      try {
        while (await this.#pollOnce());
      } catch {
        // A failed poll (database restarting) is retried on the next tick; events wait in the table.
        return;
      }
    } while (this.#pollAgain);
  }

  /** Delivers what is ready; true when a full batch was read (more may be waiting). */
  async #pollOnce(): Promise<boolean> {
    const rows = await readEventsAfter(this.#db, this.#cursor, this.#batch);
    for (const row of rows) {
      const id = Number(row.id);
      if (id !== this.#cursor + 1 && !this.#gapClosed(BigInt(row.xmin), BigInt(row.xmax))) return false;
      this.#cursor = id;
      this.#gap = undefined;
      const event: LabEvent = {
        id,
        type: row.type,
        at: row.at,
        run_id: row.run_id,
        sweep_id: row.sweep_id,
        payload: row.payload,
      };
      for (const listener of this.#listeners) listener(event);
    }
    return rows.length === this.#batch;
  }

  /** True once no transaction that could still write the missing ids is running. */
  #gapClosed(xmin: bigint, xmax: bigint): boolean {
    if (this.#gap?.at !== this.#cursor) {
      this.#gap = { at: this.#cursor, xmax };
      return false;
    }
    return xmin >= this.#gap.xmax;
  }
}

/** Which events a client asked for. */
export interface EventFilter {
  readonly runId?: string;
  readonly sweepId?: string;
}

/** True when `event` passes `filter`. */
export const matches = (event: Pick<LabEvent, 'run_id' | 'sweep_id'>, filter: EventFilter): boolean =>
  (filter.runId === undefined || event.run_id === filter.runId) &&
  (filter.sweepId === undefined || event.sweep_id === filter.sweepId);

/** Stored events after `after` up to `upTo` that pass `filter`, for a reconnecting client. */
export const replayEvents = async (
  db: Queryable,
  { after, upTo, filter }: { after: number; upTo: number; filter: EventFilter },
): Promise<LabEvent[]> => {
  const rows = await listEventsBetween(db, {
    after,
    upTo,
    ...(filter.runId !== undefined ? { runId: filter.runId } : {}),
    ...(filter.sweepId !== undefined ? { sweepId: filter.sweepId } : {}),
  });
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
};

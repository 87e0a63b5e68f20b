/** Live events in nf_events (written by triggers) and the `nflab_events` notifications that announce them. */
import type { EventType } from '@nflab/contracts';
import pg from 'pg';
import type { Queryable } from '../db.js';
import type { EventRow } from '../schema/tables.js';

/** The channel the event triggers notify. */
export const EVENTS_CHANNEL = 'nflab_events';

/** One event as readers see it (the writing transaction's id left out). */
export type EventRecordRow = Omit<EventRow, 'tx' | 'type'> & { readonly type: EventType };

/** An event with the reading snapshot's xmin and xmax (as text: they are 64-bit). */
export type EventWithSnapshotRow = EventRecordRow & { readonly xmin: string; readonly xmax: string };

const COLUMNS = 'id, type, at, run_id, sweep_id, payload';

/** The newest event id, 0 when there is none. */
export const latestEventId = async (db: Queryable): Promise<number> => {
  const { rows } = await db.query<{ max: number }>(
    'SELECT coalesce(max(id), 0)::bigint AS max FROM nf_events',
  );
  return Number(rows[0]?.max ?? 0);
};

/** Up to `limit` events after id `after` in id order, each with the snapshot the read saw. */
export const readEventsAfter = async (
  db: Queryable,
  after: number,
  limit: number,
): Promise<EventWithSnapshotRow[]> =>
  (
    await db.query<EventWithSnapshotRow>(
      `SELECT ${COLUMNS}, pg_snapshot_xmin(pg_current_snapshot())::text AS xmin,
              pg_snapshot_xmax(pg_current_snapshot())::text AS xmax
         FROM nf_events WHERE id > $1 ORDER BY id LIMIT $2`,
      [after, limit],
    )
  ).rows;

/** Which stored events {@link listEventsBetween} returns. */
export interface EventRange {
  /** Events after this id. */
  readonly after: number;
  /** Events up to and including this id. */
  readonly upTo: number;
  readonly runId?: string;
  readonly sweepId?: string;
}

/** Stored events in a range of ids, optionally of one run and/or sweep, in id order. */
export const listEventsBetween = async (
  db: Queryable,
  { after, upTo, runId, sweepId }: EventRange,
): Promise<EventRecordRow[]> =>
  (
    await db.query<EventRecordRow>(
      `SELECT ${COLUMNS} FROM nf_events
      WHERE id > $1 AND id <= $2 AND ($3::uuid IS NULL OR run_id = $3::uuid) AND ($4::uuid IS NULL OR sweep_id = $4::uuid)
      ORDER BY id`,
      [after, upTo, runId ?? null, sweepId ?? null],
    )
  ).rows;

/** Deletes events older than `retentionDays`; returns how many. */
export const deleteOldEvents = async (db: Queryable, retentionDays: number): Promise<number> =>
  (await db.query('DELETE FROM nf_events WHERE at < now() - make_interval(days => $1)', [retentionDays]))
    .rowCount;

/**
 * Listens on {@link EVENTS_CHANNEL} with its own connection to a PostgreSQL server (PGlite cannot
 * notify across processes); returns the function that closes it.
 */
export const listenForEvents = async (
  url: string,
  onNotify: () => void,
  onError: (error: unknown) => void,
): Promise<() => Promise<void>> => {
  const client = new pg.Client({ connectionString: url });
  // A dropped connection only loses the shortcut; the hub's poll still finds every event.
  client.on('error', onError);
  client.on('notification', onNotify);
  await client.connect();
  await client.query(`LISTEN ${EVENTS_CHANNEL}`);
  return async () => {
    await client.end().catch(onError);
  };
};

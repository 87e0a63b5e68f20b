/**
 * Live events over Server-Sent Events. The browser's EventSource reconnects by itself and sends
 * `Last-Event-ID`, so the server replays what was missed; when the server closes the stream for
 * good (restart, error status) we open a new one with `?after=<last id>` after a back-off.
 */
import { useEffect, useRef, useState } from 'react';
import { EVENT_TYPES } from '@nflab/contracts';
import { apiUrl } from './client.js';
import type { LabEvent } from './types.js';

/** One received event (`{ id, type, at, data }` as the contracts define it). */
export type LiveEvent = LabEvent;

/** Connection state shown beside live views. */
export type LiveConnection = 'connecting' | 'open' | 'reconnecting';

/** What to follow; empty means nothing (no stream is opened). */
export interface LiveFilter {
  readonly sweepId?: string;
  readonly runId?: string;
}

const MAX_BACKOFF_MS = 15_000;

/** Opens the event stream for `filter` and calls `onEvent` for each event; returns the connection state. */
export const useLiveEvents = (filter: LiveFilter, onEvent: (event: LiveEvent) => void): LiveConnection => {
  const [connection, setConnection] = useState<LiveConnection>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const { sweepId, runId } = filter;

  useEffect(() => {
    if (sweepId === undefined && runId === undefined) return;
    let source: EventSource | undefined;
    let lastId: string | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let backoff = 1000;
    let stopped = false;

    const open = (): void => {
      source = new EventSource(apiUrl('/events', { sweep_id: sweepId, run_id: runId, after: lastId }), {
        withCredentials: true,
      });
      source.onopen = () => {
        backoff = 1000;
        setConnection('open');
      };
      source.onerror = () => {
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          setConnection('reconnecting');
          retry = setTimeout(open, backoff);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        } else {
          setConnection('reconnecting');
        }
      };
      for (const name of EVENT_TYPES) {
        source.addEventListener(name, (message: MessageEvent<string>) => {
          if (message.lastEventId !== '') lastId = message.lastEventId;
          try {
            handler.current(JSON.parse(message.data) as LiveEvent);
          } catch {
            // A malformed event is dropped; the next one or a reload brings the page up to date.
          }
        });
      }
    };
    open();
    return () => {
      stopped = true;
      if (retry !== undefined) clearTimeout(retry);
      source?.close();
    };
  }, [sweepId, runId]);

  return connection;
};

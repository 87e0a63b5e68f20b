/**
 * Live events over Server-Sent Events. The browser's EventSource reconnects by itself and sends
 * `Last-Event-ID`, so the server replays what was missed; when the server closes the stream for
 * good (restart, error status) we open a new one with `?after=<last id>` after a back-off.
 */
import { useEffect, useRef, useState } from 'react';
import { EVENT_TYPES, type EventType } from '@nflab/contracts';
import { apiUrl } from './client.js';
import type { LabEvent } from './types.js';

/** One received event (`{ id, type, at, data }` as the contracts define it). */
export type LiveEvent = LabEvent;

/**
 * The event from one SSE message. The `data:` line carries the event's payload; an envelope
 * (`{ id, type, at, data }`) is unwrapped too, so either framing of the contract works.
 */
export const toLiveEvent = (
  name: EventType,
  message: { readonly data: string; readonly lastEventId: string },
): LiveEvent => {
  const parsed = JSON.parse(message.data) as Record<string, unknown>;
  const enveloped = parsed.type === name && typeof parsed.data === 'object' && parsed.data !== null;
  const payload = (enveloped ? parsed.data : parsed) as Record<string, unknown>;
  return {
    id: Number(message.lastEventId),
    type: name,
    at: typeof payload.at === 'string' ? payload.at : '',
    data: payload,
  } as LiveEvent;
};

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
            handler.current(toLiveEvent(name, message));
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

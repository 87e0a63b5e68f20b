/** Loading state of one API read, so every page renders loading, error and data the same way. */
import { useCallback, useEffect, useRef, useState } from 'react';

/** What a read is doing; `data` stays while a reload runs so charts do not blink. */
export type ApiState<T> =
  | { readonly status: 'idle' }
  | { readonly status: 'loading'; readonly data?: T }
  | { readonly status: 'error'; readonly error: unknown; readonly data?: T }
  | { readonly status: 'ready'; readonly data: T };

/** A read plus `reload` (for SSE pokes and retry buttons). */
export type ApiResource<T> = ApiState<T> & { readonly reload: () => void };

/**
 * Runs `load` when `key` changes (null key = nothing to load yet) and on `reload()`. Answers of a
 * superseded key are dropped so a fast click through tables never shows the wrong table.
 */
export const useApi = <T>(key: string | null, load: () => Promise<T>): ApiResource<T> => {
  const [state, setState] = useState<ApiState<T>>(key === null ? { status: 'idle' } : { status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  const loadedKey = useRef(key);
  loadRef.current = load;

  useEffect(() => {
    if (key === null) {
      setState({ status: 'idle' });
      return;
    }
    let current = true;
    // A reload keeps the old data on screen; a new key (another table, run …) must not show it.
    const sameKey = loadedKey.current === key;
    loadedKey.current = key;
    setState((previous) => ({
      status: 'loading',
      data: sameKey && 'data' in previous ? previous.data : undefined,
    }));
    loadRef.current().then(
      (data) => current && setState({ status: 'ready', data }),
      (error: unknown) =>
        current &&
        setState((previous) => ({
          status: 'error',
          error,
          data: 'data' in previous ? previous.data : undefined,
        })),
    );
    return () => {
      current = false;
    };
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...state, reload };
};

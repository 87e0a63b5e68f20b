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
  // The state remembers which key it belongs to: a new key (another table, run …) never shows the
  // previous key's data, not even for the one render before the effect starts loading.
  const [state, setState] = useState<{ key: string | null; value: ApiState<T> }>({
    key,
    value: key === null ? { status: 'idle' } : { status: 'loading' },
  });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    if (key === null) {
      setState({ key, value: { status: 'idle' } });
      return;
    }
    let current = true;
    // A reload of the same key keeps the old data on screen so charts do not blink.
    const keep = (previous: { key: string | null; value: ApiState<T> }): T | undefined =>
      previous.key === key && 'data' in previous.value ? previous.value.data : undefined;
    setState((previous) => ({ key, value: { status: 'loading', data: keep(previous) } }));
    loadRef.current().then(
      (data) => current && setState({ key, value: { status: 'ready', data } }),
      (error: unknown) =>
        current && setState((previous) => ({ key, value: { status: 'error', error, data: keep(previous) } })),
    );
    return () => {
      current = false;
    };
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const value: ApiState<T> =
    state.key === key ? state.value : key === null ? { status: 'idle' } : { status: 'loading' };
  return { ...value, reload };
};

/** React state mirrored in localStorage, so choices survive navigation and reload. */
import { useCallback, useState } from 'react';

const read = <T>(key: string, fallback: T, isValid: (value: unknown) => value is T): T => {
  try {
    const raw = localStorage.getItem(key);
    if (raw === null) return fallback;
    const parsed: unknown = JSON.parse(raw);
    return isValid(parsed) ? parsed : fallback;
  } catch {
    // Corrupt or blocked storage: start from the default rather than break the page.
    return fallback;
  }
};

/**
 * Like useState, persisted under `key`. A stored value that `isValid` rejects (an older app version
 * wrote it) is ignored.
 */
export const usePersistentState = <T>(
  key: string,
  fallback: T,
  isValid: (value: unknown) => value is T,
): [T, (next: T | ((previous: T) => T)) => void] => {
  const [value, setValue] = useState<T>(() => read(key, fallback, isValid));
  const set = useCallback(
    (next: T | ((previous: T) => T)) => {
      setValue((previous) => {
        const resolved = typeof next === 'function' ? (next as (previous: T) => T)(previous) : next;
        try {
          localStorage.setItem(key, JSON.stringify(resolved));
        } catch {
          // Storage full or disabled: the state still works for this page view.
        }
        return resolved;
      });
    },
    [key],
  );
  return [value, set];
};

/**
 * Turns for CPU-heavy loops on the main thread (planning sweeps): each loop works in slices and
 * waits for its turn between them, and the turns of every loop in the process go round one per
 * event-loop iteration. A per-loop `setImmediate` would not do: four plans yielding at once all
 * run in the same check phase, so a health check waited four slices per iteration, not one.
 */

/** Longest slice a loop works before it waits for its next turn. */
export const SLICE_MS = 5;

const waiting: (() => void)[] = [];
let scheduled = false;

// An immediate queued from inside an immediate runs on the NEXT loop iteration, after I/O: so each
// iteration hands exactly one slice to one loop, in the order they asked.
const schedule = (): void => {
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    const next = waiting.shift();
    if (waiting.length > 0) schedule();
    next?.();
  });
};

/** Resolves on this loop's next turn, after pending I/O and behind every loop that asked earlier. */
export const nextTurn = (): Promise<void> =>
  new Promise((resolve) => {
    waiting.push(resolve);
    if (!scheduled) schedule();
  });

/**
 * A slice clock for one loop: `await clock.pause()` returns at once while the current slice lasts,
 * and waits for the loop's next turn once it has run {@link SLICE_MS} ms.
 */
export const sliceClock = (): { pause: () => Promise<void> | undefined } => {
  let start = performance.now();
  return {
    pause: () => {
      if (performance.now() - start < SLICE_MS) return undefined;
      return nextTurn().then(() => {
        start = performance.now();
      });
    },
  };
};

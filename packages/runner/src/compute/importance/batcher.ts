/**
 * Gathers the requests of concurrent callers into one call: each caller awaits its own answers,
 * while the model runs once per turn of the event loop on everything asked in it. KernelSHAP and
 * integrated gradients explain one window at a time and call the model with a few rows each; run
 * for many windows at once through a batcher, they cost a few large forwards instead of many tiny ones.
 */

/** Answers a list of requests in order. */
export type BatchFn<Req, Res> = (requests: readonly Req[]) => Promise<readonly Res[]>;

/**
 * A function with the batch function's signature that shares calls with every concurrent caller;
 * once `signal` is aborted, every call fails with its reason instead of running the model.
 */
export const createBatcher = <Req, Res>(run: BatchFn<Req, Res>, signal?: AbortSignal): BatchFn<Req, Res> => {
  let pending: { requests: readonly Req[]; resolve: (r: Res[]) => void; reject: (e: unknown) => void }[] = [];
  const flush = async (): Promise<void> => {
    const callers = pending;
    pending = [];
    try {
      signal?.throwIfAborted();
      const answers = await run(callers.flatMap((c) => c.requests));
      let offset = 0;
      for (const caller of callers) {
        caller.resolve(answers.slice(offset, offset + caller.requests.length));
        offset += caller.requests.length;
      }
    } catch (error) {
      for (const caller of callers) caller.reject(error);
    }
  };
  return (requests) =>
    new Promise<Res[]>((resolve, reject) => {
      // setImmediate runs after every pending microtask, so callers resumed by the last flush have asked again.
      if (pending.length === 0) setImmediate(() => void flush());
      pending.push({ requests, resolve, reject });
    });
};

/** Runs `task` on every item, at most `limit` at a time (each group awaited before the next starts). */
export const inGroups = async <T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> => {
  const out: R[] = [];
  for (let start = 0; start < items.length; start += limit) {
    const group = items.slice(start, start + limit);
    out.push(...(await Promise.all(group.map((item, i) => task(item, start + i)))));
  }
  return out;
};

import { describe, expect, test } from 'vitest';
import { openPglite, openPostgres } from '@nflab/store';
import { isConnectionError } from '../../src/queue/index.js';
import { FIRST_RETRY_DELAY_MS, retryOnConnectionLoss } from '../../src/worker/index.js';

// Nothing listens on port 1: connecting fails with a real ECONNREFUSED from node-postgres.
const refusedConnection = (): Promise<unknown> =>
  openPostgres({ url: 'postgres://postgres@127.0.0.1:1/none' });

const errorOf = async (work: () => Promise<unknown>): Promise<unknown> => {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
};

describe('retryOnConnectionLoss', () => {
  test('a refused connection is a connection error; a bad query is not', async () => {
    expect(isConnectionError(await errorOf(refusedConnection))).toBe(true);
    const db = await openPglite();
    try {
      const syntax = await errorOf(() => db.query('SELEC 1'));
      expect(isConnectionError(syntax)).toBe(false);
    } finally {
      await db.close();
    }
  });

  test('retries connection errors with doubling waits until the call succeeds', async () => {
    let calls = 0;
    const waits: number[] = [];
    const result = await retryOnConnectionLoss(
      async () => {
        calls += 1;
        if (calls <= 2) await refusedConnection();
        return 'claimed';
      },
      { onError: (_error, retryInMs) => waits.push(retryInMs) },
    );
    expect(result).toBe('claimed');
    expect(waits).toEqual([FIRST_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2]);
  });

  test('throws other errors at once, and gives up (undefined) when told to', async () => {
    await expect(
      retryOnConnectionLoss(() => Promise.reject(new TypeError('a bug')), { onError: () => undefined }),
    ).rejects.toThrow('a bug');
    const stop = new AbortController();
    const gaveUp = await retryOnConnectionLoss(refusedConnection, {
      onError: () => stop.abort(),
      giveUpOn: stop.signal,
    });
    expect(gaveUp).toBeUndefined();
  });
});

import { ConfigError, InputError, LabError, StoreError, TrainingError } from '@nflab/contracts';
import * as contracts from '@nflab/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrialWorkerPool } from '../src/auto/worker-pool.js';
import { spawnEngineWorker, workerEntryUrl } from '../src/backend/spawn-worker.js';
import { LAB_ERROR_CLASSES, reviveError, serializeError } from '../src/threads/error-transport.js';
import { WorkerChannel } from '../src/threads/worker-channel.js';
import type { ChannelTestJob } from './fixtures/channel-worker.js';

type TestChannel = WorkerChannel<ChannelTestJob, unknown, number, string>;

const spawn = (): TestChannel =>
  new WorkerChannel(
    spawnEngineWorker(workerEntryUrl('fixtures/channel-worker', import.meta.url)),
    'test worker',
  );

const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
};

describe('error transport', () => {
  it('lists every LabError class contracts exports, under its own name', () => {
    const exported = Object.entries(contracts).filter(
      ([, value]) =>
        typeof value === 'function' && (value === LabError || value.prototype instanceof LabError),
    );
    expect(Object.keys(LAB_ERROR_CLASSES).sort()).toEqual(exported.map(([name]) => name).sort());
    for (const [name, cls] of Object.entries(LAB_ERROR_CLASSES)) expect(cls.name).toBe(name);
  });

  it('rebuilds a LabError as its class with its fields, message, stack and cause (in one thread)', () => {
    const original = new StoreError('relation missing', 'SELECT 1', { cause: new Error('driver said no') });
    const revived = reviveError(structuredClone(serializeError(original)));
    expect(revived).toBeInstanceOf(StoreError);
    expect(revived).toMatchObject({ name: 'StoreError', code: 'store', query: 'SELECT 1', status: 500 });
    expect(revived.message).toBe(original.message);
    expect(revived.stack).toBe(original.stack);
    expect(revived.cause).toBeInstanceOf(Error);
    expect((revived.cause as Error).message).toBe('driver said no');
  });

  it('keeps a subclass the other side does not know as its nearest known class, under its own name', () => {
    class BadSeries extends ConfigError {}
    const revived = reviveError(serializeError(new BadSeries('series N1 is empty')));
    expect(revived).toBeInstanceOf(ConfigError);
    expect(revived.name).toBe('BadSeries');
    expect((revived as ConfigError).code).toBe('config');
  });
});

describe('WorkerChannel on a real worker thread', () => {
  let channel: TestChannel;
  beforeAll(() => {
    channel = spawn();
  });
  afterAll(async () => {
    await channel.terminate();
  });

  it('answers a job with its result after its events, in order', async () => {
    const events: number[] = [];
    await expect(
      channel.run({ kind: 'echo', value: 21, events: 5 }, { onEvent: (e) => events.push(e) }),
    ).resolves.toBe(42);
    expect(events).toEqual([0, 1, 2, 3, 4]);
  });

  it('runs several jobs at once, each settled with its own answer', async () => {
    const answers = await Promise.all(
      [1, 2, 3].map((value) => channel.run({ kind: 'echo', value, events: 0 })),
    );
    expect(answers).toEqual([2, 4, 6]);
  });

  it('rebuilds a ConfigError thrown in the worker as a ConfigError with its code, message and stack', async () => {
    const error = await rejection(channel.run({ kind: 'throw', error: 'config' }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(LabError);
    const e = error as ConfigError;
    expect(e).toMatchObject({ name: 'ConfigError', code: 'config', status: 400 });
    expect(e.message).toBe("input_size: -1 is not allowed for model 'nhits'; use an integer >= 1");
    expect(e.stack).toContain('channel-worker');
  });

  it('rebuilds an InputError with its issues', async () => {
    const error = await rejection(channel.run({ kind: 'throw', error: 'input' }));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({
      name: 'InputError',
      code: 'config',
      issues: [{ path: 'run.h', message: 'must be at least 1' }],
      message: 'run.h: must be at least 1',
    });
  });

  it('rebuilds a StoreError with its query, and a TrainingError with its cause', async () => {
    const store = await rejection(channel.run({ kind: 'throw', error: 'store' }));
    expect(store).toBeInstanceOf(StoreError);
    expect(store).toMatchObject({
      code: 'store',
      query: 'SELECT 1 FROM nf_nothing',
      message: 'relation missing',
    });
    const training = await rejection(channel.run({ kind: 'throw', error: 'cause' }));
    expect(training).toBeInstanceOf(TrainingError);
    expect((training as Error).cause).toBeInstanceOf(RangeError);
    expect(((training as Error).cause as Error).message).toBe('overflow');
  });

  it('rebuilds built-in errors as their class, and an unknown class as an Error with name, message, stack', async () => {
    expect(await rejection(channel.run({ kind: 'throw', error: 'type' }))).toBeInstanceOf(TypeError);
    const odd = (await rejection(channel.run({ kind: 'throw', error: 'custom' }))) as Error;
    expect(odd.constructor).toBe(Error);
    expect(odd).toMatchObject({
      name: 'OddError',
      message: 'odd',
      detail: 'only the worker knows this class',
    });
    expect(odd.stack).toContain('OddError: odd');
    const bare = (await rejection(channel.run({ kind: 'throw', error: 'string' }))) as Error;
    expect(bare).toBeInstanceOf(Error);
    expect(bare.message).toBe('a bare string');
  });

  it('serves the worker’s requests; a refusal reaches the worker as its class', async () => {
    const onRequest = async (question: string): Promise<unknown> => {
      if (question === 'forbidden') throw new ConfigError('not that one');
      return question.toUpperCase();
    };
    await expect(channel.run({ kind: 'ask', question: 'hello' }, { onRequest })).resolves.toEqual({
      answer: 'HELLO',
    });
    await expect(channel.run({ kind: 'ask', question: 'forbidden' }, { onRequest })).resolves.toEqual({
      refused: true,
      code: 'config',
      message: 'not that one',
    });
  });

  it('stops a job when its signal aborts, rejecting with the abort reason; the worker stays usable', async () => {
    const stop = new AbortController();
    const reason = new Error('cancelled by request');
    const running = channel.run({ kind: 'wait-stop' }, { signal: stop.signal });
    stop.abort(reason);
    expect(await rejection(running)).toBe(reason);
    expect(channel.alive).toBe(true);
    await expect(channel.run({ kind: 'echo', value: 1, events: 0 })).resolves.toBe(2);
  });
});

describe('WorkerChannel when the worker does not cooperate', () => {
  it('terminates a worker that ignores a stop after the grace period', async () => {
    const channel = spawn();
    const stop = new AbortController();
    const running = channel.run({ kind: 'ignore-stop' }, { signal: stop.signal, stopGraceMs: 50 });
    stop.abort(new Error('shutting down'));
    expect(((await rejection(running)) as Error).message).toBe('shutting down');
    expect(channel.alive).toBe(false);
  });

  it('rejects the job of a worker that exits, naming the worker and its exit code', async () => {
    const channel = spawn();
    const error = (await rejection(channel.run({ kind: 'exit' }))) as Error;
    expect(error.message).toBe('test worker exited with code 3 before answering');
    expect(channel.alive).toBe(false);
    await expect(channel.run({ kind: 'echo', value: 1, events: 0 })).rejects.toThrow(
      'test worker is not running',
    );
  });
});

describe('TrialWorkerPool', () => {
  it('rejects a trial with the ConfigError the trial worker threw, as that class', async () => {
    const pool = new TrialWorkerPool(1);
    try {
      const error = await rejection(
        pool.run(
          {
            model: 'no_such_model',
            config: { h: 2, input_size: 4 },
            freq: 1,
            localScalerType: null,
            df: { unique_id: ['a', 'a', 'a'], ds: [1, 2, 3], y: [1, 2, 3] },
            valSize: 0,
            backend: 'cpu',
            nativeMatmul: false,
          },
          { onProgress: () => undefined, signal: new AbortController().signal },
        ),
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).code).toBe('config');
      expect((error as Error).message).toContain("unknown model 'no_such_model'");
    } finally {
      await pool.terminate();
    }
  });
});

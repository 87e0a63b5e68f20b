import {
  createMemoryStorage,
  createNopPruner,
  createRandomSampler,
  createSampler,
  createThresholdPruner,
  Study,
  TrialPruned,
} from '@nflab/tune';
import type { SearchSpace } from '@nflab/tune';
import { describe, expect, it } from 'vitest';

const space: SearchSpace = {
  x: { kind: 'float', low: -1, high: 1 },
  c: { kind: 'categorical', choices: ['a', 'b'] },
};
const make = (opts: Partial<Parameters<typeof Study.create>[0]> = {}) =>
  Study.create({ space, sampler: createRandomSampler({ seed: 1 }), pruner: createNopPruner(), ...opts });

describe('Study ask/tell', () => {
  it('records values, picks the best by direction and flattens rows', async () => {
    const study = await make({ direction: 'maximize' });
    for (const v of [3, 7, 5]) {
      const t = await study.ask();
      await t.setUserAttr('tag', v);
      await study.tell(t, v);
    }
    expect((await study.bestTrial())?.value).toBe(7);
    const rows = await study.trialsDataframe();
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatchObject({ number: 1, state: 'COMPLETE', value: 7, user_attrs_tag: 7 });
    expect(typeof rows[0]?.params_x).toBe('number');
  });

  it('runs enqueued trials first with their fixed values and samples the rest', async () => {
    const study = await make();
    await study.enqueueTrial({ x: 0.25 });
    expect((await study.trials())[0]?.state).toBe('WAITING');
    const t = await study.ask();
    expect(t.number).toBe(0);
    expect(t.params.x).toBe(0.25);
    expect(['a', 'b']).toContain(t.params.c);
  });

  it('a telling twice is refused and NaN becomes FAIL', async () => {
    const study = await make();
    const t = await study.ask();
    expect(await study.tell(t, NaN)).toBe(true);
    expect(await study.tell(t, 1)).toBe(false);
    const [rec] = await study.trials();
    expect(rec?.state).toBe('FAIL');
    expect(rec?.error?.message).toMatch(/NaN/);
  });
});

describe('Study.optimize', () => {
  it('records a throwing objective as FAIL with message and stack, and carries on', async () => {
    const study = await make();
    await study.optimize(
      (t) => {
        if (t.number === 1) throw new Error('boom in objective');
        return t.get<number>('x');
      },
      { nTrials: 4 },
    );
    const trials = await study.trials();
    expect(trials.map((t) => t.state)).toEqual(['COMPLETE', 'FAIL', 'COMPLETE', 'COMPLETE']);
    expect(trials[1]?.error?.message).toBe('boom in objective');
    expect(trials[1]?.error?.stack).toMatch(/boom in objective[\s\S]*study\.test\.ts/);
  });

  it('a pruned trial is PRUNED with its last intermediate value', async () => {
    const study = await make({ pruner: createThresholdPruner({ upper: 10 }) });
    await study.optimize(
      async (t) => {
        for (let step = 0; step < 5; step++) {
          await t.report(step, t.number === 0 ? step : step * 10);
          if (await t.shouldPrune()) throw new TrialPruned();
        }
        return 0;
      },
      { nTrials: 2 },
    );
    const [a, b] = await study.trials();
    expect(a?.state).toBe('COMPLETE');
    expect(b?.state).toBe('PRUNED');
    expect(b?.value).toBe(20);
    expect(Object.keys(b?.intermediateValues ?? {})).toEqual(['0', '1', '2']);
  });

  it('an AbortSignal stops promptly and records running trials as FAIL (cancelled)', async () => {
    const study = await make();
    const controller = new AbortController();
    let started = 0;
    const done = study.optimize(
      (t) =>
        new Promise<number>((resolve) => {
          started++;
          if (started === 3) setTimeout(() => controller.abort(new Error('user stop')), 0);
          // Objectives that ignore the signal must not hold the study up.
          if (t.number < 2) resolve(1);
        }),
      { concurrency: 2, signal: controller.signal },
    );
    await done;
    const trials = await study.trials();
    expect(trials.every((t) => t.state !== 'RUNNING')).toBe(true);
    const cancelled = trials.filter((t) => t.state === 'FAIL');
    expect(cancelled.length).toBeGreaterThanOrEqual(1);
    expect(cancelled.every((t) => t.error?.cancelled === true && /user stop/.test(t.error.message))).toBe(
      true,
    );
    expect(trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(2);
  });

  it('an already-aborted signal starts nothing; timeout and stop() end an unbounded run', async () => {
    const study = await make();
    await study.optimize(() => 1, { signal: AbortSignal.abort() });
    expect(await study.trials()).toHaveLength(0);
    await study.optimize(async () => new Promise((r) => setTimeout(() => r(1), 5)), { timeout: 0.05 });
    expect((await study.trials()).length).toBeGreaterThan(0);
    const s2 = await make();
    await s2.optimize((t) => {
      if (t.number === 4) s2.stop();
      return 1;
    });
    expect(await s2.trials()).toHaveLength(5);
  });

  it('two concurrent optimize loops over one storage share trials, each exactly once', async () => {
    const storage = createMemoryStorage();
    const a = await make({ storage, name: 'shared' });
    const b = await Study.create({
      storage,
      name: 'shared',
      sampler: createRandomSampler({ seed: 2 }),
      pruner: createNopPruner(),
    });
    const objective = async (t: { number: number }) => {
      await new Promise((r) => setTimeout(r, 1));
      return t.number;
    };
    await Promise.all([
      a.optimize(objective, { nTrials: 15, concurrency: 2 }),
      b.optimize(objective, { nTrials: 15, concurrency: 3 }),
    ]);
    const trials = await b.trials();
    expect(trials).toHaveLength(30);
    expect(trials.map((t) => t.number)).toEqual([...Array(30).keys()]);
    expect(trials.every((t) => t.state === 'COMPLETE' && t.value === t.number)).toBe(true);
  });

  it('calls onTrialFinished with each stored trial and beats hearts while running', async () => {
    const study = await make();
    const seen: string[] = [];
    await study.optimize(
      async (t) => {
        await new Promise((r) => setTimeout(r, 30));
        return t.number;
      },
      {
        nTrials: 2,
        heartbeatIntervalMs: 5,
        onTrialFinished: (t) => void seen.push(`${t.number}:${t.state}`),
      },
    );
    expect(seen).toEqual(['0:COMPLETE', '1:COMPLETE']);
    expect((await study.trials()).every((t) => t.heartbeatAt !== null)).toBe(true);
  });

  it('grid takes an enqueued partial point and fills in the rest from unclaimed points', async () => {
    const study = await Study.create({
      space: { a: { kind: 'int', low: 0, high: 2 }, b: { kind: 'categorical', choices: ['x', 'y'] } },
      sampler: createSampler('grid', {}, 1),
      pruner: createNopPruner(),
    });
    await study.enqueueTrial({ b: 'y' });
    const t = await study.ask();
    expect(t.params.b).toBe('y');
    expect([0, 1, 2]).toContain(t.params.a);
    await study.tell(t, 0);
    await study.optimize(() => 0);
    const keys = (await study.trials()).map((x) => `${x.params.a}${x.params.b}`);
    expect(new Set(keys).size).toBe(6);
    expect(keys).toHaveLength(6);
  });

  it('fails stale RUNNING trials after the grace period', async () => {
    const study = await make();
    await study.ask();
    expect(await study.failStaleTrials(60_000)).toBe(0);
    await new Promise((r) => setTimeout(r, 5));
    expect(await study.failStaleTrials(1)).toBe(1);
    expect((await study.trials())[0]?.state).toBe('FAIL');
  });
});

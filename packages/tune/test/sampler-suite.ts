/**
 * The conformance suite every sampler passes (Optuna's sampler tests, one suite for all): seeded
 * determinism, bounds/log/step, JSON round trip of list-valued choices, conditional parameters,
 * and no duplicated point between two workers sharing a storage for exhaustive samplers.
 */
import { describe, expect, it } from 'vitest';
import type { JsonValue, Params, Sampler, SearchSpace } from '@nflab/tune';
import { contains, createMemoryStorage, createNopPruner, jsonKey, stepOf, Study } from '@nflab/tune';

/** Options of {@link runSamplerSuite}. */
export interface SamplerSuiteOptions {
  /** The sampler visits each point of a finite space once (grid, brute force). */
  readonly exhaustive: boolean;
}

const mixedSpace = (finite: boolean): SearchSpace => ({
  lr: finite
    ? { kind: 'float', low: 0.01, high: 0.1, step: 0.01 }
    : { kind: 'float', low: 1e-4, high: 1e-1, log: true },
  dropout: { kind: 'float', low: 0, high: 0.5, step: 0.1 },
  layers: { kind: 'int', low: 1, high: 4 },
  hidden: { kind: 'int', low: 16, high: finite ? 64 : 128, step: 16 },
  batch: { kind: 'int', low: 8, high: finite ? 16 : 64, log: true },
  mlp_units: {
    kind: 'categorical',
    choices: [
      [64, 64],
      [128, 128],
      [256, 256, 256],
    ],
  },
  scaler: { kind: 'categorical', choices: ['identity', 'standard', null] },
  loss: { kind: 'fixed', value: 'mae' },
});

const finiteSmall: SearchSpace = {
  a: { kind: 'int', low: 0, high: 2 },
  b: { kind: 'categorical', choices: [[1, 2], 'x', { k: 1 }] },
  c: { kind: 'float', low: 0, high: 0.2, step: 0.1 },
};

const conditionalSpace: SearchSpace = {
  model: { kind: 'categorical', choices: ['mlp', 'nhits', 'tft'] },
  mlp_layers: { kind: 'int', low: 1, high: 3, when: { param: 'model', in: ['mlp'] } },
  nhits_pool: {
    kind: 'categorical',
    choices: [
      [2, 2, 1],
      [4, 2, 1],
    ],
    when: { param: 'model', in: ['nhits'] },
  },
  pool_mode: { kind: 'categorical', choices: ['max', 'avg'], when: { param: 'nhits_pool', in: [[4, 2, 1]] } },
  lr: { kind: 'float', low: 0.01, high: 0.05, step: 0.01 },
};

const quadratic = (p: Params): number =>
  Object.values(p).reduce<number>((acc, v) => acc + (typeof v === 'number' ? v * v : jsonKey(v).length), 0);

const run = async (
  sampler: Sampler,
  space: SearchSpace,
  n: number,
  storage = createMemoryStorage(),
  name = 's',
): Promise<Params[]> => {
  const study = await Study.create({ storage, name, space, sampler, pruner: createNopPruner() });
  await study.optimize((t) => quadratic(t.params), { nTrials: n });
  return (await study.trials()).filter((t) => t.state === 'COMPLETE').map((t) => t.params);
};

/** Registers the suite for one sampler; `factory(seed)` must build a fresh sampler. */
export const runSamplerSuite = (
  id: string,
  factory: (seed: number) => Sampler,
  options: SamplerSuiteOptions,
): void => {
  describe(`sampler ${id}`, () => {
    const space = mixedSpace(options.exhaustive);
    const n = 25;

    it('is reproducible from a seed and differs across seeds', async () => {
      const a = await run(factory(7), space, n);
      const b = await run(factory(7), space, n);
      const c = await run(factory(8), space, n);
      expect(a).toEqual(b);
      expect(a).not.toEqual(c);
    });

    it('respects bounds, log, step and categorical choices, and round-trips through JSON', async () => {
      const params = await run(factory(1), space, n);
      expect(params).toHaveLength(n);
      for (const p of params) {
        const back = JSON.parse(JSON.stringify(p)) as Params;
        expect(back).toEqual(p);
        for (const [name, spec] of Object.entries(space)) {
          expect(contains(spec, back[name]), `${name}=${JSON.stringify(back[name])}`).toBe(true);
          if (spec.kind === 'int') expect(Number.isInteger(back[name])).toBe(true);
          if ((spec.kind === 'float' || spec.kind === 'int') && stepOf(spec) !== undefined) {
            const k = ((back[name] as number) - spec.low) / (stepOf(spec) as number);
            expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-9);
          }
        }
        expect(Array.isArray(back.mlp_units)).toBe(true);
      }
      // A list choice comes back as the same list, not a string or an index.
      const lists = new Set(params.map((p) => jsonKey(p.mlp_units as JsonValue)));
      for (const key of lists) expect(['[64,64]', '[128,128]', '[256,256,256]']).toContain(key);
    });

    it('samples conditional parameters only when active', async () => {
      const params = await run(factory(3), conditionalSpace, options.exhaustive ? 30 : 24);
      expect(params.length).toBeGreaterThan(0);
      for (const p of params) {
        expect('mlp_layers' in p).toBe(p.model === 'mlp');
        expect('nhits_pool' in p).toBe(p.model === 'nhits');
        expect('pool_mode' in p).toBe(
          p.model === 'nhits' && jsonKey(p.nhits_pool as JsonValue) === '[4,2,1]',
        );
        expect('lr' in p).toBe(true);
      }
      expect(new Set(params.map((p) => p.model)).size).toBeGreaterThan(1);
    });

    it('two workers over one storage record every trial exactly once', async () => {
      const storage = createMemoryStorage();
      const space2 = options.exhaustive ? finiteSmall : space;
      const [w1, w2] = [factory(5), factory(5)];
      const s1 = await Study.create({
        storage,
        name: 'shared',
        space: space2,
        sampler: w1,
        pruner: createNopPruner(),
      });
      const s2 = await Study.create({
        storage,
        name: 'shared',
        space: space2,
        sampler: w2,
        pruner: createNopPruner(),
      });
      const objective = async (t: { params: Params }): Promise<number> => {
        await new Promise((r) => setTimeout(r, 0));
        return quadratic(t.params);
      };
      await Promise.all([
        s1.optimize(objective, { nTrials: 12, concurrency: 3 }),
        s2.optimize(objective, { nTrials: 12, concurrency: 3 }),
      ]);
      const trials = await s1.trials();
      expect(trials.map((t) => t.number)).toEqual(trials.map((_, i) => i));
      expect(new Set(trials.map((t) => t.id)).size).toBe(trials.length);
      expect(trials.every((t) => t.state !== 'RUNNING')).toBe(true);
      if (options.exhaustive) {
        // 3 × 3 × 3 = 27 points > 24 asks: all complete trials distinct.
        const done = trials.filter((t) => t.state === 'COMPLETE');
        expect(done).toHaveLength(24);
        expect(new Set(done.map((t) => jsonKey(t.params as JsonValue))).size).toBe(24);
      } else {
        expect(trials.filter((t) => t.state === 'COMPLETE')).toHaveLength(24);
      }
    });

    if (options.exhaustive) {
      it('covers a finite space exactly once and then stops', async () => {
        const storage = createMemoryStorage();
        const s1 = await Study.create({
          storage,
          name: 'x',
          space: finiteSmall,
          sampler: factory(9),
          pruner: createNopPruner(),
        });
        const s2 = await Study.create({
          storage,
          name: 'x',
          space: finiteSmall,
          sampler: factory(10),
          pruner: createNopPruner(),
        });
        const objective = async (t: { params: Params }): Promise<number> => {
          await new Promise((r) => setTimeout(r, 0));
          return quadratic(t.params);
        };
        await Promise.all([
          s1.optimize(objective, { concurrency: 2 }),
          s2.optimize(objective, { concurrency: 2 }),
        ]);
        const done = (await s1.trials()).filter((t) => t.state === 'COMPLETE');
        expect(done).toHaveLength(27);
        expect(new Set(done.map((t) => jsonKey(t.params as JsonValue))).size).toBe(27);
        // A single worker sees exhaustion before asking, so it leaves no failed trial behind.
        const solo = await Study.create({
          space: finiteSmall,
          sampler: factory(11),
          pruner: createNopPruner(),
        });
        await solo.optimize((t) => quadratic(t.params));
        const trials = await solo.trials();
        expect(trials).toHaveLength(27);
        expect(trials.every((t) => t.state === 'COMPLETE')).toBe(true);
      });
    }
  });
};

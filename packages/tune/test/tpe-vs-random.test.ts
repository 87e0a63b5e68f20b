import type { TestFunction } from '@nflab/tune';
import { createNopPruner, createSampler, Study, TEST_FUNCTIONS } from '@nflab/tune';
import { describe, expect, it } from 'vitest';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return ((s[9] as number) + (s[10] as number)) / 2;
};

const bestAfter = async (
  sampler: string,
  f: TestFunction,
  seed: number,
  nTrials: number,
): Promise<number> => {
  const study = await Study.create({
    space: f.space,
    sampler: createSampler(sampler, {}, seed),
    pruner: createNopPruner(),
  });
  await study.optimize((t) => f.fn(t.params), { nTrials });
  return (await study.bestTrial())?.value as number;
};

describe('TPE beats random search (median best of 20 seeds at 100 trials)', () => {
  for (const f of Object.values(TEST_FUNCTIONS)) {
    it(f.id, async () => {
      const tpe: number[] = [];
      const random: number[] = [];
      for (let seed = 0; seed < 20; seed++) {
        tpe.push(await bestAfter('tpe', f, seed, 100));
        random.push(await bestAfter('random', f, seed, 100));
      }
      expect(median(tpe)).toBeLessThan(median(random));
      expect(Math.min(...tpe)).toBeGreaterThanOrEqual(f.minimum - 1e-6);
    });
  }
});

/** Bounded planning: sizes counted without forming combinations, the limit, pages, and yielding. */
import { describe, expect, it } from 'vitest';
import { CombinationLimitError, parseSweepSpec, sweepSize } from '@nflab/contracts';
import { combinationsOf, planSweep, planSweepPage } from '@nflab/runner';
import { nextTurn } from '../src/plan/turns.js';

const base = { loto: 'loto6', unique_ids: ['N1', 'N2'], model: 'auto_nhits' } as const;
const seq = (n: number, from = 1): number[] => Array.from({ length: n }, (_, i) => i + from);

describe('sweepSize', () => {
  const sweeps: Record<string, unknown> = {
    'grid with lists': { ...base, model: ['auto_nhits', 'auto_mlp'], h: [1, 2, 3], loss: ['mae', 'mse'] },
    'unique_ids alternatives': { ...base, unique_ids: [['N1', 'N2'], ['N3']], h: [1, 2] },
    'each_unique_id over overlapping panels': {
      ...base,
      unique_ids: [
        ['N1', 'N2'],
        ['N2', 'N3'],
      ],
      each_unique_id: true,
      h: [1, 2],
    },
    'defaults mode': { mode: 'defaults', ...base, backend: ['optuna', 'ray'], loto: ['loto6', 'loto7'] },
    'list mode': { mode: 'list', ...base, runs: [{ h: 1 }, { h: 2, unique_ids: ['N4'] }, {}] },
    'list mode, one run per series': {
      mode: 'list',
      ...base,
      each_unique_id: true,
      runs: [{ h: 1 }, { unique_ids: ['N1', 'N2', 'N3', 'N3'] }],
    },
    'one run': { ...base, h: 3 },
  };

  it.each(Object.entries(sweeps))('%s: counts exactly what the expansion forms', (_, sweep) => {
    const parsed = parseSweepSpec(sweep);
    expect(sweepSize(parsed).combinations).toBe([...combinationsOf(parsed)].length);
  });

  it('names the fields that multiply', () => {
    const parsed = parseSweepSpec({ ...base, random_seed: seq(10_000, 0), h: seq(10) });
    expect(sweepSize(parsed)).toEqual({ combinations: 100_000, detail: 'h 10 × random_seed 10000' });
  });
});

describe('the combination limit', () => {
  it('refuses the reported 100,000-combination plan with the count and the default limit', async () => {
    const sweep = { ...base, random_seed: seq(10_000, 0), h: seq(10) };
    const error = await planSweepPage(sweep).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CombinationLimitError);
    expect(error).toMatchObject({ count: 100_000, limit: 10_000 });
    expect((error as Error).message).toBe(
      'sweep: forms 100000 combinations (h 10 × random_seed 10000); at most 10000 are allowed per plan or sweep — ' +
        'list fewer alternatives or split the sweep (the limit is the lab setting NFLAB_MAX_COMBINATIONS)',
    );
  });

  it('counts a sweep of a billion combinations without forming them', async () => {
    const sweep = { ...base, random_seed: seq(100_000, 0), h: seq(100), num_samples: seq(100) };
    await expect(planSweep(sweep)).rejects.toMatchObject({ count: 1_000_000_000, limit: 10_000 });
  });

  it('counts list-mode runs too, and takes a configured limit', async () => {
    const sweep = { mode: 'list', ...base, runs: seq(12).map((h) => ({ h })) };
    await expect(planSweep(sweep, { maxCombinations: 11 })).rejects.toThrow(
      'forms 12 combinations (runs 12); at most 11 are allowed',
    );
    expect((await planSweep(sweep, { maxCombinations: 12 })).count).toBe(12);
  });
});

describe('planSweepPage', () => {
  // h 1..30, with every third one invalid for the registries (val_check_steps > max_steps) and duplicates.
  const sweep = {
    ...base,
    h: [...seq(30), 1, 2],
    max_steps: [5, 500],
    config: { val_check_steps: 100 },
  };

  it('pages the runs and the invalid combinations with the same counts as the whole plan', async () => {
    const whole = await planSweep(sweep);
    expect(whole.count).toBe(30);
    expect(whole.invalid).toHaveLength(30);
    expect(whole.duplicatesRemoved).toBe(4);
    const pages = [];
    for (let offset = 0; offset < 30; offset += 7)
      pages.push(await planSweepPage(sweep, { offset, limit: 7 }));
    for (const page of pages) {
      expect(page).toMatchObject({
        count: 30,
        invalidCount: 30,
        combinations: 64,
        duplicatesRemoved: 4,
        limit: 7,
      });
    }
    expect(pages.flatMap((p) => p.runs)).toEqual(whole.runs);
    expect(pages.flatMap((p) => p.invalid)).toEqual(whole.invalid);
    expect(pages[1]?.runs.map((r) => r.index)).toEqual(seq(7, 7));
  });

  it('returns an empty page past the end, with the counts', async () => {
    const page = await planSweepPage(sweep, { offset: 1000, limit: 10 });
    expect(page).toMatchObject({ count: 30, invalidCount: 30, runs: [], invalid: [], offset: 1000 });
  });

  it('visits every valid run once, beyond the page', async () => {
    const seen: number[] = [];
    await planSweepPage(sweep, { limit: 1, onRun: (run) => seen.push(run.index) });
    expect(seen).toEqual(seq(30, 0));
  });

  it('lets other callbacks run while it plans a large sweep', async () => {
    let turns = 0;
    let planning = true;
    const tick = (): void => {
      turns += 1;
      if (planning) setImmediate(tick);
    };
    setImmediate(tick);
    const page = await planSweepPage({ ...base, random_seed: seq(5000) }, { limit: 1 });
    planning = false;
    expect(page.count).toBe(5000);
    // A planner that never yielded would resolve before the first setImmediate callback.
    expect(turns).toBeGreaterThan(1);
  });
});

describe('nextTurn', () => {
  it('hands turns round: loops that wait take one turn each, in the order they asked', async () => {
    const order: string[] = [];
    const loop = async (id: string) => {
      for (let i = 0; i < 3; i += 1) {
        await nextTurn();
        order.push(id);
      }
    };
    await Promise.all([loop('a'), loop('b'), loop('c')]);
    expect(order.join('')).toBe('abcabcabc');
  });

  it('hands out one turn per event-loop iteration', async () => {
    // An immediate that re-queues itself counts iterations: it runs once in each.
    let iteration = 0;
    let counting = true;
    const count = (): void => {
      iteration += 1;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const turns: number[] = [];
    const loop = async () => {
      for (let i = 0; i < 3; i += 1) {
        await nextTurn();
        turns.push(iteration);
      }
    };
    await Promise.all([loop(), loop(), loop()]);
    counting = false;
    // Loops yielding with their own setImmediate would all run in one iteration: [1, 1, 1, 2, 2, 2, …].
    expect(new Set(turns).size).toBe(9);
  });
});

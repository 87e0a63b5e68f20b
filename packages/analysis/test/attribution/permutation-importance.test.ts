import { ConfigError, Rng } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import { PERMUTATION_IMPORTANCE_LIMITS, permutationImportance, permuteWithinGroups } from '@nflab/analysis';
import type { PermutationImportanceInput } from '@nflab/analysis';

/** Three series of 20 rows; the toy model is y = 2a + 0.5 (it ignores b), and the target is exactly that. */
const series = Array.from({ length: 60 }, (_, i) => `s${Math.floor(i / 20)}`);
const data: Record<string, number[]> = {
  a: series.map((_, i) => Math.sin(i * 1.7) * 3 + (i % 7)),
  b: series.map((_, i) => Math.cos(i * 0.9) * 5),
};
const predict = (a: readonly number[]): number[] => a.map((v) => 2 * v + 0.5);
const target = predict(data['a'] as number[]);
const mae = (yhat: readonly number[]): number =>
  yhat.reduce((s, v, i) => s + Math.abs(v - (target[i] as number)), 0) / yhat.length;

function toyInput(calls: string[] = []): PermutationImportanceInput {
  return {
    columns: ['a', 'b'],
    baselineError: () => mae(predict(data['a'] as number[])),
    errorWithColumnPermuted: async (column, rng) => {
      calls.push(column);
      const permuted = { ...data, [column]: permuteWithinGroups(data[column] as number[], series, rng) };
      return mae(predict(permuted['a'] as number[]));
    },
  };
}

describe('permutationImportance', () => {
  it('finds the column the model reads important and the one it ignores at 0', async () => {
    const calls: string[] = [];
    const result = await permutationImportance(toyInput(calls), { repeats: 8, seed: 3 });
    expect(calls).toHaveLength(16);
    expect(result.baselineError).toBe(0);
    const [a, b] = result.columns;
    expect(a?.column).toBe('a');
    expect(a?.meanIncrease).toBeGreaterThan(2);
    expect(a?.interval?.low).toBeGreaterThan(0);
    expect(a?.increases).toHaveLength(8);
    expect(a?.ratio).toBeNull(); // the baseline error is 0
    expect(b?.meanIncrease).toBe(0);
    expect(b?.std).toBe(0);
    expect(b?.interval).toEqual({ low: 0, high: 0, level: 0.95 });
  });

  it('is deterministic for a seed, and a column does not depend on the others listed', async () => {
    const first = await permutationImportance(toyInput(), { seed: 5 });
    expect(await permutationImportance(toyInput(), { seed: 5 })).toEqual(first);
    const alone = await permutationImportance({ ...toyInput(), columns: ['a'] }, { seed: 5 });
    expect(alone.columns[0]).toEqual(first.columns[0]);
    const other = await permutationImportance(toyInput(), { seed: 6 });
    expect(other.columns[0]?.increases).not.toEqual(first.columns[0]?.increases);
  });

  it('summarises increases by hand: mean, divisor-n std, t interval, ratio', async () => {
    const errors = [3, 5, 4];
    let call = 0;
    const result = await permutationImportance(
      { columns: ['x'], baselineError: () => 2, errorWithColumnPermuted: () => errors[call++] as number },
      { repeats: 3 },
    );
    const x = result.columns[0];
    expect(x?.increases).toEqual([1, 3, 2]);
    expect(x?.meanIncrease).toBe(2);
    expect(x?.std).toBeCloseTo(Math.sqrt(2 / 3), 12);
    // sample std 1, t(0.975, 2 df) = 4.302652729749464 (scipy), half-width 4.3027 / √3
    expect(x?.interval?.high).toBeCloseTo(2 + 4.302652729749464 / Math.sqrt(3), 8);
    expect(x?.interval?.low).toBeCloseTo(2 - 4.302652729749464 / Math.sqrt(3), 8);
    expect(x?.ratio).toBe(2);
  });

  it('has no interval with a single repeat', async () => {
    const result = await permutationImportance({ ...toyInput(), columns: ['a'] }, { repeats: 1 });
    expect(result.columns[0]?.interval).toBeNull();
  });

  it('rejects bad input with a ConfigError naming the field or limit', async () => {
    await expect(permutationImportance({ ...toyInput(), columns: [] })).rejects.toThrow(ConfigError);
    await expect(permutationImportance({ ...toyInput(), columns: ['a', 'a'] })).rejects.toThrow(
      /listed twice/,
    );
    await expect(
      permutationImportance(toyInput(), { repeats: PERMUTATION_IMPORTANCE_LIMITS.maxRepeats + 1 }),
    ).rejects.toThrow(/maxRepeats/);
    await expect(permutationImportance(toyInput(), { repeats: 0 })).rejects.toThrow(/repeats/);
    await expect(permutationImportance(toyInput(), { level: 1 })).rejects.toThrow(/level/);
    await expect(permutationImportance({ ...toyInput(), baselineError: () => Number.NaN })).rejects.toThrow(
      /baselineError/,
    );
  });
});

describe('permuteWithinGroups', () => {
  const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const groups = ['x', 'x', 'x', 'x', 'y', 'y', 'y', 'x', 'y', 'z'];

  it('keeps every value in its own group and permutes within groups', () => {
    const out = permuteWithinGroups(values, groups, new Rng(1));
    for (const g of ['x', 'y', 'z']) {
      const before = values.filter((_, i) => groups[i] === g).sort((p, q) => p - q);
      const after = out.filter((_, i) => groups[i] === g).sort((p, q) => p - q);
      expect(after).toEqual(before);
    }
    expect(out[9]).toBe(10);
    expect(out).not.toEqual(values);
  });

  it('is deterministic for a seed and leaves its input alone', () => {
    const copy = values.slice();
    expect(permuteWithinGroups(values, groups, new Rng(4))).toEqual(
      permuteWithinGroups(values, groups, new Rng(4)),
    );
    expect(values).toEqual(copy);
  });

  it('draws each order of a group about equally often', () => {
    const counts = new Map<string, number>();
    const rng = new Rng('uniform');
    for (let i = 0; i < 6000; i++) {
      const key = permuteWithinGroups([1, 2, 3], [0, 0, 0], rng).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(150);
  });

  it('rejects unpaired values and group ids', () => {
    expect(() => permuteWithinGroups([1, 2], [0], new Rng(0))).toThrow(ConfigError);
  });
});

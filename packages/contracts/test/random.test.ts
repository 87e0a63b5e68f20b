import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, mixSeed, randomSeed } from '@nflab/contracts';

describe('Rng (xoshiro128** seeded by splitmix32)', () => {
  it('gives the known stream of a seed', () => {
    // Checked against an independent implementation of FNV-1a + splitmix32 + xoshiro128** (Python).
    expect([mixSeed(1), mixSeed(1, 2), mixSeed('study', 'tpe', 3)]).toEqual([
      1428125071, 2902997402, 3921880233,
    ]);
    const rng = new Rng(42);
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([
      2540213161, 89980957, 1510108507,
    ]);
    expect(rng.next()).toBe(0.9480760746429594);
    expect(rng.int(10)).toBe(0);
    expect(rng.normal()).toBe(0.6629792344875892);
    expect(rng.permutation(5)).toEqual([4, 1, 2, 3, 0]);
  });

  it('fills a bulk draw with the stream nextUint32 gives, and carries on from where it stopped', () => {
    const one = new Rng(42);
    const bulk = new Rng(42);
    const want = Array.from({ length: 1003 }, () => one.nextUint32());
    const got = new Uint32Array(1000);
    bulk.fillUint32(got);
    expect(Array.from(got)).toEqual(want.slice(0, 1000));
    expect(got.slice(0, 3)).toEqual(Uint32Array.from([2540213161, 89980957, 1510108507]));
    const rest = new Uint32Array(3);
    bulk.fillUint32(rest);
    expect(Array.from(rest)).toEqual(want.slice(1000));
    expect(bulk.next()).toBe(one.next());
  });

  it('thresholds the stream fillUint32 gives, in order, and carries on from where it stopped', () => {
    const one = new Rng(7);
    const fused = new Rng(7);
    const draws = Array.from({ length: 1001 }, () => one.nextUint32());
    const threshold = draws[0]!; // one draw exactly at the threshold: ≥ keeps it
    const got = new Float32Array(1001);
    fused.fillThresholded(got, threshold, 2.5);
    expect(Array.from(got)).toEqual(draws.map((d) => (d >= threshold ? 2.5 : 0)));
    expect(got[0]).toBe(2.5);
    expect(fused.nextUint32()).toBe(one.nextUint32());
  });

  it('repeats the same sequence for the same seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const seqA = Array.from({ length: 50 }, () => a.next());
    const seqB = Array.from({ length: 50 }, () => b.next());
    const seqC = Array.from({ length: 50 }, () => c.next());
    expect(seqA).toEqual(seqB);
    expect(seqA).not.toEqual(seqC);
    // Seed parts count in full: high bits, strings, and the split into parts.
    expect(new Rng(2 ** 40).next()).not.toBe(new Rng(0).next());
    expect(new Rng('a', 1).next()).not.toBe(new Rng('a1').next());
    expect(new Rng(-3).next()).not.toBe(new Rng(3).next());
  });

  it('draws uniformly in [0, 1) and in [low, high)', () => {
    const rng = new Rng(1);
    const n = 20000;
    let sum = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i += 1) {
      const u = rng.next();
      sum += u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / n).toBeCloseTo(0.5, 1);
    const xs = Array.from({ length: 1000 }, () => rng.uniform(-2, 3));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...xs)).toBeLessThan(3);
  });

  it('int(n) is in range and unbiased, and refuses a bad n', () => {
    const rng = new Rng(7);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70000; i += 1) {
      const k = rng.int(7);
      counts[k] = (counts[k] as number) + 1;
    }
    expect(counts.every((c) => Math.abs(c - 10000) < 400)).toBe(true);
    expect(() => rng.int(0)).toThrow(ConfigError);
    expect(() => rng.int(1.5)).toThrow('rng.int(n): n must be an integer in [1, 2^32], got 1.5');
  });

  it('normal() has mean 0 and variance 1', () => {
    const rng = new Rng(3);
    const n = 40000;
    const xs = Array.from({ length: n }, () => rng.normal());
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
  });

  it('weighted, permutation and choice', () => {
    const rng = new Rng(5);
    const hits = [0, 0, 0];
    for (let i = 0; i < 30000; i += 1) {
      const k = rng.weighted([1, 0, 3]);
      hits[k] = (hits[k] as number) + 1;
    }
    expect(hits[1]).toBe(0);
    expect(Math.abs((hits[2] as number) / 30000 - 0.75)).toBeLessThan(0.02);
    expect([...rng.permutation(10)].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Without replacement when there are enough, with replacement otherwise (NeuralForecast's rule).
    expect(new Set(rng.choice(10, 10)).size).toBe(10);
    const drawn = rng.choice(3, 50);
    expect(drawn).toHaveLength(50);
    expect(drawn.every((i) => i >= 0 && i < 3)).toBe(true);
  });

  it('randomSeed gives a 32-bit unsigned integer', () => {
    const seed = randomSeed();
    expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
  });
});

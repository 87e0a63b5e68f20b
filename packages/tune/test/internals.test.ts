import { argsortBounded, computeSigmas, ParzenEstimator } from '../src/samplers/tpe/parzen.js';
import { logGaussMass, ndtr, ndtri, truncnormDraw } from '../src/samplers/tpe/truncnorm.js';
import { splitTrials } from '../src/samplers/tpe/tpe.js';
import { Rng } from '@nflab/contracts';
import { defaultGamma, defaultWeights, halton, sobol } from '@nflab/tune';
import type { FrozenTrial } from '@nflab/tune';
import { cmaPoint, defaultPopsize, initCma, tellCma } from '../src/samplers/cma-core.js';
import { describe, expect, it } from 'vitest';

const params = { priorWeight: 1, considerMagicClip: true, considerEndpoints: false, weights: defaultWeights };

describe("TPE pieces match Optuna's definitions", () => {
  it('default_gamma and default_weights', () => {
    expect([0, 1, 10, 11, 100, 300].map(defaultGamma)).toEqual([0, 1, 1, 2, 10, 25]);
    expect(defaultWeights(3)).toEqual([1, 1, 1]);
    const w = defaultWeights(30);
    expect(w).toHaveLength(30);
    expect(w[0]).toBeCloseTo(1 / 30, 12);
    expect(w[4]).toBeCloseTo(1, 12);
    expect(w.slice(5).every((x) => x === 1)).toBe(true);
    expect(defaultWeights(26)[0]).toBeCloseTo(1 / 26, 12);
  });

  it('bandwidths: farther neighbour, inner gaps at the ends without endpoints, magic clip', () => {
    // mus 0.2, 0.5, 0.6 in [0, 1]: gaps from low 0.2, 0.3, 0.1, 0.4 to high.
    // Without endpoints: first = 0.5−0.2 = 0.3, middle = max(0.3, 0.1) = 0.3, last = 0.6−0.5 = 0.1;
    // magic clip min = 1 / min(100, 1 + 4) = 0.2.
    const s = computeSigmas(Float64Array.from([0.6, 0.2, 0.5]), 0, 1, params);
    expect([...s].map((x) => Number(x.toFixed(12)))).toEqual([0.2, 0.3, 0.3]);
    const e = computeSigmas(Float64Array.from([0.6, 0.2, 0.5]), 0, 1, {
      ...params,
      considerEndpoints: true,
      considerMagicClip: false,
    });
    expect([...e].map((x) => Number(x.toFixed(12)))).toEqual([0.4, 0.3, 0.3]);
    // Ties take sorted positions in order of appearance (a stable argsort); a zero gap clips to EPS.
    const t = computeSigmas(Float64Array.from([0.5, 0.5, 0.9]), 0, 1, {
      ...params,
      considerMagicClip: false,
    });
    expect([...t].map((x) => Number(x.toFixed(12)))).toEqual([1e-12, 0.4, 0.4]);
  });

  it('bounded argsort is a stable argsort, clustered data and ties included', () => {
    const rng = new Rng(4);
    for (const gen of [
      () => rng.next(),
      () => 0.5 + 0.001 * rng.normal(),
      () => Math.round(rng.next() * 5) / 5,
    ]) {
      const xs = Float64Array.from({ length: 500 }, () => Math.min(1, Math.max(0, gen())));
      const expected = Array.from(xs.keys()).sort((i, j) => (xs[i] as number) - (xs[j] as number) || i - j);
      expect(Array.from(argsortBounded(xs, 0, 1))).toEqual(expected);
    }
  });

  it('windowed 1-D log density equals the full mixture sum', () => {
    const rng = new Rng(11);
    const obs = Array.from({ length: 600 }, () =>
      rng.next() < 0.5 ? 0.3 + 0.01 * rng.normal() : rng.next(),
    );
    const x = { kind: 'float', low: 0, high: 1 } as const;
    const one = { kind: 'categorical', choices: ['only'] } as const;
    const fast = new ParzenEstimator([x], [obs.map((o) => Math.min(1, Math.max(0, o)))], params);
    const full = new ParzenEstimator(
      [x, one],
      [obs.map((o) => Math.min(1, Math.max(0, o))), obs.map(() => 0)],
      params,
    );
    const pts = Array.from({ length: 200 }, () => rng.next());
    const a = fast.logPdf(pts.map((p) => [p]));
    const b = full.logPdf(pts.map((p) => [p, 0]));
    pts.forEach((_, i) => expect(a[i]).toBeCloseTo(b[i] as number, 10));
  });

  it('splits COMPLETE by value, then PRUNED by progress; RUNNING stays above', () => {
    const mk = (
      number: number,
      state: FrozenTrial['state'],
      value: number | null,
      iv: Record<number, number> = {},
    ): FrozenTrial => ({
      id: number + 1,
      studyId: 1,
      number,
      state,
      params: {},
      value,
      intermediateValues: iv,
      userAttrs: {},
      systemAttrs: {},
      error: null,
      datetimeStart: null,
      datetimeComplete: null,
      heartbeatAt: null,
    });
    const trials = [
      mk(0, 'COMPLETE', 3),
      mk(1, 'COMPLETE', 1),
      mk(2, 'PRUNED', null, { 5: 0.5 }),
      mk(3, 'PRUNED', null, { 9: 2 }),
      mk(4, 'RUNNING', null),
    ];
    const [below, above] = splitTrials(trials, 3, 'minimize');
    expect(below.map((t) => t.number)).toEqual([0, 1, 3]);
    expect(above.map((t) => t.number)).toEqual([2, 4]);
  });
});

describe('normal helpers', () => {
  it('ndtr, ndtri and log masses are accurate', () => {
    expect(ndtr(0)).toBeCloseTo(0.5, 7);
    expect(ndtr(1.959963984540054)).toBeCloseTo(0.975, 7);
    for (const p of [1e-10, 0.001, 0.3, 0.5, 0.9, 0.999999]) expect(ndtr(ndtri(p)) / p).toBeCloseTo(1, 5);
    expect(Math.exp(logGaussMass(-1, 1))).toBeCloseTo(0.6826894921, 6);
    // Far tail: log mass of [30, 31] ≈ log φ(30)/30 ≈ −453.0
    expect(logGaussMass(30, 31)).toBeCloseTo(-0.5 * 900 - Math.log(30) - 0.5 * Math.log(2 * Math.PI), 1);
  });

  it('truncated draws stay inside and follow the CDF', () => {
    const rng = new Rng(1);
    const xs = Array.from({ length: 4000 }, () => truncnormDraw(-1, 2, rng.next()));
    expect(xs.every((x) => x >= -1 && x <= 2)).toBe(true);
    const belowZero = xs.filter((x) => x < 0).length / xs.length;
    const expected = (ndtr(0) - ndtr(-1)) / (ndtr(2) - ndtr(-1));
    expect(Math.abs(belowZero - expected)).toBeLessThan(0.03);
  });
});

describe('QMC sequences', () => {
  it('Sobol: the first 2^k points put one point in each interval of width 2^-k in every dimension, scrambled or not', () => {
    for (const scramble of [false, true]) {
      const seq = sobol(6, scramble, 3);
      const pts = Array.from({ length: 64 }, (_, n) => seq.point(n));
      for (let d = 0; d < 6; d++) {
        const cells = new Set(pts.map((p) => Math.floor((p[d] as number) * 64)));
        expect(cells.size).toBe(64);
      }
    }
    expect(sobol(2, false, 0).point(1)).toEqual([0.5, 0.5]);
  });

  it('Halton: scrambled points stay in [0,1) and stratify each base', () => {
    const seq = halton(3, true, 4);
    const pts = Array.from({ length: 125 }, (_, n) => seq.point(n));
    expect(pts.every((p) => p.every((x) => x >= 0 && x < 1))).toBe(true);
    expect(new Set(pts.map((p) => Math.floor((p[2] as number) * 125))).size).toBe(125);
    expect(halton(1, false, 0).point(3)).toEqual([0.75]);
  });
});

describe('CMA-ES core', () => {
  it('converges on a shifted sphere', () => {
    const rng = new Rng(5);
    let s = initCma([0.5, 0.5, 0.5], 0.2, defaultPopsize(3));
    const target = [0.2, 0.7, 0.4];
    for (let g = 0; g < 80; g++) {
      const sols = Array.from({ length: s.lambda }, () => {
        const x = cmaPoint(s, [rng.normal(), rng.normal(), rng.normal()]);
        return { x, value: x.reduce((a, xi, i) => a + (xi - (target[i] as number)) ** 2, 0) };
      });
      s = tellCma(s, sols);
    }
    s.mean.forEach((m, i) => expect(m).toBeCloseTo(target[i] as number, 3));
  });
});

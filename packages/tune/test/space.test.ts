import { ConfigError } from '@nflab/contracts';
import {
  contains,
  createRandomSampler,
  createNopPruner,
  enumerateSpace,
  jsonKey,
  parseSearchSpace,
  ray,
  Study,
} from '@nflab/tune';
import { describe, expect, it } from 'vitest';

describe('ray conversions', () => {
  it("randint(1, 20) means 1..19 (Ray's high is exclusive), and sampling never yields 20", async () => {
    const spec = ray.randint(1, 20);
    expect(spec).toEqual({ kind: 'int', low: 1, high: 19 });
    const study = await Study.create({
      space: { n: spec },
      sampler: createRandomSampler({ seed: 1 }),
      pruner: createNopPruner(),
    });
    const seen = new Set<number>();
    for (let i = 0; i < 400; i++) {
      const t = await study.ask();
      seen.add(t.get<number>('n'));
      await study.tell(t, 0);
    }
    expect(Math.min(...seen)).toBe(1);
    expect(Math.max(...seen)).toBe(19);
    expect(seen.size).toBe(19);
  });

  it('lograndint is exclusive too; qrandint is inclusive (as Ray documents)', () => {
    expect(ray.lograndint(1, 100)).toEqual({ kind: 'int', low: 1, high: 99, log: true });
    expect(ray.qrandint(-21, 12, 3)).toEqual({ kind: 'int', low: -21, high: 12, step: 3 });
  });

  it('quniform/qloguniform keep the multiples of q in [low, high]', () => {
    expect(ray.quniform(3.2, 5.4, 0.2)).toEqual({ kind: 'float', low: 3.2, high: 5.4, step: 0.2 });
    expect(ray.quniform(0.05, 1, 0.1)).toEqual({ kind: 'float', low: 0.1, high: 1, step: 0.1 });
    const q = ray.qloguniform(1e-4, 1e-1, 5e-4);
    expect(q).toEqual({ kind: 'float', low: 5e-4, high: 0.1, log: true, step: 5e-4 });
    expect(contains(q, 0.0015)).toBe(true);
    expect(contains(q, 0.0012)).toBe(false);
  });

  it('choice and loguniform map directly; bad input is a ConfigError', () => {
    expect(ray.choice([[64, 64], 'x'])).toEqual({ kind: 'categorical', choices: [[64, 64], 'x'] });
    expect(ray.loguniform(1e-4, 1e-1)).toEqual({ kind: 'float', low: 1e-4, high: 1e-1, log: true });
    expect(() => ray.randint(5, 5)).toThrow(ConfigError);
    expect(() => ray.loguniform(0, 1)).toThrow(/loguniform/);
  });
});

describe('search space schema', () => {
  it('accepts list choices and round-trips through JSON unchanged', () => {
    const space = {
      units: { kind: 'categorical', choices: [[1, 2], { a: [3] }, null] },
      k: { kind: 'fixed', value: [1] },
    };
    const parsed = parseSearchSpace(JSON.parse(JSON.stringify(space)));
    expect(parsed).toEqual(space);
  });

  it('rejects bad bounds and conditions naming the parameter', () => {
    expect(() => parseSearchSpace({ lr: { kind: 'float', low: 0, high: 1, log: true } })).toThrow(
      /lr.*log scale needs low > 0/,
    );
    expect(() => parseSearchSpace({ n: { kind: 'int', low: 5, high: 1 } })).toThrow(
      /"n": low \(5\) must be <= high/,
    );
    expect(() =>
      parseSearchSpace({
        a: { kind: 'int', low: 0, high: 1, when: { param: 'b', in: [1] } },
        b: { kind: 'int', low: 0, high: 1 },
      }),
    ).toThrow(/depends on "b"/);
    expect(() => parseSearchSpace({ a: { kind: 'int', low: 0.5, high: 1 } })).toThrow(ConfigError);
  });

  it('enumerates conditional spaces only along active branches', () => {
    const points = enumerateSpace({
      m: { kind: 'categorical', choices: ['a', 'b'] },
      x: { kind: 'int', low: 1, high: 3, when: { param: 'm', in: ['a'] } },
      y: { kind: 'float', low: 0, high: 0.3, step: 0.1 },
    });
    expect(points).toHaveLength((3 + 1) * 4);
    expect(points.filter((p) => p.m === 'b').every((p) => !('x' in p))).toBe(true);
    expect(new Set(points.map((p) => jsonKey(p as never))).size).toBe(points.length);
    expect(points.map((p) => p.y)).toContain(0.3);
  });
});

/** Standard test functions for samplers (benchmarks and tests), with their spaces and known minima. */
import type { SearchSpace } from './space.js';

/** A benchmark: a space, a function of its params to minimise, and the global minimum. */
export interface TestFunction {
  readonly id: string;
  readonly space: SearchSpace;
  readonly minimum: number;
  readonly fn: (params: Readonly<Record<string, unknown>>) => number;
}

const num = (p: Readonly<Record<string, unknown>>, k: string): number => p[k] as number;

/** Branin-Hoo on [-5,10]×[0,15]; minimum 0.397887. */
export const branin: TestFunction = {
  id: 'branin',
  space: { x1: { kind: 'float', low: -5, high: 10 }, x2: { kind: 'float', low: 0, high: 15 } },
  minimum: 0.397887,
  fn: (p) => {
    const x1 = num(p, 'x1');
    const x2 = num(p, 'x2');
    const b = 5.1 / (4 * Math.PI ** 2);
    const c = 5 / Math.PI;
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
  },
};

const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H_P = [
  [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
  [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
  [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
  [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
];
const H_ALPHA = [1, 1.2, 3, 3.2];

/** Hartmann-6 on [0,1]^6; minimum −3.32237. */
export const hartmann6: TestFunction = {
  id: 'hartmann6',
  space: Object.fromEntries(
    Array.from({ length: 6 }, (_, i) => [`x${i}`, { kind: 'float', low: 0, high: 1 }]),
  ),
  minimum: -3.32237,
  fn: (p) => {
    let total = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 6; j++)
        inner += (H_A[i]?.[j] as number) * (num(p, `x${j}`) - (H_P[i]?.[j] as number)) ** 2;
      total -= (H_ALPHA[i] as number) * Math.exp(-inner);
    }
    return total;
  },
};

/** Rosenbrock in 5 dimensions on [-5,10]^5; minimum 0. */
export const rosenbrock5: TestFunction = {
  id: 'rosenbrock5',
  space: Object.fromEntries(
    Array.from({ length: 5 }, (_, i) => [`x${i}`, { kind: 'float', low: -5, high: 10 }]),
  ),
  minimum: 0,
  fn: (p) => {
    let total = 0;
    for (let i = 0; i < 4; i++) {
      const a = num(p, `x${i}`);
      const b = num(p, `x${i + 1}`);
      total += 100 * (b - a * a) ** 2 + (1 - a) ** 2;
    }
    return total;
  },
};

/** The benchmark functions by id. */
export const TEST_FUNCTIONS = { branin, hartmann6, rosenbrock5 } as const satisfies Record<
  string,
  TestFunction
>;

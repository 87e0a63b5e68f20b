/**
 * Gamma and Poisson draws for the distribution losses' sampled quantiles. tfjs-core's random ops
 * take one scalar shape parameter, while every forecast step has its own df / rate / total_count,
 * so the samplers run per element in plain numbers from the lab's seeded stream.
 */
import type { Rng } from '@nflab/contracts';
import { lgammaNumber } from './lgamma.js';

/** Uniform in (0, 1]: never 0, so logarithms and powers stay finite. */
const positiveUniform = (rng: Rng): number => 1 - rng.next();

/** Gamma(shape, scale 1): Marsaglia-Tsang, boosted by U^(1/shape) below shape 1. */
export function gammaDraw(rng: Rng, shape: number): number {
  if (shape < 1) return gammaDraw(rng, shape + 1) * Math.pow(positiveUniform(rng), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = positiveUniform(rng);
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Poisson(rate): multiplication method for small rates, Hörmann's PTRS rejection above 10. */
export function poissonDraw(rng: Rng, rate: number): number {
  if (!(rate > 0)) return 0;
  if (rate < 10) {
    const limit = Math.exp(-rate);
    let k = 0;
    let product = positiveUniform(rng);
    while (product > limit) {
      k += 1;
      product *= positiveUniform(rng);
    }
    return k;
  }
  const sqrtRate = Math.sqrt(rate);
  const logRate = Math.log(rate);
  const b = 0.931 + 2.53 * sqrtRate;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = positiveUniform(rng) - 0.5;
    const v = positiveUniform(rng);
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + rate + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (
      Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <=
      -rate + k * logRate - lgammaNumber(k + 1)
    ) {
      return k;
    }
  }
}

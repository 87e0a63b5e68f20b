/**
 * Seeded draws for the distribution losses' sampled quantiles. tfjs-core's random ops take one
 * scalar shape parameter, while every forecast step has its own df / rate / total_count, so the
 * samplers run per element in plain numbers from one seeded stream.
 */
import { lgammaNumber } from './lgamma.js';

/** A seeded uniform / normal / gamma / Poisson source. */
export class SampleRng {
  private state: number;
  private spare: number | undefined;

  constructor(seed: number) {
    // Spread nearby seeds apart before the first draw.
    this.state = (Math.imul((seed | 0) ^ 0x5bd1e995, 0x9e3779b1) + 0x6d2b79f5) | 0;
  }

  /** Uniform 32-bit step (mulberry32). */
  private next32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in (0, 1): never exactly 0, so logs stay finite. */
  uniform(): number {
    const hi = this.next32() >>> 5;
    const lo = this.next32() >>> 6;
    return (hi * 67108864 + lo + 0.5) / 9007199254740992;
  }

  /** Standard normal (Box-Muller, the second value kept for the next call). */
  normal(): number {
    if (this.spare !== undefined) {
      const v = this.spare;
      this.spare = undefined;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Gamma(shape, scale 1): Marsaglia-Tsang, boosted by U^(1/shape) below shape 1. */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.uniform(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Poisson(rate): multiplication method for small rates, Hörmann's PTRS rejection above 10. */
  poisson(rate: number): number {
    if (!(rate > 0)) return 0;
    if (rate < 10) {
      const limit = Math.exp(-rate);
      let k = 0;
      let product = this.uniform();
      while (product > limit) {
        k += 1;
        product *= this.uniform();
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
      const u = this.uniform() - 0.5;
      const v = this.uniform();
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
}

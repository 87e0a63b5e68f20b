import { SAMPLERS, createSampler } from '@nflab/tune';
import { describe, expect, it } from 'vitest';
import { runSamplerSuite } from './sampler-suite.js';

describe('sampler registry', () => {
  it('keys equal member ids and every factory builds a sampler with that id', () => {
    for (const [key, entry] of Object.entries(SAMPLERS)) {
      expect(entry.id).toBe(key);
      expect(createSampler(key, {}, 1).id).toBe(key);
    }
  });

  it('rejects unknown ids and bad options naming what is allowed', () => {
    expect(() => createSampler('hyperopt')).toThrow(/unknown sampler "hyperopt"; allowed: random, grid, tpe/);
    expect(() => createSampler('tpe', { n_ei_candidates: 0 })).toThrow(/n_ei_candidates/);
  });
});

for (const [id, entry] of Object.entries(SAMPLERS)) {
  runSamplerSuite(id, (seed) => createSampler(id, {}, seed), { exhaustive: entry.exhaustive });
}

// Non-default configurations that change the sampling path.
runSamplerSuite('tpe (multivariate)', (seed) => createSampler('tpe', { multivariate: true }, seed), {
  exhaustive: false,
});
runSamplerSuite('qmc (halton)', (seed) => createSampler('qmc', { qmc_type: 'halton' }, seed), {
  exhaustive: false,
});

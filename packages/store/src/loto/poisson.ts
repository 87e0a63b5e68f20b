/** Poisson deviates for synthetic prize tiers, drawn from the lab's seeded stream. */
import { ConfigError, type Rng } from '@nflab/contracts';

// Above this mean the normal approximation N(mean, mean) is used: Knuth's product method needs
// ~mean uniforms per deviate and exp(-mean) underflows long before prize tiers' means (~10^5).
const POISSON_NORMAL_ABOVE = 30;

/** A Poisson deviate with the given mean (≥ 0). */
export const poisson = (rng: Rng, mean: number): number => {
  if (!(mean >= 0) || !Number.isFinite(mean)) {
    throw new ConfigError(`poisson(mean): mean must be a finite number ≥ 0, got ${String(mean)}`);
  }
  if (mean === 0) return 0;
  if (mean > POISSON_NORMAL_ABOVE) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  const floor = Math.exp(-mean);
  let k = 0;
  let product = rng.next();
  while (product > floor) {
    k += 1;
    product *= rng.next();
  }
  return k;
};

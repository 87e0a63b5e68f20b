/** Per-call state of a forward pass: whether dropout is on, and a seed stream for its masks. */
import { mixSeed, type Rng } from '@nflab/contracts';

/** What a layer needs to know about the current forward pass. */
export interface ForwardContext {
  /** True while training: dropout active. */
  readonly training: boolean;
  /** A fresh seed for the next random op of this pass (deterministic given the pass seed). */
  nextSeed(): number;
}

/**
 * Creates the context of one forward call. With an explicit `seed` the masks of this call are
 * reproducible (the training loop passes a per-step seed); without one they come from `fallback`,
 * the network's own seeded stream, so runs stay deterministic either way.
 */
export function createForwardContext(
  options: { readonly training: boolean; readonly seed?: number },
  fallback: Rng,
): ForwardContext {
  // Only unseeded training calls draw from the stream, so inference never shifts later masks.
  const base = options.seed ?? (options.training ? fallback.nextUint32() : 0);
  let counter = 0;
  return {
    training: options.training,
    nextSeed() {
      counter += 1;
      return mixSeed(base, counter);
    },
  };
}

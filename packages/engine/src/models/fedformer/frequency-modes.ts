/**
 * FEDformer's choice of Fourier modes (NeuralForecast's `get_frequency_modes`): min(modes, ⌊L/2⌋)
 * of the rfft bins 0..⌊L/2⌋−1 — the lowest ones (`'low'`) or a random subset (`'random'`) —
 * in increasing order. NeuralForecast shuffles with numpy's global stream; here the stream is
 * seeded from the model's seed, so a saved model rebuilds the same modes.
 */
import type { Rng } from '@nflab/contracts';

/** NeuralForecast's `mode_select` values. */
export const MODE_SELECT_METHODS = ['random', 'low'] as const;

/** One of {@link MODE_SELECT_METHODS}. */
export type ModeSelectMethod = (typeof MODE_SELECT_METHODS)[number];

/** The sorted bins a Fourier block of sequence length `seqLen` keeps. */
export function frequencyModes(seqLen: number, modes: number, method: ModeSelectMethod, rng: Rng): number[] {
  const half = Math.floor(seqLen / 2);
  const count = Math.min(modes, half);
  const bins = Array.from({ length: half }, (_, i) => i);
  if (method === 'random') {
    // Fisher–Yates over all ⌊L/2⌋ bins, as np.random.shuffle, then the first `count`.
    for (let i = half - 1; i > 0; i -= 1) {
      const j = rng.int(i + 1);
      [bins[i], bins[j]] = [bins[j] as number, bins[i] as number];
    }
  }
  return bins.slice(0, count).sort((a, b) => a - b);
}

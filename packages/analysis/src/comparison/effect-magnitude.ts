/** Verbal size of an effect. */
export type EffectMagnitude = 'negligible' | 'small' | 'medium' | 'large';

/** Which convention to read an effect size with. */
export type EffectSizeScale = 'cohen-d' | 'cliffs-delta' | 'correlation';

/**
 * Lower bounds of small, medium and large for |effect|:
 * - 'cohen-d' (Cohen's d, dz, Hedges' g): 0.2, 0.5, 0.8 (Cohen 1988);
 * - 'cliffs-delta': 0.147, 0.33, 0.474 (Romano et al. 2006, from Cohen's d via normal overlap);
 * - 'correlation' (rank-biserial r, Kendall's W): 0.1, 0.3, 0.5 (Cohen's r; rstatix reads W this way).
 */
export const EFFECT_SIZE_THRESHOLDS = {
  'cohen-d': [0.2, 0.5, 0.8],
  'cliffs-delta': [0.147, 0.33, 0.474],
  correlation: [0.1, 0.3, 0.5],
} as const satisfies Record<EffectSizeScale, readonly [number, number, number]>;

/** Labels |value| by {@link EFFECT_SIZE_THRESHOLDS}[scale]; null for a null value. */
export function effectMagnitude(value: number | null, scale: EffectSizeScale): EffectMagnitude | null {
  if (value === null) return null;
  const [small, medium, large] = EFFECT_SIZE_THRESHOLDS[scale];
  const size = Math.abs(value);
  if (size < small) return 'negligible';
  if (size < medium) return 'small';
  if (size < large) return 'medium';
  return 'large';
}

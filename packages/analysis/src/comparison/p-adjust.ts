import { ConfigError, P_ADJUST_METHODS, type PAdjustMethod } from '@nflab/contracts';
import padjust from '@stdlib/stats-padjust';
import { requireOneOf } from './inputs.js';

/**
 * Multiple-testing corrections (statsmodels' holm, bonferroni, fdr_bh, fdr_by): 'bh' =
 * Benjamini–Hochberg, 'by' = Benjamini–Yekutieli. The list lives in @nflab/contracts, so API
 * requests and these functions accept the same names.
 */
export { P_ADJUST_METHODS, type PAdjustMethod };

/**
 * Adjusted p-values in the input order, capped at 1, with statsmodels' multipletests semantics:
 * Bonferroni m·p; Holm's step-down max_{j≤i}((m − j + 1)·p_(j)); Benjamini–Hochberg's step-up
 * min_{j≥i}(m/j · p_(j)); Benjamini–Yekutieli as BH times c(m) = Σ_{i=1}^{m} 1/i. Computed by
 * @stdlib/stats-padjust, which matches statsmodels for all four (checked against the fixture).
 * An empty list gives an empty list; a value outside [0, 1] throws a ConfigError naming its index.
 */
export function adjustPValues(pValues: readonly number[], method: PAdjustMethod): number[] {
  requireOneOf(method, P_ADJUST_METHODS, 'method');
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1))
      throw new ConfigError(`pValues[${i}] must be a probability in [0, 1], got ${String(p)}`);
  });
  if (pValues.length === 0) return [];
  // A copy: stdlib's Bonferroni writes its result into the array it is given.
  return padjust([...pValues], method);
}

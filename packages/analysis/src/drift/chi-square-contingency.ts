import { ConfigError } from '@nflab/contracts';
import { chiSquareSurvival } from '../exogenous/special.js';

/** Pearson's chi-square test of independence for a contingency table. */
export interface ChiSquareContingencyResult {
  readonly statistic: number;
  /** Upper-tail chi-square p-value with `dof` degrees of freedom (1 when dof = 0). */
  readonly pValue: number;
  /** (rows − 1)·(columns − 1). */
  readonly dof: number;
  /** Expected counts row total · column total / grand total. */
  readonly expected: readonly (readonly number[])[];
  /** True when Yates' continuity correction was applied (dof = 1, i.e. a 2×2 table). */
  readonly yatesCorrection: boolean;
}

/**
 * scipy.stats.chi2_contingency(table) with its defaults: Σ (O − E)²/E, Yates' correction
 * (|O − E| reduced by up to 0.5) only when dof = 1; dof = 0 gives statistic 0 and p = 1.
 * Rows could be categories and columns reference/current counts. Cells must be finite and ≥ 0.
 */
export function chiSquareContingency(table: readonly (readonly number[])[]): ChiSquareContingencyResult {
  const rows = table.length;
  const columns = table[0]?.length ?? 0;
  if (rows === 0 || columns === 0 || table.some((row) => row.length !== columns)) {
    throw new ConfigError(
      'table must be a non-empty rectangular array of counts (every row as long as the first)',
    );
  }
  table.forEach((row, i) =>
    row.forEach((cell, j) => {
      if (!Number.isFinite(cell) || cell < 0) {
        throw new ConfigError(`table[${i}][${j}] must be a finite count >= 0, got ${String(cell)}`);
      }
    }),
  );
  const rowTotals = table.map((row) => row.reduce((sum, cell) => sum + cell, 0));
  const columnTotals = Array.from({ length: columns }, (_, j) =>
    table.reduce((sum, row) => sum + (row[j] ?? 0), 0),
  );
  const total = rowTotals.reduce((sum, value) => sum + value, 0);
  const emptyRow = rowTotals.indexOf(0);
  const emptyColumn = columnTotals.indexOf(0);
  if (emptyRow >= 0 || emptyColumn >= 0) {
    const where = emptyRow >= 0 ? `row ${emptyRow}` : `column ${emptyColumn}`;
    throw new ConfigError(
      `table ${where} sums to 0, so its expected counts are 0; drop empty rows and columns`,
    );
  }
  const expected = rowTotals.map((rowTotal) =>
    columnTotals.map((columnTotal) => (rowTotal * columnTotal) / total),
  );
  const dof = (rows - 1) * (columns - 1);
  if (dof === 0) return { statistic: 0, pValue: 1, dof, expected, yatesCorrection: false };
  const yatesCorrection = dof === 1;
  let statistic = 0;
  table.forEach((row, i) =>
    row.forEach((observed, j) => {
      const e = expected[i]?.[j] ?? 1;
      let o = observed;
      if (yatesCorrection) o += Math.sign(e - o) * Math.min(0.5, Math.abs(e - o));
      statistic += (o - e) ** 2 / e;
    }),
  );
  return { statistic, pValue: chiSquareSurvival(statistic, dof), dof, expected, yatesCorrection };
}

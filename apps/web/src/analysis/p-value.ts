/** p-values as tables show them: four decimals, scientific below 1e-4, blank when there is none. */
export const formatPValue = (value: number | null | undefined): string =>
  value === null || value === undefined ? '' : value < 1e-4 ? value.toExponential(1) : value.toFixed(4);

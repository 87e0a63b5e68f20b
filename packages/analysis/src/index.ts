/** @nflab/analysis: pure functions from forecasts, runs and trials to JSON results. */
export const ANALYSIS_PACKAGE = '@nflab/analysis';

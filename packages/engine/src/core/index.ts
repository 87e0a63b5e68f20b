/** The NeuralForecast-style core. */
export * from './neural-forecast.js';
export * from './types.js';
export { FORMAT_VERSION, type SaveOptions } from './persistence.js';
export { evaluationCutoffs, explainWindows, type ExplainWindowsOptions } from './explain.js';
export type * from './explain-model.js';
export {
  canInterpret,
  interpretTft,
  OBSERVED_TARGET,
  REPEATED_TARGET,
  type InterpretTftOptions,
  type TftInterpretationSummary,
  type SelectionWeights,
} from './interpret.js';

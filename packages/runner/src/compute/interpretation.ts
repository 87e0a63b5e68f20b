/** What a run's fitted TFT weighed, as the run records it (nf_model_interpretation, the run detail's `interpretation`). */
import { ConfigError, type ModelInterpretationDto } from '@nflab/contracts';
import { canInterpret, interpretTft, NeuralForecast, type SelectionWeights } from '@nflab/engine';
import type { Forecaster } from './fit.js';

/** Newest windows of the fitted data the weights are averaged over (every series in turn). */
export const INTERPRETATION_WINDOWS = 64;

/** Six decimals: the weights are in [0, 1] and a heatmap of them needs no more; keeps the row small. */
const round = (value: number): number => Math.round(value * 1e6) / 1e6;

const groupOf = (group: SelectionWeights): ModelInterpretationDto['past'] => ({
  variables: [...group.variables],
  mean: group.mean.map(round),
  ...(group.overTime ? { over_time: group.overTime.map((row) => row.map(round)) } : {}),
});

/**
 * The interpretation of the forecaster's model over the newest windows of its fitted data; undefined
 * when the model reports none (not a TFT, or HINT) or when no window fits (said in `notes`).
 */
export const interpretFitted = async (
  forecaster: Forecaster,
  notes: string[],
): Promise<ModelInterpretationDto | undefined> => {
  if (!(forecaster instanceof NeuralForecast) || !canInterpret(forecaster)) return undefined;
  try {
    const seen = await interpretTft(forecaster, { maxWindows: INTERPRETATION_WINDOWS });
    notes.push(
      `interpretation: variable-selection and attention weights of ${seen.model} over ${seen.windows} window(s) of the fitted data`,
    );
    return {
      model: forecaster.models.find((m) => m.name === seen.model)?.entry.id ?? 'tft',
      windows: seen.windows,
      input_size: seen.inputSize,
      h: seen.h,
      static: seen.static ? groupOf(seen.static) : null,
      past: groupOf(seen.past),
      future: seen.future ? groupOf(seen.future) : null,
      // The horizon's rows: which input (and earlier horizon) steps each forecast step read.
      attention: seen.attention.slice(seen.inputSize).map((row) => row.map(round)),
    };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    notes.push(`interpretation skipped: ${error.message}`);
    return undefined;
  }
};

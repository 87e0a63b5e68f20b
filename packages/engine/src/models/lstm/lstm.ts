/**
 * LSTM: a multi-layer LSTM encoder over the input window with an MLP decoder, NeuralForecast 3.x's
 * direct (`recurrent=False`) form: the last h encoder states map to the h forecasts at once.
 * @see Hochreiter & Schmidhuber (1997), "Long Short-Term Memory", Neural Computation 9(8). https://doi.org/10.1162/neco.1997.9.8.1735
 */
import { z } from 'zod';
import { recurrentConfigFields } from '../recurrent/config-fields.js';
import { createDirectRecurrentModel } from '../recurrent/direct-model.js';
import { createLstmCell } from '../recurrent/lstm-cell.js';
import { lstmSearchSpace } from './search-space.js';

/** LSTM's own hyperparameters, with NeuralForecast's names and defaults (it has no encoder_activation). */
export const lstmConfigSchema = z.object({
  ...recurrentConfigFields,
  /** Width of h and c. @default 128 */
  encoder_hidden_size: z.number().int().min(1).default(128),
});

/** Parsed LSTM config. */
export type LstmConfig = z.output<typeof lstmConfigSchema>;

/** NeuralForecast's `LSTM`. */
export const lstm = createDirectRecurrentModel({
  id: 'lstm',
  label: 'LSTM',
  description:
    'Multi-layer LSTM encoder with an MLP decoder (Hochreiter & Schmidhuber, Neural Computation 1997).',
  configSchema: lstmConfigSchema,
  defaultSearchSpace: lstmSearchSpace,
  createCell: createLstmCell,
});

/**
 * LSTM: a multi-layer LSTM encoder over the input window. NeuralForecast 3.x's direct form
 * (`recurrent=False`, the default) maps the last h states to the h forecasts at once through an MLP
 * decoder; the recurrent form (`recurrent=True`) rolls one step at a time, the LSTM projecting its
 * output to the loss's outputs itself (PyTorch's `proj_size`).
 * @see Hochreiter & Schmidhuber (1997), "Long Short-Term Memory", Neural Computation 9(8). https://doi.org/10.1162/neco.1997.9.8.1735
 */
import { z } from 'zod';
import { recurrentConfigFields } from '../recurrent/config-fields.js';
import { createRecurrentModel } from '../recurrent/recurrent-model.js';
import { createLstmCell } from '../recurrent/lstm-cell.js';
import { createProjectedLstmCell } from '../recurrent/projected-lstm-cell.js';
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
export const lstm = createRecurrentModel({
  id: 'lstm',
  label: 'LSTM',
  description:
    'Multi-layer LSTM encoder with an MLP decoder (Hochreiter & Schmidhuber, Neural Computation 1997).',
  configSchema: lstmConfigSchema,
  defaultSearchSpace: lstmSearchSpace,
  createCell: createLstmCell,
  createProjectedCell: (store, { outputSize, ...cell }) => createProjectedLstmCell(store, { ...cell, projSize: outputSize }),
});

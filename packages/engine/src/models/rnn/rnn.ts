/**
 * RNN: a multi-layer Elman RNN encoder over the input window. NeuralForecast 3.x's direct form
 * (`recurrent=False`, the default) maps the last h states to the h forecasts at once through an MLP
 * decoder; the recurrent form (`recurrent=True`) rolls one step at a time through a linear `proj`.
 * @see Elman (1990), "Finding structure in time", Cognitive Science 14(2). https://doi.org/10.1207/s15516709cog1402_1
 */
import { z } from 'zod';
import { recurrentConfigFields } from '../recurrent/config-fields.js';
import { createRecurrentModel } from '../recurrent/recurrent-model.js';
import { createElmanCell } from '../recurrent/elman-cell.js';
import { rnnSearchSpace } from './search-space.js';

/** RNN's own hyperparameters, with NeuralForecast's names and defaults. */
export const rnnConfigSchema = z.object({
  ...recurrentConfigFields,
  /** @default 128 */
  encoder_hidden_size: z.number().int().min(1).default(128),
  /**
   * Accepted like NeuralForecast; NeuralForecast 3.2 never passes it to `nn.RNN`, so the cell is
   * always tanh there, and here too for parity. @default 'tanh'
   */
  encoder_activation: z.enum(['tanh', 'relu']).default('tanh'),
});

/** Parsed RNN config. */
export type RnnConfig = z.output<typeof rnnConfigSchema>;

/** NeuralForecast's `RNN`. */
export const rnn = createRecurrentModel({
  id: 'rnn',
  label: 'RNN',
  description: 'Multi-layer Elman RNN encoder with an MLP decoder (Elman, Cognitive Science 1990).',
  configSchema: rnnConfigSchema,
  defaultSearchSpace: rnnSearchSpace,
  createCell: (store, options) => createElmanCell(store, { ...options, activation: 'tanh' }), // see encoder_activation
});

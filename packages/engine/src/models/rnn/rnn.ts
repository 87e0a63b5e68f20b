/**
 * RNN: a multi-layer Elman RNN encoder over the input window with an MLP decoder, NeuralForecast
 * 3.x's direct (`recurrent=False`) form: the last h encoder states map to the h forecasts at once.
 * @see Elman (1990), "Finding structure in time", Cognitive Science 14(2). https://doi.org/10.1207/s15516709cog1402_1
 */
import { z } from 'zod';
import { createDirectRecurrentModel } from '../recurrent/direct-model.js';
import { createElmanCell } from '../recurrent/elman-cell.js';
import { rnnSearchSpace } from './search-space.js';

/** RNN's own hyperparameters, with NeuralForecast's names and defaults. */
export const rnnConfigSchema = z.object({
  /** Only used when `recurrent` is true (rolled one step at a time); ignored by the direct form. @default null */
  inference_input_size: z.number().int().nullable().default(null),
  /** Training horizon of the recurrent form; ignored by the direct form. @default 1 */
  h_train: z.number().int().min(1).default(1),
  /** @default 2 */
  encoder_n_layers: z.number().int().min(1).default(2),
  /** @default 128 */
  encoder_hidden_size: z.number().int().min(1).default(128),
  /**
   * Accepted like NeuralForecast; NeuralForecast 3.2 never passes it to `nn.RNN`, so the cell is
   * always tanh there, and here too for parity. @default 'tanh'
   */
  encoder_activation: z.enum(['tanh', 'relu']).default('tanh'),
  /** Whether the cells have b_ih and b_hh. @default true */
  encoder_bias: z.boolean().default(true),
  /** Dropout on every encoder layer's outputs but the last, while training. @default 0 */
  encoder_dropout: z.number().min(0).lt(1).default(0),
  /** Deprecated in NeuralForecast and unused; accepted so AutoRNN's space stays valid. @default null */
  context_size: z.number().int().min(1).nullable().default(null),
  /** @default 128 */
  decoder_hidden_size: z.number().int().min(1).default(128),
  /** Linear layers of the MLP decoder (1 = one projection). @default 2 */
  decoder_layers: z.number().int().min(1).default(2),
  /** True would roll forecasts one step at a time; only the default direct form is implemented. @default false */
  recurrent: z.boolean().default(false),
});

/** Parsed RNN config. */
export type RnnConfig = z.output<typeof rnnConfigSchema>;

/** NeuralForecast's `RNN`. */
export const rnn = createDirectRecurrentModel({
  id: 'rnn',
  label: 'RNN',
  description: 'Multi-layer Elman RNN encoder with an MLP decoder (Elman, Cognitive Science 1990).',
  configSchema: rnnConfigSchema,
  defaultSearchSpace: rnnSearchSpace,
  createCell: (store, options) => createElmanCell(store, { ...options, activation: 'tanh' }), // see encoder_activation
});

/**
 * LSTM: a multi-layer LSTM encoder over the input window with an MLP decoder, NeuralForecast 3.x's
 * direct (`recurrent=False`) form: the last h encoder states map to the h forecasts at once.
 * @see Hochreiter & Schmidhuber (1997), "Long Short-Term Memory", Neural Computation 9(8). https://doi.org/10.1162/neco.1997.9.8.1735
 */
import { z } from 'zod';
import { createDirectRecurrentModel } from '../recurrent/direct-model.js';
import { createLstmCell } from '../recurrent/lstm-cell.js';
import { lstmSearchSpace } from './search-space.js';

/** LSTM's own hyperparameters, with NeuralForecast's names and defaults (it has no encoder_activation). */
export const lstmConfigSchema = z.object({
  /** Only used when `recurrent` is true (rolled one step at a time); ignored by the direct form. @default null */
  inference_input_size: z.number().int().nullable().default(null),
  /** Training horizon of the recurrent form; ignored by the direct form. @default 1 */
  h_train: z.number().int().min(1).default(1),
  /** @default 2 */
  encoder_n_layers: z.number().int().min(1).default(2),
  /** Width of h and c. @default 128 */
  encoder_hidden_size: z.number().int().min(1).default(128),
  /** Whether the cells have b_ih and b_hh. @default true */
  encoder_bias: z.boolean().default(true),
  /** Dropout on every encoder layer's outputs but the last, while training. @default 0 */
  encoder_dropout: z.number().min(0).lt(1).default(0),
  /** Deprecated in NeuralForecast and unused; accepted so AutoLSTM's space stays valid. @default null */
  context_size: z.number().int().min(1).nullable().default(null),
  /** @default 128 */
  decoder_hidden_size: z.number().int().min(1).default(128),
  /** Linear layers of the MLP decoder (1 = one projection). @default 2 */
  decoder_layers: z.number().int().min(1).default(2),
  /** True would roll forecasts one step at a time; only the default direct form is implemented. @default false */
  recurrent: z.boolean().default(false),
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

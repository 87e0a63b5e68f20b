/**
 * GRU: a multi-layer GRU encoder over the input window with an MLP decoder, NeuralForecast 3.x's
 * direct (`recurrent=False`) form: the last h encoder states map to the h forecasts at once.
 * @see Cho et al. (2014), "On the Properties of Neural Machine Translation: Encoder-Decoder Approaches". https://arxiv.org/abs/1409.1259
 * @see Chung et al. (2014), "Empirical Evaluation of Gated Recurrent Neural Networks on Sequence Modeling". https://arxiv.org/abs/1412.3555
 */
import { z } from 'zod';
import { createDirectRecurrentModel } from '../recurrent/direct-model.js';
import { createGruCell } from '../recurrent/gru-cell.js';
import { gruSearchSpace } from './search-space.js';

/** GRU's own hyperparameters, with NeuralForecast's names and defaults. */
export const gruConfigSchema = z.object({
  /** Only used when `recurrent` is true (rolled one step at a time); ignored by the direct form. @default null */
  inference_input_size: z.number().int().nullable().default(null),
  /** Training horizon of the recurrent form; ignored by the direct form. @default 1 */
  h_train: z.number().int().min(1).default(1),
  /** @default 2 */
  encoder_n_layers: z.number().int().min(1).default(2),
  /** @default 200 */
  encoder_hidden_size: z.number().int().min(1).default(200),
  /**
   * Deprecated in NeuralForecast (it only warns): `nn.GRU`'s activations are fixed, so any value
   * is accepted and none changes the cell. @default null
   */
  encoder_activation: z.string().nullable().default(null),
  /** Whether the cells have b_ih and b_hh. @default true */
  encoder_bias: z.boolean().default(true),
  /** Dropout on every encoder layer's outputs but the last, while training. @default 0 */
  encoder_dropout: z.number().min(0).lt(1).default(0),
  /** Deprecated in NeuralForecast and unused; accepted so AutoGRU's space stays valid. @default null */
  context_size: z.number().int().min(1).nullable().default(null),
  /** @default 128 */
  decoder_hidden_size: z.number().int().min(1).default(128),
  /** Linear layers of the MLP decoder (1 = one projection). @default 2 */
  decoder_layers: z.number().int().min(1).default(2),
  /** True would roll forecasts one step at a time; only the default direct form is implemented. @default false */
  recurrent: z.boolean().default(false),
});

/** Parsed GRU config. */
export type GruConfig = z.output<typeof gruConfigSchema>;

/** NeuralForecast's `GRU`. */
export const gru = createDirectRecurrentModel({
  id: 'gru',
  label: 'GRU',
  description: 'Multi-layer GRU encoder with an MLP decoder (Cho et al., 2014).',
  configSchema: gruConfigSchema,
  defaultSearchSpace: gruSearchSpace,
  createCell: createGruCell,
});

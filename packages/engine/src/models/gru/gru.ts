/**
 * GRU: a multi-layer GRU encoder over the input window. NeuralForecast 3.x's direct form
 * (`recurrent=False`, the default) maps the last h states to the h forecasts at once through an MLP
 * decoder; the recurrent form (`recurrent=True`) rolls one step at a time through a linear `proj`.
 * @see Cho et al. (2014), "On the Properties of Neural Machine Translation: Encoder-Decoder Approaches". https://arxiv.org/abs/1409.1259
 * @see Chung et al. (2014), "Empirical Evaluation of Gated Recurrent Neural Networks on Sequence Modeling". https://arxiv.org/abs/1412.3555
 */
import { z } from 'zod';
import { recurrentConfigFields } from '../recurrent/config-fields.js';
import { createRecurrentModel } from '../recurrent/recurrent-model.js';
import { createGruCell } from '../recurrent/gru-cell.js';
import { gruSearchSpace } from './search-space.js';

/** GRU's own hyperparameters, with NeuralForecast's names and defaults. */
export const gruConfigSchema = z.object({
  ...recurrentConfigFields,
  /** @default 200 */
  encoder_hidden_size: z.number().int().min(1).default(200),
  /**
   * Deprecated in NeuralForecast (it only warns): `nn.GRU`'s activations are fixed, so any value
   * is accepted and none changes the cell. @default null
   */
  encoder_activation: z.string().nullable().default(null),
});

/** Parsed GRU config. */
export type GruConfig = z.output<typeof gruConfigSchema>;

/** NeuralForecast's `GRU`. */
export const gru = createRecurrentModel({
  id: 'gru',
  label: 'GRU',
  description: 'Multi-layer GRU encoder with an MLP decoder (Cho et al., 2014).',
  configSchema: gruConfigSchema,
  defaultSearchSpace: gruSearchSpace,
  createCell: createGruCell,
});

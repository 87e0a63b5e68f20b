/**
 * The hyperparameters NeuralForecast's RNN, LSTM and GRU share, under its names and with its
 * defaults. Each model adds its own `encoder_hidden_size` default (and GRU/RNN their
 * `encoder_activation`), so a default changed in NeuralForecast changes in one place here.
 */
import { z } from 'zod';

export const recurrentConfigFields = {
  /** Input steps of predict windows when `recurrent` is true (null or < 1: input_size); ignored by the direct form. @default null */
  inference_input_size: z.number().int().nullable().default(null),
  /** Training horizon of the recurrent form; ignored by the direct form. @default 1 */
  h_train: z.number().int().min(1).default(1),
  /** @default 2 */
  encoder_n_layers: z.number().int().min(1).default(2),
  /** Whether the cells have b_ih and b_hh. @default true */
  encoder_bias: z.boolean().default(true),
  /** Dropout on every encoder layer's outputs but the last, while training. @default 0 */
  encoder_dropout: z.number().min(0).lt(1).default(0),
  /** Deprecated in NeuralForecast and unused; accepted so the Auto space stays valid. @default null */
  context_size: z.number().int().min(1).nullable().default(null),
  /** @default 128 */
  decoder_hidden_size: z.number().int().min(1).default(128),
  /** Linear layers of the MLP decoder (1 = one projection). @default 2 */
  decoder_layers: z.number().int().min(1).default(2),
  /**
   * False: all h steps at once through the MLP decoder. True: one step at a time, each forecast fed
   * back as the next input, with a linear projection per step instead of the decoder. @default false
   */
  recurrent: z.boolean().default(false),
};

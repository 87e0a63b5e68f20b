/** The hyperparameters Autoformer and FEDformer share, with NeuralForecast's names and defaults. */
import { z } from 'zod';

/** Schema fields common to both decomposition transformers (each model adds its own). */
export const decompositionFormerFields = {
  /** Share of input_size the decoder re-reads from the window: label_len = ⌈input_size·m⌉. @default 0.5 */
  decoder_input_size_multiplier: z.number().gt(0).lt(1).default(0.5),
  /** Width of the embeddings, attention and decomposition layers. @default 128 */
  hidden_size: z.number().int().min(1).default(128),
  /** Dropout of the embeddings and of every sublayer's output. @default 0.05 */
  dropout: z.number().min(0).lt(1).default(0.05),
  /** Channels of each sublayer's kernel-1 feed-forward convolutions. @default 32 */
  conv_hidden_size: z.number().int().min(1).default(32),
  /** Activation of the feed-forward part (NeuralForecast accepts these two). @default 'gelu' */
  activation: z.enum(['relu', 'gelu']).default('gelu'),
  /** Encoder layers. @default 2 */
  encoder_layers: z.number().int().min(1).default(2),
  /** Decoder layers. @default 1 */
  decoder_layers: z.number().int().min(1).default(1),
  /**
   * Width of the moving average of every series decomposition; odd, so the centred average keeps
   * the length (NeuralForecast's even widths shorten the sequence and fail). @default 25
   */
  MovingAvg_window: z
    .number()
    .int()
    .min(1)
    .refine((k) => k % 2 === 1, { message: 'MovingAvg_window must be odd (the average is centred), e.g. 25' })
    .default(25),
};

/**
 * TFT: each input (static, future-known, historical covariates and the target) is embedded per
 * variable; variable selection networks weigh them (conditioned on the static context); an LSTM (or
 * GRU) encoder seeded from the static context reads the input window and a decoder continues from
 * its final state over the horizon; a gated skip, static enrichment, interpretable causal attention
 * and a position-wise GRN lead to one linear output per horizon step.
 * @see Lim, Arık, Loeff, Pfister (2021), "Temporal Fusion Transformers for interpretable multi-horizon time series forecasting", IJF. https://arxiv.org/abs/1912.09363
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import type { ModelNetwork, ModelSpec, WindowBatch } from '../../model/types.js';
import type { ForwardContext } from '../../nn/forward-context.js';
import { checkpoint } from '../../nn/checkpoint.js';
import { createForwardContext } from '../../nn/forward-context.js';
import { createGlu } from '../../nn/glu.js';
import { GRN_ACTIVATIONS, TFT_LAYER_NORM_EPS, createGrn, createStackedGrn } from '../../nn/grn.js';
import { gatedAddNorm } from '../../nn/gated-add-norm.js';
import { createLinear } from '../../nn/linear.js';
import { createParamStore, logicalName } from '../../nn/params.js';
import { concatEmbeddings, createScalarEmbedding } from '../../nn/scalar-embedding.js';
import { createVariableSelection } from '../../nn/variable-selection.js';
import type { SequenceState } from '../recurrent/fused-sequence.js';
import { checkDims, requireInput } from '../network.js';
import { createInterpretableAttention } from './interpretable-attention.js';
import { TFT_RNN_TYPES, createRnnStack } from './rnn-stack.js';
import { tftSearchSpace } from './search-space.js';

/** TFT's own hyperparameters, with NeuralForecast's names and defaults. */
export const tftConfigSchema = z.object({
  /** Number of target series per window; NeuralForecast's univariate TFT takes 1. @default 1 */
  tgt_size: z.literal(1).default(1),
  /** Width of the embeddings, GRNs, recurrences and attention. @default 128 */
  hidden_size: z.number().int().min(1).default(128),
  /** Attention heads; must divide hidden_size. @default 4 */
  n_head: z.number().int().min(1).default(4),
  /** Dropout on the attention weights. @default 0 */
  attn_dropout: z.number().min(0).max(1).default(0),
  /** Activation inside the GRNs of the variable selection and the decoder. @default 'ELU' */
  grn_activation: z.enum(GRN_ACTIVATIONS).default('ELU'),
  /** Layers of the encoder and decoder recurrences. @default 1 */
  n_rnn_layers: z.number().int().min(1).default(1),
  /** Recurrence of the encoder and decoder, 'lstm' or 'gru' (any case). @default 'lstm' */
  rnn_type: z
    .string()
    .transform((name) => name.toLowerCase())
    .pipe(z.enum(TFT_RNN_TYPES))
    .default('lstm'),
  /** Seed every recurrent layer from one static context (else one per layer). @default false */
  one_rnn_initial_state: z.boolean().default(false),
  /** Dropout of the GRNs and the attention output. @default 0.1 */
  dropout: z.number().min(0).max(1).default(0.1),
});

/** Parsed TFT config. */
export type TftConfig = z.output<typeof tftConfigSchema>;

/**
 * Above this {@link activationSize} a training pass checkpoints its blocks: the yardstick (1024
 * windows, input_size 24, h 12, hidden_size 128, no exogenous: 31.5M) peaks at 3.0 GB RSS without;
 * hidden_size 256 there (63M) ran the wasm heap out.
 */
const CHECKPOINT_ABOVE = 40e6;

let splitInputGate = true;

/** Whether the encoder–decoder gate runs on the history and horizon rows apart (A/B switch for benches). @default true */
export const setSplitInputGate = (on: boolean): void => {
  splitInputGate = on;
};

/** NeuralForecast's capability table row: future, historical and static exogenous. */
const exogenous = { futr: true, hist: true, stat: true } as const;

/** NeuralForecast TFT's training defaults (its __init__ signature). */
const TFT_COMMON_DEFAULTS = {
  windows_batch_size: 1024,
  inference_windows_batch_size: 1024,
  scaler_type: 'robust',
} as const;

/** What a fitted TFT weighed when it forecast a batch (NeuralForecast's `interpretability_params`). */
export interface TftInterpretation {
  /** [B, L, n_hist]: history variable weights per input step, over hist_*, futr_* (or the repeated last target) and the target. */
  readonly history: tf.Tensor3D;
  /** [B, H, n_futr]: future variable weights per horizon step. */
  readonly future: tf.Tensor3D;
  /** [B, S]: static variable weights, when the model has stat_* columns. */
  readonly static?: tf.Tensor2D;
  /** [B, n_head, L+H, L+H]: causal attention weights over the whole window. */
  readonly attention: tf.Tensor4D;
}

/** A TFT network, which can also say what it weighed. */
export interface TftNetwork extends ModelNetwork {
  /** Forecast (as `forward` outside training) and the selection and attention weights of `batch`. */
  interpret(batch: WindowBatch): { readonly forecast: tf.Tensor3D } & TftInterpretation;
}

/** NeuralForecast's `TFT`. */
export const tft = {
  id: 'tft',
  label: 'TFT',
  description:
    'TFT: variable selection, an LSTM encoder–decoder seeded by static context and interpretable attention (Lim et al., IJF 2021).',
  family: 'transformer',
  kind: 'univariate',
  forecastType: 'direct',
  exogenous,
  configSchema: tftConfigSchema,
  commonDefaults: TFT_COMMON_DEFAULTS,
  defaultSearchSpace: tftSearchSpace,
  build(config, dims, seed): TftNetwork {
    checkDims({ label: 'TFT', exogenous }, dims);
    const { h, inputSize: L, nOutputs: K, statExogSize: S, histExogSize: X } = dims;
    const d = config.hidden_size;
    const T = L + h;
    // Without futr_* columns NeuralForecast feeds the last insample value, repeated, as one future input.
    const F = Math.max(dims.futrExogSize, 1);
    const nHistory = X + F + 1;
    const rnnType = config.rnn_type;
    const layers = config.n_rnn_layers;
    const store = createParamStore('tft', seed);
    const activation = config.grn_activation;
    const rate = config.dropout;
    // Creation order follows NeuralForecast's modules.
    const embedStat = S > 0 ? createScalarEmbedding(store, 'embedding/stat_exog', S, d) : undefined;
    const embedFutr = createScalarEmbedding(store, 'embedding/futr_exog', F, d);
    const embedHist = X > 0 ? createScalarEmbedding(store, 'embedding/hist_exog', X, d) : undefined;
    const embedTarget = createScalarEmbedding(store, 'embedding/tgt', 1, d);
    const nStates = config.one_rnn_initial_state ? 1 : layers;
    const staticEncoder =
      S > 0
        ? {
            vsn: createVariableSelection(store, {
              path: 'static_encoder/vsn',
              hiddenSize: d,
              numInputs: S,
              dropout: rate,
              activation,
            }),
            // Contexts: selection, enrichment, then h per state, then c per state (LSTM). NeuralForecast
            // builds them with the GRN's default activation (ELU), not grn_activation.
            contexts: createStackedGrn(store, {
              path: 'static_encoder/context_grns',
              count: 2 + (rnnType === 'lstm' ? 2 : 1) * nStates,
              hiddenSize: d,
              dropout: rate,
            }),
          }
        : undefined;
    const historyVsn = createVariableSelection(store, {
      path: 'temporal_encoder/history_vsn',
      hiddenSize: d,
      numInputs: nHistory,
      dropout: rate,
      activation,
    });
    const rnn = { type: rnnType, layers, hiddenSize: d };
    const historyEncoder = createRnnStack(store, { path: 'temporal_encoder/history_encoder', ...rnn });
    const futureEncoder = createRnnStack(store, { path: 'temporal_encoder/future_encoder', ...rnn });
    const futureVsn = createVariableSelection(store, {
      path: 'temporal_encoder/future_vsn',
      hiddenSize: d,
      numInputs: F,
      dropout: rate,
      activation,
    });
    const gated = (path: string) => ({
      gate: createGlu(store, { path: `${path}_gate`, inFeatures: d, outFeatures: d }),
      // createLayerNorm's gain and shift, applied with the gate by gatedAddNorm.
      norm: {
        weight: store.constant(`${path}_ln/weight`, [d], 1),
        bias: store.constant(`${path}_ln/bias`, [d], 0),
      },
    });
    const inputGate = gated('temporal_encoder/input');
    const grn = (path: string, contextSize?: number) =>
      createGrn(store, {
        path,
        inputSize: d,
        hiddenSize: d,
        dropout: rate,
        activation,
        ...(contextSize ? { contextSize } : {}),
      });
    const enrichment = grn('temporal_fusion_decoder/enrichment_grn', d);
    const attention = createInterpretableAttention(store, {
      path: 'temporal_fusion_decoder/attention',
      hiddenSize: d,
      nHead: config.n_head,
      attnDropout: config.attn_dropout,
      dropout: rate,
    });
    const attentionGate = gated('temporal_fusion_decoder/attention');
    const positionwise = grn('temporal_fusion_decoder/positionwise_grn');
    const decoderGate = gated('temporal_fusion_decoder/decoder');
    const adapter = createLinear(store, { path: 'output_adapter', inFeatures: d, outFeatures: K });
    /** `LayerNorm(GLU(x) + skip)`, TFT's gated skip connection. */
    const gateAdd = (g: ReturnType<typeof gated>, x: tf.Tensor, skip: tf.Tensor): tf.Tensor =>
      gatedAddNorm(g.gate.lin.apply(x), skip, g.norm.weight, g.norm.bias, TFT_LAYER_NORM_EPS);

    /** The variables under each of `prefixes` (a checkpointed block's weights). */
    const weightsOf = (...prefixes: string[]): tf.Variable[] =>
      store.variables.filter((v) => prefixes.some((p) => logicalName(v).startsWith(`tft/${p}/`)));
    const weights = {
      history: weightsOf(
        'embedding/futr_exog',
        'embedding/hist_exog',
        'embedding/tgt',
        'temporal_encoder/history_vsn',
      ),
      future: weightsOf('embedding/futr_exog', 'temporal_encoder/future_vsn'),
      enrichment: weightsOf(
        'temporal_encoder/input_gate',
        'temporal_encoder/input_ln',
        'temporal_fusion_decoder/enrichment_grn',
        'temporal_fusion_decoder/attention',
        'temporal_fusion_decoder/attention_gate',
        'temporal_fusion_decoder/attention_ln',
        'temporal_fusion_decoder/positionwise_grn',
        'temporal_fusion_decoder/decoder_gate',
        'temporal_fusion_decoder/decoder_ln',
        'output_adapter',
      ),
    };
    /**
     * Per variable, step and layer width: the rows × widths the blocks' GRNs keep for the backward
     * (B·(L·(n_hist + 1) + H·(F + 1) + 4·(L + H))·d).
     */
    const activationSize = (B: number) => B * (L * (nHistory + 1) + h * (F + 1) + 4 * T) * d;

    // The blocks between the recurrences, each a function of tensors only so a training pass can
    // checkpoint it (nn/checkpoint.ts): their GRNs over every window step are what fills the heap.
    // With each gate-add-norm one op keeping a row's mean and 1/σ (nn/gated-add-norm.ts) the
    // yardstick's 1024 windows fit without; larger passes are checkpointed (run twice).
    /** y [B, L, 1], futr [B, L, F], cs [B, d] (, hist [B, L, X]) -> selected [B, L, d] and weights [B, L, n]. */
    const historyBlock = ([y, futr, cs, hist]: tf.Tensor[], ctx: ForwardContext) => {
      const x = tf.concat([...(hist ? [hist] : []), futr!, y!], 2); // [B, L, X + F + 1]
      const embedding = concatEmbeddings([...(embedHist ? [embedHist] : []), embedFutr, embedTarget]);
      return historyVsn.apply({ x, embedding }, ctx, cs as tf.Tensor2D);
    };
    /** futr [B, H, F], cs [B, d] -> selected [B, H, d] and weights [B, H, F]. */
    const futureBlock = ([futr, cs]: tf.Tensor[], ctx: ForwardContext) =>
      futureVsn.apply({ x: futr!, embedding: embedFutr }, ctx, cs as tf.Tensor2D);
    /** Recurrence outputs and selected inputs [B, L+H, d] each, ce [B, d] -> temporal and enriched [B, L+H, d]. */
    const enrichmentBlock = (
      [history, future, historyInput, futureInput, ce]: tf.Tensor[],
      ctx: ForwardContext,
    ) => {
      if (!splitInputGate) {
        const temporal = gateAdd(
          inputGate,
          tf.concat([history!, future!], 1),
          tf.concat([historyInput!, futureInput!], 1),
        ) as tf.Tensor3D; // [B, L+H, d]
        return { temporal, enriched: enrichment.apply(temporal, ctx, ce as tf.Tensor2D) };
      }
      // The gate works row by row: its history and horizon rows apart, one concat of the outputs
      // instead of two of the inputs, and the decoder's skip is the horizon part as it is (no
      // slice, no gradient padded back to L+H rows).
      const horizon = gateAdd(inputGate, future!, futureInput!) as tf.Tensor3D; // [B, H, d]
      const temporal = tf.concat([gateAdd(inputGate, history!, historyInput!), horizon], 1) as tf.Tensor3D;
      return { temporal, horizon, enriched: enrichment.apply(temporal, ctx, ce as tf.Tensor2D) };
    };
    /** Temporal and enriched [B, L+H, d] -> the forecast [B, H, K] and the attention weights. */
    const decoderBlock = (
      { temporal, horizon: horizonTemporal, enriched }: ReturnType<typeof enrichmentBlock>,
      ctx: ForwardContext,
      queryStart: number,
    ) => {
      const B = temporal.shape[0];
      const attended = attention.apply(enriched, queryStart, ctx); // [B, T - queryStart, d]
      const rows = (x: tf.Tensor) => tf.slice(x, [0, L, 0], [B, h, d]); // the horizon steps
      const horizon = queryStart === L ? attended.output : rows(attended.output);
      let x = gateAdd(attentionGate, horizon, rows(enriched));
      x = positionwise.apply(x, ctx);
      x = gateAdd(decoderGate, x, horizonTemporal ?? rows(temporal));
      return { forecast: adapter.apply(x) as tf.Tensor3D, attention: attended.weights }; // [B, H, d] -> [B, H, K]
    };

    /** The forecast [B, H, K] of a training pass too large to keep every block's intermediates. */
    const checkpointed = (
      historyInputs: tf.Tensor[],
      futureInputs: tf.Tensor[],
      ce: tf.Tensor2D,
      initial: SequenceState[] | undefined,
      ctx: ForwardContext,
    ): tf.Tensor3D => {
      const features = (block: typeof historyBlock) => (xs: tf.Tensor[], c: ForwardContext) =>
        block(xs, c).features;
      const history = checkpoint(features(historyBlock), historyInputs, weights.history, ctx) as tf.Tensor3D;
      const future = checkpoint(features(futureBlock), futureInputs, weights.future, ctx) as tf.Tensor3D;
      const encoded = historyEncoder.run(history, initial); // [B, L, d]
      const decoded = futureEncoder.run(future, encoded.final); // [B, H, d]
      return checkpoint(
        (xs, c) => decoderBlock(enrichmentBlock(xs, c), c, L).forecast,
        [encoded.outputs, decoded.outputs, history, future, ce],
        weights.enrichment,
        ctx,
      ) as tf.Tensor3D;
    };

    /**
     * The forecast [B, H, K] and, when `interpret`, what it weighed (all attention rows then, not
     * only the horizon's).
     */
    const run = (batch: WindowBatch, ctx: ForwardContext, interpret: boolean) => {
      const y = batch.insampleY; // [B, L, 1]
      const B = y.shape[0];
      const futr =
        dims.futrExogSize > 0
          ? requireInput(batch.futrExog, 'futrExog', 'TFT')
          : tf.tile(tf.slice(y, [0, L - 1, 0], [B, 1, 1]), [1, T, 1]); // [B, L+H, 1]
      const hist = embedHist ? requireInput(batch.histExog, 'histExog', 'TFT') : undefined;
      // Static context: selection cs, enrichment ce and the recurrences' initial states.
      let cs: tf.Tensor2D;
      let ce: tf.Tensor2D;
      let initial: SequenceState[] | undefined;
      let staticWeights: tf.Tensor2D | undefined;
      if (staticEncoder && embedStat) {
        const selected = staticEncoder.vsn.apply(
          { x: requireInput(batch.statExog, 'statExog', 'TFT'), embedding: embedStat },
          ctx,
        ); // [B, S] -> [B, d]
        staticWeights = selected.weights as tf.Tensor2D;
        const n = staticEncoder.contexts.count;
        const shared = tf.broadcastTo(tf.expandDims(selected.features, 0), [n, B, d]) as tf.Tensor3D;
        const contexts = tf.unstack(staticEncoder.contexts.apply(shared, ctx)) as tf.Tensor2D[]; // n × [B, d]
        [cs, ce] = [contexts[0]!, contexts[1]!];
        const hs = contexts.slice(2, 2 + nStates);
        const cs0 = rnnType === 'lstm' ? contexts.slice(2 + nStates) : hs;
        initial = Array.from({ length: layers }, (_, i) => {
          const k = nStates === 1 ? 0 : i;
          return { h: hs[k]!, ...(rnnType === 'lstm' ? { c: cs0[k]! } : {}) };
        });
      } else {
        // NeuralForecast's zero contexts and zero initial states.
        cs = tf.zeros([B, d]);
        ce = tf.zeros([B, d]);
      }
      const historyInputs = [y, tf.slice(futr, [0, 0, 0], [B, L, F]), cs, ...(hist ? [hist] : [])];
      if (!interpret && activationSize(B) > CHECKPOINT_ABOVE)
        return {
          forecast: checkpointed(historyInputs, [tf.slice(futr, [0, L, 0], [B, h, F]), cs], ce, initial, ctx),
        };
      const past = historyBlock(historyInputs, ctx);
      const ahead = futureBlock([tf.slice(futr, [0, L, 0], [B, h, F]), cs], ctx);
      const [history, future] = [past.features as tf.Tensor3D, ahead.features as tf.Tensor3D];
      const encoded = historyEncoder.run(history, initial); // [B, L, d]
      const decoded = futureEncoder.run(future, encoded.final); // [B, H, d]
      const both = enrichmentBlock([encoded.outputs, decoded.outputs, history, future, ce], ctx);
      const out = decoderBlock(both, ctx, interpret ? 0 : L);
      if (!interpret) return { forecast: out.forecast };
      return {
        forecast: out.forecast,
        history: past.weights as tf.Tensor3D,
        future: ahead.weights as tf.Tensor3D,
        ...(staticWeights ? { static: staticWeights } : {}),
        attention: out.attention,
      };
    };
    return {
      variables: store.variables,
      forward(batch, options) {
        const ctx = createForwardContext(options, store.rng);
        return tf.tidy(() => run(batch, ctx, false).forecast);
      },
      interpret(batch) {
        const ctx = createForwardContext({ training: false }, store.rng);
        return tf.tidy(() => run(batch, ctx, true) as unknown as tf.TensorContainer) as unknown as ReturnType<
          TftNetwork['interpret']
        >;
      },
      dispose() {
        store.dispose();
      },
    };
  },
} as const satisfies ModelSpec<TftConfig>;

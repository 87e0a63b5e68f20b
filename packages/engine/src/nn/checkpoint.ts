/**
 * Gradient checkpointing (Chen et al. 2016, "Training deep nets with sublinear memory cost"): a
 * block's forward runs off the tape, keeping only its inputs; the backward runs the block again on
 * its own tape and differentiates it there. A chain of small elementwise ops (TFT's GRNs over
 * [B·T, d] rows) otherwise keeps every intermediate until the backward reaches it, which at 1024
 * windows outgrows the wasm heap; this trades one more forward of the block for that memory.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ForwardContext } from './forward-context.js';

/** The engine fields the backward's own tape swaps (public on tfjs's Engine, not in its docs). */
interface TapeState {
  activeTape: unknown;
  gradientDepth: number;
}

/**
 * Runs `f` with the engine's tape state cleared and restores it after: tfjs's `gradients` resets and
 * then frees `activeTape` when called at depth 0, which inside an outer backward would be the outer
 * tape, still being walked.
 */
function onOwnTape<T>(f: () => T): T {
  const state = tf.engine().state as unknown as TapeState;
  const outer = { tape: state.activeTape, depth: state.gradientDepth };
  state.activeTape = null;
  state.gradientDepth = 0;
  try {
    return f();
  } finally {
    state.activeTape = outer.tape;
    state.gradientDepth = outer.depth;
  }
}

/** A context that records the seeds of its first pass and hands the same ones to every later pass. */
function replaying(ctx: ForwardContext): () => ForwardContext {
  const seeds: number[] = [];
  let pass = 0;
  return () => {
    pass += 1;
    let next = 0;
    const first = pass === 1;
    return {
      training: ctx.training,
      nextSeed() {
        if (first) seeds.push(ctx.nextSeed());
        const seed = seeds[next];
        next += 1;
        if (seed === undefined)
          throw new Error('checkpoint: the block drew more random seeds on its second pass');
        return seed;
      },
    };
  };
}

/**
 * `f(inputs, ctx)` as one differentiable op that keeps only `inputs` for the backward, where `f` is
 * recomputed (with the same dropout masks) and differentiated w.r.t. `inputs` and `weights` — every
 * variable `f` reads must be listed there, or its gradient is lost.
 */
export function checkpoint(
  f: (inputs: tf.Tensor[], ctx: ForwardContext) => tf.Tensor,
  inputs: readonly tf.Tensor[],
  weights: readonly tf.Variable[],
  ctx: ForwardContext,
): tf.Tensor {
  const pass = replaying(ctx);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const xs = args.slice(0, inputs.length) as tf.Tensor[];
    save(xs);
    return {
      value: f(xs, pass()),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        onOwnTape(() => {
          const sources = [...saved, ...weights];
          const { value, grads } = tf.engine().gradients(() => f(saved, pass()), sources, dy, true);
          value.dispose();
          return grads.map((g, i) => g ?? tf.zerosLike(sources[i]!));
        }),
    };
  });
  return op(...inputs, ...weights);
}

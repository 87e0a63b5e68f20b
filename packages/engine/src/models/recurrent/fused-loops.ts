/**
 * The time loops of the fused recurrent sequence op (see fused-sequence.ts) on plain Float32Arrays:
 * one pass over the gates per step, forward and backward (BPTT), with the recurrent product
 * h_{t-1}·W_hh (forward) and dG·W_hhᵀ (backward) handed to a {@link Product} so each backend
 * brings its fastest GEMM. The semantics are PyTorch's, as documented in elman-cell.ts,
 * lstm-cell.ts, projected-lstm-cell.ts and gru-cell.ts; the step-by-step tf path in unroll.ts is
 * the reference.
 *
 * LSTM optionally projects its output (PyTorch's `proj_size` P): h_t = (σ(o)·tanh(c_t))·W_hr is both
 * the output and the state W_hh reads, so each step runs a second product, with W_hr [H, P]
 * (forward) or W_hrᵀ (backward), in its own {@link Product}.
 *
 * Layouts: projected input x and its gradient [B, T, G·H] and outputs y [B, T, P] (P = H without a
 * projection) batch-first like the tensors, or all of them time-major ([T, B, ·]) when the dims say
 * so — a stack run time-major reads each step as one block, and a dilated layer's phases are then
 * plain batch rows; the per-step values the backward needs, `aux`
 * [T, B, A·H], time-major, so that each step writes and later reads one contiguous block (the
 * op's own tensor: batch-first it was T row-sized pieces a whole window apart, the slowest part of
 * the backward's gate pass):
 *   tanh/relu: none (A = 0; y is enough);
 *   lstm: i f g o (after their nonlinearities), c, tanh(c) (A = 6);
 *   gru: r z n (after their nonlinearities), hn = h_{t-1}·W_hn + b_hn (A = 4).
 *
 * The state starts at zero unless an initial state is given (h_0 [B, H], and c_0 [B, H] for an
 * LSTM): TFT seeds its encoder from static covariates and its decoder from the encoder's final
 * state. The backward then also returns dL/dh_0 and dL/dc_0, and takes dL/dc_T, the gradient
 * reaching an LSTM's final cell state from whatever read it (dL/dh_T arrives with dy's last step).
 * A projected LSTM takes no initial state.
 */

/** The cell kinds with a fused loop. */
export const FUSED_KINDS = ['tanh', 'relu', 'lstm', 'gru'] as const;
/** A fused cell kind: an Elman cell by its activation, or LSTM, or GRU. */
export type FusedKind = (typeof FUSED_KINDS)[number];

/** Gate blocks of W_hh per kind (G). */
export const GATES: Record<FusedKind, number> = { tanh: 1, relu: 1, lstm: 4, gru: 3 };
/** Saved per-step blocks per kind (A). */
export const AUX_BLOCKS: Record<FusedKind, number> = { tanh: 0, relu: 0, lstm: 6, gru: 4 };

/**
 * out [rows, n] = a [rows, k] · M for one M [k, n] fixed over a whole sequence (W_hh forward,
 * W_hhᵀ backward), so an implementation may pack or stage M once.
 */
export interface Product {
  /** `a` starts at the first row, rows are `lda` floats apart; `out` is [rows, n], overwritten. */
  run(a: Float32Array, lda: number, out: Float32Array): void;
  /** Frees what the product allocated. */
  dispose(): void;
}

/** Sequence sizes. */
export interface SequenceDims {
  readonly batch: number;
  readonly steps: number;
  /** Width of each gate block and of c. */
  readonly hidden: number;
  /** Width of h, the output and the state W_hh reads (P of a projected LSTM). @default hidden */
  readonly output?: number;
  /** x, y and their gradients are [T, B, ·] rather than [B, T, ·]. @default false */
  readonly timeMajor?: boolean;
}

/**
 * Where row (b, t) of a [B, T, ·] or [T, B, ·] tensor starts, in rows: b·batchStride + t·stepStride;
 * the rows of one step are then `batchStride` rows apart.
 */
export const rowStrides = (dims: SequenceDims): { batchStride: number; stepStride: number } =>
  dims.timeMajor ? { batchStride: 1, stepStride: dims.batch } : { batchStride: dims.steps, stepStride: 1 };

/** The products of one loop: with W_hh (or W_hhᵀ), and with W_hr (or W_hrᵀ) for a projected LSTM. */
export interface LoopProducts {
  readonly recurrent: Product;
  /** Only for an LSTM with a projection (P = W_hr's columns). */
  readonly projection?: Product;
}

/** Views of the forward op's tensors (re-read after every product: a wasm heap may have moved). */
export interface ForwardViews {
  /** [B, T, G·H] */
  readonly x: Float32Array;
  /** [G·H] or null without b_hh. */
  readonly bias: Float32Array | null;
  /** [B, T, P], written. */
  readonly y: Float32Array;
  /** [T, B, A·H], written (empty for Elman). */
  readonly aux: Float32Array;
  /** [B, T, H], written: LSTM's σ(o)·tanh(c) before its projection; `y` itself without one. */
  readonly hFull: Float32Array;
  /** [B, H]: the initial h, or null for the zero state. */
  readonly h0?: Float32Array | null;
  /** [B, H]: an LSTM's initial c, or null for the zero state. */
  readonly c0?: Float32Array | null;
}

/** Views of the backward op's tensors (re-read after every product, as {@link ForwardViews}). */
export interface BackwardViews {
  /** [B, T, P] */
  readonly dy: Float32Array;
  readonly y: Float32Array;
  readonly aux: Float32Array;
  /** [B, T, G·H], written: dL/d(projected input). */
  readonly dx: Float32Array;
  /**
   * [B, T, G·H], written for GRU only: dL/d(h_{t-1}·W_hh + b_hh), which differs from dx in the n
   * block (r gates the recurrent part). For the other kinds it is dx itself.
   */
  readonly dRecurrent: Float32Array;
  /**
   * [B, T, P], written for a projected LSTM only (empty otherwise): dL/dh_t in total, through the
   * output and through step t+1, for the caller's dW_hr = Σ_t (σ(o)·tanh(c_t))ᵀ·dh_t.
   */
  readonly dh: Float32Array;
  /** [B, H]: the forward's initial h, or null for the zero state. */
  readonly h0?: Float32Array | null;
  /** [B, H]: the forward's initial c (LSTM), or null for the zero state. */
  readonly c0?: Float32Array | null;
  /** [B, H]: dL/dc_T (LSTM), or null when nothing read the final cell state. */
  readonly dcT?: Float32Array | null;
  /** [B, H], written when given: dL/dh_0. */
  readonly dh0?: Float32Array | null;
  /** [B, H], written when given (LSTM): dL/dc_0. */
  readonly dc0?: Float32Array | null;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
/**
 * tanh through exp: V8's Math.tanh costs about twice Math.exp, and the gate pass is bound by its
 * transcendentals. In float64 this is within ~1e-9 relative of Math.tanh down to |v| ~ 1e-7 (and
 * exact after rounding to float32 elsewhere); it saturates to ±1 without overflow trouble.
 */
const tanh = (v: number): number => 1 - 2 / (Math.exp(2 * v) + 1);

/** The output width P, after checking that only an LSTM brings a projection. */
function outputWidth(kind: FusedKind, dims: SequenceDims, products: LoopProducts): number {
  if (products.projection && kind !== 'lstm') throw new Error(`a ${kind} loop has no projection`);
  const P = dims.output ?? dims.hidden;
  if (!products.projection && P !== dims.hidden)
    throw new Error('output differs from hidden without a projection');
  return P;
}

/**
 * Both loops' sizes: B, T, H, the output width P, the widths of a row of x (G·H) and of aux (A·H),
 * and the row strides bs and ts of {@link rowStrides}.
 */
function loopSizes(kind: FusedKind, dims: SequenceDims, products: LoopProducts) {
  const H = dims.hidden;
  const P = outputWidth(kind, dims, products);
  const { batchStride: bs, stepStride: ts } = rowStrides(dims);
  return { B: dims.batch, T: dims.steps, H, P, GH: GATES[kind] * H, AH: AUX_BLOCKS[kind] * H, bs, ts };
}

/**
 * Runs the forward loop: y and aux (and hFull) from x, W_hh (and W_hr) in `products` and b_hh, from
 * the views' h_0 and c_0 (zero when absent).
 */
export function forwardLoop(
  kind: FusedKind,
  dims: SequenceDims,
  products: LoopProducts,
  views: () => ForwardViews,
): void {
  const { B, T, H, P, GH, AH, bs, ts } = loopSizes(kind, dims, products);
  const { projection } = products;
  const recurrent = new Float32Array(B * GH); // [B, G·H]: h_{t-1}·W_hh of this step
  const projected = new Float32Array(projection ? B * P : 0); // [B, P]: this step's h
  const first = views();
  if ((first.h0 || first.c0) && projection) throw new Error('a projected LSTM takes no initial state');
  for (let t = 0; t < T; t++) {
    // From a zero state the first step's recurrent part is b_hh alone.
    if (t > 0) products.recurrent.run(views().y.subarray((t - 1) * ts * P), bs * P, recurrent);
    else if (first.h0) products.recurrent.run(first.h0, P, recurrent);
    const { x, bias, y, aux, hFull, h0, c0 } = views();
    for (let b = 0; b < B; b++) {
      const row = b * bs + t * ts;
      const xo = row * GH;
      const yo = row * H;
      const ro = b * GH;
      const ao = (t * B + b) * AH;
      if (kind === 'tanh' || kind === 'relu') {
        for (let j = 0; j < H; j++) {
          const s = x[xo + j]! + recurrent[ro + j]! + (bias ? bias[j]! : 0);
          y[yo + j] = kind === 'tanh' ? tanh(s) : s > 0 ? s : 0;
        }
      } else if (kind === 'lstm') {
        const prevC = ao - B * AH + 4 * H; // c_{t-1} in the previous step's aux
        for (let j = 0; j < H; j++) {
          // The i block's offsets; f, g and o follow H apart.
          const xi = xo + j;
          const ri = ro + j;
          const bi = j;
          const i = sigmoid(x[xi]! + recurrent[ri]! + (bias ? bias[bi]! : 0));
          const f = sigmoid(x[xi + H]! + recurrent[ri + H]! + (bias ? bias[bi + H]! : 0));
          const g = tanh(x[xi + 2 * H]! + recurrent[ri + 2 * H]! + (bias ? bias[bi + 2 * H]! : 0));
          const o = sigmoid(x[xi + 3 * H]! + recurrent[ri + 3 * H]! + (bias ? bias[bi + 3 * H]! : 0));
          const c = (t > 0 ? f * aux[prevC + j]! : c0 ? f * c0[b * H + j]! : 0) + i * g;
          const tc = tanh(c);
          aux[ao + j] = i;
          aux[ao + H + j] = f;
          aux[ao + 2 * H + j] = g;
          aux[ao + 3 * H + j] = o;
          aux[ao + 4 * H + j] = c;
          aux[ao + 5 * H + j] = tc;
          hFull[yo + j] = o * tc; // y itself unless projected
        }
      } else {
        for (let j = 0; j < H; j++) {
          const hr = recurrent[ro + j]! + (bias ? bias[j]! : 0);
          const hz = recurrent[ro + H + j]! + (bias ? bias[H + j]! : 0);
          const hn = recurrent[ro + 2 * H + j]! + (bias ? bias[2 * H + j]! : 0);
          const r = sigmoid(x[xo + j]! + hr);
          const z = sigmoid(x[xo + H + j]! + hz);
          const n = tanh(x[xo + 2 * H + j]! + r * hn);
          const hPrev = t > 0 ? y[yo - ts * H + j]! : h0 ? h0[b * H + j]! : 0;
          aux[ao + j] = r;
          aux[ao + H + j] = z;
          aux[ao + 2 * H + j] = n;
          aux[ao + 3 * H + j] = hn;
          y[yo + j] = n + z * (hPrev - n); // (1 - z)·n + z·h_{t-1}
        }
      }
    }
    if (projection) {
      // h_t = hFull_t·W_hr [B, H] -> [B, P], into the step's rows of y.
      projection.run(views().hFull.subarray(t * ts * H), bs * H, projected);
      const { y: out } = views();
      for (let b = 0; b < B; b++) out.set(projected.subarray(b * P, (b + 1) * P), (b * bs + t * ts) * P);
    }
  }
}

/**
 * Runs backpropagation through time: dx (and dRecurrent for GRU, dh for a projected LSTM) from dy,
 * y and aux, with W_hhᵀ (and W_hrᵀ) in `products`. dW_hh, db_hh and dW_hr are left to the caller:
 * they are Σ_t h_{t-1}ᵀ·dRecurrent_t, Σ dRecurrent and Σ_t hFull_tᵀ·dh_t, one big product over all
 * steps rather than T small ones.
 */
export function backwardLoop(
  kind: FusedKind,
  dims: SequenceDims,
  products: LoopProducts,
  views: () => BackwardViews,
): void {
  const { B, T, H, P, GH, AH, bs, ts } = loopSizes(kind, dims, products);
  const { projection } = products;
  const dhRecurrent = new Float32Array(B * P); // [B, P]: dL/dh_t through step t+1's gates
  const carry = new Float32Array(B * H); // [B, H]: LSTM's dL/dc_t through c_{t+1}; GRU's z·dh path
  const dhFull = projection ? new Float32Array(B * H) : null; // [B, H]: dL/d(σ(o)·tanh(c_t))
  for (let t = T - 1; t >= 0; t--) {
    const last = t === T - 1;
    if (projection && dhFull) {
      // dh_t [B, P] = dy_t + the recurrent share, kept for dW_hr; then dh_t·W_hrᵀ -> [B, H].
      const { dy, dh } = views();
      for (let b = 0; b < B; b++) {
        const o = (b * bs + t * ts) * P;
        for (let p = 0; p < P; p++) dh[o + p] = dy[o + p]! + (last ? 0 : dhRecurrent[b * P + p]!);
      }
      projection.run(views().dh.subarray(t * ts * P), bs * P, dhFull);
    }
    const { dy, y, aux, dx, dRecurrent, h0, c0, dcT } = views();
    for (let b = 0; b < B; b++) {
      const row = b * bs + t * ts;
      const yo = row * H;
      const xo = row * GH;
      const so = b * H;
      const ao = (t * B + b) * AH;
      if (kind === 'tanh' || kind === 'relu') {
        for (let j = 0; j < H; j++) {
          const dh = dy[yo + j]! + (last ? 0 : dhRecurrent[so + j]!);
          const h = y[yo + j]!;
          dx[xo + j] = kind === 'tanh' ? dh * (1 - h * h) : h > 0 ? dh : 0;
        }
      } else if (kind === 'lstm') {
        for (let j = 0; j < H; j++) {
          const dh = dhFull ? dhFull[so + j]! : dy[yo + j]! + (last ? 0 : dhRecurrent[so + j]!);
          const i = aux[ao + j]!;
          const f = aux[ao + H + j]!;
          const g = aux[ao + 2 * H + j]!;
          const o = aux[ao + 3 * H + j]!;
          const tc = aux[ao + 5 * H + j]!;
          const cPrev = t > 0 ? aux[ao - B * AH + 4 * H + j]! : c0 ? c0[so + j]! : 0;
          const dc = (last ? (dcT ? dcT[so + j]! : 0) : carry[so + j]!) + dh * o * (1 - tc * tc);
          carry[so + j] = dc * f;
          dx[xo + j] = dc * g * i * (1 - i);
          dx[xo + H + j] = dc * cPrev * f * (1 - f);
          dx[xo + 2 * H + j] = dc * i * (1 - g * g);
          dx[xo + 3 * H + j] = dh * tc * o * (1 - o);
        }
      } else {
        for (let j = 0; j < H; j++) {
          const dh = dy[yo + j]! + (last ? 0 : dhRecurrent[so + j]!);
          const r = aux[ao + j]!;
          const z = aux[ao + H + j]!;
          const n = aux[ao + 2 * H + j]!;
          const hn = aux[ao + 3 * H + j]!;
          const hPrev = t > 0 ? y[yo - ts * H + j]! : h0 ? h0[so + j]! : 0;
          const dn = dh * (1 - z) * (1 - n * n);
          const dr = dn * hn * r * (1 - r);
          const dz = dh * (hPrev - n) * z * (1 - z);
          dx[xo + j] = dr;
          dx[xo + H + j] = dz;
          dx[xo + 2 * H + j] = dn;
          dRecurrent[xo + j] = dr;
          dRecurrent[xo + H + j] = dz;
          dRecurrent[xo + 2 * H + j] = dn * r;
          carry[so + j] = dh * z; // h_{t-1}'s direct share of h_t
        }
      }
    }
    // Without an initial state to differentiate, nothing flows further back than step 0.
    if (t === 0 && !views().dh0) break;
    products.recurrent.run(views().dRecurrent.subarray(t * ts * GH), bs * GH, dhRecurrent);
    if (kind === 'gru') for (let k = 0; k < B * H; k++) dhRecurrent[k] = dhRecurrent[k]! + carry[k]!;
  }
  const { dh0, dc0 } = views();
  if (dh0) dh0.set(dhRecurrent.subarray(0, B * H)); // dL/dh_0: step 0's recurrent share (GRU: plus z·dh)
  if (dc0) dc0.set(carry.subarray(0, B * H)); // dL/dc_0 = dc_0·f_0, left in carry by step 0
}

/**
 * The (μ/μ_w, λ)-CMA-ES update (Hansen's tutorial defaults, positive weights), minimising over the
 * unit cube. Pure state in, state out: the sampler replays it from stored trials.
 * @see Hansen, "The CMA Evolution Strategy: A Tutorial", arXiv:1604.00772.
 */

/** Optimizer state after some generations. */
export interface CmaState {
  readonly n: number;
  readonly lambda: number;
  readonly generation: number;
  readonly mean: number[];
  readonly sigma: number;
  /** Covariance, row-major n×n. */
  readonly C: number[];
  readonly pc: number[];
  readonly ps: number[];
  /** Eigenvectors (columns of B, row-major) and sqrt of eigenvalues of C. */
  readonly B: number[];
  readonly D: number[];
}

/** Strategy constants for dimension n and population λ. */
const constants = (n: number, lambda: number) => {
  const mu = Math.floor(lambda / 2);
  const raw = Array.from({ length: mu }, (_, i) => Math.log((lambda + 1) / 2) - Math.log(i + 1));
  const sum = raw.reduce((a, b) => a + b, 0);
  const w = raw.map((x) => x / sum);
  const muEff = 1 / w.reduce((a, b) => a + b * b, 0);
  const cs = (muEff + 2) / (n + muEff + 5);
  const ds = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cs;
  const cc = (4 + muEff / n) / (n + 4 + (2 * muEff) / n);
  const c1 = 2 / ((n + 1.3) ** 2 + muEff);
  const cmu = Math.min(1 - c1, (2 * (muEff - 2 + 1 / muEff)) / ((n + 2) ** 2 + muEff));
  const chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
  return { mu, w, muEff, cs, ds, cc, c1, cmu, chiN };
};

/** Default population size 4 + ⌊3 ln n⌋. */
export const defaultPopsize = (n: number): number => 4 + Math.floor(3 * Math.log(n));

/** Initial state centred at `mean` with step size `sigma`. */
export const initCma = (mean: readonly number[], sigma: number, lambda: number): CmaState => {
  const n = mean.length;
  const I = Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) === k % n ? 1 : 0));
  return {
    n,
    lambda,
    generation: 0,
    mean: [...mean],
    sigma,
    C: I,
    pc: new Array<number>(n).fill(0),
    ps: new Array<number>(n).fill(0),
    B: [...I],
    D: new Array<number>(n).fill(1),
  };
};

/** x = mean + σ·B·D·z for a standard normal vector z. */
export const cmaPoint = (s: CmaState, z: readonly number[]): number[] =>
  s.mean.map((m, i) => {
    let acc = 0;
    for (let j = 0; j < s.n; j++) acc += (s.B[i * s.n + j] as number) * (s.D[j] as number) * (z[j] as number);
    return m + s.sigma * acc;
  });

/** Symmetric eigendecomposition by cyclic Jacobi rotations: C = B diag(values) Bᵀ. */
export const jacobiEigen = (C: readonly number[], n: number): { values: number[]; vectors: number[] } => {
  const a = [...C];
  const v: number[] = Array.from({ length: n * n }, (_, k) => (Math.floor(k / n) === k % n ? 1 : 0));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += (a[p * n + q] as number) ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q] as number;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = ((a[q * n + q] as number) - (a[p * n + p] as number)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p] as number;
          const akq = a[k * n + q] as number;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k] as number;
          const aqk = a[q * n + k] as number;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p] as number;
          const vkq = v[k * n + q] as number;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Array.from({ length: n }, (_, i) => a[i * n + i] as number), vectors: v };
};

/** One generation's update from λ (or more) evaluated points; smaller values are better. */
export const tellCma = (
  s: CmaState,
  solutions: readonly { x: readonly number[]; value: number }[],
): CmaState => {
  const { n } = s;
  const k = constants(n, s.lambda);
  const ranked = [...solutions].sort((a, b) => a.value - b.value).slice(0, k.mu);
  const ys = ranked.map((r) => r.x.map((xi, i) => (xi - (s.mean[i] as number)) / s.sigma));
  const yw = new Array<number>(n).fill(0);
  ys.forEach((y, r) => y.forEach((yi, i) => (yw[i] = (yw[i] as number) + (k.w[r] as number) * yi)));
  const mean = s.mean.map((m, i) => m + s.sigma * (yw[i] as number));
  // C^{-1/2} y_w = B D^{-1} Bᵀ y_w
  const bty = Array.from({ length: n }, (_, j) => {
    let acc = 0;
    for (let i = 0; i < n; i++) acc += (s.B[i * n + j] as number) * (yw[i] as number);
    return acc / (s.D[j] as number);
  });
  const invSqrtY = Array.from({ length: n }, (_, i) => {
    let acc = 0;
    for (let j = 0; j < n; j++) acc += (s.B[i * n + j] as number) * (bty[j] as number);
    return acc;
  });
  const csFactor = Math.sqrt(k.cs * (2 - k.cs) * k.muEff);
  const ps = s.ps.map((p, i) => (1 - k.cs) * p + csFactor * (invSqrtY[i] as number));
  const psNorm = Math.sqrt(ps.reduce((a, b) => a + b * b, 0));
  const hs =
    psNorm / Math.sqrt(1 - (1 - k.cs) ** (2 * (s.generation + 1))) < (1.4 + 2 / (n + 1)) * k.chiN ? 1 : 0;
  const ccFactor = Math.sqrt(k.cc * (2 - k.cc) * k.muEff);
  const pc = s.pc.map((p, i) => (1 - k.cc) * p + hs * ccFactor * (yw[i] as number));
  const delta = (1 - hs) * k.cc * (2 - k.cc);
  const C = s.C.map((c, idx) => {
    const i = Math.floor(idx / n);
    const j = idx % n;
    let rankMu = 0;
    ys.forEach((y, r) => (rankMu += (k.w[r] as number) * (y[i] as number) * (y[j] as number)));
    return (
      (1 + k.c1 * delta - k.c1 - k.cmu) * c + k.c1 * (pc[i] as number) * (pc[j] as number) + k.cmu * rankMu
    );
  });
  const sigma = s.sigma * Math.exp((k.cs / k.ds) * (psNorm / k.chiN - 1));
  const { values, vectors } = jacobiEigen(C, n);
  return {
    n,
    lambda: s.lambda,
    generation: s.generation + 1,
    mean,
    sigma,
    C,
    pc,
    ps,
    B: vectors,
    D: values.map((v) => Math.sqrt(Math.max(v, 1e-20))),
  };
};

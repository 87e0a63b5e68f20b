import { createRequire } from 'node:module';

/** `cblas_sgemm` on row-major data: C = alpha * op(A) * op(B) + beta * C. */
export type Sgemm = (opts: {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  a: Float32Array;
  lda: number;
  b: Float32Array;
  ldb: number;
  beta: number;
  c: Float32Array;
  ldc: number;
}) => void;

/** `cblas_sgemv` on a row-major [rows, cols] matrix: y = op(A) x + beta y, unit strides. */
export type Sgemv = (opts: {
  trans: boolean;
  rows: number;
  cols: number;
  a: Float32Array;
  x: Float32Array;
  beta: number;
  y: Float32Array;
}) => void;

/** A loaded OpenBLAS: its sgemm/sgemv and the knobs it exposes at run time. */
export interface OpenBlas {
  /** The soname or path that loaded. */
  readonly library: string;
  readonly sgemm: Sgemm;
  readonly sgemv: Sgemv;
  /** The kernel family OpenBLAS chose (`openblas_get_corename`), e.g. "SkylakeX". */
  coreName(): string;
  setThreads(threads: number): void;
  getThreads(): number;
}

/** Why the native library could not be loaded; `reason` is shown to users as is. */
export class OpenBlasUnavailable extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'OpenBlasUnavailable';
  }
}

// The minimal slice of koffi's API used here. koffi is an optional dependency, so its own types
// may be absent at compile time; this keeps the build independent of whether it installed.
interface KoffiLib {
  func(signature: string): (...args: unknown[]) => unknown;
}
interface Koffi {
  load(path: string): KoffiLib;
}

/** Sonames tried in order: Debian's alternatives link, then the pthread flavour's own path. */
export const OPENBLAS_CANDIDATES = [
  'libopenblas.so.0',
  '/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0',
  'libopenblas.so',
] as const;

const CBLAS_ROW_MAJOR = 101;
const CBLAS_NO_TRANS = 111;
const CBLAS_TRANS = 112;

/**
 * OPENBLAS_THREAD_TIMEOUT, log2 of the CPU cycles an idle OpenBLAS thread spins waiting for the
 * next product before it sleeps: 2^22 (~1.5 ms here) instead of the library's 2^28 (~0.1 s). A
 * model's back-to-back products still find their threads awake, but a thread no longer burns a core
 * through the work between them — the recurrent loops' worker thread (recurrent/split-loops.ts) and
 * V8's own threads need that core: with the default an LSTM step took 49.6 ms against 36.6–40.9
 * with this (bench/step-ab.ts --switch loop-worker; 2^24 and up spin through a layer's loop).
 */
export const THREAD_TIMEOUT_LOG2 = 22;

let cached: OpenBlas | undefined;

function requireKoffi(): Koffi {
  try {
    return createRequire(import.meta.url)('koffi') as Koffi;
  } catch (cause) {
    throw new OpenBlasUnavailable(
      `optional dependency koffi is not installed (${String((cause as Error).message).split('\n')[0]})`,
    );
  }
}

/**
 * Sets variables in the C environment OpenBLAS reads at load time. `process.env` is a private
 * copy inside worker threads, so libc's setenv is the only way that reaches the library there.
 * Existing values win (overwrite 0) unless `force` — a user's explicit OPENBLAS_* stays in force.
 */
function setNativeEnv(koffi: Koffi, vars: Record<string, string>, force: Set<string>): void {
  const setenv = koffi.load('libc.so.6').func('int setenv(const char *, const char *, int)');
  for (const [name, value] of Object.entries(vars)) {
    setenv(name, value, force.has(name) ? 1 : 0);
    if (force.has(name) || process.env[name] === undefined) process.env[name] = value;
  }
}

function bind(koffi: Koffi, library: string): OpenBlas {
  const lib = koffi.load(library);
  const gemm = lib.func(
    'void cblas_sgemm(int, int, int, int, int, int, float, float *, int, float *, int, float, float *, int)',
  );
  const gemv = lib.func(
    'void cblas_sgemv(int, int, int, int, float, float *, int, float *, int, float, float *, int)',
  );
  const corename = lib.func('const char *openblas_get_corename()');
  const setThreads = lib.func('void openblas_set_num_threads(int)');
  const getThreads = lib.func('int openblas_get_num_threads()');
  return {
    library,
    // koffi passes a TypedArray view as a pointer to its first element (byteOffset included)
    // with no copy, so views into the wasm heap or the cpu backend's arrays go straight to BLAS.
    sgemm: (o) =>
      void gemm(
        CBLAS_ROW_MAJOR,
        o.transA ? CBLAS_TRANS : CBLAS_NO_TRANS,
        o.transB ? CBLAS_TRANS : CBLAS_NO_TRANS,
        o.m,
        o.n,
        o.k,
        1,
        o.a,
        o.lda,
        o.b,
        o.ldb,
        o.beta,
        o.c,
        o.ldc,
      ),
    sgemv: (o) =>
      void gemv(
        CBLAS_ROW_MAJOR,
        o.trans ? CBLAS_TRANS : CBLAS_NO_TRANS,
        o.rows,
        o.cols,
        1,
        o.a,
        o.cols,
        o.x,
        1,
        o.beta,
        o.y,
        1,
      ),
    coreName: () => String(corename()),
    setThreads: (n) => void setThreads(n),
    getThreads: () => Number(getThreads()),
  };
}

/** Options for loading OpenBLAS. */
export interface LoadOpenBlasOptions {
  /** `OPENBLAS_CORETYPE` to set before the library initialises; null leaves OpenBLAS to detect. */
  coreType: string | null;
  /** Whether `coreType` overrides an `OPENBLAS_CORETYPE` already in the environment. */
  forceCoreType: boolean;
  /**
   * BLAS threads; also applied at run time when the library is already loaded. null leaves the
   * count alone — for a second thread of a process whose main thread owns it (it is process-wide).
   */
  threads: number | null;
  /** Library paths to try instead of `OPENBLAS_CANDIDATES`. */
  libraries?: readonly string[];
}

/**
 * Loads OpenBLAS once per thread (later calls reuse it and only adjust the thread count).
 * The core type only takes effect on the process's first load: OpenBLAS picks its kernels in its
 * constructor, so callers should read `coreName()` for what is actually in use.
 */
export function loadOpenBlas(opts: LoadOpenBlasOptions): OpenBlas {
  if (cached) {
    if (opts.threads !== null) cached.setThreads(opts.threads);
    return cached;
  }
  const koffi = requireKoffi();
  const vars: Record<string, string> = {
    ...(opts.threads === null ? {} : { OPENBLAS_NUM_THREADS: String(opts.threads) }),
    OPENBLAS_THREAD_TIMEOUT: String(THREAD_TIMEOUT_LOG2),
  };
  if (opts.coreType !== null) vars.OPENBLAS_CORETYPE = opts.coreType;
  setNativeEnv(koffi, vars, new Set(opts.forceCoreType ? ['OPENBLAS_CORETYPE'] : []));
  const errors: string[] = [];
  for (const library of opts.libraries ?? OPENBLAS_CANDIDATES) {
    try {
      cached = bind(koffi, library);
      if (opts.threads !== null) cached.setThreads(opts.threads);
      return cached;
    } catch (cause) {
      errors.push(`${library}: ${String((cause as Error).message).split('\n')[0]}`);
    }
  }
  throw new OpenBlasUnavailable(
    `libopenblas not found (install Debian package libopenblas0-pthread); tried ${errors.join('; ')}`,
  );
}

import { readFileSync } from 'node:fs';

/** OpenBLAS kernel families this path knows how to ask for by name. */
export const CORE_TYPES = ['SkylakeX', 'Haswell'] as const;
/** An OpenBLAS `OPENBLAS_CORETYPE` value this path selects. */
export type CoreType = (typeof CORE_TYPES)[number];

/** The SIMD features that decide which OpenBLAS kernels are safe and fast here. */
export interface CpuFeatures {
  /** AVX-512 Foundation plus the BW/VL/DQ subsets SkylakeX kernels use. */
  readonly avx512: boolean;
  /** AVX2 plus FMA, the Haswell kernel baseline. */
  readonly avx2: boolean;
}

/** Reads SIMD flags from `/proc/cpuinfo` text (the first `flags` line); all false when absent. */
export function parseCpuFlags(cpuinfo: string): CpuFeatures {
  const line = /^flags\s*:(.*)$/m.exec(cpuinfo)?.[1] ?? '';
  const flags = new Set(line.trim().split(/\s+/));
  const avx512 = ['avx512f', 'avx512bw', 'avx512vl', 'avx512dq'].every((f) => flags.has(f));
  return { avx512, avx2: flags.has('avx2') && flags.has('fma') };
}

/** Reads this machine's SIMD flags; all false where `/proc/cpuinfo` cannot be read (non-Linux). */
export function detectCpuFeatures(): CpuFeatures {
  try {
    return parseCpuFlags(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return { avx512: false, avx2: false };
  }
}

/**
 * The OpenBLAS core type for these features, or null when the CPU has neither AVX-512 nor AVX2
 * (then OpenBLAS would not beat the wasm kernels enough to be worth the native dependency).
 */
export function coreTypeFor(features: CpuFeatures): CoreType | null {
  if (features.avx512) return 'SkylakeX';
  if (features.avx2) return 'Haswell';
  return null;
}

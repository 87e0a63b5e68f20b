/**
 * The real DFT and its inverse as fixed matrices, so a spectrum is one matrix product on the
 * backend's matmul (native BLAS where it loads) and its gradient is the matmul's own. The wasm
 * backend has no FFT kernel nor complex tensors, and tfjs-core registers no FFT gradient; for the
 * short windows of these models (L = input_size or label_len + h, a few dozen steps) the O(L²)
 * product costs less than the projections around it.
 *
 * Complex values travel as real/imaginary halves: a spectrum over M chosen frequencies is 2M
 * numbers, the M real parts first, then the M imaginary parts.
 */

/** The rfft bins of a length-L signal, ⌊L/2⌋ + 1, as `torch.fft.rfft` returns. */
export function rfftBins(L: number): number {
  return Math.floor(L / 2) + 1;
}

/** Every rfft bin 0..⌊L/2⌋. */
export function allBins(L: number): number[] {
  return Array.from({ length: rfftBins(L) }, (_, f) => f);
}

/** 2π·(f·t mod L)/L: reducing f·t first keeps float64 rounding at the last bit. */
function angle(f: number, t: number, L: number): number {
  return (2 * Math.PI * ((f * t) % L)) / L;
}

/**
 * The forward basis [L, 2M] for `frequencies` (M of them, default all rfft bins): column m is
 * cos(2πf_m t/L), column M + m is −sin(2πf_m t/L), so x[1, L]·basis = [Re X(f_m) | Im X(f_m)] of
 * `torch.fft.rfft(x)`.
 */
export function rfftMatrix(L: number, frequencies: readonly number[] = allBins(L)): Float32Array {
  const M = frequencies.length;
  const basis = new Float32Array(L * 2 * M);
  for (let t = 0; t < L; t += 1) {
    frequencies.forEach((f, m) => {
      basis[t * 2 * M + m] = Math.cos(angle(f, t, L));
      basis[t * 2 * M + M + m] = -Math.sin(angle(f, t, L));
    });
  }
  return basis;
}

/**
 * The inverse basis [2M, L] of `torch.fft.irfft(X, n=L)` when only the bins `frequencies` of X
 * are non-zero: row m (real part of bin f) is c_f·cos(2πft/L)/L, row M + m (imaginary part) is
 * −c_f·sin(2πft/L)/L, with c_f = 1 for the zero and Nyquist bins (they have no mirror image) and
 * 2 for the others. The sine rows of those two bins are zero, which is irfft's dropping of their
 * imaginary parts. `scale` multiplies every entry (FEDformer divides its spectrum by a constant).
 */
export function irfftMatrix(L: number, frequencies: readonly number[] = allBins(L), scale = 1): Float32Array {
  const M = frequencies.length;
  const basis = new Float32Array(2 * M * L);
  frequencies.forEach((f, m) => {
    if (!Number.isInteger(f) || f < 0 || f >= rfftBins(L)) {
      throw new RangeError(`irfftMatrix: bin ${f} is outside 0..${rfftBins(L) - 1} of a length-${L} signal`);
    }
    const mirrored = f === 0 || 2 * f === L ? 1 : 2;
    const weight = (mirrored * scale) / L;
    for (let t = 0; t < L; t += 1) {
      basis[m * L + t] = weight * Math.cos(angle(f, t, L));
      basis[(M + m) * L + t] = -weight * Math.sin(angle(f, t, L));
    }
  });
  return basis;
}

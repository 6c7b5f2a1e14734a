/**
 * @file The symmetric matrix product (as BLAS's dsyrk): where the compiler has proved C = A·B
 * symmetric (`compiler/symmetric.ts`), the WebAssembly kernel computes only C's register tiles
 * on and above the diagonal and the lower triangle is copied from the upper one.
 *
 * Numerics: an element on or above the diagonal is computed exactly as the full product computes
 * it (the same kernel call on the same tile, summed over k in the same order), so it has the full
 * product's bits. An element below it, C[i, j] with i > j, is C[j, i]: Σ_p A[j, p]·B[p, i] where
 * the full product sums Σ_p A[i, p]·B[p, j]. The two are equal in exact arithmetic (that is what
 * was proved) and differ by rounding: for A = X·diag(u), B = diag(v)·Xᵀ as the compiler forms them,
 * by at most about (k + 2)·ε·Σ_p |X[i, p]|·|u[p]·v[p]|·|X[j, p]| (ε = 2⁻⁵³), unless an
 * intermediate product overflows or underflows. The result is exactly symmetric.
 */
import type { GemmFn } from "./threads.ts";

/**
 * Rows [0, mPad) of C through `gemm`, one row of register tiles (`mr` rows) at a time, each from
 * the strip holding its first diagonal element on: only the tiles on and above the diagonal (about
 * half the work of the full product). `nr` is the width of a strip; the other arguments are
 * `gemm`'s own.
 */
export function gemmUpper(gemm: GemmFn, mr: number, nr: number, a: number, lda: number, aT: number, bp: number, c: number, k: number, ldc: number, mPad: number, strips: number, pack: number): void {
  for (let i0 = 0; i0 < mPad; i0 += mr) gemm(a, lda, aT, bp, c, k, ldc, i0, i0 + mr, Math.floor(i0 / nr), strips, pack);
}

/** C's lower triangle (the `m` × `m` matrix at `off` in `c`, row stride `ld`) copied from its upper one: C[i, j] = C[j, i] for i > j. */
export function mirrorUpper(c: Float64Array, off: number, m: number, ld: number): void {
  for (let i = 1; i < m; i++) {
    const row = off + i * ld;
    for (let j = 0, col = off + i; j < i; j++, col += ld) c[row + j] = c[col]!;
  }
}

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
import { get, I32, i32, instantiate, oneFunctionModule, set, simd, uleb, V128, vec } from "./wasm-encode.ts";

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

/** `mirror(c, m, ld)`: `mirrorUpper` on the matrix at byte address `c` (row stride `ld` bytes) of a memory. */
type MirrorFn = (c: number, m: number, ld: number) => void;

/** Opcodes used below. */
const [BLOCK, LOOP, BR, BR_IF, END, ADD, MUL, GE_U, LT_U, EQZ, F64_LOAD, F64_STORE] = [0x02, 0x03, 0x0c, 0x0d, 0x0b, 0x6a, 0x6c, 0x4f, 0x49, 0x45, 0x2b, 0x39];
const memarg = [0, 0];
/** `i8x16.shuffle` taking the first (`high` false) or the second double of each of two vectors. */
const pairOf = (high: boolean): number[] => {
  const lanes = (from: number) => Array.from({ length: 8 }, (_, t) => from + t);
  return [...simd(13), ...lanes(high ? 8 : 0), ...lanes(high ? 24 : 16)];
};

/**
 * The body of `mirror`: rows taken in pairs (i, i + 1), each 2 × 2 block (j, j + 1) left of the
 * diagonal read as two f64x2 rows of C[j…j+1, i…i+1] and stored transposed, the diagonal block's
 * one element copied, then an odd last row element by element.
 */
function mirrorBody(): number[] {
  const [c, m, ld, i, j, pr, pc, pw, r0, r1] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const code = [
    ...i32(0), ...set(i),
    BLOCK, 0x40, LOOP, 0x40,
    ...get(i), ...i32(1), ADD, ...get(m), GE_U, BR_IF, 1,
    ...get(c), ...get(i), ...get(ld), MUL, ADD, ...set(pr),
    ...get(c), ...get(i), ...i32(8), MUL, ADD, ...set(pc),
    ...get(pr), ...set(pw),
    ...i32(0), ...set(j),
    BLOCK, 0x40, LOOP, 0x40,
    ...get(j), ...get(i), GE_U, BR_IF, 1,
    ...get(pc), ...simd(0), ...memarg, ...set(r0),
    ...get(pc), ...get(ld), ADD, ...simd(0), ...memarg, ...set(r1),
    ...get(pw), ...get(r0), ...get(r1), ...pairOf(false), ...simd(11), ...memarg,
    ...get(pw), ...get(ld), ADD, ...get(r0), ...get(r1), ...pairOf(true), ...simd(11), ...memarg,
    ...get(pc), ...get(ld), ...i32(2), MUL, ADD, ...set(pc),
    ...get(pw), ...i32(16), ADD, ...set(pw),
    ...get(j), ...i32(2), ADD, ...set(j),
    BR, 0, END, END,
    // C[i + 1, i] = C[i, i + 1]; pw is C[i, i] now.
    ...get(pw), ...get(ld), ADD, ...get(pw), F64_LOAD, 3, 8, F64_STORE, 3, 0,
    ...get(i), ...i32(2), ADD, ...set(i),
    BR, 0, END, END,
    // An odd m's last row i = m − 1: C[i, j] = C[j, i], j < i.
    ...get(c), ...get(i), ...get(ld), MUL, ADD, ...set(pw),
    ...get(c), ...get(i), ...i32(8), MUL, ADD, ...set(pc),
    ...i32(0), ...set(j),
    BLOCK, 0x40, LOOP, 0x40,
    ...get(j), ...get(i), GE_U, BR_IF, 1,
    ...get(i), ...get(m), LT_U, EQZ, BR_IF, 1,
    ...get(pw), ...get(pc), F64_LOAD, 3, 0, F64_STORE, 3, 0,
    ...get(pw), ...i32(8), ADD, ...set(pw),
    ...get(pc), ...get(ld), ADD, ...set(pc),
    ...get(j), ...i32(1), ADD, ...set(j),
    BR, 0, END, END,
    END,
  ];
  const locals = vec([[5, I32], [2, V128]]);
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

/** The compiled `mirror` for one memory (its `fn` undefined where it cannot be compiled). */
let compiled: { memory: unknown; fn: MirrorFn | undefined } | undefined;

/**
 * `mirrorUpper` on the matrix at element `off` of `f`, a view of the whole WebAssembly `memory`
 * (shared or not): by a small generated SIMD module importing it (bytes copied as they are, so
 * the same values), else in JavaScript.
 */
export function mirrorInMemory(memory: unknown, shared: boolean, f: Float64Array, off: number, m: number, ld: number): void {
  let entry = compiled;
  if (entry === undefined || entry.memory !== memory) {
    compiled = entry = { memory, fn: instantiate(oneFunctionModule("mirror", 3, mirrorBody(), shared), memory)?.["mirror"] as MirrorFn | undefined };
  }
  const { fn } = entry;
  if (fn !== undefined) fn(off * 8, m, ld * 8);
  else mirrorUpper(f, off, m, ld);
}

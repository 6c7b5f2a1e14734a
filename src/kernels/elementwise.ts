/**
 * @file Elementwise kernels, compiled once per operation from a JS expression so that each loop is
 * monomorphic and free of per-element closure calls.
 */
import type { TypedArray } from "../core/dtype.ts";
import { simdPow, simdUnary, type SimdUnaryName } from "./simd.ts";

export type UnaryKernel = (x: TypedArray, out: TypedArray) => void;
export type BinaryKernel = (x: TypedArray, y: TypedArray, out: TypedArray) => void;
export type TernaryKernel = (c: TypedArray, x: TypedArray, y: TypedArray, out: TypedArray) => void;

/**
 * The body of a loop over `out` that runs `step(k)` (the statements for element `k`, an index
 * expression) for every element, four per pass and then the remainder one at a time: the same
 * operations in the same order as a plain loop (so the same bits, and an output that aliases an
 * operand reads each element before writing it), with a quarter of the loop's tests and
 * branches. On [32, 128] float64 operands not in cache: ≈ 6.8 → 4.7 µs for `a + b`, and ≈ 9.4 → 4.7
 * µs once the loop has also run on other array types (CONTRIBUTING.md, "Eager W7").
 */
function unrolledLoop(step: (k: string) => string): string {
  return (
    `const n = out.length; let i = 0; ` +
    `for (; i + 3 < n; i += 4) { ${step("i")} ${step("i + 1")} ${step("i + 2")} ${step("i + 3")} } ` +
    `for (; i < n; i++) { ${step("i")} }`
  );
}

/** A loop computing `out[i] = expr` with `a = x[i]`; `expr` may use `Math` and the helpers below. */
export function compileUnary(expr: string): UnaryKernel {
  const body = unrolledLoop((k) => `{ const a = x[${k}]; out[${k}] = ${expr}; }`);
  return new Function("H", `return function(x, out) { ${body} };`)(helpers) as UnaryKernel;
}

/**
 * Float64 arrays at least this long go to the WebAssembly SIMD kernels (`simd.ts`); shorter ones
 * stay in the JavaScript loop, whose call costs less than the copies in and out (bench/simd.ts:
 * for exp the two are even at about 64 elements, and the kernel is ahead from 256).
 */
export const SIMD_MIN_LENGTH = 256;

/**
 * `compileUnary(expr)`, except that float64 arrays of `SIMD_MIN_LENGTH` elements or more are
 * computed by the SIMD kernel `simd` (within 1 ulp, where V8's `Math` functions are within 1–2):
 * one length and type check per call, nothing per element.
 */
export function compileUnarySimd(expr: string, simd: SimdUnaryName): UnaryKernel {
  const js = compileUnary(expr);
  return (x, out) => {
    if (out.length >= SIMD_MIN_LENGTH && x instanceof Float64Array && out instanceof Float64Array && simdUnary(simd, x, out)) return;
    js(x, out);
  };
}

/** A loop computing `out[i] = expr` with `a = x[i]`, `b = y[i]`. */
export function compileBinary(expr: string): BinaryKernel {
  const body = unrolledLoop((k) => `{ const a = x[${k}], b = y[${k}]; out[${k}] = ${expr}; }`);
  return new Function("H", `return function(x, y, out) { ${body} };`)(helpers) as BinaryKernel;
}

/** `compileBinary("Math.pow(a, b)")` with long float64 operands on the SIMD pow (as `compileUnarySimd`). */
export function compilePowSimd(expr: string): BinaryKernel {
  const js = compileBinary(expr);
  return (x, y, out) => {
    if (
      out.length >= SIMD_MIN_LENGTH &&
      x instanceof Float64Array &&
      y instanceof Float64Array &&
      out instanceof Float64Array &&
      x.length === out.length &&
      y.length === out.length &&
      simdPow(x, y, out)
    ) {
      return;
    }
    js(x, y, out);
  };
}

/** Scalar helpers that kernels' expressions call as `H.name(…)`. */
export const helpers = {
  /** Round half to even, as NumPy's `round`/`rint`. */
  rint(a: number): number {
    const r = Math.round(a);
    return Math.abs(a % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
  sign(a: number): number {
    return a > 0 ? 1 : a < 0 ? -1 : a === 0 ? 0 : NaN;
  },
  /** σ(a) = 1/(1 + e⁻ᵃ) from e^(−|a|) ≤ 1, so neither tail overflows (the `logistic` primitive's kernel). */
  logistic(a: number): number {
    const e = Math.exp(-Math.abs(a));
    return a >= 0 ? 1 / (1 + e) : e / (1 + e);
  },
  /** Python's floor modulo: the result has the sign of the divisor. */
  floorMod(a: number, b: number): number {
    const r = a % b;
    return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
  },
};

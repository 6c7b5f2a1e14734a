/**
 * @file The logistic function σ(x) = 1/(1 + e⁻ˣ) as one primitive (JAX's `lax.logistic`), behind
 * `scipy.special.expit` and `nn.sigmoid`: one pass over the data instead of the six of its
 * composition, long float64 arrays on the WebAssembly SIMD kernel.
 */
import type { NDArray } from "../core/ndarray.ts";
import { bind1 } from "../core/trace.ts";
import type { Primitive } from "../core/primitive.ts";
import { mul } from "./binary.ts";
import { elementwise, exprKernel, NO_PARAMS } from "./elementwise.ts";
import { neg } from "./unary.ts";

type Empty = Record<string, never>;

/**
 * σ(x) elementwise on real floats (the numpy layer promotes integers first; complex operands are a
 * `TypeError` naming it). The kernel is `H.logistic` (kernels/elementwise.ts): from e^(−|x|) ≤ 1,
 * 1/(1 + e) for x ≥ 0 and e/(1 + e) below, so neither tail overflows and σ(x) keeps its relative
 * accuracy down to the smallest subnormal (σ(−745) = 5e-324); float64 arrays of 256 elements or
 * more run on the SIMD `sigmoid` kernel (within 1 ulp). The derivative is σ(x)·σ(−x), which stays
 * accurate where σ(x) rounds to 1 (JAX's σ·(1 − σ) is 0 there: at x = 40 this gives 4.25e-18).
 */
export const logisticP: Primitive<Empty> = elementwise<Empty>({
  name: "logistic",
  kernel: exprKernel(1, "H.logistic(a)", "sigmoid"),
  jvp: ([x], [t], [out]) => [mul(t!, mul(out!, logistic(neg(x!))))],
});

/**
 * σ(x) = 1/(1 + e⁻ˣ) of a real float array, the primitive behind `scipy.special.expit` and
 * `nn.sigmoid` (which also take array-likes and promote integers).
 * @example
 * nn.sigmoid([-40, 0, 40]); // [4.248354255291589e-18, 0.5, 1]
 */
export const logistic = (x: NDArray): NDArray => bind1(logisticP, [x], NO_PARAMS);

/**
 * @file Elementwise functions of one float argument. Each JVP rule is the derivative times the
 * tangent, written with primitives, so higher derivatives need no extra code.
 */
import { ConcreteArray, type NDArray } from "../core/ndarray.ts";
import { bind, bind1, bindUnchecked } from "../core/trace.ts";
import { definePrimitive, type Primitive } from "../core/primitive.ts";
import { add, div, mul, sub, fullLike } from "./binary.ts";
import { elementwise, exprKernel, linearJvp, NO_PARAMS, releaseScratch, type ElementwiseKernel } from "./elementwise.ts";
import type { SimdUnaryName } from "../kernels/simd.ts";
import { complexUnaryKernels, type ComplexUnaryName } from "../kernels/complex-math.ts";
import { allocateUninitialized, isComplex, realDtype } from "../core/dtype.ts";
import { compileUnary, type UnaryKernel } from "../kernels/elementwise.ts";
import { absComplex } from "../kernels/complex.ts";
import { eq, select } from "./compare.ts";
import { convert } from "./structural.ts";
import { conj, real } from "./complex.ts";

type Empty = Record<string, never>;
type D = (x: NDArray, t: NDArray, out: NDArray) => NDArray;

/**
 * The unary primitives whose long float64 operands run on the WebAssembly SIMD kernel of the same
 * name (`kernels/simd.ts`): exp, expm1, tanh, log, sin and cos, which it computes 1.1–3× faster
 * than `Math` (bench/simd.ts; sin and cos gain most on large arguments). Its log1p measured as
 * fast as V8's `Math.log1p`, so it is not used here.
 */
const SIMD_UNARY: ReadonlySet<string> = new Set<SimdUnaryName>(["exp", "expm1", "tanh", "log", "sin", "cos"]);

/** The complex kernel of a unary primitive (kernels/complex-math.ts), on interleaved storage. */
const complexKernel =
  (name: ComplexUnaryName): ElementwiseKernel<Empty> =>
  ([x], out) =>
    complexUnaryKernels[name](x!.data as Float64Array | Float32Array, out as Float64Array | Float32Array, x!.size);

/**
 * A float → float elementwise primitive from a kernel expression (in `a`) and its derivative rule
 * (long float64 arrays on the SIMD kernel where `SIMD_UNARY` names one); with `complex`, also
 * defined on complex values (the rule is then the complex derivative f′(z)·dz, so it must hold for
 * complex z as written — it does for the holomorphic functions here).
 */
const unary = (name: string, expr: string, jvp: D | "zero", complex?: ComplexUnaryName): Primitive<Empty> =>
  elementwise<Empty>({
    name,
    kernel: exprKernel(1, expr, SIMD_UNARY.has(name) ? (name as SimdUnaryName) : undefined),
    ...(complex === undefined ? {} : { complexKernel: complexKernel(complex) }),
    jvp: jvp === "zero" ? () => [null] : ([x], [t], [out]) => [jvp(x!, t!, out!)],
  });

const apply = (p: Primitive<Empty>) => (x: NDArray): NDArray => bind1(p, [x], NO_PARAMS);
const k = fullLike;

// −x is linear: its JVP is itself applied to the tangent, its transpose is itself.
export const negP: Primitive<Empty> = elementwise<Empty>({
  name: "neg",
  kernel: exprKernel(1, "-a"),
  // Negating every slot negates both parts.
  complexKernel: exprKernel(1, "-a"),
  jvp: linearJvp(() => negP),
  transpose: ([ct]) => [neg(ct!)],
});
export const neg = apply(negP);

export const expP = unary("exp", "Math.exp(a)", (_, t, out) => mul(t, out), "exp"); // d eˣ = eˣ dx
export const logP = unary("log", "Math.log(a)", (x, t) => div(t, x), "log"); // d log x = dx / x
export const sinP = unary("sin", "Math.sin(a)", (x, t) => mul(t, cos(x)), "sin");
export const cosP = unary("cos", "Math.cos(a)", (x, t) => neg(mul(t, sin(x))), "cos");
/**
 * `combine(1, out²)` for the derivatives of tan and tanh; its two intermediates are pooled when
 * `out` is eager. An eager float64 `out` (a plain concrete array, so a constant to every
 * transformation active, and no checking `bind`) takes one pass of `fused` instead, `1 ± a·a` per
 * element: the same bits (each of the two operations rounded, as by the primitives), a third of the
 * passes over memory and no array of ones (eager W7: 100 tanh derivatives of [32, 128] per call).
 */
function fromSquare(out: NDArray, combine: (one: NDArray, square: NDArray) => NDArray, fused: UnaryKernel): NDArray {
  if (bind === bindUnchecked && out instanceof ConcreteArray && out.constructor === ConcreteArray && out.dtype === "float64") {
    const d = allocateUninitialized(out.data.length);
    fused(out.data, d);
    return new ConcreteArray(d, out.shape, "float64");
  }
  const one = k(out, 1);
  const square = mul(out, out);
  const d = combine(one, square);
  releaseScratch([out], [one, square]);
  return d;
}
const onePlusSquare = compileUnary("1 + a * a");
const oneMinusSquare = compileUnary("1 - a * a");
export const tanP = unary("tan", "Math.tan(a)", (_, t, out) => mul(t, fromSquare(out, add, onePlusSquare)), "tan"); // 1 + tan²
export const tanhP = unary("tanh", "Math.tanh(a)", (_, t, out) => mul(t, fromSquare(out, sub, oneMinusSquare)), "tanh"); // 1 − tanh²
export const sqrtP = unary("sqrt", "Math.sqrt(a)", (_, t, out) => div(t, mul(k(out, 2), out)), "sqrt"); // dx / 2√x
// abs'(0) = 0, as autograd. For complex z, |z| is real and d|z| = Re(conj(z)·dz) / |z| (0 at z = 0).
export const absP: Primitive<Empty> = elementwise<Empty>({
  name: "abs",
  kernel: exprKernel(1, "Math.abs(a)"),
  complexKernel: ([x], out) => absComplex(x!.data, out),
  outDtype: ([x]) => realDtype(x!.dtype),
  jvp: ([x], [t], [out]) => {
    if (!isComplex(x!.dtype)) return [mul(t!, sign(x!))];
    const safe = select(eq(out!, k(out!, 0)), k(out!, 1), out!);
    return [real(mul(t!, div(conj(x!), convert(safe, x!.dtype))))];
  },
});
// Zero derivative also for complex z (JAX's convention), though z/|z| moves with arg z.
export const signP = unary("sign", "H.sign(a)", "zero", "sign");
export const log1pP = unary("log1p", "Math.log1p(a)", (x, t) => div(t, add(k(x, 1), x)), "log1p");
export const expm1P = unary("expm1", "Math.expm1(a)", (_, t, out) => mul(t, add(out, k(out, 1))), "expm1");
export const sinhP = unary("sinh", "Math.sinh(a)", (x, t) => mul(t, cosh(x)), "sinh");
export const coshP = unary("cosh", "Math.cosh(a)", (x, t) => mul(t, sinh(x)), "cosh");
// d arcsin x = dx / √(1 − x²); d arccos x = −dx / √(1 − x²); d arctan x = dx / (1 + x²)
export const arcsinP = unary("arcsin", "Math.asin(a)", (x, t) => div(t, sqrt(sub(k(x, 1), mul(x, x)))), "arcsin");
export const arccosP = unary("arccos", "Math.acos(a)", (x, t) => neg(div(t, sqrt(sub(k(x, 1), mul(x, x))))), "arccos");
export const arctanP = unary("arctan", "Math.atan(a)", (x, t) => div(t, add(k(x, 1), mul(x, x))), "arctan");
// d arcsinh x = dx / √(x² + 1); d arccosh x = dx / √(x² − 1); d arctanh x = dx / (1 − x²)
export const arcsinhP = unary("arcsinh", "Math.asinh(a)", (x, t) => div(t, sqrt(add(mul(x, x), k(x, 1)))), "arcsinh");
// For complex z, d arccosh z = dz / (√(z − 1)·√(z + 1)): √(z² − 1) has the wrong sign for Re z < 0.
export const arccoshP = unary(
  "arccosh",
  "Math.acosh(a)",
  (x, t) => (isComplex(x.dtype) ? div(t, mul(sqrt(sub(x, k(x, 1))), sqrt(add(x, k(x, 1))))) : div(t, sqrt(sub(mul(x, x), k(x, 1))))),
  "arccosh",
);
export const arctanhP = unary("arctanh", "Math.atanh(a)", (x, t) => div(t, sub(k(x, 1), mul(x, x))), "arctanh");
export const cbrtP = unary("cbrt", "Math.cbrt(a)", (_, t, out) => div(t, mul(k(out, 3), mul(out, out))));
export const floorP = unary("floor", "Math.floor(a)", "zero");
export const ceilP = unary("ceil", "Math.ceil(a)", "zero");
export const roundP = unary("round", "H.rint(a)", "zero");
export const truncP = unary("trunc", "Math.trunc(a)", "zero");

export const exp = apply(expP);
export const log = apply(logP);
export const sin = apply(sinP);
export const cos = apply(cosP);
export const tan = apply(tanP);
export const tanh = apply(tanhP);
export const sqrt = apply(sqrtP);
export const abs = apply(absP);
export const sign = apply(signP);
export const log1p = apply(log1pP);
export const expm1 = apply(expm1P);
export const sinh = apply(sinhP);
export const cosh = apply(coshP);
export const arcsin = apply(arcsinP);
export const arccos = apply(arccosP);
export const arctan = apply(arctanP);
export const arcsinh = apply(arcsinhP);
export const arccosh = apply(arccoshP);
export const arctanh = apply(arctanhP);
export const cbrt = apply(cbrtP);
export const floor = apply(floorP);
export const ceil = apply(ceilP);
export const round = apply(roundP);
export const trunc = apply(truncP);

/** The identity whose derivative is zero: blocks differentiation through `x`. */
export const stopGradientP = definePrimitive<Record<string, never>>({
  name: "stopGradient",
  impl: ([x]) => [x!],
  abstractEval: ([x]) => [x!],
  jvp: () => [null],
  transpose: "nonlinear",
  batch: ([x], [d]) => [[stopGradient(x!)], [d!]],
});
export const stopGradient = apply(stopGradientP);

// d 2ˣ = ln 2 · 2ˣ dx; d log₂ x = dx / (x ln 2); d log₁₀ x = dx / (x ln 10). Kept primitives (not
// exp(x ln 2), log(x) / ln 2) so that exp2(3) is 8 and log2(8) is 3 exactly.
export const exp2P = unary("exp2", "Math.pow(2, a)", (_, t, out) => mul(t, mul(out, k(out, Math.LN2))), "exp2");
export const log2P = unary("log2", "Math.log2(a)", (x, t) => div(t, mul(x, k(x, Math.LN2))), "log2");
export const log10P = unary("log10", "Math.log10(a)", (x, t) => div(t, mul(x, k(x, Math.LN10))), "log10");
export const exp2 = apply(exp2P);
export const log2 = apply(log2P);
export const log10 = apply(log10P);

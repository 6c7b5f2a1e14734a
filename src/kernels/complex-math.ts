/**
 * @file Elementwise complex kernels on interleaved storage (re, im, re, im, …): one loop per
 * function over `n` complex elements, calling the scalar functions of complex-scalar.ts and
 * complex-trig.ts. complex64 data (Float32Array) is computed in double precision and rounded once.
 */
import * as S from "./complex-scalar.ts";
import * as T from "./complex-trig.ts";

/** `out[k] = f(x[k])` for the first `n` complex elements of interleaved arrays. */
export type ComplexUnaryKernel = (x: Float64Array | Float32Array, out: Float64Array | Float32Array, n: number) => void;
/** `out[k] = f(x[k], y[k])` for the first `n` complex elements of interleaved arrays. */
export type ComplexBinaryKernel = (
  x: Float64Array | Float32Array,
  y: Float64Array | Float32Array,
  out: Float64Array | Float32Array,
  n: number,
) => void;

type Scalar = (re: number, im: number) => void;
type Scalar2 = (a: number, b: number, c: number, d: number) => void;

/**
 * A loop over one scalar function. Built with `new Function` so each kernel is its own function
 * (its call site sees one target and inlines it), not one shared loop calling many targets; the
 * name makes each source distinct, since V8 shares the compiled code, and with it the call-site
 * feedback, of identical sources (measured: complex sin 5× slower without it).
 */
function unaryLoop(name: string, f: Scalar): ComplexUnaryKernel {
  return new Function(
    "f",
    "R",
    `return function complex_${name}(x, out, n) { for (let k = 0; k < 2 * n; k += 2) { f(x[k], x[k + 1]); out[k] = R.re; out[k + 1] = R.im; } };`,
  )(f, S.R) as ComplexUnaryKernel;
}

function binaryLoop(name: string, f: Scalar2): ComplexBinaryKernel {
  return new Function(
    "f",
    "R",
    `return function complex_${name}(x, y, out, n) { for (let k = 0; k < 2 * n; k += 2) { f(x[k], x[k + 1], y[k], y[k + 1]); out[k] = R.re; out[k + 1] = R.im; } };`,
  )(f, S.R) as ComplexBinaryKernel;
}

/**
 * The complex unary kernels by NumPy name. Branch cuts as NumPy's (C99's): log, sqrt, log1p, and
 * the fractional powers along the negative reals; arcsin, arccos, arctanh along the reals outside
 * [−1, 1]; arcsinh, arctan along the imaginary axis outside [−i, i]; arccosh along (−∞, 1]. On a
 * cut the sign of the zero imaginary (or real) part picks the side.
 */
export const complexUnaryKernels = {
  exp: unaryLoop("exp", S.cexp),
  expm1: unaryLoop("expm1", S.cexpm1),
  exp2: unaryLoop("exp2", S.cexp2),
  log: unaryLoop("log", S.clog),
  log2: unaryLoop("log2", S.clog2),
  log10: unaryLoop("log10", S.clog10),
  log1p: unaryLoop("log1p", S.clog1p),
  sqrt: unaryLoop("sqrt", S.csqrt),
  square: unaryLoop("square", S.csquare),
  reciprocal: unaryLoop("reciprocal", S.creciprocal),
  sign: unaryLoop("sign", S.csign),
  sin: unaryLoop("sin", T.csin),
  cos: unaryLoop("cos", T.ccos),
  tan: unaryLoop("tan", T.ctan),
  arcsin: unaryLoop("arcsin", T.casin),
  arccos: unaryLoop("arccos", T.cacos),
  arctan: unaryLoop("arctan", T.catan),
  sinh: unaryLoop("sinh", T.csinh),
  cosh: unaryLoop("cosh", T.ccosh),
  tanh: unaryLoop("tanh", T.ctanh),
  arcsinh: unaryLoop("arcsinh", T.casinh),
  arccosh: unaryLoop("arccosh", T.cacosh),
  arctanh: unaryLoop("arctanh", T.catanh),
} satisfies Record<string, ComplexUnaryKernel>;

export type ComplexUnaryName = keyof typeof complexUnaryKernels;

/**
 * z^w elementwise (NumPy's `power` on complex): w = 0 gives 1; 0^w is 0 for Re w > 0, NaN
 * otherwise; integer w with |w| < 100 by repeated squaring; else e^{w log z}.
 */
export const complexPower: ComplexBinaryKernel = binaryLoop("power", S.cpow);

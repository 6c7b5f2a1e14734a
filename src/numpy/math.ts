/** @file Elementwise NumPy functions: broadcasting and dtype handling around the primitives. */
import type { NDArray, ArrayLike } from "./ndarray.ts";
import { prepare } from "./broadcast.ts";
import { asarray } from "./creation.ts";
import * as u from "../primitives/unary.ts";
import * as b from "../primitives/binary.ts";
import * as c from "../primitives/compare.ts";
import { convert } from "../primitives/structural.ts";
import { isFloat } from "./dtype.ts";

type Un = (x: NDArray) => NDArray;
type Bin = (x: NDArray, y: NDArray) => NDArray;

/** A float function of one argument (integers and bools are promoted to float64). */
const floatFn = (name: string, f: Un) => (x: ArrayLike): NDArray => f(prepare(`np.${name}`, [x], true)[0]!);
/** A function of one argument that keeps the dtype. */
const sameFn = (name: string, f: Un) => (x: ArrayLike): NDArray => f(prepare(`np.${name}`, [x])[0]!);
/** A broadcasting function of two arguments. */
const binFn = (name: string, f: Bin, floatOnly = false) => (x: ArrayLike, y: ArrayLike): NDArray => {
  const [a, bb] = prepare(`np.${name}`, [x, y], floatOnly);
  return f(a!, bb!);
};

export const add = binFn("add", b.add);
export const subtract = binFn("subtract", b.sub);
export const multiply = binFn("multiply", b.mul);
export const divide = binFn("divide", b.div, true);
export const trueDivide = divide;
export const power = binFn("power", b.pow);
export const maximum = binFn("maximum", b.max);
export const minimum = binFn("minimum", b.min);
export const arctan2 = binFn("arctan2", b.atan2, true);
export const mod = binFn("mod", b.mod);
export const remainder = mod;
export const fmod = binFn("fmod", b.fmod);
export const negative = sameFn("negative", u.neg);
export const positive = sameFn("positive", (x) => x);

export const exp = floatFn("exp", u.exp);
export const log = floatFn("log", u.log);
export const sin = floatFn("sin", u.sin);
export const cos = floatFn("cos", u.cos);
export const tan = floatFn("tan", u.tan);
export const tanh = floatFn("tanh", u.tanh);
export const sinh = floatFn("sinh", u.sinh);
export const cosh = floatFn("cosh", u.cosh);
export const arcsin = floatFn("arcsin", u.arcsin);
export const arccos = floatFn("arccos", u.arccos);
export const arctan = floatFn("arctan", u.arctan);
export const arcsinh = floatFn("arcsinh", u.arcsinh);
export const arccosh = floatFn("arccosh", u.arccosh);
export const arctanh = floatFn("arctanh", u.arctanh);
export const sqrt = floatFn("sqrt", u.sqrt);
export const cbrt = floatFn("cbrt", u.cbrt);
export const log1p = floatFn("log1p", u.log1p);
export const expm1 = floatFn("expm1", u.expm1);
export const abs = sameFn("abs", u.abs);
export const absolute = abs;
export const sign = sameFn("sign", u.sign);
export const floor = sameFn("floor", (x) => (isFloat(x.dtype) ? u.floor(x) : x));
export const ceil = sameFn("ceil", (x) => (isFloat(x.dtype) ? u.ceil(x) : x));
const roundHalfEven = sameFn("round", (x) => (isFloat(x.dtype) ? u.round(x) : x));

/**
 * `np.round(x, {decimals})`: half to even, as NumPy; with `decimals`, NumPy's own recipe
 * rint(x·10ᵈ)/10ᵈ. Its derivative is zero.
 * @example
 * np.round([0.5, 1.5, 2.675], { decimals: 0 }); // [0, 2, 3]
 */
export function round(x: ArrayLike, opts: { decimals?: number } = {}): NDArray {
  const d = opts.decimals ?? 0;
  if (d === 0) return roundHalfEven(x);
  const scale = 10 ** d;
  return divide(roundHalfEven(multiply(x, scale)), scale);
}
export const rint = (x: ArrayLike): NDArray => roundHalfEven(x);
export const around = round;
export const trunc = sameFn("trunc", (x) => (isFloat(x.dtype) ? u.trunc(x) : x));
export const fix = trunc;

export const square = (x: ArrayLike): NDArray => {
  const a = prepare("np.square", [x])[0]!;
  return b.mul(a, a);
};
export const reciprocal = (x: ArrayLike): NDArray => divide(1, x);

export const equal = binFn("equal", c.eq);
export const notEqual = binFn("notEqual", c.ne);
export const less = binFn("less", c.lt);
export const lessEqual = binFn("lessEqual", c.le);
export const greater = binFn("greater", c.gt);
export const greaterEqual = binFn("greaterEqual", c.ge);
export const logicalAnd = binFn("logicalAnd", c.and);
export const logicalOr = binFn("logicalOr", c.or);
export const logicalXor = binFn("logicalXor", c.xor);
export const logicalNot = (x: ArrayLike): NDArray => c.not(asarray(x, undefined, "np.logicalNot", "x"));
export const isnan = (x: ArrayLike): NDArray => c.isnan(asarray(x, undefined, "np.isnan", "x"));
export const isinf = (x: ArrayLike): NDArray => c.isinf(asarray(x, undefined, "np.isinf", "x"));
export const isfinite = (x: ArrayLike): NDArray => c.isfinite(asarray(x, undefined, "np.isfinite", "x"));

/** `np.where(cond, x, y)`: elements of `x` where `cond` holds, else of `y`; all three broadcast. */
export function where(cond: ArrayLike, x: ArrayLike, y: ArrayLike): NDArray {
  const cnd = asarray(cond, undefined, "np.where", "condition");
  const [cc, a, bb] = prepare("np.where", [convert(cnd, "bool"), x, y], false, ["condition", "x", "y"]);
  // prepare promoted the condition with the values; take it back to bool.
  return c.select(convert(cc!, "bool"), a!, bb!);
}

/** `np.clip(x, lo, hi)`: the derivative is 1 strictly inside and 0 outside, as `maximum`/`minimum` give. */
export const clip = (x: ArrayLike, lo: ArrayLike | null, hi: ArrayLike | null): NDArray => {
  if (lo === null && hi === null) throw new TypeError("np.clip: one of lo and hi must be given (not both null)");
  const low = lo === null ? asarray(x, undefined, "np.clip", "a") : maximum(x, lo);
  return hi === null ? low : minimum(low, hi);
};

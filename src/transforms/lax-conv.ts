/**
 * @file `lax.dotGeneral`, `lax.convGeneralDilated` and `lax.reduceWindow` as JAX spells them:
 * argument checking, JAX's dimension numbers and padding strings, then the primitives.
 */
import type { ArrayLike, NDArray } from "../core/ndarray.ts";
import { isFloat, promote, type DType } from "../core/dtype.ts";
import { ShapeError, fmtShape } from "../core/errors.ts";
import { dotGeneral as dotGeneralPrim } from "../primitives/contraction.ts";
import { conv, dilateDim } from "../primitives/conv.ts";
import { convert, inversePerm, reshape, slice, transpose, unsliceP } from "../primitives/structural.ts";
import { bind1 } from "../core/trace.ts";
import { zerosConcrete } from "../core/ndarray.ts";
import { asarray, full } from "../numpy/creation.ts";
import { requireStatic } from "../numpy/static-args.ts";
import { pad } from "../numpy/pad.ts";
import { stack } from "../numpy/shape.ts";
import { takeAlongAxis } from "../numpy/indexing-fns.ts";
import { argmax, argmin, sum } from "../numpy/reductions.ts";
import { add, maximum, minimum } from "../numpy/math.ts";
import { where } from "../numpy/logic.ts";

const isIntList = (xs: unknown): xs is number[] => Array.isArray(xs) && xs.every((x) => Number.isInteger(x));

function checkAxes(op: string, arg: string, axes: unknown, ndim: number, shape: readonly number[]): number[] {
  if (!isIntList(axes)) throw new TypeError(`${op}: ${arg} must be a list of integer axes, got ${JSON.stringify(axes)}`);
  const norm = axes.map((a) => {
    if (a < -ndim || a >= ndim) throw new ShapeError(`${op}: ${arg} axis ${a} is out of range for an operand of shape ${fmtShape(shape)}`);
    return a < 0 ? a + ndim : a;
  });
  if (new Set(norm).size !== norm.length) throw new ShapeError(`${op}: ${arg} repeats an axis: ${JSON.stringify(axes)}`);
  return norm;
}

/** The common float dtype of two operands (ints and bools become float64, as a float computation). */
function floatPair(a: NDArray, b: NDArray): [NDArray, NDArray] {
  const p = promote(a.dtype, b.dtype);
  const dt: DType = isFloat(p) ? p : "float64";
  return [convert(a, dt), convert(b, dt)];
}

/** JAX's `dimension_numbers` of `dot_general`: `[[lhsContracting, rhsContracting], [lhsBatch, rhsBatch]]`. */
export type DotDimensionNumbers = readonly [readonly [readonly number[], readonly number[]], readonly [readonly number[], readonly number[]]];

/**
 * `lax.dot_general`: contracts `lhs` and `rhs` over the contracting axes, matching the batch axes
 * pairwise. The result is laid out [batch…, lhs free…, rhs free…], as JAX's.
 * @example
 * const a = np.ones([2, 3, 4]), b = np.ones([2, 4, 5]);
 * lax.dotGeneral(a, b, [[[2], [1]], [[0], [0]]]).shape; // [2, 3, 5]
 */
export function dotGeneral(lhs: ArrayLike, rhs: ArrayLike, dimensionNumbers: DotDimensionNumbers): NDArray {
  const op = "lax.dotGeneral";
  const l = asarray(lhs, undefined, op, "lhs");
  const r = asarray(rhs, undefined, op, "rhs");
  const dn = dimensionNumbers as unknown;
  const pairOk = (x: unknown) => Array.isArray(x) && x.length === 2;
  if (!pairOk(dn) || !pairOk((dn as unknown[])[0]) || !pairOk((dn as unknown[])[1])) {
    throw new TypeError(`${op}: dimension_numbers must be [[lhsContracting, rhsContracting], [lhsBatch, rhsBatch]], got ${JSON.stringify(dn)}`);
  }
  const [[lc0, rc0], [lb0, rb0]] = dimensionNumbers;
  const lc = checkAxes(op, "lhs contracting", lc0, l.ndim, l.shape);
  const rc = checkAxes(op, "rhs contracting", rc0, r.ndim, r.shape);
  const lb = checkAxes(op, "lhs batch", lb0, l.ndim, l.shape);
  const rb = checkAxes(op, "rhs batch", rb0, r.ndim, r.shape);
  const sizes = (x: NDArray, axes: number[]) => axes.map((a) => x.shape[a]!);
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  const describe = `lhs ${fmtShape(l.shape)} and rhs ${fmtShape(r.shape)}`;
  if (!same(sizes(l, lc), sizes(r, rc))) {
    throw new ShapeError(`${op}: contracting axes ${JSON.stringify(lc)} of lhs and ${JSON.stringify(rc)} of rhs differ in size (${describe})`);
  }
  if (!same(sizes(l, lb), sizes(r, rb))) {
    throw new ShapeError(`${op}: batch axes ${JSON.stringify(lb)} of lhs and ${JSON.stringify(rb)} of rhs differ in size (${describe})`);
  }
  if (lc.some((a) => lb.includes(a)) || rc.some((a) => rb.includes(a))) {
    throw new ShapeError(`${op}: an axis is both contracting and batch (${describe}, dimension_numbers ${JSON.stringify(dn)})`);
  }
  const [a, b] = floatOrSame(l, r);
  return dotGeneralPrim(a, b, { lhsContract: lc, rhsContract: rc, lhsBatch: lb, rhsBatch: rb });
}

/** Integer operands stay integer for a product (as `np.matmul`); mixed ones promote. */
function floatOrSame(a: NDArray, b: NDArray): [NDArray, NDArray] {
  const p = promote(a.dtype, b.dtype);
  const dt: DType = p === "bool" ? "int32" : p;
  return [convert(a, dt), convert(b, dt)];
}

/** JAX's `dimension_numbers` of a convolution: layout strings such as `["NHWC", "HWIO", "NHWC"]`. */
export type ConvDimensionNumbers = readonly [string, string, string];

type PaddingName = "SAME" | "SAME_LOWER" | "VALID";

/** Padding: `"SAME"`, `"SAME_LOWER"`, `"VALID"` (any case, as JAX), or a `[low, high]` pair per spatial axis. */
export type Padding = PaddingName | Lowercase<PaddingName> | readonly (readonly [number, number])[];

export interface ConvOptions {
  readonly lhsDilation?: readonly number[];
  readonly rhsDilation?: readonly number[];
  readonly dimensionNumbers?: ConvDimensionNumbers | null;
  readonly featureGroupCount?: number;
  readonly batchGroupCount?: number;
}

const CONV_KEYS = ["lhsDilation", "rhsDilation", "dimensionNumbers", "featureGroupCount", "batchGroupCount"];

/**
 * The permutations taking each operand to the canonical layout ([N, C, spatial…], [O, I,
 * spatial…], [N, C, spatial…]), spatial axes in the order of the kernel spec, as JAX's
 * `conv_general_permutations`.
 */
function convPerms(op: string, dn: ConvDimensionNumbers | null | undefined, ndim: number): [number[], number[], number[]] {
  const iota = [...Array(ndim).keys()];
  if (dn === null || dn === undefined) return [iota, iota, iota];
  if (!Array.isArray(dn) || dn.length !== 3 || !dn.every((s) => typeof s === "string")) {
    throw new TypeError(`${op}: dimensionNumbers must be three layout strings such as ["NHWC", "HWIO", "NHWC"], got ${JSON.stringify(dn)}`);
  }
  const [lhsSpec, rhsSpec, outSpec] = dn;
  const check = (spec: string, which: string, a: string, b: string) => {
    const ok = spec.length === ndim && spec.includes(a) && spec.includes(b) && new Set(spec).size === spec.length;
    if (!ok) {
      throw new ShapeError(`${op}: ${which} layout '${spec}' must name each of the ${ndim} axes once, with '${a}' and '${b}'`);
    }
  };
  check(lhsSpec, "lhs", "N", "C");
  check(rhsSpec, "rhs", "O", "I");
  check(outSpec, "out", "N", "C");
  const spatial = [...rhsSpec].filter((c) => c !== "O" && c !== "I");
  const perm = (spec: string, which: string, a: string, b: string) => {
    const sp = spatial.map((c) => spec.indexOf(c));
    if (sp.some((i) => i < 0) || [...spec].some((c) => c !== a && c !== b && !spatial.includes(c))) {
      throw new ShapeError(`${op}: ${which} layout '${spec}' has spatial axes other than the kernel's '${spatial.join("")}'`);
    }
    return [spec.indexOf(a), spec.indexOf(b), ...sp];
  };
  return [perm(lhsSpec, "lhs", "N", "C"), perm(rhsSpec, "rhs", "O", "I"), perm(outSpec, "out", "N", "C")];
}

/** Padding pairs from a padding string, as JAX's `padtype_to_pads` (window sizes already dilated). */
function padPairs(op: string, padding: Padding, inShape: readonly number[], window: readonly number[], strides: readonly number[]): [number, number][] {
  if (typeof padding === "string") {
    const kind = padding.toUpperCase();
    if (kind === "VALID") return inShape.map(() => [0, 0]);
    if (kind === "SAME" || kind === "SAME_LOWER") {
      return inShape.map((n, d) => {
        const out = Math.ceil(n / strides[d]!);
        const total = Math.max(0, (out - 1) * strides[d]! + window[d]! - n);
        const small = Math.floor(total / 2);
        return kind === "SAME" ? [small, total - small] : [total - small, small];
      });
    }
    throw new TypeError(`${op}: padding '${padding}' is not one of 'SAME', 'SAME_LOWER', 'VALID' or a list of [low, high] pairs`);
  }
  const ok = Array.isArray(padding) && padding.length === inShape.length && padding.every((p) => isIntList(p) && p.length === 2);
  if (!ok) {
    throw new TypeError(`${op}: padding must be 'SAME', 'VALID' or ${inShape.length} [low, high] integer pairs (one per spatial axis), got ${JSON.stringify(padding)}`);
  }
  return padding.map(([lo, hi]) => [lo, hi]);
}

function positiveInts(op: string, arg: string, xs: unknown, n: number): number[] {
  requireStatic(op, arg, xs, "a size");
  if (!isIntList(xs) || xs.length !== n || xs.some((x) => x < 1)) {
    throw new RangeError(`${op}: ${arg} must be ${n} positive integers (one per spatial axis), got ${JSON.stringify(xs)}`);
  }
  return xs;
}

function groupCount(op: string, arg: string, x: unknown): number {
  const v = x ?? 1;
  if (!Number.isInteger(v) || (v as number) < 1) throw new RangeError(`${op}: ${arg} must be a positive integer, got ${JSON.stringify(x)}`);
  return v as number;
}

/**
 * `lax.conv_general_dilated`: an N-d convolution (a cross-correlation, as in JAX and every deep
 * learning library) with strides, padding, lhs (input) and rhs (kernel) dilation, feature and
 * batch groups. Layout NCHW / OIHW / NCHW unless `dimensionNumbers` says otherwise.
 * @example
 * const x = np.ones([1, 1, 4, 4]), w = np.ones([1, 1, 3, 3]);
 * lax.convGeneralDilated(x, w, [1, 1], "VALID").shape; // [1, 1, 2, 2]
 * lax.convGeneralDilated(np.ones([1, 5, 5, 2]), np.ones([3, 3, 2, 4]), [2, 2], "SAME", { dimensionNumbers: ["NHWC", "HWIO", "NHWC"] }).shape; // [1, 3, 3, 4]
 */
export function convGeneralDilated(lhs: ArrayLike, rhs: ArrayLike, windowStrides: readonly number[], padding: Padding, opts: ConvOptions = {}): NDArray {
  const op = "lax.convGeneralDilated";
  const unknown = Object.keys(opts).filter((k) => !CONV_KEYS.includes(k));
  if (unknown.length > 0) throw new TypeError(`${op}: unknown option ${unknown.map((k) => `'${k}'`).join(", ")}; options are ${CONV_KEYS.join(", ")}`);
  const [l0, r0] = floatPair(asarray(lhs, undefined, op, "lhs"), asarray(rhs, undefined, op, "rhs"));
  const shapes = `lhs ${fmtShape(l0.shape)}, rhs ${fmtShape(r0.shape)}`;
  if (l0.ndim !== r0.ndim || l0.ndim < 2) {
    throw new ShapeError(`${op}: lhs and rhs must have the same rank ≥ 2 (batch, features, spatial…), got ${shapes}`);
  }
  const nsp = l0.ndim - 2;
  const strides = positiveInts(op, "windowStrides", windowStrides, nsp);
  const lhsDilation = positiveInts(op, "lhsDilation", opts.lhsDilation ?? strides.map(() => 1), nsp);
  const rhsDilation = positiveInts(op, "rhsDilation", opts.rhsDilation ?? strides.map(() => 1), nsp);
  const fgc = groupCount(op, "featureGroupCount", opts.featureGroupCount);
  const bgc = groupCount(op, "batchGroupCount", opts.batchGroupCount);
  const [lp, rp, op_] = convPerms(op, opts.dimensionNumbers, l0.ndim);
  const l = transpose(l0, lp);
  const r = transpose(r0, rp);
  const [n, c] = [l.shape[0]!, l.shape[1]!];
  const [o, i] = [r.shape[0]!, r.shape[1]!];
  if (fgc > 1 && bgc > 1) throw new RangeError(`${op}: featureGroupCount and batchGroupCount cannot both exceed 1 (got ${fgc} and ${bgc})`);
  if (c !== i * fgc) {
    throw new ShapeError(`${op}: lhs has ${c} input features but rhs expects ${i} × featureGroupCount ${fgc} = ${i * fgc} (${shapes})`);
  }
  if (o % fgc !== 0) throw new ShapeError(`${op}: rhs's ${o} output features are not divisible by featureGroupCount ${fgc} (${shapes})`);
  if (n % bgc !== 0 || o % bgc !== 0) {
    throw new ShapeError(`${op}: the batch size ${n} and the ${o} output features must be divisible by batchGroupCount ${bgc} (${shapes})`);
  }
  const inSp = l.shape.slice(2);
  if (typeof padding === "string" && lhsDilation.some((d) => d !== 1) && padding.toUpperCase() !== "VALID") {
    throw new TypeError(`${op}: padding '${padding}' with lhsDilation (a transposed convolution) is not supported, as in JAX; give [low, high] pairs`);
  }
  requireStatic(op, "padding", padding, "a size");
  const window = r.shape.slice(2).map((k, d) => dilateDim(k, rhsDilation[d]!));
  const pads = padPairs(op, padding, inSp, window, strides);
  const out = conv(l, r, { strides, padding: pads, lhsDilation, rhsDilation, featureGroupCount: fgc, batchGroupCount: bgc });
  return transpose(out, inversePerm(op_));
}

export type WindowComputation = "max" | "min" | "add";

/**
 * `lax.reduce_window`: reduces each window of `x` (`windowDimensions`, moved by `windowStrides`,
 * over `x` padded with `init`) with `max`, `min` or `add`; the result includes `init` once per
 * window. As XLA's ReduceWindow, `baseDilation` first spreads `x` out with `init` in the holes
 * (`b − 1` between neighbours), then the padding applies, and `windowDilation` spreads the window
 * taps apart. A padding string is resolved as JAX's: on the undilated shape of `x` and the dilated
 * window. The gradient of `max`/`min` goes to the first extremum of each window (JAX's
 * `select_and_scatter_add` keeps the first of tied elements too); of `add`, to every element.
 * Written with primitives (pad/scatter, strided slices, stack, reductions), so it differentiates
 * (any order), batches and compiles through their rules.
 * @example
 * lax.reduceWindow(np.array([[1, 5, 2, 0]]), -Infinity, "max", [1, 2], [1, 2], "VALID"); // [[5, 2]]
 * lax.reduceWindow(np.array([1, 2, 3, 4, 5]), 0, "add", [2], [1], "VALID", [1], [2]); // [4, 6, 8]
 */
export function reduceWindow(
  x: ArrayLike,
  init: number,
  computation: WindowComputation,
  windowDimensions: readonly number[],
  windowStrides?: readonly number[] | null,
  padding: Padding = "VALID",
  baseDilation?: readonly number[] | null,
  windowDilation?: readonly number[] | null,
): NDArray {
  const op = "lax.reduceWindow";
  if (typeof init !== "number") throw new TypeError(`${op}: init must be a number, got ${typeof init}`);
  const a0 = asarray(x, undefined, op, "operand");
  // An integer operand padded with a non-integer init (−∞ for max) is computed in float64.
  const a = isFloat(a0.dtype) || Number.isInteger(init) ? a0 : a0.astype("float64");
  if (computation !== "max" && computation !== "min" && computation !== "add") {
    throw new TypeError(`${op}: computation must be 'max', 'min' or 'add', got ${JSON.stringify(computation)}`);
  }
  const ones = a.shape.map(() => 1);
  const win = positiveInts(op, "windowDimensions", windowDimensions, a.ndim);
  const strides = positiveInts(op, "windowStrides", windowStrides ?? ones, a.ndim);
  const base = positiveInts(op, "baseDilation", baseDilation ?? ones, a.ndim);
  const wdil = positiveInts(op, "windowDilation", windowDilation ?? ones, a.ndim);
  requireStatic(op, "padding", padding, "a size");
  const span = win.map((w, d) => dilateDim(w, wdil[d]!));
  const pads = padPairs(op, padding, a.shape, span, strides);
  const padded = dilateAndPad(a, init, base, pads);
  const outShape = padded.shape.map((m, d) => Math.max(0, Math.floor((m - span[d]!) / strides[d]!) + 1));
  const tiling = strides.every((st, d) => st === win[d] && wdil[d] === 1);
  const windows = tiling ? tiles(padded, win, outShape) : stackTaps(padded, win, wdil, strides, outShape);
  // An empty result (a window larger than the padded operand) has no extremum to pick.
  if (computation === "add" || outShape.includes(0)) return add(sum(windows, { axis: 0 }), init);
  const pick = computation === "max" ? argmax : argmin;
  const best = takeAlongAxis(windows, pick(windows, { axis: 0, keepdims: true }), 0).reshape(outShape);
  return computation === "max" ? maximum(best, init) : minimum(best, init);
}

/**
 * `x` as XLA's ReduceWindow sees it: spread out by `base` with `init` in the holes, then padded
 * with `init`, a negative padding cropping (nothing is left if it crops more than there is).
 */
function dilateAndPad(x: NDArray, init: number, base: readonly number[], pads: readonly [number, number][]): NDArray {
  const grown = spreadAndGrow(x, init, base, pads.map(([lo, hi]) => [Math.max(lo, 0), Math.max(hi, 0)]));
  if (pads.every(([lo, hi]) => lo >= 0 && hi >= 0)) return grown;
  const start = pads.map(([lo]) => Math.max(-lo, 0));
  const size = grown.shape.map((m, d) => Math.max(0, m + Math.min(pads[d]![0], 0) + Math.min(pads[d]![1], 0)));
  return slice(grown, start.map((st, d) => (size[d] === 0 ? 0 : st)), size.map(() => 1), size);
}

/**
 * The non-negative part: without base dilation, `pad`; with it, the elements scattered into place
 * (`unslice`, whose transpose is a strided slice) over a constant holding `init` wherever no
 * element lands and 0 where one does.
 */
function spreadAndGrow(x: NDArray, init: number, base: readonly number[], pads: readonly [number, number][]): NDArray {
  if (base.every((b) => b === 1)) return pads.some(([lo, hi]) => lo > 0 || hi > 0) ? pad(x, pads, { constantValues: init }) : x;
  const shape = x.shape.map((n, d) => dilateDim(n, base[d]!) + pads[d]![0] + pads[d]![1]);
  const start = pads.map(([lo]) => lo);
  const placed = bind1(unsliceP, [x], { shape, start, step: base });
  const landed = bind1(unsliceP, [full(x.shape, true)], { shape, start, step: base });
  return add(placed, where(landed, zerosConcrete(shape, x.dtype), full(shape, init, { dtype: x.dtype })));
}

/**
 * The windows' elements on a new leading axis [taps, …out], taps in row-major window order: one
 * strided slice per tap (tap k starts at k·dilation), stacked.
 */
function stackTaps(x: NDArray, win: readonly number[], dilation: readonly number[], strides: readonly number[], outShape: readonly number[]): NDArray {
  const taps: NDArray[] = [];
  const tap = win.map(() => 0);
  const count = win.reduce((p, w) => p * w, 1);
  for (let t = 0; t < count; t++) {
    taps.push(slice(x, tap.map((k, d) => k * dilation[d]!), strides, outShape));
    for (let d = x.ndim - 1; d >= 0 && ++tap[d]! === win[d]!; d--) tap[d] = 0;
  }
  return stack(taps);
}

/**
 * The same for windows that tile `x` (strides equal to the window): crop to whole tiles, split each
 * axis into [out, window], and move the window axes to the front — one copy instead of one per tap.
 */
function tiles(x: NDArray, win: readonly number[], outShape: readonly number[]): NDArray {
  const whole = outShape.map((o, d) => o * win[d]!);
  const cropped = slice(x, whole.map(() => 0), whole.map(() => 1), whole);
  const split = reshape(cropped, outShape.flatMap((o, d) => [o, win[d]!]));
  const perm = [...win.map((_, d) => 2 * d + 1), ...outShape.map((_, d) => 2 * d)];
  return reshape(transpose(split, perm), [win.reduce((p, w) => p * w, 1), ...outShape]);
}

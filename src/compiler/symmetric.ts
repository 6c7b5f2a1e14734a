/**
 * @file Matrix products whose result the compiler can prove symmetric — C = (X·diag(u))·(diag(v)·Xᵀ),
 * the form of every Gauss–Newton, GLM or sum(f(A·x)) Hessian, XᵀX included — which the kernel then
 * computes as a symmetric product (`kernels/matmul-symmetric.ts`: the tiles on and above the
 * diagonal, the rest mirrored).
 *
 * The proof reads back from each operand of a float64 `dotGeneral` without batch axes through the
 * equations that scale it linearly by factors that vary along contracted axes only: `mul` by a
 * factor (a `broadcastInDim` whose non-unit axes all land on contracted axes, or a constant equal
 * along every free axis), `neg`, `add x x`, and through `transpose` and `reshape`s that only add or
 * drop axes of length 1. What remains on each side is a base matrix X, with each of its axes known
 * as a free or a contracted axis of the operand. The product is symmetric when both bases, read
 * as [free axes in order, contracted axes in contraction order], are the same matrix: the same
 * variable read the same way, or two constants equal element by element (compared here, once).
 * Nothing else is taken on trust: a factor along a free axis (diag(u)·X·Xᵀ), different bases, a
 * non-square result, batch axes or other dtypes (complex: Hermitian is another matter) leave the
 * product as it is.
 *
 * The mirrored elements differ from the full product's (and eager's) by rounding only; the bound
 * is in `matmul-symmetric.ts`.
 */
import { ConcreteArray, type NDArray } from "../core/ndarray.ts";
import type { JaxprEqn, JaxprVar } from "../core/jaxpr.ts";
import { contiguousStrides, transposeData } from "../kernels/strided.ts";
import { addP, divP, mulP, subP } from "../primitives/binary.ts";
import { dotGeneralP, freeAxes, type DotParams } from "../primitives/contraction.ts";
import { broadcastInDimP, reshapeP, transposeP, type BroadcastParams, type TransposeParams } from "../primitives/structural.ts";
import { negP } from "../primitives/unary.ts";

/**
 * The base matrix an operand is a scaling of: `v`, and for each of its axes the operand's axis it
 * is (−1 for an axis of length 1).
 */
interface Base {
  readonly v: JaxprVar;
  readonly at: readonly number[];
}

const nonUnit = (shape: readonly number[]): number[] => shape.flatMap((d, i) => (d === 1 ? [] : [i]));

/**
 * What the proof reads: the equation defining a variable (undefined for inputs and constants), a
 * constant's value; and how many more equations it may read back through (sums read both their
 * terms, so a program of many shared sums could otherwise take exponential time).
 */
interface Program {
  readonly definedBy: (v: JaxprVar) => JaxprEqn | undefined;
  readonly constant: (v: JaxprVar) => NDArray | undefined;
  steps: number;
}

/** Equations read back from both operands of one product, at most. */
const MAX_STEPS = 256;

/**
 * Whether the product `eqn` is provably symmetric (see the file's comment). `definedBy(v)` is the
 * equation defining `v` (undefined for inputs and constants), `constant(v)` the value of a constant.
 */
export function isSymmetricProduct(eqn: JaxprEqn, definedBy: (v: JaxprVar) => JaxprEqn | undefined, constant: (v: JaxprVar) => NDArray | undefined): boolean {
  if (eqn.prim !== (dotGeneralP as unknown) || eqn.outs.length !== 1) return false;
  const [l, r] = eqn.inputs as [JaxprVar, JaxprVar];
  const p = eqn.params as DotParams;
  if (l.aval.dtype !== "float64" || r.aval.dtype !== "float64" || p.lhsBatch.length > 0 || p.rhsBatch.length > 0) return false;
  const ls = l.aval.shape;
  const rs = r.aval.shape;
  const lf = freeAxes(ls.length, p.lhsContract, p.lhsBatch);
  const rf = freeAxes(rs.length, p.rhsContract, p.rhsBatch);
  // C[i, j] and C[j, i] correspond only where both sides' free axes have the same lengths in order.
  const freeDims = (s: readonly number[], axes: readonly number[]) => axes.map((a) => s[a]!).filter((d) => d !== 1);
  const lDims = freeDims(ls, lf);
  const rDims = freeDims(rs, rf);
  if (lDims.length === 0 || lDims.length !== rDims.length || lDims.some((d, i) => d !== rDims[i])) return false;
  const program = { definedBy, constant, steps: MAX_STEPS };
  const lBase = baseOf(program, l, identity(ls), new Set(p.lhsContract));
  const rBase = baseOf(program, r, identity(rs), new Set(p.rhsContract));
  const nonUnitOf = (s: readonly number[], axes: readonly number[]) => axes.filter((a) => s[a] !== 1);
  return sameMatrix(program, lBase, nonUnitOf(ls, [...lf, ...p.lhsContract]), rBase, nonUnitOf(rs, [...rf, ...p.rhsContract]));
}

/** Each axis of `shape` as itself, −1 for those of length 1. */
const identity = (shape: readonly number[]): number[] => shape.map((d, i) => (d === 1 ? -1 : i));

/**
 * Reads back from `v`, whose axis `i` is the operand's axis `at[i]` (the operand's axes in
 * `contracted` are contracted), through linear scalings by factors constant along the operand's
 * free axes — `neg`, `mul` and `div` by a factor, sums and differences of two scalings of one base
 * — and transposes and reshapes by axes of length 1, to the base `v` scales.
 */
function baseOf(program: Program, v: JaxprVar, at: readonly number[], contracted: ReadonlySet<number>): Base {
  const eqn = program.definedBy(v);
  if (eqn === undefined || program.steps-- <= 0) return { v, at };
  const prim = eqn.prim as unknown;
  const [x, y] = eqn.inputs as [JaxprVar, JaxprVar | undefined];
  const isFactor = (f: JaxprVar) => constantAlongFree(program, f, at, contracted);
  const next = (u: JaxprVar, uAt: readonly number[] = at) => baseOf(program, u, uAt, contracted);
  if (prim === negP || ((prim === addP || prim === subP) && x === y)) return next(x);
  if ((prim === mulP || prim === divP) && isFactor(y!)) return next(x);
  if (prim === mulP && isFactor(x)) return next(y!);
  if (prim === addP || prim === subP) {
    const [bx, by] = [next(x), next(y!)];
    // Both terms read along the operand's axes that this node's axes are (one order for both).
    const axes = at.filter((a) => a !== -1);
    return sameMatrix(program, bx, axes, by, axes) ? bx : { v, at };
  }
  if (prim === transposeP) {
    const { perm } = eqn.params as TransposeParams;
    const inner = new Array<number>(perm.length);
    perm.forEach((q, o) => (inner[q] = at[o]!));
    return next(x, inner);
  }
  if (prim === reshapeP && sameNonUnitDims(x.aval.shape, v.aval.shape)) {
    const outer = nonUnit(v.aval.shape).map((o) => at[o]!);
    const inner = x.aval.shape.map(() => -1);
    nonUnit(x.aval.shape).forEach((i, t) => (inner[i] = outer[t]!));
    return next(x, inner);
  }
  return { v, at };
}

/**
 * Whether two bases, read along their operands' axes `oa` and `ob` (those of length 1 left out),
 * are the same matrix: the same variable read the same way, or two float64 constants equal element
 * by element.
 */
function sameMatrix(program: Program, a: Base, oa: readonly number[], b: Base, ob: readonly number[]): boolean {
  const pa = baseOrder(a, oa);
  const pb = baseOrder(b, ob);
  if (pa === undefined || pb === undefined) return false;
  if (a.v === b.v && pa.every((x, i) => x === pb[i])) return true;
  return equalConstants(program.constant(a.v), pa, program.constant(b.v), pb);
}

const sameNonUnitDims = (a: readonly number[], b: readonly number[]): boolean => {
  const x = a.filter((d) => d !== 1);
  const y = b.filter((d) => d !== 1);
  return x.length === y.length && x.every((d, i) => d === y[i]);
};

/**
 * Whether `f` (of the current node's shape, whose axis `i` is the operand's axis `at[i]`) is
 * constant along every free axis of the operand: a broadcast from contracted axes only (scalars
 * included), or a constant whose elements are equal along the free axes.
 */
function constantAlongFree(program: Program, f: JaxprVar, at: readonly number[], contracted: ReadonlySet<number>): boolean {
  const free = (i: number) => at[i] !== -1 && !contracted.has(at[i]!);
  const eqn = program.definedBy(f);
  if (eqn !== undefined && eqn.prim === (broadcastInDimP as unknown)) {
    const { dims } = eqn.params as BroadcastParams;
    const ys = eqn.inputs[0]!.aval.shape;
    return dims.every((d, t) => ys[t] === 1 || !free(d));
  }
  const c = program.constant(f);
  if (!(c instanceof ConcreteArray)) return false;
  // Every element equals the one with its free coordinates set to 0.
  const { shape, data } = c;
  const strides = contiguousStrides(shape);
  for (let e = 0; e < data.length; e++) {
    let home = e;
    shape.forEach((d, i) => {
      if (free(i)) home -= (Math.floor(e / strides[i]!) % d) * strides[i]!;
    });
    if (!Object.is(data[e], data[home])) return false;
  }
  return true;
}

/**
 * The base's axes in the order of the operand's axes `order` (none of length 1), then its axes of
 * length 1: the permutation reading it as [free, contracted]. Undefined where an axis of the
 * operand has no axis of the base, or the base an axis of length > 1 not in `order`.
 */
function baseOrder(base: Base, order: readonly number[]): number[] | undefined {
  const perm: number[] = [];
  for (const a of order) {
    const x = base.at.indexOf(a);
    if (x < 0) return undefined;
    perm.push(x);
  }
  base.at.forEach((a, x) => {
    if (a === -1) perm.push(x);
  });
  return perm.length === base.at.length ? perm : undefined;
}

/** Whether two float64 constants read in the orders `pa` and `pb` are equal element by element (the same object read the same way first). */
function equalConstants(a: NDArray | undefined, pa: readonly number[], b: NDArray | undefined, pb: readonly number[]): boolean {
  if (!(a instanceof ConcreteArray) || !(b instanceof ConcreteArray) || a.dtype !== "float64" || b.dtype !== "float64" || a.size !== b.size) return false;
  const x = new Float64Array(a.size);
  const y = new Float64Array(b.size);
  transposeData(a.data, a.shape, pa, x);
  transposeData(b.data, b.shape, pb, y);
  return x.every((e, i) => Object.is(e, y[i]));
}

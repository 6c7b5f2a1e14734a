/**
 * @file `dotGeneral`, the one contraction primitive (XLA's DotGeneral): contracts chosen axes of
 * two arrays, with batch axes matched pairwise. `dot`, `matmul`, `inner`, `tensordot` and `einsum`
 * pairs are all written with it. Bilinear, so it has a transpose for each side.
 */
import { ConcreteArray, type NDArray, type Aval } from "../core/ndarray.ts";
import { allocate, allocateUninitialized } from "../core/dtype.ts";
import { bind1 } from "../core/trace.ts";
import { matmulData } from "../kernels/matmul.ts";
import { simdMath, simdPairwiseDot } from "../kernels/simd.ts";
import { transposeData } from "../kernels/strided.ts";
import { definePrimitive, isUndefinedPrimal, one } from "../core/primitive.ts";
import { moveaxis, transpose, avalOf, convert } from "./structural.ts";
import { addT } from "./binary.ts";
import { bilinearPlanes } from "./planes.ts";

/** Vector · vector products this long go to the SIMD pairwise dot (bench/simd.ts). */
const SIMD_DOT_MIN = 4096;

export interface DotParams {
  readonly lhsContract: readonly number[];
  readonly rhsContract: readonly number[];
  readonly lhsBatch: readonly number[];
  readonly rhsBatch: readonly number[];
}

/** The axes of an operand of `ndim` axes that are neither contracted nor batch axes, in order. */
export const freeAxes = (ndim: number, contract: readonly number[], batch: readonly number[]): number[] => {
  const out: number[] = [];
  for (let i = 0; i < ndim; i++) if (!contract.includes(i) && !batch.includes(i)) out.push(i);
  return out;
};

function dotShape(l: Aval, r: Aval, p: DotParams): number[] {
  const lf = freeAxes(l.shape.length, p.lhsContract, p.lhsBatch);
  const rf = freeAxes(r.shape.length, p.rhsContract, p.rhsBatch);
  return [...p.lhsBatch.map((a) => l.shape[a]!), ...lf.map((a) => l.shape[a]!), ...rf.map((a) => r.shape[a]!)];
}

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** Whether permuting the axes of an array of `shape` to `perm` leaves its data order unchanged (only size-1 axes move). */
export function keepsOrder(shape: readonly number[], perm: readonly number[]): boolean {
  const moved = perm.filter((p) => shape[p] !== 1);
  return moved.every((p, i) => i === 0 || moved[i - 1]! < p);
}

/** The data of `x` permuted to `perm`, as float64 (no copy when already laid out so). */
function laidOut(x: ConcreteArray, perm: readonly number[]): Float64Array {
  const inOrder = keepsOrder(x.shape, perm);
  if (inOrder && x.data instanceof Float64Array) return x.data;
  const out = new Float64Array(x.data.length);
  if (inOrder) out.set(x.data);
  else transposeData(x.data, x.shape, perm, out);
  return out;
}

/**
 * An operand as the kernel takes it: its data laid out as [batch, rows, cols] (`normal`), or, when
 * that would need a copy but [batch, cols, rows] does not, the data as it is with `transposed` set
 * (the kernel then reads it transposed, without the copy).
 */
function operand(x: ConcreteArray, batch: readonly number[], rows: readonly number[], cols: readonly number[]): [Float64Array, boolean] {
  const normal = [...batch, ...rows, ...cols];
  if (x.data instanceof Float64Array && !keepsOrder(x.shape, normal) && keepsOrder(x.shape, [...batch, ...cols, ...rows])) return [x.data, true];
  return [laidOut(x, normal), false];
}

export const dotGeneralP = definePrimitive<DotParams>({
  name: "dotGeneral",
  // Complex operands: four real products on the planes (not conjugated: JAX's dot_general).
  impl: bilinearPlanes(([l, r], p) => {
    const lf = freeAxes(l!.ndim, p.lhsContract, p.lhsBatch);
    const rf = freeAxes(r!.ndim, p.rhsContract, p.rhsBatch);
    const [a, aT] = operand(l!, p.lhsBatch, lf, p.lhsContract);
    const [b, bT] = operand(r!, p.rhsBatch, p.rhsContract, rf);
    const batch = prod(p.lhsBatch.map((x) => l!.shape[x]!));
    const m = prod(lf.map((x) => l!.shape[x]!));
    const k = prod(p.lhsContract.map((x) => l!.shape[x]!));
    const n = prod(rf.map((x) => r!.shape[x]!));
    // The kernels write every element of C before reading it (test/matmul-kernel.test.ts runs them on garbage).
    const c = allocateUninitialized(batch * m * n);
    // A long vector · vector product: the pairwise sum of the products (NumPy's summation) on SIMD.
    const simd = batch === 1 && m === 1 && n === 1 && k >= SIMD_DOT_MIN ? simdMath() : null;
    if (simd !== null) c[0] = simdPairwiseDot(simd, a, 0, b, 0, k);
    // B read as the operand's own data may stay packed for the next product that reads it (W7's Wh):
    // the array is immutable, so its identity stands for those contents.
    else matmulData(a, b, c, batch, m, k, n, aT, bT, b === r!.data ? r : undefined);
    const shape = dotShape(l!, r!, p);
    if (l!.dtype === "float64") return one(new ConcreteArray(c, shape, "float64"));
    const out = allocate(l!.dtype, c.length);
    out.set(c);
    return one(new ConcreteArray(out, shape, l!.dtype));
  }),
  abstractEval: ([l, r], p) => [{ shape: dotShape(l!, r!, p), dtype: l!.dtype }],
  jvp: ([x, y], [tx, ty], _, p) => [addT(tx && dotGeneral(tx, y!, p), ty && dotGeneral(x!, ty, p))],
  transpose: ([ct], [x, y], p) => [
    isUndefinedPrimal(x) ? transposeLhs(ct!, y as NDArray, avalOf(x), p) : null,
    isUndefinedPrimal(y) ? transposeLhs(ct!, x as NDArray, avalOf(y), swapSides(p), true) : null,
  ],
  batch: ([x, y], [dx, dy], p) => {
    const shift = (axes: readonly number[]) => axes.map((a) => a + 1);
    const nb = p.lhsBatch.length;
    if (dx !== null && dy !== null) {
      const q: DotParams = {
        lhsContract: shift(p.lhsContract),
        rhsContract: shift(p.rhsContract),
        lhsBatch: [0, ...shift(p.lhsBatch)],
        rhsBatch: [0, ...shift(p.rhsBatch)],
      };
      return [[dotGeneral(moveaxis(x!, dx, 0), moveaxis(y!, dy, 0), q)], [0]];
    }
    if (dx !== null) {
      const q = { ...p, lhsContract: shift(p.lhsContract), lhsBatch: shift(p.lhsBatch) };
      return [[dotGeneral(moveaxis(x!, dx, 0), y!, q)], [nb]];
    }
    const q = { ...p, rhsContract: shift(p.rhsContract), rhsBatch: shift(p.rhsBatch) };
    const nlf = freeAxes(x!.ndim, p.lhsContract, p.lhsBatch).length;
    return [[dotGeneral(x!, moveaxis(y!, dy!, 0), q)], [nb + nlf]];
  },
});

const swapSides = (p: DotParams): DotParams => ({
  lhsContract: p.rhsContract,
  rhsContract: p.lhsContract,
  lhsBatch: p.rhsBatch,
  rhsBatch: p.lhsBatch,
});

/**
 * Cotangent of the left operand (of `xAval`) given the output cotangent and the right operand `y`.
 * For the right operand call it with the sides swapped and `swapped = true` (the cotangent's free
 * axes then come in the other order).
 */
function transposeLhs(ct: NDArray, y: NDArray, xAval: Aval, p: DotParams, swapped = false): NDArray {
  const nb = p.lhsBatch.length;
  const xf = freeAxes(xAval.shape.length, p.lhsContract, p.lhsBatch);
  const yf = freeAxes(y.ndim, p.rhsContract, p.rhsBatch);
  // Positions in ct of the other side's free axes.
  const ctY = yf.map((_, i) => nb + (swapped ? 0 : xf.length) + i);
  const ctBatch = ct.shape.slice(0, nb).map((_, i) => i);
  // y's contracted axes, in the order they come out of a dot (ascending), as axes of x.
  const yContract = [...p.rhsContract].sort((a, b) => a - b).map((a) => p.lhsContract[p.rhsContract.indexOf(a)]!);
  // Two ways to contract: ct·y gives [batch, x free, x contract], y·ct gives [batch, x contract,
  // x free]. Take the one that already has x's layout, so no transpose copy is needed.
  const ctFirst = [...p.lhsBatch, ...xf, ...yContract];
  const yFirst = [...p.lhsBatch, ...yContract, ...xf];
  const isIdentity = (order: number[]) => order.every((a, i) => a === i);
  const useYFirst = !isIdentity(ctFirst) && isIdentity(yFirst);
  const r = useYFirst
    ? dotGeneral(y, ct, { lhsContract: yf, rhsContract: ctY, lhsBatch: p.rhsBatch, rhsBatch: ctBatch })
    : dotGeneral(ct, y, { lhsContract: ctY, rhsContract: yf, lhsBatch: ctBatch, rhsBatch: p.rhsBatch });
  const rAxisToX = useYFirst ? yFirst : ctFirst;
  const perm = xAval.shape.map((_, a) => rAxisToX.indexOf(a));
  return convert(transpose(r, perm), xAval.dtype);
}

export const dotGeneral = (x: NDArray, y: NDArray, p: DotParams): NDArray => bind1(dotGeneralP, [x, y], p);

/**
 * @file Gather and scatter along one axis — `gather` (NumPy's `take`) and its transpose
 * `scatterAdd`, the functional updates `scatter` (set), `scatterMul`, `scatterMin`, `scatterMax` —
 * and `searchsorted`. Every fancy index reduces to these: the numpy layer folds several index
 * arrays into one index along one (reshaped) axis.
 *
 * Indices are int32 in `[0, n)`: the numpy layer wraps negative ones and checks bounds when they
 * are concrete. Traced indices out of range cannot raise; like JAX, `gather` then clamps and the
 * scatters drop them, so no kernel ever reads or writes outside its array. Derivatives keep the
 * value's mode: `gather`'s transpose adds at the clamped index, `scatterAdd`'s reads 0 where it dropped.
 */
import { ConcreteArray, type NDArray, type Aval } from "../core/ndarray.ts";
import { allocate, type TypedArray } from "../core/dtype.ts";
import { bind1 } from "../core/trace.ts";
import { definePrimitive, isUndefinedPrimal, one, type BatchRule, type JvpRule, type Primitive } from "../core/primitive.ts";
import { avalOf, broadcastInDimP, convert, matchBatch, moveaxis, reshape, zerosLike } from "./structural.ts";
import { add, addT, div, fullLike, max, min, mul } from "./binary.ts";
import { and, eq, ge, lt, select } from "./compare.ts";
import { sizeOf } from "../kernels/strided.ts";
import { pairwise, realOnly, sameParams } from "./planes.ts";

export interface GatherParams {
  /** The axis of `x` that the indices pick along. */
  readonly axis: number;
}

export interface ScatterAddParams {
  readonly axis: number;
  /** The shape of the result (the shape of the array that `gather` read from). */
  readonly shape: readonly number[];
}

/** `x.shape[:axis] + idx.shape + x.shape[axis+1:]`: the shape of a gather, and of the updates of a scatter. */
const gatherShape = (shape: readonly number[], idxShape: readonly number[], axis: number): number[] => [
  ...shape.slice(0, axis),
  ...idxShape,
  ...shape.slice(axis + 1),
];

/** An array seen as `[outer, n, inner]` around `axis`. */
function around(shape: readonly number[], axis: number): { outer: number; n: number; inner: number } {
  return { outer: sizeOf(shape.slice(0, axis)), n: shape[axis]!, inner: sizeOf(shape.slice(axis + 1)) };
}

// ---------------------------------------------------------------- kernels

function gatherKernel(x: ConcreteArray, idx: ConcreteArray, axis: number): ConcreteArray {
  const shape = gatherShape(x.shape, idx.shape, axis);
  const { outer, n, inner } = around(x.shape, axis);
  const m = idx.data.length;
  const out = allocate(x.dtype, sizeOf(shape));
  if (n === 0) return new ConcreteArray(out, shape, x.dtype);
  const xd = x.data;
  const id = idx.data;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const raw = id[j]!;
      const k = raw < 0 ? 0 : raw >= n ? n - 1 : raw;
      const src = (o * n + k) * inner;
      const dst = (o * m + j) * inner;
      for (let t = 0; t < inner; t++) out[dst + t] = xd[src + t]!;
    }
  }
  return new ConcreteArray(out, shape, x.dtype);
}

type ScatterOp = "add" | "set" | "mul" | "min" | "max";

/** Combines `updates` (of shape `[outer, m, inner]`) into `out` (`[outer, n, inner]`) at `idx`, in order. */
function scatterInto(op: ScatterOp, out: TypedArray, outShape: readonly number[], updates: TypedArray, idx: TypedArray, axis: number): void {
  const { outer, n, inner } = around(outShape, axis);
  const m = idx.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const k = idx[j]!;
      if (k < 0 || k >= n) continue;
      const dst = (o * n + k) * inner;
      const src = (o * m + j) * inner;
      switch (op) {
        case "add":
          for (let t = 0; t < inner; t++) out[dst + t] += updates[src + t]!;
          break;
        case "set":
          for (let t = 0; t < inner; t++) out[dst + t] = updates[src + t]!;
          break;
        case "mul":
          for (let t = 0; t < inner; t++) out[dst + t] *= updates[src + t]!;
          break;
        case "min":
          // NaN propagates, as in `minimum`.
          for (let t = 0; t < inner; t++) {
            const a = out[dst + t]!;
            const b = updates[src + t]!;
            out[dst + t] = a < b || a !== a ? a : b;
          }
          break;
        case "max":
          for (let t = 0; t < inner; t++) {
            const a = out[dst + t]!;
            const b = updates[src + t]!;
            out[dst + t] = a > b || a !== a ? a : b;
          }
          break;
      }
    }
  }
}

// ---------------------------------------------------------------- batching helpers

/** `b·n` for each batch member `b`, shaped like `idx` (whose batch axis is 0). */
function batchOffsets(idxShape: readonly number[], n: number): ConcreteArray {
  const data = new Int32Array(sizeOf(idxShape));
  const per = data.length / Math.max(1, idxShape[0]!);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(i / per) * n;
  return new ConcreteArray(data, idxShape, "int32");
}

/**
 * Indices into an axis of `n` per batch member (batch axis 0) made indices into the flattened
 * `[batch·n]` axis. Out-of-range indices are first clamped (`gather`) or sent to −1, which the
 * scatters drop, so that they never reach a neighbouring batch member.
 */
function flattenBatchedIndices(idx: NDArray, n: number, mode: "clamp" | "drop"): NDArray {
  const offsets = batchOffsets(idx.shape, n);
  if (mode === "clamp") return add(min(max(idx, fullLike(idx, 0)), fullLike(idx, Math.max(0, n - 1))), offsets);
  const inRange = and(ge(idx, fullLike(idx, 0)), lt(idx, fullLike(idx, n)));
  return select(inRange, add(idx, offsets), fullLike(idx, -1));
}

/** `x` with a batch axis of `size` at `axis`, merged with the next axis (of size `n`): `[…, size·n, …]`. */
function mergeBatchInto(x: NDArray, d: number | null, size: number, axis: number): NDArray {
  const xb = matchBatch(x, d, size, axis);
  const shape = xb.shape.slice();
  shape.splice(axis, 2, size * shape[axis + 1]!);
  return reshape(xb, shape);
}

/** Splits the merged axis of a scatter result back into `[size, n]`. */
function splitBatch(y: NDArray, size: number, axis: number): NDArray {
  const shape = y.shape.slice();
  shape.splice(axis, 1, size, shape[axis]! / size);
  return reshape(y, shape);
}

/** The batching rule shared by the updates `(x, idx, updates)`: `scatter`, `scatterMul/Min/Max`. */
function batchScatterLike(prim: () => Primitive<GatherParams>): BatchRule<GatherParams> {
  return ([x, idx, u], [dx, di, du], { axis }, size) => {
    if (di === null) {
      const xb = matchBatch(x!, dx!, size, 0);
      const ub = matchBatch(u!, du!, size, 0);
      return [[bind1(prim(), [xb, idx!, ub], { axis: axis + 1 })], [0]];
    }
    const n = x!.shape[dx !== null && dx <= axis ? axis + 1 : axis]!;
    const xf = mergeBatchInto(x!, dx!, size, axis);
    const ib = flattenBatchedIndices(moveaxis(idx!, di, 0), n, "drop");
    const ub = matchBatch(u!, du!, size, axis);
    return [[splitBatch(bind1(prim(), [xf, ib, ub], { axis }), size, axis)], [axis]];
  };
}

// ---------------------------------------------------------------- index modes of the derivatives

/** Indices clamped into `[0, n)`: the positions `gather` actually reads. */
const clampIndices = (idx: NDArray, n: number): NDArray => min(max(idx, fullLike(idx, 0)), fullLike(idx, Math.max(0, n - 1)));

/** `gather(x, idx, axis)`, with 0 where an index is outside `[0, n)` (where a scatter dropped its update). */
function gatherOrZero(x: NDArray, idx: NDArray, axis: number): NDArray {
  const n = x.shape[axis]!;
  const g = gather(x, idx, axis);
  const inRange = and(ge(idx, fullLike(idx, 0)), lt(idx, fullLike(idx, n)));
  const mask = bind1(broadcastInDimP, [inRange], { shape: g.shape, dims: idx.shape.map((_, i) => axis + i) });
  return select(mask, g, zerosLike(avalOf(g)));
}

// ---------------------------------------------------------------- gather / scatterAdd

/** `gather(x, idx, axis)[…, j…, …] = x[…, idx[j…], …]`: linear in `x`; its transpose is `scatterAdd`. */
export const gatherP: Primitive<GatherParams> = definePrimitive<GatherParams>({
  name: "gather",
  impl: pairwise(([x, idx], { axis }) => one(gatherKernel(x!, idx!, axis)), sameParams),
  abstractEval: ([x, idx], { axis }) => [{ shape: gatherShape(x!.shape, idx!.shape, axis), dtype: x!.dtype }],
  jvp: ([, idx], [t], _, { axis }) => [t && gather(t, idx!, axis)],
  // The value read x[clamp(k)], so the cotangent goes back to clamp(k) (not dropped as scatterAdd would).
  transpose: ([ct], [x, idx], { axis }) => [
    isUndefinedPrimal(x) ? scatterAdd(ct!, clampIndices(idx as NDArray, x.aval.shape[axis]!), axis, x.aval.shape) : null,
    null,
  ],
  batch: ([x, idx], [dx, di], { axis }, size) => {
    if (di === null) return [[gather(moveaxis(x!, dx!, 0), idx!, axis + 1)], [0]];
    if (dx === null) return [[gather(x!, idx!, axis)], [axis + di]];
    const n = x!.shape[dx <= axis ? axis + 1 : axis]!;
    const xf = mergeBatchInto(x!, dx, size, axis);
    return [[gather(xf, flattenBatchedIndices(moveaxis(idx!, di, 0), n, "clamp"), axis)], [axis]];
  },
});

/** Zeros of `shape` with `updates` added at `idx` along `axis`; repeated indices accumulate. */
export const scatterAddP: Primitive<ScatterAddParams> = definePrimitive<ScatterAddParams>({
  name: "scatterAdd",
  impl: pairwise(([u, idx], { axis, shape }) => {
    const out = allocate(u!.dtype, sizeOf(shape));
    scatterInto("add", out, shape, u!.data, idx!.data, axis);
    return one(new ConcreteArray(out, shape, u!.dtype));
  }, ({ axis, shape }) => ({ axis, shape: [...shape, 2] })),
  abstractEval: ([u], { shape }) => [{ shape, dtype: u!.dtype }],
  jvp: ([, idx], [t], _, { axis, shape }) => [t && scatterAdd(t, idx!, axis, shape)],
  // Dropped updates reached nothing, so their cotangent is 0 (a plain gather would clamp).
  transpose: ([ct], [, idx], { axis }) => [gatherOrZero(ct!, idx as NDArray, axis), null],
  batch: ([u, idx], [du, di], { axis, shape }, size) => {
    if (di === null) {
      return [[scatterAdd(moveaxis(u!, du!, 0), idx!, axis + 1, [size, ...shape])], [0]];
    }
    const n = shape[axis]!;
    const flat = [...shape.slice(0, axis), size * n, ...shape.slice(axis + 1)];
    const ib = flattenBatchedIndices(moveaxis(idx!, di, 0), n, "drop");
    const out = scatterAdd(matchBatch(u!, du!, size, axis), ib, axis, flat);
    return [[splitBatch(out, size, axis)], [axis]];
  },
});

export const gather = (x: NDArray, idx: NDArray, axis: number): NDArray => bind1(gatherP, [x, idx], { axis });
export const scatterAdd = (u: NDArray, idx: NDArray, axis: number, shape: readonly number[]): NDArray =>
  bind1(scatterAddP, [u, idx], { axis, shape });

// ---------------------------------------------------------------- scatter (set)

/**
 * For each update position of a scatter along an axis of `n` with indices `idx`, whether its value
 * is the one kept: the last one written to its slot. Found by scattering the positions themselves.
 */
function lastWriters(idx: NDArray, n: number): NDArray {
  const ids = new Int32Array(sizeOf(idx.shape)).map((_, i) => i);
  const pos = new ConcreteArray(ids, idx.shape, "int32");
  const owner = scatter(fullLike({ shape: [n], dtype: "int32" }, -1), idx, pos, 0);
  return eq(gather(owner, idx, 0), pos);
}

/**
 * `x` with `updates` written at `idx` along `axis`; where indices repeat, the last update wins
 * (NumPy's `x[idx] = v` in practice; JAX leaves the winner unspecified). Linear in `(x, updates)`
 * jointly, so it has a transpose.
 */
export const scatterP: Primitive<GatherParams> = definePrimitive<GatherParams>({
  name: "scatter",
  impl: pairwise(([x, idx, u], { axis }) => {
    const out = x!.data.slice();
    scatterInto("set", out, x!.shape, u!.data, idx!.data, axis);
    return one(new ConcreteArray(out, x!.shape, x!.dtype));
  }, sameParams),
  abstractEval: ([x]) => [x!],
  jvp: ([x, idx, u], [tx, , tu], _, { axis }) => [scatter(tx ?? zerosLike(x!), idx!, tu ?? zerosLike(u!), axis)],
  transpose: ([ct], [x, idx, u], { axis }) => {
    const index = idx as NDArray;
    const uAval = avalOf(u!);
    const z = zerosLike(uAval);
    let ctU: NDArray | null = null;
    if (isUndefinedPrimal(u)) {
      // Only the kept updates reach the output.
      const keep = lastWriters(index, ct!.shape[axis]!);
      const dims = index.shape.map((_, i) => axis + i);
      const keepAll = bind1(broadcastInDimP, [keep], { shape: uAval.shape, dims });
      ctU = select(keepAll, gather(ct!, index, axis), z);
    }
    return [isUndefinedPrimal(x) ? scatter(ct!, index, z, axis) : null, null, ctU];
  },
  batch: batchScatterLike(() => scatterP),
});

export const scatter = (x: NDArray, idx: NDArray, u: NDArray, axis: number): NDArray =>
  bind1(scatterP, [x, idx, u], { axis });

// ---------------------------------------------------------------- scatterMul / scatterMin / scatterMax

// d out = dx·P + x·Σⱼ duⱼ·Πₖ≠ⱼ uₖ over the updates of each slot, with P = Π uⱼ. The products
// "all but j" are formed without dividing by zero: from the product of the nonzero updates and
// the number of zeros in the slot. This is exact to first order everywhere; higher derivatives are
// exact except in a slot with two or more zero updates (JAX has no derivative for repeated indices).
const mulJvp: JvpRule<GatherParams> = ([x, idx, u], [tx, , tu], _, { axis }) => {
  const ones = fullLike(x!, 1);
  const dx = tx && mul(tx, scatterMul(ones, idx!, u!, axis));
  if (tu === null || tu === undefined) return [dx];
  const at = (y: NDArray) => gather(y, idx!, axis);
  const zero = fullLike(u!, 0);
  const isZero = eq(u!, zero);
  const nonzero = select(isZero, fullLike(u!, 1), u!);
  const prodNonzero = at(scatterMul(ones, idx!, nonzero, axis));
  const zeros = at(scatterAdd(convert(isZero, u!.dtype), idx!, axis, x!.shape));
  const others = select(
    isZero,
    select(eq(zeros, fullLike(u!, 1)), prodNonzero, zero),
    select(eq(zeros, zero), div(prodNonzero, nonzero), zero),
  );
  return [addT(dx, scatterAdd(mul(tu, mul(others, at(x!))), idx!, axis, x!.shape))];
};

// Ties share the derivative equally, as `maximum` and `max` do:
// d out = (dx·[x = out] + Σⱼ duⱼ·[uⱼ = out]) / (number of arguments equal to out).
const extremumJvp: JvpRule<GatherParams> = ([x, idx, u], [tx, , tu], [out], { axis }) => {
  const hitX = convert(eq(x!, out!), x!.dtype);
  const hitU = convert(eq(u!, gather(out!, idx!, axis)), x!.dtype);
  const count = add(hitX, scatterAdd(hitU, idx!, axis, x!.shape));
  const num = addT(tx && mul(tx, hitX), tu && scatterAdd(mul(tu, hitU), idx!, axis, x!.shape));
  return [num && div(num, count)];
};

/** `x` with each update combined into its slot by `op`; repeated indices all take part. */
function scatterCombine(name: string, op: ScatterOp, jvp: JvpRule<GatherParams>): Primitive<GatherParams> {
  const prim: Primitive<GatherParams> = definePrimitive<GatherParams>({
    name,
    impl: realOnly(name, ([x, idx, u], { axis }) => {
      const out = x!.data.slice();
      scatterInto(op, out, x!.shape, u!.data, idx!.data, axis);
      return one(new ConcreteArray(out, x!.shape, x!.dtype));
    }),
    abstractEval: ([x]) => [x!],
    jvp,
    transpose: "nonlinear",
    batch: batchScatterLike(() => prim),
  });
  return prim;
}

export const scatterMulP = scatterCombine("scatterMul", "mul", mulJvp);
export const scatterMinP = scatterCombine("scatterMin", "min", extremumJvp);
export const scatterMaxP = scatterCombine("scatterMax", "max", extremumJvp);

export const scatterMul = (x: NDArray, idx: NDArray, u: NDArray, axis: number): NDArray =>
  bind1(scatterMulP, [x, idx, u], { axis });
export const scatterMin = (x: NDArray, idx: NDArray, u: NDArray, axis: number): NDArray =>
  bind1(scatterMinP, [x, idx, u], { axis });
export const scatterMax = (x: NDArray, idx: NDArray, u: NDArray, axis: number): NDArray =>
  bind1(scatterMaxP, [x, idx, u], { axis });

// ---------------------------------------------------------------- searchsorted

export interface SearchsortedParams {
  readonly side: "left" | "right";
  /** Leading axes shared by `a` and `v` (batch axes): each row of `a` serves the same row of `v`. */
  readonly lead: number;
}

/**
 * For each value of `v`, the insertion point into the sorted last axis of `a` (`left`: before equal
 * elements, `right`: after them). NaN sorts last, as in NumPy. Integer output, zero derivative.
 */
export const searchsortedP: Primitive<SearchsortedParams> = definePrimitive<SearchsortedParams>({
  name: "searchsorted",
  impl: realOnly("searchsorted", ([a, v], { side, lead }) => {
    const rows = sizeOf(a!.shape.slice(0, lead));
    const n = a!.shape[lead]!;
    const m = rows === 0 ? 0 : v!.data.length / rows;
    const out = new Int32Array(v!.data.length);
    const ad = a!.data;
    const vd = v!.data;
    // less(p, q) with NaN the largest value.
    const less = (p: number, q: number) => p < q || (q !== q && p === p);
    for (let r = 0; r < rows; r++) {
      const base = r * n;
      for (let j = 0; j < m; j++) {
        const val = vd[r * m + j]!;
        let lo = 0;
        let hi = n;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          const e = ad[base + mid]!;
          const goRight = side === "left" ? less(e, val) : !less(val, e);
          if (goRight) lo = mid + 1;
          else hi = mid;
        }
        out[r * m + j] = lo;
      }
    }
    return one(new ConcreteArray(out, v!.shape, "int32"));
  }),
  abstractEval: ([, v]): Aval[] => [{ shape: v!.shape, dtype: "int32" }],
  jvp: () => [null],
  transpose: "nonlinear",
  batch: ([a, v], [da, dv], { side, lead }, size) => [
    [searchsorted(matchBatch(a!, da!, size, 0), matchBatch(v!, dv!, size, 0), side, lead + 1)],
    [0],
  ],
});

export const searchsorted = (a: NDArray, v: NDArray, side: "left" | "right", lead = 0): NDArray =>
  bind1(searchsortedP, [a, v], { side, lead });

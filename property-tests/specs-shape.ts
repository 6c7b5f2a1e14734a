/**
 * @file Property-test specs of the primitives that reduce, move or contract axes (reduce.ts,
 * structural.ts, contraction.ts): random shapes with their params, and values in each domain.
 */
import fc from "fast-check";
import * as r from "../src/primitives/reduce.ts";
import * as st from "../src/primitives/structural.ts";
import { dotGeneralP, type DotParams } from "../src/primitives/contraction.ts";
import type { DType } from "../src/core/dtype.ts";
import type { ConcreteArray } from "../src/core/ndarray.ts";
import { array, bools, concrete, dim, distinct, floats, ints, shape, sizeOf, smallInt, spec, uniform, type PrimSpec } from "./spec.ts";

const range = (n: number): number[] => [...Array(n).keys()];

/** Mostly float64, sometimes int32 or bool (structural primitives move any dtype). */
const anyDtype: fc.Arbitrary<DType> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<DType>("float64") },
  { weight: 1, arbitrary: fc.constantFrom<DType>("int32", "bool") },
);

/** Values of a dtype: float64 in [-2, 2], small ints, or bools. */
const valuesOf = (shp: readonly number[], dtype: DType): fc.Arbitrary<ConcreteArray> =>
  dtype === "float64" ? floats(shp) : dtype === "float32" ? array(shp, uniform(-2, 2), "float32") : dtype === "int32" ? ints(shp, -3, 3) : bools(shp);

/** Linear in argument 0 when it is a float64 (a transpose rule only makes sense for floats). */
const linearIfFloat = (s: { dtype: DType }) => (s.dtype === "float64" ? [[0]] : []);

/** A sorted subset of the axes of a shape. */
const axesOf = (shp: readonly number[]) => fc.subarray(range(shp.length));

/** The multi-index of a flat row-major position, and back: for the plain-loop reference kernels. */
function unravel(flat: number, shp: readonly number[]): number[] {
  const idx = new Array<number>(shp.length);
  for (let d = shp.length - 1; d >= 0; d--) {
    idx[d] = flat % shp[d]!;
    flat = Math.floor(flat / shp[d]!);
  }
  return idx;
}
const ravel = (idx: readonly number[], shp: readonly number[]): number => idx.reduce((acc, i, d) => acc * shp[d]! + i, 0);

// ---------------------------------------------------------------- reductions

/** A reduction by plain loops: each element folded into the output element it lands on. */
const reduceReference =
  (fold: (acc: number, x: number) => number, init: number) =>
  ([x]: readonly ConcreteArray[], { axes }: { axes: readonly number[] }): ConcreteArray[] => {
    const keep = range(x!.ndim).filter((a) => !axes.includes(a));
    const outShape = keep.map((a) => x!.shape[a]!);
    const out = new Float64Array(sizeOf(outShape)).fill(init);
    for (let i = 0; i < x!.size; i++) {
      const idx = unravel(i, x!.shape);
      const o = ravel(keep.map((a) => idx[a]!), outShape);
      out[o] = fold(out[o]!, x!.data[i]!);
    }
    return [concrete(out, outShape)];
  };

const reduceSum = spec(r.reduceSumP, {
  setup: shape().chain((s) => axesOf(s).map((axes) => ({ params: { axes }, shape: s }))),
  args: (s) => floats(s.shape).map((x) => [x]),
  linearIn: [[0]],
  reference: reduceReference((a, x) => a + x, 0),
});

/** max/min over non-empty axes, on values without ties (where the derivative jumps). */
const extremum = (prim: typeof r.reduceMaxP, fold: (a: number, b: number) => number, init: number) =>
  spec(prim, {
    setup: shape().chain((s) =>
      axesOf(s).map((axes) => ({ params: { axes }, shape: s.map((d, i) => (axes.includes(i) ? Math.max(1, d) : d)) })),
    ),
    args: (s) => distinct(s.shape).map((x) => [x]),
    reference: reduceReference(fold, init),
  });

/** argmax/argmin along a non-empty axis; small integers, so ties (first index wins) happen. */
const argReduce = (prim: typeof r.argmaxP) =>
  spec(prim, {
    setup: shape({ minRank: 1 }).chain((s) =>
      fc.integer({ min: 0, max: s.length - 1 }).map((axis) => ({ params: { axis }, shape: s.map((d, i) => (i === axis ? Math.max(1, d) : d)) })),
    ),
    args: (s) => array(s.shape, smallInt()).map((x) => [x]),
    differentiable: false,
  });

const cumsum = spec(r.cumsumP, {
  setup: shape({ minRank: 1 }).chain((s) =>
    fc.record({ params: fc.record({ axis: fc.integer({ min: 0, max: s.length - 1 }), reverse: fc.boolean() }), shape: fc.constant(s) }),
  ),
  args: (s) => floats(s.shape).map((x) => [x]),
  linearIn: [[0]],
});

// ---------------------------------------------------------------- structural

/** A random shape with the product of `factors`: grouped into axes, with 1s inserted. */
const regroup = (factors: readonly number[]): fc.Arbitrary<number[]> =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: factors.length, maxLength: factors.length }),
      fc.array(fc.integer({ min: 0, max: factors.length }), { maxLength: 2 }),
    )
    .map(([cuts, ones]) => {
      const out: number[] = [];
      factors.forEach((f, i) => (i === 0 || cuts[i] ? out.push(f) : (out[out.length - 1]! *= f)));
      for (const at of ones) out.splice(Math.min(at, out.length), 0, 1);
      return out;
    });

const reshape = spec(st.reshapeP, {
  setup: fc
    .array(dim(0, 4), { maxLength: 4 })
    .chain((factors) =>
      fc.record({ from: regroup(factors), to: regroup(factors), dtype: anyDtype }).map(({ from, to, dtype }) => ({ params: { shape: to }, shape: from, dtype })),
    ),
  args: (s) => valuesOf(s.shape, s.dtype).map((x) => [x]),
  linearIn: linearIfFloat,
});

const transpose = spec(st.transposeP, {
  setup: fc.record({ shape: shape({ maxRank: 4 }), dtype: anyDtype }).chain(({ shape: s, dtype }) =>
    fc.shuffledSubarray(range(s.length), { minLength: s.length, maxLength: s.length }).map((perm) => ({ params: { perm }, shape: s, dtype })),
  ),
  args: (s) => valuesOf(s.shape, s.dtype).map((x) => [x]),
  linearIn: linearIfFloat,
  // out[i₀, i₁, …] = x[j] with j[perm[d]] = i_d
  reference: ([x], { perm }) => {
    const outShape = perm.map((p) => x!.shape[p]!);
    const out = new Array<number>(x!.size);
    for (let o = 0; o < out.length; o++) {
      const idx = unravel(o, outShape);
      const j = new Array<number>(x!.ndim);
      perm.forEach((p, d) => (j[p] = idx[d]!));
      out[o] = x!.data[ravel(j, x!.shape)]!;
    }
    return [concrete(out, outShape, x!.dtype)];
  },
});

/** Output shape, the output axes the input's axes become (in order), each input size 1 or equal. */
const broadcastInDim = spec(st.broadcastInDimP, {
  setup: fc.record({ out: shape(), dtype: anyDtype }).chain(({ out, dtype }) =>
    axesOf(out).chain((dims) =>
      fc
        .array(fc.boolean(), { minLength: dims.length, maxLength: dims.length })
        .map((keep) => ({ params: { shape: out, dims }, shape: dims.map((d, i) => (keep[i] ? out[d]! : 1)), dtype })),
    ),
  ),
  args: (s) => valuesOf(s.shape, s.dtype).map((x) => [x]),
  linearIn: linearIfFloat,
});

interface SliceAxis {
  start: number;
  step: number;
  size: number;
}

/** One axis of a slice of an axis of length `n`: step ±1..3, and a start and size that stay inside. */
const sliceAxis = (n: number): fc.Arbitrary<SliceAxis> =>
  fc.constantFrom(1, 2, 3, -1, -2).chain((step): fc.Arbitrary<SliceAxis> => {
    if (step > 0 || n === 0) {
      const st = Math.abs(step);
      return fc
        .integer({ min: 0, max: n })
        .chain((start) => fc.integer({ min: 0, max: Math.ceil((n - start) / st) }).map((size) => ({ start, step: st, size })));
    }
    return fc
      .integer({ min: 0, max: n - 1 })
      .chain((start) => fc.integer({ min: 0, max: Math.floor(start / -step) + 1 }).map((size) => ({ start, step, size })));
  });

const sliceSetup = fc.record({ shape: shape(), dtype: anyDtype }).chain(({ shape: s, dtype }) =>
  fc.tuple(...s.map(sliceAxis)).map((axes) => ({
    shape: s,
    dtype,
    start: axes.map((a) => a.start),
    step: axes.map((a) => a.step),
    size: axes.map((a) => a.size),
  })),
);

const slice = spec(st.sliceP, {
  setup: sliceSetup.map((s) => ({ ...s, params: { start: s.start, step: s.step, size: s.size } })),
  args: (s) => valuesOf(s.shape, s.dtype).map((x) => [x]),
  linearIn: linearIfFloat,
});

/** The transpose of slice: the operand has the slice's size, the output the full shape. */
const unslice = spec(st.unsliceP, {
  setup: sliceSetup
    .filter((s) => s.dtype !== "bool")
    .map((s) => ({ ...s, params: { shape: s.shape, start: s.start, step: s.step } })),
  args: (s) => valuesOf(s.size, s.dtype).map((x) => [x]),
  linearIn: linearIfFloat,
});

const concatenate = spec(st.concatenateP, {
  setup: fc.record({ base: shape({ minRank: 1 }), dtype: anyDtype, n: fc.integer({ min: 1, max: 3 }) }).chain(({ base, dtype, n }) =>
    fc
      .tuple(fc.integer({ min: 0, max: base.length - 1 }), fc.array(dim(0, 3), { minLength: n, maxLength: n }))
      .map(([axis, sizes]) => ({
        params: { axis },
        shapes: sizes.map((k) => base.map((d, i) => (i === axis ? k : d))),
        dtype,
      })),
  ),
  args: (s) => fc.tuple(...s.shapes.map((shp) => valuesOf(shp, s.dtype))),
  linearIn: (s) => (s.dtype === "float64" ? [range(s.shapes.length)] : []),
});

const DTYPES: readonly DType[] = ["float64", "float32", "int32", "bool"];
/** Every dtype to every dtype; linear (and differentiated) only float64 → float64. */
const convert = spec(st.convertP, {
  setup: fc
    .record({ shape: shape(), from: fc.constantFrom(...DTYPES), to: fc.constantFrom(...DTYPES) })
    .map((s) => ({ ...s, params: { dtype: s.to } })),
  args: (s) => valuesOf(s.shape, s.from).map((x) => [x]),
  linearIn: (s) => (s.from === "float64" && s.to === "float64" ? [[0]] : []),
});

// ---------------------------------------------------------------- contraction

/** Plain loops over the output and the contracted indices: the oracle for the blocked kernel. */
function dotReference([l, r]: readonly ConcreteArray[], p: DotParams): ConcreteArray[] {
  const free = (x: ConcreteArray, contract: readonly number[], batch: readonly number[]) =>
    range(x.ndim).filter((a) => !contract.includes(a) && !batch.includes(a));
  const lf = free(l!, p.lhsContract, p.lhsBatch);
  const rf = free(r!, p.rhsContract, p.rhsBatch);
  const outShape = [...p.lhsBatch.map((a) => l!.shape[a]!), ...lf.map((a) => l!.shape[a]!), ...rf.map((a) => r!.shape[a]!)];
  const kShape = p.lhsContract.map((a) => l!.shape[a]!);
  const nb = p.lhsBatch.length;
  const out = new Float64Array(sizeOf(outShape));
  for (let o = 0; o < out.length; o++) {
    const oi = unravel(o, outShape);
    const li = new Array<number>(l!.ndim);
    const ri = new Array<number>(r!.ndim);
    p.lhsBatch.forEach((a, j) => (li[a] = oi[j]!));
    p.rhsBatch.forEach((a, j) => (ri[a] = oi[j]!));
    lf.forEach((a, j) => (li[a] = oi[nb + j]!));
    rf.forEach((a, j) => (ri[a] = oi[nb + lf.length + j]!));
    let acc = 0;
    for (let q = 0; q < sizeOf(kShape); q++) {
      const ki = unravel(q, kShape);
      p.lhsContract.forEach((a, j) => (li[a] = ki[j]!));
      p.rhsContract.forEach((a, j) => (ri[a] = ki[j]!));
      acc += l!.data[ravel(li, l!.shape)]! * r!.data[ravel(ri, r!.shape)]!;
    }
    out[o] = acc;
  }
  return [concrete(out, outShape, l!.dtype)];
}

/**
 * Large matrix products, (batches of) m×k by k×n, past the kernel's packing and blocking sizes
 * (KC = 128, NC = 256 in kernels/matmul.ts) with partial strips.
 */
const largeDot = fc
  .record({ b: fc.constantFrom<number[]>([], [2]), m: fc.integer({ min: 4, max: 7 }), k: fc.integer({ min: 120, max: 136 }), n: fc.integer({ min: 250, max: 262 }) })
  .map(({ b, m, k, n }) => {
    const nb = b.length;
    return {
      params: { lhsBatch: range(nb), rhsBatch: range(nb), lhsContract: [nb + 1], rhsContract: [nb] },
      lhs: [...b, m, k],
      rhs: [...b, k, n],
    };
  });

/**
 * Random `dotGeneral` params: batch, contracted and free axes of each side in random positions,
 * contracted pairs in random order (not sorted), sizes 0..3; now and then a large product.
 */
const smallDot = fc
  .record({
    batch: fc.array(dim(0, 3), { maxLength: 2 }),
    contract: fc.array(dim(0, 3), { maxLength: 2 }),
    lfree: fc.array(dim(0, 3), { maxLength: 2 }),
    rfree: fc.array(dim(0, 3), { maxLength: 2 }),
  })
  .chain(({ batch, contract, lfree, rfree }) => {
    const nl = batch.length + contract.length + lfree.length;
    const nr = batch.length + contract.length + rfree.length;
    const perm = (n: number) => fc.shuffledSubarray(range(n), { minLength: n, maxLength: n });
    return fc.tuple(perm(nl), perm(nr), perm(contract.length)).map(([lp, rp, cp]) => {
      // Side layout before permuting: [batch..., contract..., free...]; lp[j] is where axis j goes.
      const place = (p: number[], sizes: number[]) => {
        const shp = new Array<number>(sizes.length);
        sizes.forEach((d, j) => (shp[p[j]!] = d));
        return shp;
      };
      const nb = batch.length;
      const nc = contract.length;
      const lsizes = [...batch, ...contract, ...lfree];
      const rsizes = [...batch, ...cp.map((j) => contract[j]!), ...rfree];
      return {
        params: {
          lhsBatch: range(nb).map((j) => lp[j]!),
          rhsBatch: range(nb).map((j) => rp[j]!),
          lhsContract: range(nc).map((j) => lp[nb + j]!),
          // The j-th contracted lhs axis pairs with the rhs axis holding contract[j].
          rhsContract: range(nc).map((j) => rp[nb + cp.indexOf(j)]!),
        },
        lhs: place(lp, lsizes),
        rhs: place(rp, rsizes),
      };
    });
  });

const dotGeneral = spec(dotGeneralP, {
  setup: fc.oneof({ weight: 12, arbitrary: smallDot }, { weight: 1, arbitrary: largeDot }),
  args: (s) => fc.tuple(floats(s.lhs), floats(s.rhs)),
  linearIn: [[0], [1]],
  reference: dotReference,
});

export const specs: PrimSpec[] = [
  reduceSum,
  extremum(r.reduceMaxP, Math.max, -Infinity),
  extremum(r.reduceMinP, Math.min, Infinity),
  argReduce(r.argmaxP),
  argReduce(r.argminP),
  cumsum,
  reshape,
  transpose,
  broadcastInDim,
  slice,
  unslice,
  concatenate,
  convert,
  dotGeneral,
];

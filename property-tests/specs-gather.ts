/**
 * @file Property-test specs of the gather/scatter family and `searchsorted` (gather.ts): an axis
 * of size n ≥ 1 with int32 indices in [0, n) — small n, so repeated indices are common — and
 * values in each primitive's domain.
 */
import fc from "fast-check";
import * as g from "../src/primitives/gather.ts";
import type { ConcreteArray } from "../src/core/ndarray.ts";
import { array, concrete, dim, distinct, floats, ints, magnitude, shape, sizeOf, smallInt, spec, uniform, type PrimSpec } from "./spec.ts";

/** An operand shape of rank ≥ 1 with a non-empty `axis`, and an index shape (rank 0..2). */
const setupOf = fc
  .tuple(shape({ minRank: 1 }), shape({ maxRank: 2 }))
  .chain(([x, idx]) =>
    fc.integer({ min: 0, max: x.length - 1 }).map((axis) => ({
      axis,
      x: x.map((d, i) => (i === axis ? Math.max(1, d) : d)),
      idx,
    })),
  )
  .map((s) => ({ ...s, updates: [...s.x.slice(0, s.axis), ...s.idx, ...s.x.slice(s.axis + 1)] }));

const indices = (s: { x: readonly number[]; axis: number; idx: readonly number[] }) => ints(s.idx, 0, s.x[s.axis]! - 1);

const gather = spec(g.gatherP, {
  setup: setupOf.map((s) => ({ ...s, params: { axis: s.axis } })),
  args: (s) => fc.tuple(floats(s.x), indices(s)).map((a): ConcreteArray[] => a),
  linearIn: [[0]],
});

const scatterAdd = spec(g.scatterAddP, {
  setup: setupOf.map((s) => ({ ...s, params: { axis: s.axis, shape: s.x } })),
  args: (s) => fc.tuple(floats(s.updates), indices(s)).map((a): ConcreteArray[] => a),
  linearIn: [[0]],
});

/** Operand, indices, updates of the three-argument updates. */
const xIdxU = (elem: fc.Arbitrary<number>) => (s: { x: number[]; axis: number; idx: number[]; updates: number[] }) =>
  fc.tuple(array(s.x, elem), indices(s), array(s.updates, elem)).map((a): ConcreteArray[] => a);

// Linear in (operand, updates) jointly: the output is each slot's operand or its last update.
const scatter = spec(g.scatterP, {
  setup: setupOf.map((s) => ({ ...s, params: { axis: s.axis } })),
  args: xIdxU(uniform(-2, 2)),
  linearIn: [[0, 2]],
});

// Factors away from 0: with two zero factors in one slot the second derivative is not exact (see gather.ts).
const scatterMul = spec(g.scatterMulP, {
  setup: setupOf.map((s) => ({ ...s, params: { axis: s.axis } })),
  args: xIdxU(magnitude(0.2, 1.5)),
});

/** min/max: operand and updates jointly distinct (the derivative jumps at ties). */
const extremum = (prim: typeof g.scatterMaxP) =>
  spec(prim, {
    setup: setupOf.map((s) => ({ ...s, params: { axis: s.axis } })),
    args: (s) =>
      fc.tuple(distinct([sizeOf(s.x) + sizeOf(s.updates)]), indices(s)).map(([all, idx]) => {
        const n = sizeOf(s.x);
        return [concrete(all.data.subarray(0, n), s.x), idx, concrete(all.data.subarray(n), s.updates)];
      }),
  });

/** `searchsorted`: rows of a sorted `a` (ties common) and values, sharing `lead` leading axes. */
const searchsorted = spec(g.searchsortedP, {
  setup: fc
    .record({ lead: shape({ maxRank: 2 }), n: dim(), rest: shape({ maxRank: 2 }), side: fc.constantFrom<"left" | "right">("left", "right") })
    .map(({ lead, n, rest, side }) => ({ params: { side, lead: lead.length }, a: [...lead, n], v: [...lead, ...rest] })),
  args: (s) => {
    const n = s.a[s.a.length - 1]!;
    const elem = fc.oneof(smallInt(-2, 2), uniform(-3, 3));
    return fc.tuple(array(s.a, elem), array(s.v, elem)).map(([a, v]) => {
      for (let r = 0; r < a.data.length; r += n) a.data.subarray(r, r + n).sort();
      return [a, v];
    });
  },
  differentiable: false,
});

export const specs: PrimSpec[] = [
  gather,
  scatterAdd,
  scatter,
  scatterMul,
  extremum(g.scatterMinP),
  extremum(g.scatterMaxP),
  searchsorted,
];

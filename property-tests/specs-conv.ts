/**
 * @file Property-test specs of `convGeneralDilated` (conv.ts): 1 or 2 spatial axes, strides,
 * padding pairs (negative ones crop), lhs and rhs dilation, feature or batch groups — the rules'
 * transposes and batching folds are exercised by every combination; the kernel is checked against
 * direct loops in test/conv.test.ts.
 */
import fc from "fast-check";
import { convP, convShape, type ConvParams } from "../src/primitives/conv.ts";
import type { ConcreteArray } from "../src/core/ndarray.ts";
import { floats, spec, type PrimSpec } from "./spec.ts";

/** Shapes and params of one convolution whose output is non-empty. */
export const convSetup = fc
  .record({
    nsp: fc.integer({ min: 1, max: 2 }),
    groups: fc.constantFrom<[number, number]>([1, 1], [2, 1], [3, 1], [1, 2]),
    nPer: fc.integer({ min: 1, max: 2 }),
    iPer: fc.integer({ min: 1, max: 2 }),
    oPer: fc.integer({ min: 1, max: 2 }),
    axes: fc.array(
      fc.record({
        input: fc.integer({ min: 1, max: 5 }),
        kernel: fc.integer({ min: 1, max: 3 }),
        stride: fc.integer({ min: 1, max: 2 }),
        lo: fc.integer({ min: -1, max: 2 }),
        hi: fc.integer({ min: -1, max: 2 }),
        lhsDil: fc.integer({ min: 1, max: 2 }),
        rhsDil: fc.integer({ min: 1, max: 2 }),
      }),
      { minLength: 2, maxLength: 2 },
    ),
  })
  .map(({ nsp, groups: [fgc, bgc], nPer, iPer, oPer, axes }) => {
    const ax = axes.slice(0, nsp);
    const g = Math.max(fgc, bgc);
    const params: ConvParams = {
      strides: ax.map((a) => a.stride),
      padding: ax.map((a) => [a.lo, a.hi] as const),
      lhsDilation: ax.map((a) => a.lhsDil),
      rhsDilation: ax.map((a) => a.rhsDil),
      featureGroupCount: fgc,
      batchGroupCount: bgc,
    };
    const lhs = [nPer * bgc, iPer * fgc, ...ax.map((a) => a.input)];
    const rhs = [oPer * g, iPer, ...ax.map((a) => a.kernel)];
    return { params, lhs, rhs };
  })
  .filter((s) => convShape(s.lhs, s.rhs, s.params).slice(2).every((d) => d > 0));

export const specs: PrimSpec[] = [
  spec(convP, {
    setup: convSetup,
    args: (s) => fc.tuple(floats(s.lhs), floats(s.rhs)).map((a): ConcreteArray[] => a),
    linearIn: [[0], [1]],
  }),
];

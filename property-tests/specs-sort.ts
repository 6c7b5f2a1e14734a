/**
 * @file Property-test specs of the primitives added with the extra elementwise functions and the
 * sorts: `exp2`, `log2`, `log10` (unary.ts) and `argsort` (sort.ts).
 */
import fc from "fast-check";
import * as u from "../src/primitives/unary.ts";
import { argsortP } from "../src/primitives/sort.ts";
import { array, shape, smallInt, spec, unarySpec, uniform, type PrimSpec } from "./spec.ts";

export const specs: PrimSpec[] = [
  unarySpec(u.exp2P, uniform(-3, 3)),
  unarySpec(u.log2P, uniform(0.1, 5)),
  unarySpec(u.log10P, uniform(0.1, 5)),
  // Integer output, so no derivative; small integers make ties (stability) and NaN-free floats the rest.
  spec(argsortP, {
    setup: shape({ minRank: 1 }).chain((shp) =>
      fc.integer({ min: 0, max: shp.length - 1 }).map((axis) => ({ params: { axis }, shape: shp })),
    ),
    args: (s) => array(s.shape, fc.oneof(smallInt(-2, 2), uniform(-3, 3))).map((x) => [x]),
    differentiable: false,
  }),
];

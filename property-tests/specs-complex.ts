/**
 * @file Property-test specs of the complex primitives (src/primitives/complex.ts): `real`, `imag`,
 * `conj` of complex128 arrays and `complex(re, im)` of float64 ones. All are real-linear, so each
 * checks its transpose under the pairing Re Σ aᵢ·bᵢ (see check.ts).
 */
import fc from "fast-check";
import * as cp from "../src/primitives/complex.ts";
import { complexes, floats, shape, spec, type PrimSpec } from "./spec.ts";

const NO_PARAMS = {} as Record<string, never>;
const oneComplex = (prim: typeof cp.realP): PrimSpec =>
  spec(prim, {
    setup: shape().map((s) => ({ params: NO_PARAMS, shape: s })),
    args: (s) => complexes(s.shape).map((z) => [z]),
    linearIn: [[0]],
  });

export const specs: PrimSpec[] = [
  oneComplex(cp.realP),
  oneComplex(cp.imagP),
  oneComplex(cp.conjP),
  spec(cp.complexP, {
    setup: shape().map((s) => ({ params: NO_PARAMS, shape: s })),
    args: (s) => fc.tuple(floats(s.shape), floats(s.shape)),
    linearIn: [[0, 1]],
  }),
];

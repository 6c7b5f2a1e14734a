/**
 * @file Property-test spec of the `fft` primitive (src/primitives/fft.ts): the unscaled transform
 * of a complex128 array along one axis, forward or inverse, on shapes whose transformed length
 * takes every kernel path (radix 2, the direct sum, Bluestein above 64). Linear in its operand.
 */
import fc from "fast-check";
import { fftP } from "../src/primitives/fft.ts";
import { complexes, shape, spec, type PrimSpec } from "./spec.ts";

/** A shape of rank 1–3 with the transformed axis of length 0–8 or one of 63, 64, 65, 100 (Bluestein). */
const fftSetup = shape({ minRank: 0, maxRank: 2, maxDim: 3 }).chain((lead) =>
  fc
    .record({
      at: fc.integer({ min: 0, max: lead.length }),
      n: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constantFrom(63, 64, 65, 100)),
      inverse: fc.boolean(),
    })
    .map(({ at, n, inverse }) => {
      const s = [...lead.slice(0, at), n, ...lead.slice(at)];
      return { params: { axis: at, inverse }, shape: s };
    }),
);

export const specs: PrimSpec[] = [
  spec(fftP, {
    setup: fftSetup,
    args: (s) => complexes(s.shape).map((z) => [z]),
    linearIn: [[0]],
  }),
];

/**
 * @file Property-test specs of the random-number primitives (random.ts): the Threefry hash (integer
 * outputs, no derivative) and the gamma sampler, differentiated in its shape parameter `a` with
 * the key words held fixed.
 */
import fc from "fast-check";
import { threefry2x32P, randomGammaP } from "../src/primitives/random.ts";
import { array, shape, spec, uniform, type PrimSpec } from "./spec.ts";

const NO_PARAMS = {} as Record<string, never>;
const word = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });

export const specs: PrimSpec[] = [
  spec(threefry2x32P, {
    setup: shape().map((shp) => ({ params: NO_PARAMS, shape: shp })),
    args: (s) => fc.tuple(...[0, 1, 2, 3].map(() => array(s.shape, word, "int32"))),
    differentiable: false,
  }),
  // a in [0.5, 6]: away from a → 0, where samples underflow and x ± ε steps cross 0.
  spec(randomGammaP, {
    setup: shape({ maxDim: 3 }).map((shp) => ({ params: NO_PARAMS, shape: shp })),
    args: (s) => fc.tuple(array(s.shape, word, "int32"), array(s.shape, word, "int32"), array(s.shape, uniform(0.5, 6))),
    wrt: [2],
  }),
];

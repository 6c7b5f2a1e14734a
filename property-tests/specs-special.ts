/**
 * @file Property-test specs of the special-function primitives (special.ts): each checked on a
 * domain away from its poles (Γ and ψ at 0, −1, …), branch points (Yₙ at 0, erfinv at ±1) and the
 * edges of the incomplete gamma and beta functions' support.
 */
import fc from "fast-check";
import * as s from "../src/primitives/special.ts";
import { elementwiseSpec, magnitude, offInteger, shape, smallInt, spec, unarySpec, uniform, zipped, type PrimSpec } from "./spec.ts";

/** Positive arguments, and negative ones at least 0.2 from the poles of Γ. */
const gammaDomain = fc.oneof(uniform(0.2, 5), offInteger(-3, -1, [0.2, 0.8]));

/** A Bessel primitive of order n ∈ {0, …, 3} on elements from `elem`. */
const bessel = (prim: typeof s.besselJP, elem: fc.Arbitrary<number>) =>
  spec(prim, {
    setup: fc.tuple(shape(), fc.integer({ min: 0, max: 3 })).map(([shp, n]) => ({ params: { n }, shape: shp })),
    args: (st) => zipped(st.shape, elem.map((x) => [x]), ["float64"]),
  });

/** (a, x) for the incomplete gamma functions: a off 0, x inside (0, ∞). */
const shapeAndX = fc.tuple(uniform(0.5, 5), uniform(0.1, 6));

export const specs: PrimSpec[] = [
  unarySpec(s.gammaP, gammaDomain),
  unarySpec(s.gammalnP, gammaDomain),
  unarySpec(s.digammaP, gammaDomain),
  // the order n is integer-valued and not differentiated
  elementwiseSpec(s.polygammaP, fc.tuple(smallInt(0, 3), uniform(0.3, 5)), ["float64", "float64"], { wrt: [1] }),
  unarySpec(s.erfP, uniform(-3, 3)),
  unarySpec(s.erfcP, uniform(-3, 3)),
  unarySpec(s.erfcxP, uniform(-2, 5)),
  unarySpec(s.erfinvP, uniform(-0.95, 0.95)),
  unarySpec(s.erfcinvP, uniform(0.05, 1.95)),
  // off x = 0, where Jₙ and Iₙ (n ≥ 2) vanish to order n and central differences keep an ε² term
  bessel(s.besselJP, magnitude(0.1, 6)),
  bessel(s.besselYP, uniform(0.3, 8)),
  bessel(s.besselIP, magnitude(0.1, 4)),
  bessel(s.besselIeP, magnitude(0.1, 4)),
  spec(s.igammaP, {
    setup: fc.tuple(shape(), fc.boolean()).map(([shp, upper]) => ({ params: { upper }, shape: shp })),
    args: (st) => zipped(st.shape, shapeAndX, ["float64", "float64"]),
  }),
  spec(s.igammaDerivAP, {
    setup: fc.tuple(shape(), fc.integer({ min: 1, max: 2 }), fc.boolean()).map(([shp, m, upper]) => ({ params: { m, upper }, shape: shp })),
    args: (st) => zipped(st.shape, shapeAndX, ["float64", "float64"]),
  }),
  spec(s.betaincP, {
    setup: fc
      .tuple(shape(), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 }))
      .map(([shp, ma, mb]) => ({ params: { ma, mb }, shape: shp })),
    args: (st) => zipped(st.shape, fc.tuple(uniform(0.5, 4), uniform(0.5, 4), uniform(0.05, 0.95)), ["float64", "float64", "float64"]),
  }),
  // probabilities away from 0 and 1, where the inverses' slopes blow up
  spec(s.igammaInvP, {
    setup: fc.tuple(shape(), fc.boolean()).map(([shp, upper]) => ({ params: { upper }, shape: shp })),
    args: (st) => zipped(st.shape, fc.tuple(uniform(0.5, 5), uniform(0.05, 0.95)), ["float64", "float64"]),
  }),
  elementwiseSpec(s.betaincInvP, fc.tuple(uniform(0.5, 4), uniform(0.5, 4), uniform(0.05, 0.95)), ["float64", "float64", "float64"]),
];


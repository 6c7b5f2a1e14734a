/**
 * @file Property-test specs of the elementwise primitives (unary.ts, binary.ts, compare.ts): the
 * domain each is checked on, chosen away from poles, kinks, jumps and ties.
 */
import fc from "fast-check";
import * as u from "../src/primitives/unary.ts";
import * as b from "../src/primitives/binary.ts";
import * as c from "../src/primitives/compare.ts";
import type { DType } from "../src/core/dtype.ts";
import {
  array,
  binarySpec,
  elementwiseSpec,
  magnitude,
  offInteger,
  shape,
  smallInt,
  spec,
  unarySpec,
  uniform,
  zipped,
  type PrimSpec,
} from "./spec.ts";

const NO_PARAMS = {} as Record<string, never>;
const pair = (x: fc.Arbitrary<number>, y: fc.Arbitrary<number>) => fc.tuple(x, y);

/** Off the jumps of floor/ceil/trunc (integers). */
const offJumps = offInteger(-3, 3, [0.1, 0.9]);

// ---------------------------------------------------------------- unary

const unary: PrimSpec[] = [
  unarySpec(u.negP, uniform(-3, 3), { linearIn: [[0]] }),
  unarySpec(u.expP, uniform(-3, 3)),
  unarySpec(u.logP, uniform(0.1, 5)),
  unarySpec(u.sinP, uniform(-4, 4)),
  unarySpec(u.cosP, uniform(-4, 4)),
  unarySpec(u.tanP, uniform(-1.3, 1.3)), // ≥ 0.27 from the poles at ±π/2
  unarySpec(u.tanhP, uniform(-3, 3)),
  unarySpec(u.sqrtP, uniform(0.1, 5)),
  unarySpec(u.absP, magnitude(0.1, 3)), // off the kink at 0
  unarySpec(u.signP, magnitude(0.1, 3)), // off the jump at 0
  unarySpec(u.log1pP, uniform(-0.9, 3)),
  unarySpec(u.expm1P, uniform(-3, 3)),
  unarySpec(u.sinhP, uniform(-3, 3)),
  unarySpec(u.coshP, uniform(-3, 3)),
  unarySpec(u.arcsinP, uniform(-0.9, 0.9)),
  unarySpec(u.arccosP, uniform(-0.9, 0.9)),
  unarySpec(u.arctanP, uniform(-3, 3)),
  unarySpec(u.arcsinhP, uniform(-3, 3)),
  unarySpec(u.arccoshP, uniform(1.1, 5)),
  unarySpec(u.arctanhP, uniform(-0.9, 0.9)),
  unarySpec(u.cbrtP, magnitude(0.1, 3)), // off the vertical tangent at 0
  unarySpec(u.floorP, offJumps),
  unarySpec(u.ceilP, offJumps),
  unarySpec(u.truncP, offJumps),
  unarySpec(u.roundP, offInteger(-3, 3, [0.1, 0.4], [0.6, 0.9])), // jumps at k + ½
  unarySpec(u.stopGradientP, uniform(-3, 3), { differentiable: false }),
];

// ---------------------------------------------------------------- binary

/** `y = x ± d` with |d| ≥ 0.1: no ties, where max/min have a kink. */
const untied = pair(uniform(-3, 3), magnitude(0.1, 2)).map(([x, d]) => [x, x + d] as const);
/** `(y, x)` at radius ≥ 0.2, at angles ≥ 0.2 from atan2's jump on the negative x axis. */
const polar = pair(uniform(0.2, 3), uniform(-Math.PI + 0.2, Math.PI - 0.2)).map(([r, t]) => [r * Math.sin(t), r * Math.cos(t)] as const);
/** `(x, y)` with |y| ≥ 0.3 and x/y ≥ 0.1 from an integer, where mod and fmod jump. */
const offQuotient = pair(magnitude(0.3, 3), offJumps).map(([y, q]) => [q * y, y] as const);

/**
 * `pow` on two domains: a positive base with any exponent (both differentiated), and a base of
 * either sign with an integer exponent (only the base: the derivative in the exponent is log x).
 */
const powSpec = spec(b.powP, {
  setup: fc.record({ params: fc.constant(NO_PARAMS), shape: shape(), negativeBase: fc.boolean() }),
  args: (s) =>
    zipped(
      s.shape,
      s.negativeBase ? pair(magnitude(0.2, 3), fc.integer({ min: -3, max: 3 })) : pair(uniform(0.2, 3), uniform(-2, 2)),
      ["float64", "float64"],
    ),
  wrt: (s) => (s.negativeBase ? [0] : [0, 1]),
});

const binary: PrimSpec[] = [
  binarySpec(b.addP, pair(uniform(-3, 3), uniform(-3, 3)), { linearIn: [[0, 1]] }),
  binarySpec(b.subP, pair(uniform(-3, 3), uniform(-3, 3)), { linearIn: [[0, 1]] }),
  binarySpec(b.mulP, pair(uniform(-3, 3), uniform(-3, 3)), { linearIn: [[0], [1]] }),
  binarySpec(b.divP, pair(uniform(-3, 3), magnitude(0.2, 3)), { linearIn: [[0]] }),
  powSpec,
  binarySpec(b.maxP, untied),
  binarySpec(b.minP, untied),
  binarySpec(b.atan2P, polar),
  binarySpec(b.modP, offQuotient),
  binarySpec(b.fmodP, offQuotient),
];

// ---------------------------------------------------------------- comparisons, logic, select

/** Small integers (so ties happen) and the odd NaN, in a numeric dtype. */
const comparable = (dtype: DType) =>
  dtype === "float64" ? fc.oneof({ weight: 9, arbitrary: smallInt() }, { weight: 1, arbitrary: fc.constant(NaN) }) : smallInt();

const comparison = (prim: (typeof c)["eqP"]): PrimSpec =>
  spec(prim, {
    setup: fc.record({ params: fc.constant(NO_PARAMS), shape: shape(), dtype: fc.constantFrom<DType>("float64", "int32") }),
    args: (s) => zipped(s.shape, pair(comparable(s.dtype), comparable(s.dtype)), [s.dtype, s.dtype]),
    differentiable: false,
  });

const bit = fc.integer({ min: 0, max: 1 });
const special = fc.oneof(uniform(-3, 3), fc.constantFrom(NaN, Infinity, -Infinity, 0));

const compare: PrimSpec[] = [
  ...[c.eqP, c.neP, c.ltP, c.leP, c.gtP, c.geP].map(comparison),
  ...[c.andP, c.orP, c.xorP].map((p) => elementwiseSpec(p, pair(bit, bit), ["bool", "bool"], { differentiable: false })),
  elementwiseSpec(c.notP, bit.map((x) => [x]), ["bool"], { differentiable: false }),
  ...[c.isnanP, c.isinfP, c.isfiniteP].map((p) =>
    spec(p, {
      setup: shape().map((s) => ({ params: NO_PARAMS, shape: s })),
      args: (s) => array(s.shape, special).map((x) => [x]),
      differentiable: false,
    }),
  ),
  elementwiseSpec(c.selectP, fc.tuple(bit, uniform(-3, 3), uniform(-3, 3)), ["bool", "float64", "float64"], { linearIn: [[1, 2]] }),
];

export const specs: PrimSpec[] = [...unary, ...binary, ...compare];

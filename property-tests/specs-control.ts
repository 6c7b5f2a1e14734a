/**
 * @file Property-test specs of the higher-order primitives `cond`, `scan` and `while`: their params
 * are closed jaxprs staged (at setup) from small bodies, nonlinear ones for the derivative and
 * batching checks, and linear ones where the transpose identity is checked too.
 */
import fc from "fast-check";
import type { NDArray } from "../src/core/ndarray.ts";
import type { ClosedJaxpr } from "../src/core/jaxpr.ts";
import { stageFlat } from "../src/interpreters/staging.ts";
import { condP } from "../src/higher-order/control.ts";
import { scanP, whileP } from "../src/higher-order/loops.ts";
import * as np from "../src/numpy/index.ts";
import { floats, ints, offInteger, shape, spec, type PrimSpec } from "./spec.ts";

type Float = "float64" | "float32";
const fl = (s: readonly number[], dtype: Float) => ({ shape: s, dtype });
const i32 = { shape: [] as number[], dtype: "int32" as const };
const staged = (f: (xs: NDArray[]) => NDArray[], avals: Parameters<typeof stageFlat>[1]): ClosedJaxpr => stageFlat(f, avals, "spec").jaxpr;

type Body = (xs: NDArray[]) => NDArray[];
// cond branches over (x, y): nonlinear, and linear in (x, y) jointly.
const nonlinearBranches: Body[] = [
  ([x, y]) => [np.sin(x!).mul(y!), x!.mul(x!)],
  ([x, y]) => [np.exp(x!.mul(0.5)).sub(y!), y!.mul(y!).mul(x!)],
  ([x, y]) => [np.tanh(y!), x!.mul(y!).add(1)],
];
const linearBranches: Body[] = [
  ([x, y]) => [x!.mul(2).sub(y!), y!.mul(0.5)],
  ([x, y]) => [x!.add(y!), x!.neg()],
  ([x, y]) => [y!.mul(3), x!.sub(y!.mul(0.25))],
];

// scan bodies over (w: const, c: carry, x) → (c', y), and which argument sets they are linear in.
const scanBodies: { body: Body; linearIn: number[][] }[] = [
  { body: ([w, c, x]) => [np.tanh(c!.mul(w!).add(x!)), np.sin(c!).mul(x!)], linearIn: [] },
  { body: ([w, c, x]) => [c!.mul(0.5).add(x!.mul(w!)), c!.sub(x!)], linearIn: [[1, 2]] },
  { body: ([w, c, x]) => [c!.mul(0.5).add(w!).add(x!), c!.add(w!.mul(2))], linearIn: [[0, 1, 2]] },
];

const condParams = (s: readonly number[], linear: boolean, nb: number, dt: Float) => ({
  branches: (linear ? linearBranches : nonlinearBranches).slice(0, nb).map((b) => staged(b, [fl(s, dt), fl(s, dt)])),
});
const scanParams = (s: readonly number[], n: number, reverse: boolean, kind: number, dt: Float) => ({
  jaxpr: staged(scanBodies[kind]!.body, [fl(s, dt), fl(s, dt), fl(s, dt)]),
  length: n,
  reverse,
  numConsts: 1,
  numCarry: 1,
});
const whileParams = (s: readonly number[], dt: Float) => ({
  condJaxpr: staged(([lim, k]) => [np.less(k!, lim!)], [fl([], dt), i32, fl(s, dt)]),
  bodyJaxpr: staged(([w, k, x]) => [k!.add(1), np.sin(x!).mul(w!).add(x!.mul(0.5))], [fl(s, dt), i32, fl(s, dt)]),
  condNConsts: 1,
  bodyNConsts: 1,
  numStacked: 0,
  numFlags: 0,
});

export const specs: PrimSpec[] = [
  spec(condP, {
    setup: fc
      .tuple(shape({ maxRank: 2, maxDim: 3 }), fc.boolean(), fc.integer({ min: 2, max: 3 }))
      .map(([s, linear, nb]) => ({ params: condParams(s, linear, nb, "float64"), shape: s, nb, linear })),
    retype: (s, dt) => ({ ...s, params: condParams(s.shape, s.linear, s.nb, dt) }),
    args: (s) => fc.tuple(ints([], 0, s.nb - 1), floats(s.shape), floats(s.shape)).map((a) => [...a]),
    linearIn: (s) => (s.linear ? [[1, 2]] : []),
  }),
  spec(scanP, {
    setup: fc
      .tuple(shape({ maxRank: 1, maxDim: 3 }), fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.integer({ min: 0, max: scanBodies.length - 1 }))
      .map(([s, n, reverse, kind]) => ({ params: scanParams(s, n, reverse, kind, "float64"), shape: s, kind })),
    retype: (s, dt) => ({ ...s, params: scanParams(s.shape, s.params.length, s.params.reverse, s.kind, dt) }),
    args: (s) => fc.tuple(floats(s.shape), floats(s.shape), floats([s.params.length, ...s.shape])).map((a) => [...a]),
    linearIn: (s) => scanBodies[s.kind]!.linearIn,
  }),
  // while over carry (k: int32 counter, x) with a cond const (the bound, off integers) and a body const w.
  spec(whileP, {
    setup: shape({ maxRank: 1, maxDim: 3 }).map((s) => ({ params: whileParams(s, "float64"), shape: s })),
    retype: (s, dt) => ({ ...s, params: whileParams(s.shape, dt) }),
    args: (s) => fc.tuple(offInteger(0, 3, [0.2, 0.8]).map((v) => np.array(v) as never), floats(s.shape), ints([], 0, 3), floats(s.shape)).map((a) => [...a]),
  }),
];

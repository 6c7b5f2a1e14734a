/**
 * @file Property-test specs of the higher-order primitives that carry staged functions: `pjit`,
 * `custom_jvp_call`, `custom_vjp_call` (reverse only, as in JAX), `checkpoint` under each saving
 * policy, and `checkpoint_name`. Their params hold closed jaxprs staged at the drawn shapes from a
 * small catalogue of bodies (several outputs, linear and bilinear ones, a matrix product).
 */
import fc from "fast-check";
import type { Aval, NDArray } from "../src/core/ndarray.ts";
import { stageFlat } from "../src/interpreters/staging.ts";
import { pjitP } from "../src/higher-order/pjit.ts";
import { customJvpCallP, customVjpCallP } from "../src/higher-order/custom.ts";
import { checkpointNameP, checkpointP, dotsSaveable, everythingSaveable, nothingSaveable, saveOnlyTheseNames, checkpointName } from "../src/higher-order/checkpoint.ts";
import * as np from "../src/numpy/index.ts";
import { floats, shape, spec, type PrimSpec } from "./spec.ts";

type Body = (xs: NDArray[]) => NDArray[];
type Float = "float64" | "float32";
const aval = (shp: readonly number[], dtype: Float): Aval => ({ shape: shp, dtype });
/** A body staged for two arguments of one shape (float64, or float32 for the float32 check). */
const stage = (body: Body, shp: readonly number[], dtype: Float = "float64") => stageFlat(body, [aval(shp, dtype), aval(shp, dtype)], "spec").jaxpr;

/** Bodies of two arguments of one shape, with the argument sets each is linear in. */
const bodies: Record<string, { body: Body; linearIn: number[][] }> = {
  // Two outputs, nonlinear in both arguments.
  sinmul: { body: ([x, y]) => [np.sin(x!).mul(y!), np.tanh(x!)], linearIn: [] },
  // Jointly linear, with a constant and a reshape.
  linear: { body: ([x, y]) => [x!.mul(3).sub(y!), np.ravel(y!)], linearIn: [[0, 1]] },
  // Linear in each argument alone.
  bilinear: { body: ([x, y]) => [x!.mul(y!)], linearIn: [[0], [1]] },
  // An outer product through a matrix multiply (a dotGeneral for dotsSaveable), then tanh.
  matmul: { body: ([x, y]) => [np.tanh(np.matmul(np.ravel(x!).reshape([-1, 1]), np.ravel(y!).reshape([1, -1])))], linearIn: [] },
};
const bodyNames = Object.keys(bodies);

const twoFloats = (s: { shape: readonly number[] }) => fc.tuple(floats(s.shape), floats(s.shape)).map((a) => [...a]);

const pjit = spec(pjitP, {
  setup: fc.tuple(shape(), fc.constantFrom(...bodyNames)).map(([shp, b]) => ({ shape: shp, body: b, params: { name: b, jaxpr: stage(bodies[b]!.body, shp) } })),
  args: twoFloats,
  linearIn: (s) => bodies[s.body]!.linearIn,
  retype: (s, dt) => ({ ...s, params: { name: s.body, jaxpr: stage(bodies[s.body]!.body, s.shape, dt) } }),
});

// sin(x)·y with its own (correct) JVP rule, written with numpy functions.
const sinmul: Body = ([x, y]) => [np.sin(x!).mul(y!)];
const sinmulRule: Body = ([x, y, tx, ty]) => [np.cos(x!).mul(tx!).mul(y!).add(np.sin(x!).mul(ty!))];

const customJvpParams = (shp: readonly number[], dtype: Float = "float64") => ({ name: "sinmul", funJaxpr: stage(sinmul, shp, dtype), numHoisted: 0, jvpRule: sinmulRule });
const customJvp = spec(customJvpCallP, {
  setup: shape().map((shp) => ({ shape: shp, params: customJvpParams(shp) })),
  args: twoFloats,
  retype: (s, dt) => ({ ...s, params: customJvpParams(s.shape, dt) }),
});

// The same function with fwd (residuals cos x, sin x, y) and bwd.
const fwd: Body = ([x, y]) => [np.cos(x!), np.sin(x!), y!];
const bwd: Body = ([c, s, y, ct]) => [ct!.mul(y!).mul(c!), ct!.mul(s!)];

const customVjpParams = (shp: readonly number[]) => ({
  name: "sinmul",
  funJaxpr: stage(sinmul, shp),
  fwdJaxpr: stage(fwd, shp),
  bwdJaxpr: stageFlat(bwd, [0, 1, 2, 3].map(() => aval(shp, "float64")), "spec").jaxpr,
  numHoisted: [0, 0, 0] as const,
});
const customVjp = spec(customVjpCallP, {
  setup: shape().map((shp) => ({ shape: shp, params: customVjpParams(shp) })),
  args: twoFloats,
  reverseOnly: true,
});

// A body with a named intermediate, so saveOnlyTheseNames has something to keep.
const named: Body = ([x, y]) => {
  const h = checkpointName(np.tanh(x!.mul(y!)), "h");
  return [np.sin(h).mul(x!), h];
};
const policies = { nothingSaveable, everythingSaveable, dotsSaveable, saveOnlyH: saveOnlyTheseNames("h") };

const checkpoint = spec(checkpointP, {
  setup: fc
    .tuple(shape(), fc.constantFrom("named", ...bodyNames), fc.constantFrom(...(Object.keys(policies) as (keyof typeof policies)[])))
    .map(([shp, b, p]) => ({
      shape: shp,
      body: b,
      policy: p,
      params: { name: b, jaxpr: stage(b === "named" ? named : bodies[b]!.body, shp), policy: policies[p] },
    })),
  args: twoFloats,
  retype: (s, dt) => ({ ...s, params: { ...s.params, jaxpr: stage(s.body === "named" ? named : bodies[s.body]!.body, s.shape, dt) } }),
});

const name = spec(checkpointNameP, {
  setup: shape().map((shp) => ({ shape: shp, params: { name: "h" } })),
  args: (s) => floats(s.shape).map((x) => [x]),
  linearIn: [[0]],
});

export const specs: PrimSpec[] = [pjit, customJvp, customVjp, checkpoint, name];

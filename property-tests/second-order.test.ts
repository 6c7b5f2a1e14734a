/**
 * @file Second-order properties of every registered primitive: the same checks as first-order
 * (JVP against central differences, VJP against JVP) applied to the derivative functions
 * (x, v) ↦ J(x)v and (x, u) ↦ J(x)ᵀu, so the rules' own rules are checked.
 */
import { describe, it } from "vitest";
import type { NDArray } from "../src/core/ndarray.ts";
import { checkJvpVsFd, checkVjpVsFd, checkVjpVsJvp, checkZeroDerivative, Rng, type Fn } from "./check.ts";
import {
  activeSubset,
  cases,
  floatOutputs,
  jvpOf,
  outAvals,
  partial,
  primFn,
  primitiveNames,
  property,
  specs,
  vjpOf,
  wrtOf,
  type Case,
} from "./harness.ts";
import type { PrimSpec } from "./spec.ts";

/**
 * The derivative function `which` of a case, as a function of the active arguments and the
 * tangent (or cotangent), with its inputs and random directions for checking it.
 */
function derivative(spec: PrimSpec, c: Case, which: "jvp" | "vjp") {
  const rng = new Rng(c.seed);
  const { params } = c.setup;
  const avals = outAvals(spec, c.args, params);
  const active = activeSubset(wrtOf(spec, c), rng);
  const outs = floatOutputs(avals);
  const n = c.args.length;
  const xs = active.map((i) => c.args[i]!);
  // The direction argument: tangents shaped like the active inputs, or cotangents like the outputs.
  const dirs = which === "jvp" ? xs.map((x) => rng.like(x)) : outs.map((k) => rng.like(avals[k]!));
  const full = (which === "jvp" ? jvpOf : vjpOf)(primFn(spec, params, outs), n, active);
  const G: Fn = partial(full, [...c.args, ...dirs], [...active, ...dirs.map((_, k) => n + k)]);
  const inputs: NDArray[] = [...xs, ...dirs];
  const ws = inputs.map((x) => rng.like(x));
  const gOuts = G(...inputs);
  const us = gOuts.map((o) => rng.like(o));
  return { G, inputs, ws, us, active };
}

for (const name of primitiveNames) {
  const spec = specs.get(name);
  describe.skipIf(!spec)(name, () => {
    if (!spec) return;
    // A reverse-only primitive has no (x, v) ↦ J(x)v, and its vjp is checked by reverse mode again.
    for (const which of spec.reverseOnly ? (["vjp"] as const) : (["jvp", "vjp"] as const)) {
      const f = which === "jvp" ? "(x, v) ↦ J(x)v" : "(x, u) ↦ J(x)ᵀu";
      const title = spec.reverseOnly ? "its vjp ≈ central differences" : spec.differentiable ? "its jvp ≈ central differences, its vjp agrees with its jvp" : "its jvp and vjp are zero";
      it(`${f}: ${title}`, () => {
        property(cases(spec), 80, (c) => {
          const { G, inputs, ws, us, active } = derivative(spec, c, which);
          if (active.length === 0) return;
          if (spec.reverseOnly) return checkVjpVsFd(G, inputs, ws, us);
          if (!spec.differentiable) return checkZeroDerivative(G, inputs, ws, us);
          checkJvpVsFd(G, inputs, ws, us);
          checkVjpVsJvp(G, inputs, ws, us);
        });
      });
    }
  });
}

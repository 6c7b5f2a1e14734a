/**
 * @file Batching properties of every registered primitive: `vmap` of the primitive, of its JVP, of
 * its VJP and of itself, with random batch axes per argument (`null` for some), against a loop;
 * and the derivatives of the vmapped primitive (its batching rule differentiated).
 */
import { describe, it } from "vitest";
import { bind } from "../src/core/trace.ts";
import { vmap } from "autograd-ts";
import { checkJvpVsFd, checkVjpVsFd, checkVjpVsJvp, checkVmap, checkZeroDerivative, randomInAxes, Rng, stack, type Fn } from "./check.ts";
import { activeSubset, batchCases, checkDerivativeVmap, floatOutputs, outAvals, partial, primFn, primitiveNames, property, specs, wrtOf } from "./harness.ts";

for (const name of primitiveNames) {
  const spec = specs.get(name);
  describe.skipIf(!spec)(name, () => {
    if (!spec) return;

    it("vmap agrees with a loop", () => {
      property(batchCases(spec), 80, (bc) => {
        const rng = new Rng(bc.seed);
        const F: Fn = (...xs) => bind(spec.prim, xs, bc.setup.params);
        checkVmap(F, bc.examples, randomInAxes(bc.examples[0]!, rng), rng);
      });
    });

    it("vmap of vmap agrees with a loop of vmaps", () => {
      property(batchCases(spec, 4), 40, (bc) => {
        const rng = new Rng(bc.seed);
        const F: Fn = (...xs) => bind(spec.prim, xs, bc.setup.params);
        // Examples 2o and 2o + 1 make outer example o, batched along the inner axes.
        const inner = randomInAxes(bc.examples[0]!, rng);
        const outerExamples = [0, 1].map((o) =>
          inner.map((a, i) => (a === null ? bc.examples[2 * o]![i]! : stack([bc.examples[2 * o]![i]!, bc.examples[2 * o + 1]![i]!], a))),
        );
        const innerOut = F(...bc.examples[0]!).map(() => 0);
        const vF = vmap(F, { inAxes: inner, outAxes: innerOut }) as Fn;
        checkVmap(vF, outerExamples, randomInAxes(outerExamples[0]!, rng), rng);
      });
    });

    const derivTitle = spec.reverseOnly
      ? "vjp of vmap ≈ central differences"
      : spec.differentiable
        ? "jvp of vmap ≈ central differences, its vjp agrees with its jvp"
        : "jvp and vjp of vmap are zero";
    it(derivTitle, () => {
      property(batchCases(spec), 60, (bc) => {
        const rng = new Rng(bc.seed);
        const { params } = bc.setup;
        const first = bc.examples[0]!;
        const active = activeSubset(wrtOf(spec, { setup: bc.setup, args: first }), rng);
        if (active.length === 0) return;
        // An unbatched argument pairs example 0's value with the other examples' arguments, which can
        // leave a joint domain (x/y off integers for mod…): central differences need B = 1 for that.
        const axes = randomInAxes(first, rng, bc.examples.length === 1);
        const batched = axes.map((a, i) => (a === null ? first[i]! : stack(bc.examples.map((e) => e[i]!), a)));
        const outs = floatOutputs(outAvals(spec, first, params));
        const G = partial(vmap(primFn(spec, params, outs), { inAxes: axes }) as Fn, batched, active);
        const xs = active.map((i) => batched[i]!);
        const vs = xs.map((x) => rng.like(x));
        const us = G(...xs).map((o) => rng.like(o));
        if (spec.reverseOnly) return checkVjpVsFd(G, xs, vs, us);
        if (!spec.differentiable) return checkZeroDerivative(G, xs, vs, us);
        checkJvpVsFd(G, xs, vs, us);
        checkVjpVsJvp(G, xs, vs, us);
      });
    });

    for (const which of spec.reverseOnly ? (["vjp"] as const) : (["jvp", "vjp"] as const)) {
      it(`vmap of the ${which} agrees with a loop`, () => {
        property(batchCases(spec), 60, (bc) => checkDerivativeVmap(spec, bc, which));
      });
    }
  });
}

/**
 * @file Batching properties of every registered primitive: `vmap` of the primitive, of its JVP, of
 * its VJP and of itself, with random batch axes per argument (`null` for some), against a loop.
 */
import { describe, it } from "vitest";
import { bind } from "../src/interpreters/core.ts";
import { vmap } from "autograd-ts";
import { checkVmap, randomInAxes, Rng, stack, type Fn } from "./check.ts";
import { activeSubset, batchCases, floatOutputs, jvpOf, outAvals, primFn, primitiveNames, property, specs, vjpOf, wrtOf } from "./harness.ts";

for (const name of primitiveNames) {
  const spec = specs.get(name);
  describe.skipIf(!spec)(name, () => {
    if (!spec) return;

    it("vmap agrees with a loop", () => {
      property(batchCases(spec), 60, (bc) => {
        const rng = new Rng(bc.seed);
        const F: Fn = (...xs) => bind(spec.prim, xs, bc.setup.params);
        checkVmap(F, bc.examples, randomInAxes(bc.examples[0]!, rng), rng);
      });
    });

    it("vmap of vmap agrees with a loop of vmaps", () => {
      property(batchCases(spec, 4), 30, (bc) => {
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

    for (const which of ["jvp", "vjp"] as const) {
      it(`vmap of the ${which} agrees with a loop`, () => {
        property(batchCases(spec), 40, (bc) => {
          const rng = new Rng(bc.seed);
          const { params } = bc.setup;
          const first = bc.examples[0]!;
          const avals = outAvals(spec, first, params);
          const active = activeSubset(wrtOf(spec, { setup: bc.setup, args: first }), rng);
          if (active.length === 0) return;
          const outs = floatOutputs(avals);
          const G = (which === "jvp" ? jvpOf : vjpOf)(primFn(spec, params, outs), first.length, active);
          // Each example: the arguments, then its own tangents (or cotangents).
          const examples = bc.examples.map((args) => [
            ...args,
            ...(which === "jvp" ? active.map((i) => rng.like(args[i]!)) : outs.map((k) => rng.like(avals[k]!))),
          ]);
          checkVmap(G, examples, randomInAxes(examples[0]!, rng), rng);
        });
      });
    }
  });
}

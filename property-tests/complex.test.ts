/**
 * @file Properties of every primitive on complex operands (complex-specs.ts): the kernel agrees
 * with the shape/dtype rule; the JVP agrees with central differences along a real and along an
 * imaginary direction of each complex argument; the VJP agrees with the JVP under JAX's pairing
 * Re Σ uᵢ(Jv)ᵢ = Re Σ (Jᵀu)ᵢvᵢ (unconjugated: see docs/complex-internals.md), and so does
 * `linearize`; transpose rules are adjoint under that pairing; `vmap` of the primitive and of its
 * derivatives agrees with a loop; and the same derivative checks hold at second order.
 */
import { describe, expect, it } from "vitest";
import { bind } from "../src/core/trace.ts";
import { ConcreteArray, type NDArray } from "../src/core/ndarray.ts";
import { allocate, isComplex } from "../src/core/dtype.ts";
import type { LinearArg } from "../src/core/primitive.ts";
import {
  checkJvpVsFd,
  checkLinearizeVsJvp,
  checkTranspose,
  checkVjpVsJvp,
  checkVmap,
  checkZeroDerivative,
  randomInAxes,
  Rng,
  type Fn,
} from "./check.ts";
import { activeSubset, batchCases, cases, checkDerivativeVmap, firstOrder, floatOutputs, jvpOf, outAvals, partial, primFn, property, vjpOf, wrtOf, type Case } from "./harness.ts";
import { complexSpecs } from "./complex-specs.ts";

/** The real-part-only and the imaginary-part-only directions of `v` (a real `v` as it is). */
function realDirections(v: ConcreteArray): ConcreteArray[] {
  if (!isComplex(v.dtype)) return [v];
  return [0, 1].map((part) => {
    const data = new Float64Array(v.data.length);
    for (let i = part; i < data.length; i += 2) data[i] = v.data[i]!;
    return new ConcreteArray(data, v.shape, v.dtype);
  });
}


/** Whether a case has a complex operand (some setups of a complexified spec draw int or bool only). */
const hasComplex = (c: Case): boolean => c.args.some((a) => isComplex(a.dtype));

describe.each(complexSpecs.map((s) => [s.name, s] as const))("%s on complex operands", (_, spec) => {
  it("kernel outputs have the shapes and dtypes of abstractEval", () => {
    property(cases(spec), 40, (c) => {
      const want = outAvals(spec, c.args, c.setup.params);
      const got = bind(spec.prim, c.args, c.setup.params);
      expect(got.map((o) => ({ shape: [...o.shape], dtype: o.dtype }))).toEqual(want.map((a) => ({ shape: [...a.shape], dtype: a.dtype })));
    });
  });

  it(spec.differentiable ? "jvp ≈ central differences along real and imaginary directions" : "jvp and vjp are zero", () => {
    property(cases(spec), 100, (c) => {
      const { F, xs, vs, us, active } = firstOrder(spec, c);
      if (active.length === 0 || !hasComplex(c)) return;
      if (!spec.differentiable) return checkZeroDerivative(F, xs, vs, us);
      // Each argument's direction split into its real and imaginary parts, one argument at a time.
      vs.forEach((v, k) => {
        for (const d of realDirections(v as ConcreteArray)) {
          const dirs = vs.map((w, j) => (j === k ? d : new ConcreteArray(allocate(w.dtype, w.size), w.shape, w.dtype)));
          checkJvpVsFd(F, xs, dirs, us);
        }
      });
      checkJvpVsFd(F, xs, vs, us);
    });
  });

  if (!spec.differentiable) return;

  it("vjp agrees with jvp: Re Σ u·Jv = Re Σ (Jᵀu)·v; so does linearize", () => {
    property(cases(spec), 100, (c) => {
      const { F, xs, vs, us, active } = firstOrder(spec, c);
      if (active.length === 0 || !hasComplex(c)) return;
      checkVjpVsJvp(F, xs, vs, us);
      checkLinearizeVsJvp(F, xs, vs, us);
    });
  });

  const rule = spec.prim.transpose;
  if (spec.linearIn !== null && rule !== "nonlinear") {
    it("transpose rule: Re Σ ct·L(x) = Re Σ Lᵀ(ct)·x", () => {
      property(cases(spec), 60, (c) => {
        if (!hasComplex(c)) return;
        const rng = new Rng(c.seed);
        const { params } = c.setup;
        const avals = outAvals(spec, c.args, params);
        for (const lin of spec.linearIn!(c.setup)) {
          const L = partial(primFn(spec, params, avals.map((_, k) => k)), c.args, lin);
          const cts = avals.map((a) => {
            const r = rng.like(a);
            const data = allocate(a.dtype, r.size);
            data.set(r.data);
            return new ConcreteArray(data, a.shape, a.dtype);
          });
          const linArgs: LinearArg[] = c.args.map((a, i) => (lin.includes(i) ? { undefinedPrimal: true, aval: { shape: a.shape, dtype: a.dtype } } : a));
          const transpose = (ct: NDArray[]) => {
            const back = rule(ct, linArgs, params);
            return lin.map((i) => back[i] ?? null);
          };
          checkTranspose(L, transpose, lin.map((i) => c.args[i]!), cts);
        }
      });
    });
  }

  for (const which of ["jvp", "vjp"] as const) {
    it(`second order: (x, ${which === "jvp" ? "v) ↦ J(x)v" : "u) ↦ J(x)ᵀu"} ≈ central differences, its vjp agrees with its jvp`, () => {
      property(cases(spec), 60, (c) => {
        if (!hasComplex(c)) return;
        const rng = new Rng(c.seed);
        const { params } = c.setup;
        const avals = outAvals(spec, c.args, params);
        const active = activeSubset(wrtOf(spec, c), rng);
        if (active.length === 0) return;
        const outs = floatOutputs(avals);
        const n = c.args.length;
        const xs = active.map((i) => c.args[i]!);
        const dirs = which === "jvp" ? xs.map((x) => rng.like(x)) : outs.map((k) => rng.like(avals[k]!));
        const full = (which === "jvp" ? jvpOf : vjpOf)(primFn(spec, params, outs), n, active);
        const G: Fn = partial(full, [...c.args, ...dirs], [...active, ...dirs.map((_, k) => n + k)]);
        const inputs: NDArray[] = [...xs, ...dirs];
        const ws = inputs.map((x) => rng.like(x));
        const us = G(...inputs).map((o) => rng.like(o));
        checkJvpVsFd(G, inputs, ws, us);
        checkVjpVsJvp(G, inputs, ws, us);
      });
    });
  }
});

describe.each(complexSpecs.map((s) => [s.name, s] as const))("%s on complex operands under vmap", (_, spec) => {
  it("vmap agrees with a loop", () => {
    property(batchCases(spec), 60, (bc) => {
      const rng = new Rng(bc.seed);
      const F: Fn = (...xs) => bind(spec.prim, xs, bc.setup.params);
      checkVmap(F, bc.examples, randomInAxes(bc.examples[0]!, rng), rng);
    });
  });

  if (!spec.differentiable) return;
  for (const which of ["jvp", "vjp"] as const) {
    it(`vmap of the ${which} agrees with a loop`, () => {
      property(batchCases(spec), 40, (bc) => checkDerivativeVmap(spec, bc, which));
    });
  }
});

/**
 * @file First-order properties of every registered primitive: the kernel agrees with its shape
 * rule, the JVP with central differences, the VJP with the JVP (⟨u, J v⟩ = ⟨Jᵀu, v⟩), float32
 * stays float32, and a transpose rule agrees with its linear primitive (⟨ct, L(x)⟩ = ⟨Lᵀct, x⟩).
 */
import { describe, expect, it } from "vitest";
import { bind } from "../src/core/trace.ts";
import { ConcreteArray, type Aval, type NDArray } from "../src/core/ndarray.ts";
import { allocate, isComplex, isInexact } from "../src/core/dtype.ts";
import { jvp, vjp } from "autograd-ts";
import type { LinearArg } from "../src/core/primitive.ts";
import { checkClose, checkJvpVsFd, checkLinearizeVsJvp, checkNoForwardMode, checkTranspose, checkVjpVsFd, checkVjpVsJvp, checkZeroDerivative, Rng } from "./check.ts";
import { cases, firstOrder, outAvals, partial, primFn, primitiveNames, property, specs, wrtOf } from "./harness.ts";

/** Random values of `aval`'s dtype (for a cotangent), or `values` converted to it. */
function ofDtype(rng: Rng, aval: Aval, values: ConcreteArray = rng.like(aval)): ConcreteArray {
  const data = allocate(aval.dtype, values.size);
  data.set(values.data);
  return new ConcreteArray(data, aval.shape, aval.dtype);
}

for (const name of primitiveNames) {
  const spec = specs.get(name);
  describe.skipIf(!spec)(name, () => {
    if (!spec) return;

    it("kernel outputs have the shapes and dtypes of abstractEval", () => {
      property(cases(spec), 50, (c) => {
        const want = outAvals(spec, c.args, c.setup.params);
        const got = bind(spec.prim, c.args, c.setup.params);
        expect(got.map((o) => ({ shape: [...o.shape], dtype: o.dtype }))).toEqual(want.map((a) => ({ shape: [...a.shape], dtype: a.dtype })));
      });
    });

    const reference = spec.reference;
    if (reference) {
      it("kernel agrees with an independent reference implementation", () => {
        property(cases(spec), 50, (c) => {
          const got = bind(spec.prim, c.args, c.setup.params);
          const want = reference(c.args, c.setup.params);
          got.forEach((g, k) => checkClose(`output ${k}`, g, want[k]!, "the reference"));
        });
      });
    }

    if (spec.reverseOnly) {
      it("reverse only: vjp ≈ central differences, jvp raises", () => {
        property(cases(spec), 150, (c) => {
          const { F, xs, vs, us, active } = firstOrder(spec, c);
          if (active.length === 0) return;
          checkVjpVsFd(F, xs, vs, us);
          checkNoForwardMode(F, xs, vs);
        });
      });
      return;
    }

    it(spec.differentiable ? "jvp ≈ central differences" : "jvp and vjp are zero", () => {
      property(cases(spec), 150, (c) => {
        const { F, xs, vs, us, active } = firstOrder(spec, c);
        if (active.length === 0) return;
        (spec.differentiable ? checkJvpVsFd : checkZeroDerivative)(F, xs, vs, us);
      });
    });

    it("vjp agrees with jvp: ⟨u, J v⟩ = ⟨Jᵀu, v⟩; so does linearize", () => {
      property(cases(spec), 150, (c) => {
        const { F, xs, vs, us, active } = firstOrder(spec, c);
        if (active.length === 0) return;
        checkVjpVsJvp(F, xs, vs, us);
        checkLinearizeVsJvp(F, xs, vs, us);
      });
    });

    it("float32 (complex64) primals give float32 (complex64) tangents and cotangents", () => {
      property(cases(spec), 30, (c) => {
        const rng = new Rng(c.seed);
        const { params } = spec.retype ? spec.retype(c.setup, "float32") : c.setup;
        const wrt = wrtOf(spec, c);
        if (wrt.length === 0) return;
        // complex128 arguments become complex64 (whose parts are float32).
        const single = (a: ConcreteArray) => (isComplex(a.dtype) ? "complex64" : "float32");
        const args = c.args.map((a, i) => (wrt.includes(i) ? ofDtype(rng, { shape: a.shape, dtype: single(a) }, a) : a));
        const avals = outAvals(spec, args, params);
        const outs = avals.map((_, k) => k).filter((k) => isInexact(avals[k]!.dtype));
        const F = partial(primFn(spec, params, outs), args, wrt);
        const xs = wrt.map((i) => args[i]!);
        const [ys, tangents] = jvp(F, xs, xs.map((x) => ofDtype(rng, x))) as [NDArray[], NDArray[]];
        const cts = (vjp(F, ...xs)[1] as (ct: NDArray[]) => NDArray[])(ys.map((y) => ofDtype(rng, y)));
        const dtypes = (zs: readonly NDArray[]) => zs.map((z) => z.dtype);
        expect(dtypes(tangents), "tangent dtypes").toEqual(dtypes(ys));
        expect(dtypes(cts), "cotangent dtypes").toEqual(dtypes(xs));
      });
    });

    // Linear primitives only (coverage.test.ts checks that exactly those declare linearIn).
    const rule = spec.prim.transpose;
    if (spec.linearIn === null || rule === "nonlinear") return;
    it("transpose rule: ⟨ct, L(x)⟩ = ⟨Lᵀct, x⟩", () => {
      property(cases(spec), 100, (c) => {
        const rng = new Rng(c.seed);
        const { params } = c.setup;
        const avals = outAvals(spec, c.args, params);
        for (const lin of spec.linearIn!(c.setup)) {
          const L = partial(primFn(spec, params, avals.map((_, k) => k)), c.args, lin);
          const cts = avals.map((a) => ofDtype(rng, a));
          const linArgs: LinearArg[] = c.args.map((a, i) =>
            lin.includes(i) ? { undefinedPrimal: true, aval: { shape: a.shape, dtype: a.dtype } } : a,
          );
          const transpose = (ct: NDArray[]) => {
            const back = rule(ct, linArgs, params);
            back.forEach((b, i) => {
              if (!lin.includes(i) && b !== null) throw new Error(`transpose gave a cotangent for the known argument ${i}`);
            });
            return lin.map((i) => back[i] ?? null);
          };
          checkTranspose(L, transpose, lin.map((i) => c.args[i]!), cts);
        }
      });
    });
  });
}

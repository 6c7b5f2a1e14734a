/**
 * @file The checks themselves are checked: deliberately wrong rules (a wrong JVP, a JVP right at
 * first order only, a wrong transpose, a wrong batching rule) must fail them, so the tolerances
 * cannot quietly grow loose enough to let real bugs through.
 */
import { describe, expect, it } from "vitest";
import { bind, bind1 } from "../src/core/trace.ts";
import { definePrimitive, type Primitive } from "../src/core/primitive.ts";
import * as u from "../src/primitives/unary.ts";
import * as b from "../src/primitives/binary.ts";
import * as r from "../src/primitives/reduce.ts";
import { moveaxis } from "../src/primitives/structural.ts";
import { checkJvpVsFd, checkTranspose, checkVjpVsJvp, checkVmap, Rng, type Fn } from "./check.ts";
import { batchCases, cases, jvpOf, partial, primFn, specs } from "./harness.ts";
import { binarySpec, unarySpec, uniform, type PrimSpec } from "./spec.ts";
import fc from "fast-check";

type E = Record<string, never>;

/** sin with cos replaced by sin in its JVP. */
const sinWrong = definePrimitive<E>({ ...u.sinP, name: "sinWrong", jvp: ([x], [t]) => [b.mul(t!, u.sin(x!))] });
/** tanh with 1 − tanh² held constant: right at first order, wrong at second. */
const tanhFirstOrderOnly: Primitive<E> = definePrimitive<E>({
  ...u.tanhP,
  name: "tanhFirstOrderOnly",
  jvp: (_, [t], [out]) => [b.mul(t!, b.sub(b.fullLike(out!, 1), u.stopGradient(b.mul(out!, out!))))],
});
/** mul whose transpose in x multiplies by x's cotangent twice. */
const mulWrongTranspose = definePrimitive<E>({ ...b.mulP, name: "mulWrongTranspose", transpose: ([ct]) => [b.mul(ct!, ct!), null] });
/** reduceSum that forgets to shift its axes past the batch axis. */
const sumWrongBatch: typeof r.reduceSumP = definePrimitive({
  ...r.reduceSumP,
  name: "sumWrongBatch",
  batch: ([x], [d], { axes }) => [[bind1(r.reduceSumP, [moveaxis(x!, d!, 0)], { axes })], [0]],
});

/** Whether `check` fails on some of 100 random cases. */
function fails<T>(arb: fc.Arbitrary<T>, check: (t: T) => void): boolean {
  try {
    fc.assert(fc.property(arb, (t) => check(t)), { numRuns: 100 });
    return false;
  } catch {
    return true;
  }
}

const unaryChecks = (spec: PrimSpec, order: 1 | 2) =>
  fails(cases(spec), (c) => {
    const rng = new Rng(c.seed);
    const x = c.args[0]!;
    const F = primFn(spec, c.setup.params, [0]);
    if (order === 1) return checkJvpVsFd(F, [x], [rng.like(x)], [rng.like(x)]);
    const G = jvpOf(F, 1, [0]);
    const inputs = [x, rng.like(x)];
    checkJvpVsFd(G, inputs, inputs.map((y) => rng.like(y)), [rng.like(x)]);
  });

describe("the property checks catch wrong rules", () => {
  it("a wrong JVP fails the central-difference check", () => {
    expect(unaryChecks(unarySpec(sinWrong, uniform(-3, 3)), 1)).toBe(true);
  });

  it("a JVP right only at first order passes it and fails the second-order one", () => {
    const spec = unarySpec(tanhFirstOrderOnly, uniform(-3, 3));
    expect(unaryChecks(spec, 1)).toBe(false);
    expect(unaryChecks(spec, 2)).toBe(true);
  });

  it("a wrong transpose fails the transpose identity", () => {
    const spec = binarySpec(mulWrongTranspose, fc.tuple(uniform(-3, 3), uniform(-3, 3)), { linearIn: [[0]] });
    const rule = mulWrongTranspose.transpose as Exclude<typeof mulWrongTranspose.transpose, "nonlinear">;
    const failed = fails(cases(spec), (c) => {
      const x = c.args[0]!;
      const y = c.args[1]!;
      const ct = new Rng(c.seed).like(x);
      const L = partial(primFn(spec, {}, [0]), c.args, [0]);
      checkTranspose(L, (cts) => [rule(cts, [{ undefinedPrimal: true, aval: x }, y], {})[0]!], [x], [ct]);
    });
    expect(failed).toBe(true);
  });

  it("a right VJP passes the inner-product check", () => {
    const spec = specs.get("mul")!;
    expect(
      fails(cases(spec), (c) => {
        const rng = new Rng(c.seed);
        const F = primFn(spec, {}, [0]);
        checkVjpVsJvp(F, c.args, c.args.map((x) => rng.like(x)), [rng.like(c.args[0]!)]);
      }),
    ).toBe(false);
  });

  it("a wrong batching rule fails the vmap check", () => {
    const spec: PrimSpec = { ...specs.get("reduceSum")!, name: "sumWrongBatch", prim: sumWrongBatch as Primitive<unknown> };
    const failed = fails(batchCases(spec), (bc) => {
      const F: Fn = (...xs) => bind(spec.prim, xs, bc.setup.params);
      checkVmap(F, bc.examples, [0], new Rng(bc.seed));
    });
    expect(failed).toBe(true);
  });
});

/**
 * @file The jaxpr API the control-flow primitives stand on: staging with hoisting and DCE, and the
 * transformations of closed jaxprs (JVP, batching, linearization, transpose), each against the
 * same transformation of the function the jaxpr was staged from.
 */
import { describe, expect, it } from "vitest";
import { grad, jvp, makeJaxpr, vjp, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { evalJaxpr, dce, countEqns } from "../src/core/jaxpr.ts";
import { stageFlat } from "../src/interpreters/staging.ts";
import { batchJaxpr, jvpJaxpr, linearizeJaxpr, transposeJaxpr } from "../src/interpreters/jaxpr-rules.ts";

type A = np.NDArray;
const f = ([x, y]: A[]): A[] => [np.sin(x!).mul(y!), np.exp(x!).sum(), y!.mul(3)];
const avals = [
  { shape: [3], dtype: "float64" as const },
  { shape: [3], dtype: "float64" as const },
];
const x = np.array([0.3, -1.2, 2]);
const y = np.array([1.5, 0.5, -2]);
const tx = np.array([1, -0.5, 0.25]);
const ty = np.array([0.2, 0.1, -1]);
const staged = () => stageFlat(f, avals, "test").jaxpr;

describe("stageFlat", () => {
  it("stages a function into a closed jaxpr that evaluates back to it", () => {
    const j = staged();
    const got = evalJaxpr(j, [x, y]);
    f([x, y]).forEach((w, i) => expect(got[i]!).toBeAllclose(w, { rtol: 1e-15 }));
    expect(j.inAvals.map((a) => a.shape)).toEqual([[3], [3]]);
    expect(j.outAvals.map((a) => a.shape)).toEqual([[3], [], [3]]);
  });
  it("removes dead code, and DCE keeps only what the used outputs need", () => {
    const j = stageFlat(([a]) => {
      np.cos(a!); // dead
      return [np.sin(a!)];
    }, [avals[0]!], "test").jaxpr;
    expect(j.jaxpr.eqns.map((e) => e.prim.name)).toEqual(["sin"]);
    const { jaxpr, usedInputs } = dce(staged().jaxpr, [false, true, false]);
    expect(jaxpr.eqns.map((e) => e.prim.name)).toEqual(["exp", "reduceSum"]);
    expect(usedInputs).toEqual([true, false]);
  });
  it("hoists tracers of outer levels into leading inputs; concrete captures stay constants", () => {
    const c = np.array([1, 2, 3]);
    let hoistedCount = -1;
    const g = grad((s: A) => {
      const { jaxpr, hoisted } = stageFlat(([a]) => [a!.mul(s).add(c).sum()], [avals[0]!], "test");
      hoistedCount = hoisted.length;
      expect(jaxpr.consts).toContain(c);
      return evalJaxpr(jaxpr, [...hoisted, x])[0]!;
    })(np.array(2));
    expect(hoistedCount).toBe(1);
    expect(g).toBeAllclose(np.sum(x));
  });
  it("makeJaxpr drops dead equations: grad of a 2-layer tanh net", () => {
    const net = (w: A) => np.sum(np.tanh(np.tanh(x.mul(w)).mul(w)));
    const jg = makeJaxpr(grad(net))(np.array(0.5));
    expect(jg.eval(np.array(0.7))).toBeAllclose(grad(net)(np.array(0.7)), { rtol: 1e-14 });
    expect(countEqns(jg.closed.jaxpr)).toBeLessThan(countEqns(makeJaxpr(net)(np.array(0.5)).closed.jaxpr) * 4);
  });
});

describe("transformations of closed jaxprs", () => {
  it("jvpJaxpr: outputs and tangents equal jvp of the function; zero tangents stay symbolic unless instantiated", () => {
    const [j, nz] = jvpJaxpr(staged(), [true, true], false);
    expect(nz).toEqual([true, true, true]);
    const got = evalJaxpr(j, [x, y, tx, ty]);
    const [outs, tans] = jvp((a: A, b: A) => f([a, b]), [x, y], [tx, ty]) as [A[], A[]];
    outs.forEach((o, i) => expect(got[i]!).toBeAllclose(o, { rtol: 1e-15 }));
    tans.forEach((t, i) => expect(got[3 + i]!).toBeAllclose(t, { rtol: 1e-14 }));
    const [j2, nz2] = jvpJaxpr(staged(), [false, true], false);
    expect(nz2).toEqual([true, false, true]);
    expect(evalJaxpr(j2, [x, y, ty]).length).toBe(5);
    const [, nz3] = jvpJaxpr(staged(), [false, true], true);
    expect(nz3).toEqual([true, true, true]);
  });
  it("batchJaxpr: equals vmap of the function; unbatched outputs stay unbatched unless forced", () => {
    const xs = np.stack([x, x.mul(2)]);
    const [j, ob] = batchJaxpr(staged(), 2, [true, false], false);
    expect(ob).toEqual([true, true, false]);
    const got = evalJaxpr(j, [xs, y]);
    const want = vmap((a: A) => f([a, y]))(xs) as A[];
    want.slice(0, 2).forEach((w, i) => expect(got[i]!).toBeAllclose(w, { rtol: 1e-15 }));
    const [jf, obf] = batchJaxpr(staged(), 2, [true, false], true);
    expect(obf).toEqual([true, true, true]);
    expect(evalJaxpr(jf, [xs, y])[2]!.shape).toEqual([2, 3]);
  });
  it("linearizeJaxpr: the known part gives the outputs and residuals, the linear part the tangents", () => {
    const lin = linearizeJaxpr(staged(), [true, true]);
    const knownOut = evalJaxpr(lin.known, [x, y]);
    expect(knownOut.length).toBe(3 + lin.numRes);
    f([x, y]).forEach((w, i) => expect(knownOut[i]!).toBeAllclose(w, { rtol: 1e-15 }));
    const res = knownOut.slice(3);
    const tangents = evalJaxpr(lin.linear, [...res, tx, ty]);
    const [, want] = jvp((a: A, b: A) => f([a, b]), [x, y], [tx, ty]) as [A[], A[]];
    want.forEach((t, i) => expect(tangents[i]!).toBeAllclose(t, { rtol: 1e-14 }));
    // y is a residual copied from the input (sin(x)'s tangent is scaled by it)
    expect(lin.resFromInput).toContain(1);
    // the linear part holds no transcendental work: that was done by the known part
    expect(lin.linear.jaxpr.eqns.map((e) => e.prim.name)).not.toContain("sin");
  });
  it("transposeJaxpr: the transpose of the linear part is the VJP", () => {
    const lin = linearizeJaxpr(staged(), [true, true]);
    const res = evalJaxpr(lin.known, [x, y]).slice(3);
    const mask = [...res.map(() => false), true, true];
    const t = transposeJaxpr(lin.linear, mask);
    const cts = [np.array([1, 2, 3]), np.array(0.5), np.array([-1, 0, 1])];
    const got = evalJaxpr(t, [...res, ...cts]);
    const [, back] = vjp((a: A, b: A) => f([a, b]), x, y);
    const want = back(cts) as A[];
    expect(got[0]!).toBeAllclose(want[0]!, { rtol: 1e-14 });
    expect(got[1]!).toBeAllclose(want[1]!, { rtol: 1e-14 });
    // and it is itself differentiable and batchable like any program
    const g = grad((c: A) => np.sum(evalJaxpr(t, [...res, c, cts[1]!, cts[2]!])[0]!.pow(2)))(cts[0]!);
    expect(g.shape).toEqual([3]);
  });
  it("a staged transpose prints JAX-style", () => {
    const lin = linearizeJaxpr(staged(), [true, false]);
    const text = String(lin.linear);
    expect(text).toMatch(/^\{ lambda .*; .*\. let\n/);
    expect(text).toMatch(/\n {2}in \(.*\) \}$/);
  });
});

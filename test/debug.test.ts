/**
 * @file `debug.callback`/`debug.print` under every transformation (values at run time: per member
 * under vmap, primals under grad, every call under jit), the `debug_callback` primitive's rules
 * tested directly, effectful equations kept by dead-code elimination, and `config.debugNans`.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { checkpoint, customVjp, debug, grad, hessian, jit, jvp, lax, makeJaxpr, vjp, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { debugCallbackP } from "../src/primitives/debug.ts";
import { ClosedJaxpr, dce, dceClosed, Jaxpr, JaxprVar } from "../src/core/jaxpr.ts";
import { sinP } from "../src/primitives/unary.ts";
import { ConcreteArray } from "../src/core/ndarray.ts";
import { cse } from "../src/compiler/cse.ts";
import { fold } from "../src/compiler/fold.ts";
import { optimize } from "../src/compiler/pipeline.ts";

type A = np.NDArray;

/** Records each callback's values as plain JS numbers. */
function recorder() {
  const calls: unknown[] = [];
  const record = (...vs: A[]) => void calls.push(vs.length === 1 ? vs[0]!.toArray() : vs.map((v) => v.toArray()));
  return { calls, record };
}

describe("debug.callback runs with the values at run time", () => {
  it("eagerly: once, with the values", () => {
    const { calls, record } = recorder();
    debug.callback(record, np.array([1, 2]));
    expect(calls).toEqual([[1, 2]]);
  });
  it("under vmap: once per batch member, in order, with that member's value", () => {
    const { calls, record } = recorder();
    const f = (x: A, y: A) => {
      debug.callback(record, x, y);
      return x.add(y);
    };
    vmap(f, { inAxes: [0, null] })(np.array([[1, 2], [3, 4], [5, 6]]), np.array(10));
    expect(calls).toEqual([[[1, 2], 10], [[3, 4], 10], [[5, 6], 10]]);
  });
  it("under vmap with the batch axis not leading (inAxes 1) and under nested vmap", () => {
    const { calls, record } = recorder();
    vmap((x: A) => (debug.callback(record, x), x), { inAxes: 1 })(np.array([[1, 2], [3, 4]]));
    expect(calls).toEqual([[1, 3], [2, 4]]);
    calls.length = 0;
    // Nested: the inner vmap splits first, then the outer one splits each inner member (as JAX's
    // sequential callbacks), so the members come inner-index-major: x[0][0], x[1][0], x[0][1], x[1][1].
    vmap(vmap((x: A) => (debug.callback(record, x), x)))(np.array([[1, 2], [3, 4]]));
    expect(calls).toEqual([1, 3, 2, 4]);
  });
  it("under grad: once, in the forward pass, with the primal value; the gradient is unchanged", () => {
    const { calls, record } = recorder();
    const f = (x: A) => {
      const y = np.sin(x);
      debug.callback(record, y);
      return np.sum(y.mul(y));
    };
    const x = np.array([0.5, 1]);
    const g = grad(f)(x);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual(np.sin(x).toArray());
    expect(g).toBeAllclose(np.sin(x).mul(np.cos(x)).mul(2), { rtol: 1e-14 });
  });
  it("under jvp, vjp and hessian: primal values only (never tangents)", () => {
    const { calls, record } = recorder();
    const f = (x: A) => (debug.callback(record, x), np.sum(np.exp(x)));
    const x = np.array([0.25]);
    jvp(f, [x], [np.array([7])]);
    vjp(f, x);
    hessian(f)(x);
    expect(calls).toEqual([[0.25], [0.25], [0.25]]);
  });
  it("under jit: at every call of the compiled program with that call's values, never while staging", () => {
    const { calls, record } = recorder();
    const f = jit((x: A) => {
      debug.callback(record, x);
      return x.mul(2);
    });
    const program = makeJaxpr(f)(np.array(1));
    expect(calls).toEqual([]);
    expect(String(program)).toContain("debug_callback");
    f(np.array(1));
    f(np.array(2));
    f(np.array(3));
    expect(calls).toEqual([1, 2, 3]);
    expect(f.cacheInfo().stagings).toBe(1);
  });
  it("under jit with only constant values (or none): staged, so it runs at each call", () => {
    let n = 0;
    const f = jit((x: A) => {
      debug.callback(() => void n++);
      debug.callback((c: A) => expect(c.item()).toBe(5), 5 as never);
      return x;
    });
    f(np.array(1));
    f(np.array(2));
    expect(n).toBe(2);
  });
  it("in a jitted function whose outputs ignore the printed value (dead code is kept for effects)", () => {
    const { calls, record } = recorder();
    const f = jit((x: A) => {
      debug.callback(record, np.exp(x));
      return x;
    });
    f(np.array(0));
    expect(calls).toEqual([1]);
  });
  it("under jit(vmap), vmap(jit), grad(jit), jit(grad) and vmap(grad)", () => {
    const { calls, record } = recorder();
    const f = (x: A) => (debug.callback(record, x), np.sum(np.sin(x)));
    const xs = np.array([[1], [2]]);
    jit(vmap(f))(xs);
    expect(calls).toEqual([[1], [2]]);
    calls.length = 0;
    vmap(jit(f))(xs);
    expect(calls).toEqual([[1], [2]]);
    calls.length = 0;
    grad(jit(f))(np.array([3]));
    jit(grad(f))(np.array([4]));
    expect(calls).toEqual([[3], [4]]);
    calls.length = 0;
    vmap(grad(f))(xs);
    expect(calls).toEqual([[1], [2]]);
  });
  it("inside lax.cond branches: only the taken branch calls", () => {
    const { calls, record } = recorder();
    const f = (x: A) =>
      lax.cond(
        x.gt(0),
        (v: A) => (debug.callback(record, v), v),
        (v: A) => (debug.callback(record, v.neg()), v),
        x,
      );
    f(np.array(2));
    f(np.array(-3));
    expect(calls).toEqual([2, 3]);
  });
  it("inside lax.scan and lax.whileLoop: once per iteration, eagerly, under grad (forward pass only) and under jit", () => {
    const { calls, record } = recorder();
    const body = (c: A, x: A): [A, A] => (debug.callback(record, c), [c.mul(x), c]);
    const f = (x: A) => np.sum(lax.scan(body, np.array(1), x)[0]);
    for (const g of [f, grad(f), jit(f)]) {
      g(np.array([2, 3, 4]));
      expect(calls.splice(0)).toEqual([1, 2, 6]);
    }
    const w = (x: A) => lax.whileLoop((c: A) => c.lt(10), (c: A) => (debug.callback(record, c), c.mul(x)), np.array(1));
    w(np.array(2));
    expect(calls.splice(0)).toEqual([1, 2, 4, 8]);
    grad(w)(np.array(2));
    expect(calls.splice(0)).toEqual([1, 2, 4, 8]);
  });
  it("under vmap of a loop or cond with a batched predicate, every member runs the body (as JAX: done members print too)", () => {
    const { calls, record } = recorder();
    const w = (x: A) => lax.whileLoop((c: A) => c.lt(10), (c: A) => (debug.callback(record, c), c.mul(x)), np.array(1));
    vmap(w)(np.array([2, 3]));
    // Members 2 and 3, iteration by iteration; member 3 is done after 9 but the loop runs on for member 2.
    expect(calls).toEqual([1, 1, 2, 3, 4, 9, 8, 27]);
  });
  it("in a checkpointed block under grad it runs again when the backward pass recomputes the block; in a customVjp bwd it sees the cotangent", () => {
    const { calls, record } = recorder();
    const f = checkpoint((x: A) => (debug.callback(record, x), np.sin(np.sin(x))));
    grad(f)(np.array(0.5));
    expect(calls.splice(0)).toEqual([0.5, 0.5]);
    const g = customVjp(
      (x: A) => np.sin(x),
      (x: A): [A, A] => [np.sin(x), x],
      (x: A, ct: A) => (debug.callback(record, ct), [ct.mul(np.cos(x))]),
    );
    grad(g)(np.array(0.5));
    expect(calls).toEqual([1]);
  });
  it("passes trees through, numbers as 0-d arrays", () => {
    let got: unknown = null;
    debug.callback((t: { a: A; b: A[] }) => (got = { a: t.a.toArray(), b: t.b.map((x) => x.toArray()) }), { a: np.array([1]), b: [np.array(2)] });
    expect(got).toEqual({ a: [1], b: [2] });
    debug.callback((n: unknown) => expect(n).toBeInstanceOf(np.NDArray), 3 as never);
  });
  it("rejects a callback that is not a function", () => {
    expect(() => debug.callback(3 as never)).toThrow(/debug.callback: the callback must be a function/);
  });
});

describe("debug.print", () => {
  afterEach(() => vi.restoreAllMocks());
  const lines = () => {
    const spy = vi.spyOn(console, "log").mockImplementation(() => {});
    return () => spy.mock.calls.map((c) => String(c[0]));
  };
  it("formats {} positionally, {1} by index, {name} from a last object, {{ }} as braces", () => {
    const out = lines();
    debug.print("a={} b={}", np.array(1), np.array([2, 3]));
    debug.print("{1}-{0}", np.array(1), np.array(2));
    debug.print("x={x} {{literal}}", { x: np.array(4) });
    expect(out()).toEqual(["a=1. b=[2. 3.]", "2.-1.", "x=4. {literal}"]);
  });
  it("prints one line per member under vmap and at every call under jit", () => {
    const out = lines();
    vmap((x: A) => (debug.print("x={}", x), x))(np.array([1, 2]));
    const f = jit((x: A) => (debug.print("y={}", x.mul(10)), x));
    f(np.array(1));
    f(np.array(2));
    expect(out()).toEqual(["x=1.", "x=2.", "y=10.", "y=20."]);
  });
  it("rejects bad formats with a TypeError naming debug.print", () => {
    expect(() => debug.print("{} {}", np.array(1))).toThrow(/debug.print: .*reads value 1, but 1 value/);
    expect(() => debug.print("{x}", np.array(1))).toThrow(/debug.print: .*"x"/);
    expect(() => debug.print("{:.3f}", np.array(1))).toThrow(/format specs/);
    expect(() => debug.print("{", np.array(1))).toThrow(/unclosed/);
    expect(() => debug.print("}", np.array(1))).toThrow(/single "}"/);
    expect(() => debug.print(3 as never)).toThrow(/format must be a string/);
  });
});

describe("the debug_callback primitive's rules", () => {
  const x = new ConcreteArray(Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3], "float64");
  it("impl calls the callback with the operands and returns no outputs; abstractEval gives none", () => {
    const seen: unknown[] = [];
    expect(debugCallbackP.impl([x], { callback: (vs) => seen.push(vs[0]!.toArray()) })).toEqual([]);
    expect(seen).toEqual([[[1, 2, 3], [4, 5, 6]]]);
    expect(debugCallbackP.abstractEval([x], { callback: () => {} })).toEqual([]);
    expect(debugCallbackP.effectful).toBe(true);
  });
  it("jvp gives no output tangents; transpose gives no cotangents", () => {
    expect(debugCallbackP.jvp([x], [x], [], { callback: () => {} })).toEqual([]);
    const t = debugCallbackP.transpose;
    expect(t === "nonlinear" ? "nonlinear" : t([], [{ undefinedPrimal: true, aval: x }], { callback: () => {} })).toEqual([null]);
  });
  it("batch calls once per member along the batch axis, with unbatched operands as they are", () => {
    const seen: unknown[] = [];
    const y = new ConcreteArray(Float64Array.of(9), [], "float64");
    const [outs, dims] = debugCallbackP.batch([x, y], [1, null], { callback: (vs) => seen.push(vs.map((v) => v.toArray())) }, 3);
    expect([outs, dims]).toEqual([[], []]);
    expect(seen).toEqual([[[1, 4], 9], [[2, 5], 9], [[3, 6], 9]]);
  });
});

describe("dce keeps effectful equations", () => {
  const a = new JaxprVar({ shape: [], dtype: "float64" }, 0);
  const b = new JaxprVar({ shape: [], dtype: "float64" }, 1);
  const callback = () => {};
  const jaxpr = new Jaxpr(
    [],
    [a],
    [
      { prim: sinP as never, inputs: [a], params: {}, outs: [b] },
      { prim: debugCallbackP as never, inputs: [b], params: { callback }, outs: [] },
    ],
    [a],
    2,
  );
  it("an effectful equation and what it reads stay although no output needs them", () => {
    const { jaxpr: kept, usedInputs } = dce(jaxpr, [true]);
    expect(kept.eqns.map((e) => e.prim.name)).toEqual(["sin", "debug_callback"]);
    expect(usedInputs).toEqual([true]);
  });
  it("without the effect, the same program loses both equations (the flag is what keeps them)", () => {
    const pure = new Jaxpr(jaxpr.constvars, jaxpr.invars, [jaxpr.eqns[0]!], jaxpr.outvars, 2);
    expect(dce(pure, [true]).jaxpr.eqns).toEqual([]);
  });
  it("an equation carrying an effectful sub-jaxpr (a nested jit) stays when its outputs are unused", () => {
    const inner = new ClosedJaxpr(jaxpr, []);
    const c = new JaxprVar({ shape: [], dtype: "float64" }, 2);
    const outer = new Jaxpr([], [a], [{ prim: { ...sinP, name: "pjit" } as never, inputs: [a], params: { jaxpr: inner }, outs: [c] }], [a], 3);
    expect(dceClosed(new ClosedJaxpr(outer, [])).closed.jaxpr.eqns).toHaveLength(1);
  });
});

describe("the jit compiler keeps effectful equations", () => {
  const a = new JaxprVar({ shape: [], dtype: "float64" }, 0);
  const c = new JaxprVar({ shape: [], dtype: "float64" }, 1);
  const params = { callback: () => {} };
  const effect = (v: JaxprVar) => ({ prim: debugCallbackP as never, inputs: [v], params, outs: [] });
  const names = (cj: ClosedJaxpr) => cj.jaxpr.eqns.map((e) => e.prim.name);
  it("cse never merges two identical callbacks (two effects), fold never runs one on constants at compile time", () => {
    const twice = new ClosedJaxpr(new Jaxpr([], [a], [effect(a), effect(a)], [a], 2), []);
    expect(names(cse(twice))).toEqual(["debug_callback", "debug_callback"]);
    let ran = 0;
    const onConst = new ClosedJaxpr(
      new Jaxpr([c], [a], [{ prim: debugCallbackP as never, inputs: [c], params: { callback: () => void ran++ }, outs: [] }], [a], 2),
      [new ConcreteArray(Float64Array.of(5), [], "float64")],
    );
    expect(names(fold(onConst))).toEqual(["debug_callback"]);
    expect(names(optimize(onConst))).toEqual(["debug_callback"]);
    expect(ran).toBe(0);
  });
  it("the generated code of a jitted print calls it (lower's text names the primitive)", () => {
    const f = jit((x: A) => (debug.callback((_: A) => {}, x.mul(2)), x));
    expect(f.lower(np.array(1)).text).toContain("debug_callback");
  });
});

/**
 * @file Control flow in compiled programs: `pjit`, `cond`, `scan` and `while` run their bodies as
 * compiled programs (not `evalJaxpr` per iteration), and give exactly what the interpreter gives.
 */
import { describe, expect, it } from "vitest";
import { grad, jit, lax, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import type { ConcreteArray, NDArray } from "../src/core/ndarray.ts";
import { evalJaxpr, type ClosedJaxpr } from "../src/core/jaxpr.ts";
import { compile } from "../src/compiler/index.ts";
import { staged } from "./compiler-helpers.ts";

type A = NDArray;


/** Compiles `closed`, checks that each control-flow equation calls a compiled runner, not its kernel, and that results equal the interpreter's bit for bit. */
function compiledEqualsInterpreter(closed: ClosedJaxpr, args: A[], control: readonly string[]): void {
  const c = compile(closed);
  for (const name of control) {
    const lines = c.text.split("\n").filter((l) => l.endsWith(`// ${name}`));
    expect(lines.length, `a ${name} equation in\n${c.text}`).toBeGreaterThan(0);
    for (const l of lines) expect(l).not.toContain(".impl(");
  }
  const want = evalJaxpr(closed, args) as ConcreteArray[];
  const got = c.run(args) as ConcreteArray[];
  expect(got.length).toBe(want.length);
  want.forEach((w, k) => {
    expect(got[k]!.shape).toEqual(w.shape);
    expect(got[k]!.dtype).toBe(w.dtype);
    for (let i = 0; i < w.data.length; i++) if (!Object.is(w.data[i], got[k]!.data[i])) expect([k, i, got[k]!.data[i]]).toEqual([k, i, w.data[i]]);
  });
}

const W = np.array([[0.5, -0.3, 0.2], [0.1, 0.4, -0.6], [-0.2, 0.3, 0.1]]);
const xs = np.array([[1, 0, -1], [0.5, 2, 0], [-1, -1, 3], [0.2, NaN, 0.1]]);
const rnn = (w: A, x: A) => np.sum(lax.scan((h: A, xt: A) => [np.tanh(h.matmul(w).add(xt)), h.mul(2)] as [A, A], np.zeros([3]), x)[0].pow(2));

const newton = (a: A) =>
  lax.whileLoop(
    ([x, i]: [A, A]) => np.logicalAnd(np.greater(np.abs(x.mul(x).sub(a)), 1e-12), np.less(i, 50)),
    ([x, i]: [A, A]) => [x.sub(x.mul(x).sub(a).div(x.mul(2))), i.add(1)] as [A, A],
    [a, np.array(0)] as [A, A],
  )[0];

describe("compiled control flow", () => {
  it("scan: forward, reverse, with stacked outputs, and its gradient (a scan of run-time length)", () => {
    compiledEqualsInterpreter(staged(rnn as never, W, xs), [W, xs], ["scan"]);
    const rev = (x: A) => lax.scan((c: A, xt: A) => [c.add(xt).mul(0.5), np.sin(c)] as [A, A], np.zeros([3]), x, { reverse: true });
    compiledEqualsInterpreter(staged(rev as never, xs), [xs], ["scan"]);
    compiledEqualsInterpreter(staged(grad(rnn) as never, W, xs), [W, xs], ["scan"]);
  });

  it("while: a Newton iteration, its gradient (stacked residuals), and a loop that never runs", () => {
    compiledEqualsInterpreter(staged(newton as never, np.array(2)), [np.array(2)], ["while"]);
    compiledEqualsInterpreter(staged(newton as never, np.array(2)), [np.array(1e-30)], ["while"]);
    compiledEqualsInterpreter(staged(grad(newton) as never, np.array(2)), [np.array(7)], ["while"]);
    const never = (x: A) => lax.whileLoop((v: A) => np.less(np.sum(v), -1), (v: A) => v.mul(2), x);
    compiledEqualsInterpreter(staged(never as never, np.ones([2])), [np.array([3, 4])], ["while"]);
  });

  it("cond and switch: each branch, an index clamped into range, nested in a scan", () => {
    const sw = (i: A, x: A) => lax.switchCase(i, [(v: A) => v.mul(2), (v: A) => np.exp(v), (v: A) => v.sub(1)], x);
    const closed = staged(sw as never, np.array(0, { dtype: "int32" }), xs);
    for (const i of [-3, 0, 1, 2, 9]) compiledEqualsInterpreter(closed, [np.array(i, { dtype: "int32" }), xs], ["cond"]);
    const cf = (v: A) => lax.scan((c: A, xi: A) => [lax.cond(xi.gt(0), (a: A) => a.mul(xi), (a: A) => np.sin(a).add(xi), c), c.mul(2)], v.get(0), v)[1];
    compiledEqualsInterpreter(staged(cf as never, np.ones([4])), [np.array([0.5, -1, 2, NaN])], ["scan"]);
  });

  it("pjit: a jitted function called inside a staged one, and a scan nested in a scan", () => {
    const inner = jit((v: A) => np.tanh(v).mul(v));
    const outer = (v: A) => np.sum(inner(v.add(1)).mul(inner(v)));
    compiledEqualsInterpreter(staged(outer as never, xs), [xs], ["pjit"]);
    const nested = (m: A) => lax.scan((c: A, row: A) => [c.add(lax.scan((d: A, e: A) => [d.mul(e), d] as [A, A], np.array(1), row)[0]), c] as [A, A], np.array(0), m);
    compiledEqualsInterpreter(staged(nested as never, xs), [xs], ["scan"]);
  });

  it("jit of loops equals the eager loops, also batched and differentiated", () => {
    const a = np.array([2, 9, 0.25]);
    const jn = jit(vmap(newton));
    const eager = vmap(newton)(a) as ConcreteArray;
    expect((jn(a) as ConcreteArray).toArray()).toEqual(eager.toArray());
    expect((jit(grad(rnn))(W, xs) as ConcreteArray).toArray()).toEqual((grad(rnn)(W, xs) as ConcreteArray).toArray());
  });
});

describe("loop carries and stacked outputs in the runners' buffers", () => {
  /** Runs `closed` compiled twice: results equal the interpreter's, and the first call's outputs survive the second. */
  function twice(closed: ClosedJaxpr, a1: A[], a2: A[]): void {
    const c = compile(closed);
    const r1 = c.run(a1) as ConcreteArray[];
    const kept = r1.map((r) => Array.from(r.data));
    const r2 = c.run(a2) as ConcreteArray[];
    r1.forEach((r, k) => expect(Array.from(r.data)).toEqual(kept[k]));
    for (const [args, got] of [[a1, r1], [a2, r2]] as const) {
      const want = evalJaxpr(closed, args) as ConcreteArray[];
      want.forEach((w, k) => expect(Array.from(got[k]!.data)).toEqual(Array.from(w.data)));
    }
  }
  const x8 = np.array(Array.from({ length: 40 }, (_, i) => Math.sin(i))).reshape(5, 8);
  const w8 = np.array(Array.from({ length: 64 }, (_, i) => 0.2 * Math.cos(i))).reshape(8, 8);

  it("scan: carries swapped, carried unchanged, returned as ys (the same array twice), 0-d ys, reversed", () => {
    const f = (w: A, x: A) => {
      const [[h, g, k], ys] = lax.scan(
        (c: [A, A, A], xt: A) => {
          const [h0, g0, k0] = c;
          const h1 = np.tanh(h0.matmul(w).add(xt));
          return [[g0, h1, k0], [h1, h1, np.sum(h1), g0.mul(2)]] as [[A, A, A], A[]];
        },
        [np.zeros([8]), np.ones([8]), np.full([8], 3)],
        x,
      );
      const [, back] = lax.scan((c: A, xt: A) => [c.add(xt), c] as [A, A], np.zeros([8]), x, { reverse: true });
      return [h, g, k, ...ys, back];
    };
    twice(staged(f as never, w8, x8), [w8, x8], [w8.mul(-1), x8.mul(0.5)]);
    const loss = (w: A, x: A) => (f(w, x) as A[]).reduce((s: A, v) => s.add(np.sum(np.sin(v))), np.array(0));
    twice(staged(grad(loss) as never, w8, x8), [w8, x8], [w8.mul(0.5), x8]);
  });

  it("while: rows stacked for the gradient that are carries themselves stay intact", () => {
    const f = (w: A) =>
      lax.whileLoop(
        ([i]: [A, A]) => np.less(i, 6),
        ([i, h]: [A, A]) => [i.add(1), np.tanh(h.matmul(w).add(0.1))] as [A, A],
        [np.array(0), np.ones([8])] as [A, A],
      )[1];
    const loss = (w: A) => np.sum(f(w).mul(np.arange(8)));
    twice(staged(grad(loss) as never, w8), [w8], [w8.mul(-0.7)]);
    expect(Array.from((jit(grad(loss))(w8) as ConcreteArray).data)).toEqual(Array.from((grad(loss)(w8) as ConcreteArray).data));
  });
});

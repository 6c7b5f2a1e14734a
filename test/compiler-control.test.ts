/**
 * @file Control flow in compiled programs: `pjit`, `cond`, `scan` and `while` run their bodies as
 * compiled programs (not `evalJaxpr` per iteration), and give exactly what the interpreter gives.
 */
import { describe, expect, it } from "vitest";
import { grad, jit, lax, makeJaxpr, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import type { ConcreteArray, NDArray } from "../src/core/ndarray.ts";
import { evalJaxpr, type ClosedJaxpr } from "../src/core/jaxpr.ts";
import { compile } from "../src/compiler/index.ts";

type A = NDArray;

const staged = (f: (...a: never[]) => unknown, ...args: unknown[]) =>
  (makeJaxpr(f) as unknown as (...a: unknown[]) => { closed: ClosedJaxpr })(...args).closed;

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

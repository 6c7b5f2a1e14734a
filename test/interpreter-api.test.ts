/**
 * @file The public interpreter API: a raw `Trace`/`Tracer` subclass and `defineTransform`, and the
 * four example transformations of notebook 15 (FLOP counter, interval bounds, printTrace,
 * dotGraph), each checked against an independent oracle and composed with grad, vmap and jit.
 */
import { describe, expect, it } from "vitest";
import {
  bind, checkpoint, customJvp, customVjp, defineTransform, fullRaise, grad, valueAndGrad, jit, makeJaxpr, MainTrace, Trace, Tracer, vmap, withMainTrace,
  type Aval, type NDArray, type Primitive,
} from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { bounds, countFlops, dotGraph, mlpLoss, primitiveFlops, printTrace, run } from "../notebooks/15-custom-interpreters.ts";
import type { JaxprEqn } from "../src/core/jaxpr.ts";

type A = NDArray;

/** A transformation written on the raw API: records the names of the primitives it sees. */
class NamesTracer extends Tracer {
  constructor(readonly trace: NamesTrace, readonly val: NDArray) {
    super();
  }
  get aval(): Aval {
    return this.val;
  }
}
class NamesTrace extends Trace {
  pure(value: NDArray): Tracer {
    return new NamesTracer(this, value);
  }
  processPrimitive<P>(prim: Primitive<P>, tracers: Tracer[], params: P): NDArray[] {
    (this.main.globalData as string[]).push(prim.name);
    return bind(prim, tracers.map((t) => (t as NamesTracer).val), params).map((o) => new NamesTracer(this, o));
  }
}
function primitiveNames(f: (x: A) => A, x: A): [string[], A] {
  const names: string[] = [];
  const out = withMainTrace((main: MainTrace) => new NamesTrace(main), names, (main) => {
    const y = f(new NamesTracer(main.trace as NamesTrace, x));
    return (fullRaise(main.trace, y) as NamesTracer).val;
  });
  return [names, out];
}

describe("the raw API: Trace, Tracer, withMainTrace, fullRaise, bind", () => {
  it("a user Trace sees each primitive and computes through bind", () => {
    const [names, out] = primitiveNames((x) => np.sum(np.sin(x)), np.array([1, 2]));
    expect(names).toEqual(["sin", "reduceSum"]);
    expect(out).toBeAllclose(Math.sin(1) + Math.sin(2), { rtol: 1e-15 });
  });
  it("nests with grad either way: outside it sees the backward pass too; inside it is differentiated", () => {
    const f = (x: A) => np.sum(np.sin(x));
    const [names, g] = primitiveNames(grad(f), np.array([1, 2]));
    expect(names).toContain("sin");
    expect(names).toContain("cos");
    expect(g).toBeAllclose([Math.cos(1), Math.cos(2)], { rtol: 1e-15 });
    const g2 = grad((x: A) => primitiveNames(f, x)[1])(np.array([1, 2]));
    expect(g2).toBeAllclose([Math.cos(1), Math.cos(2)], { rtol: 1e-15 });
  });
  it("levels nest by call order and the tracer's trace names its level", () => {
    const levels: number[] = [];
    withMainTrace((m) => new NamesTrace(m), [], (outer) => {
      levels.push(outer.level);
      withMainTrace((m) => new NamesTrace(m), [], (inner) => levels.push(inner.level));
    });
    expect(levels[1]).toBe(levels[0]! + 1);
  });
});

describe("defineTransform", () => {
  it("rejects a spec missing a function", () => {
    expect(() => defineTransform({ name: "x", pure: (v: A) => v, aval: (v: A) => v } as never)).toThrow(/defineTransform: processPrimitive must be a function/);
  });
  it("a traced value refuses item() with the transformation's name", () => {
    const t = defineTransform<A, undefined>({ name: "mine", pure: (x) => x, aval: (x) => x, processPrimitive: (p, xs, ps) => bind(p, xs, ps) });
    expect(() => t.apply((x) => np.array(x.item()), [np.array(1)], undefined)).toThrow(/traced by mine/);
  });
});

describe("defineTransform opens calls of staged functions (inlineCalls)", () => {
  const f = (x: A) => np.sum(np.sin(x));
  const names = (inlineCalls: boolean, g: (x: A) => A): string[] => {
    const seen: string[] = [];
    const t = defineTransform<A, undefined>({ name: "names", inlineCalls, pure: (x) => x, aval: (x) => x, processPrimitive: (p, xs, ps) => (seen.push(p.name), bind(p, xs, ps)) });
    t.apply(g, [np.array([1, 2])], undefined);
    return seen;
  };
  const wrapped: [string, (x: A) => A][] = [
    ["pjit", jit(f)],
    ["checkpoint", checkpoint(f)],
    ["custom_jvp_call", customJvp(f, (p: A[], t: A[]) => [f(p[0]!), np.sum(t[0]!.mul(np.cos(p[0]!)))] as never)],
    ["custom_vjp_call", customVjp(f, (x: A): [A, A] => [f(x), x], (x: A, ct: A) => [ct.mul(np.cos(x))])],
  ];
  for (const [call, g] of wrapped) {
    it(`${call}: its equations one by one by default, the call itself with inlineCalls: false`, () => {
      expect(names(true, g)).toEqual(["sin", "reduceSum"]);
      expect(names(false, g)).toEqual([call]);
    });
  }
});

/** The FLOPs of a jaxpr by the same cost model, pjit bodies opened: the oracle for the counter. */
function jaxprFlops(eqns: readonly JaxprEqn[]): number {
  let n = 0;
  for (const e of eqns) {
    const p = e.params as { jaxpr?: { jaxpr: { eqns: JaxprEqn[] } } };
    if (e.prim.name === "pjit" && p.jaxpr) n += jaxprFlops(p.jaxpr.jaxpr.eqns);
    else n += primitiveFlops(e.prim.name, e.inputs.map((v) => v.aval.shape), e.outs.map((v) => v.aval.shape), e.params);
  }
  return n;
}

describe("countFlops", () => {
  const [m, k, nn] = [3, 5, 4];
  const A0 = np.linspace(-1, 1, m * k).reshape([m, k]);
  const B0 = np.linspace(0, 2, k * nn).reshape([k, nn]);
  it("a matrix product costs 2·m·k·n, plus one per element of the sum", () => {
    const { value, flops } = countFlops((a: A, b: A) => np.sum(np.matmul(a, b)))(A0, B0);
    expect(flops.byPrimitive.get("dotGeneral")).toBe(2 * m * k * nn);
    expect(flops.total).toBe(2 * m * k * nn + m * nn);
    expect(value).toBeAllclose(np.sum(np.matmul(A0, B0)), { rtol: 1e-14 });
  });
  it("under valueAndGrad it counts forward and backward passes: equal to the staged program's count", () => {
    const W1 = np.full([4, 6], 0.1);
    const W2 = np.full([6, 1], 0.2);
    const x = np.linspace(-1, 1, 32).reshape([8, 4]);
    const y = np.zeros([8, 1]);
    // valueAndGrad, not grad: grad's staged program drops the unused loss value (dead code), which
    // the counter, running every primitive, does pay for.
    const g = valueAndGrad(mlpLoss);
    const counted = countFlops(g)(W1, W2, x, y).flops.total;
    expect(counted).toBe(jaxprFlops(makeJaxpr(g)(W1, W2, x, y).eqns));
    expect(counted).toBeGreaterThan(countFlops(mlpLoss)(W1, W2, x, y).flops.total * 1.5);
    // Through jit the counter sees the optimised program (jit(g).lower), which may do less.
    const jg = jit(g);
    const jitted = countFlops(jg)(W1, W2, x, y).flops.total;
    expect(jitted).toBe(jaxprFlops(jg.lower(W1, W2, x, y).jaxpr.jaxpr.eqns));
    expect(jitted).toBeLessThanOrEqual(counted);
  });
  it("under vmap: n members cost n times one member", () => {
    const f = (x: A) => np.sum(np.sin(x).mul(x));
    const one = countFlops(f)(np.ones([7])).flops.total;
    expect(countFlops(vmap(f))(np.ones([5, 7])).flops.total).toBe(5 * one);
    expect(one).toBe(3 * 7);
  });
});

describe("bounds (interval arithmetic)", () => {
  const lin = (lo: number, hi: number, k: number) => np.linspace(lo, hi, k);
  it("a function increasing in each argument: the bounds are its values at the corners, exactly", () => {
    const f = (a: A, b: A) => np.exp(a).add(np.tanh(b)).add(a.mul(2));
    const { lo, hi } = bounds(f, [[np.array(-1), np.array(0.5)], [np.array(0), np.array(3)]]);
    expect(lo).toBeAllclose(f(np.array(-1), np.array(0)), { rtol: 1e-15 });
    expect(hi).toBeAllclose(f(np.array(0.5), np.array(3)), { rtol: 1e-15 });
  });
  it("encloses f over the box: every sampled value lies within the bounds (and they are not vacuous)", () => {
    const W = np.array([[1, -2], [0.5, 3]]);
    const f = (a: A, b: A) => np.sum(np.cos(np.matmul(W, np.stack([a, b]))).mul(a.sub(b))).add(np.sin(a).div(b.add(3)));
    const box = [[np.array(-1), np.array(0.5)], [np.array(-0.5), np.array(1)]] as const;
    const { lo, hi } = bounds(f, box);
    const as = lin(-1, 0.5, 41);
    const bs = lin(-0.5, 1, 41);
    const vals = vmap(vmap(f, { inAxes: [null, 0] }), { inAxes: [0, null] })(as, bs);
    expect(np.max(vals).item()).toBeLessThanOrEqual(hi.item());
    expect(np.min(vals).item()).toBeGreaterThanOrEqual(lo.item());
    expect(hi.sub(lo).item()).toBeLessThan(20 * (np.max(vals).item() - np.min(vals).item()));
  });
  it("sin and cos over intervals holding a peak reach ±1; a divisor interval holding 0 gives infinite bounds", () => {
    expect(bounds((a: A) => np.sin(a), [[np.array(1), np.array(2)]])).toEqual({ lo: expect.anything(), hi: expect.anything() });
    const s = bounds((a: A) => np.sin(a), [[np.array(1), np.array(2)]]);
    expect([s.lo.item(), s.hi.item()]).toEqual([Math.sin(1), 1]);
    const c = bounds((a: A) => np.cos(a), [[np.array(3), np.array(3.5)]]);
    expect([c.lo.item(), c.hi.item()]).toEqual([-1, Math.max(Math.cos(3), Math.cos(3.5))]);
    const d = bounds((a: A) => np.divide(1, a), [[np.array(-1), np.array(1)]]);
    expect([d.lo.item(), d.hi.item()]).toEqual([-Infinity, Infinity]);
  });
  it("composes: vmap over many boxes equals a loop, jit(f) inside gives the same bounds, grad of the upper bound", () => {
    const f = (a: A) => np.exp(a).add(a.mul(a));
    const los = np.array([-1, 0, 0.5]);
    const his = np.array([0, 1, 2]);
    const batched = vmap((l: A, h: A) => bounds(f, [[l, h]]).hi)(los, his);
    const loop = [0, 1, 2].map((i) => bounds(f, [[los.get(i), his.get(i)]]).hi.item());
    expect(batched).toBeAllclose(loop, { rtol: 1e-15 });
    expect(bounds(jit(f), [[np.array(0), np.array(1)]]).hi).toBeAllclose(bounds(f, [[np.array(0), np.array(1)]]).hi, { rtol: 1e-15 });
    // On [0, h] everything is increasing: hi = exp(h) + h², so d hi / d h = exp(h) + 2h.
    expect(grad((h: A) => bounds(f, [[np.array(0), h]]).hi)(np.array(1.5))).toBeAllclose(Math.exp(1.5) + 3, { rtol: 1e-14 });
  });
  it("names a primitive it has no rule for", () => {
    expect(() => bounds((a: A) => np.sort(a), [[np.array([0, 1]), np.array([1, 2])]])).toThrow(/bounds: no interval rule for the primitive/);
  });
});

describe("printTrace", () => {
  const f = (x: A) => np.sum(np.tanh(x).mul(x));
  it("logs each primitive with its values, in order", () => {
    const lines: string[] = [];
    const y = printTrace(f, (l) => lines.push(l))(np.array([0.5, 1]));
    expect(lines.map((l) => l.split("(")[0])).toEqual(["tanh", "mul", "reduceSum"]);
    expect(lines[0]).toMatch(/^tanh\(\[0\.5 1\. ?\]\) -> \[0\.46211716 0\.76159416\]$/);
    expect(y).toBeAllclose(f(np.array([0.5, 1])), { rtol: 1e-15 });
  });
  it("inside grad it shows the primal values and leaves the gradient as it was; outside it sees the backward pass", () => {
    const lines: string[] = [];
    const g = grad((x: A) => printTrace(f, (l) => lines.push(l))(x))(np.array([0.5, 1]));
    expect(g).toBeAllclose(grad(f)(np.array([0.5, 1])), { rtol: 1e-15 });
    expect(lines[0]).toMatch(/^tanh\(\[0\.5 1\. ?\]\)/);
    const outer: string[] = [];
    printTrace(grad(f) as (x: A) => A, (l) => outer.push(l))(np.array([0.5, 1]));
    expect(outer.length).toBeGreaterThan(lines.length);
  });
  it("under jit the equations of the program are traced with their values; under vmap all members show", () => {
    const lines: string[] = [];
    printTrace(jit(f), (l) => lines.push(l))(np.array([0.5, 1]));
    expect(lines.map((l) => l.split("(")[0])).toEqual(["tanh", "mul", "reduceSum"]);
    const vl: string[] = [];
    vmap(printTrace(f, (l) => vl.push(l)))(np.array([[0.5], [1]]));
    expect(vl[0]).toMatch(/^tanh\(\[\[0\.5\] \[1\. ?\]\]\)/);
  });
});

/** Nodes (id → label's first line) and edges of a DOT string. */
function parseDot(dot: string): { labels: Map<string, string>; edges: [string, string][] } {
  const labels = new Map<string, string>();
  const edges: [string, string][] = [];
  for (const line of dot.split("\n")) {
    const node = line.match(/^\s*(\w+) \[label="([^"\\]*)/);
    if (node) labels.set(node[1]!, node[2]!);
    const edge = line.match(/^\s*(\w+) -> (\w+);/);
    if (edge) edges.push([edge[1]!, edge[2]!]);
  }
  return { labels, edges };
}

describe("dotGraph", () => {
  const f = (x: A) => np.sin(x).mul(x);
  it("a node per input, primitive and output; an edge per data dependence", () => {
    const dot = dotGraph(f)(np.array([1, 2]));
    expect(dot).toMatch(/^digraph computation \{\n[\s\S]*\}\n$/);
    const { labels, edges } = parseDot(dot);
    const named = edges.map(([a, b]) => `${labels.get(a)} -> ${labels.get(b)}`).sort();
    expect([...labels.values()].sort()).toEqual(["input 0", "mul", "output 0", "sin"]);
    expect(named).toEqual(["input 0 -> mul", "input 0 -> sin", "mul -> output 0", "sin -> mul"]);
  });
  it("constants are notes, one per distinct value", () => {
    const c = np.array([2, 2]);
    const { labels, edges } = parseDot(dotGraph((x: A) => x.mul(c).add(x.mul(c)))(np.array([1, 2])));
    expect([...labels.values()].filter((l) => l.startsWith("const"))).toHaveLength(1);
    expect(edges.length).toBe(2 + 2 + 2 + 1);
  });
  it("through jit the graph is the same; grad's graph holds the backward pass (cos from sin's rule)", () => {
    expect(dotGraph(jit(f))(np.array([1, 2]))).toBe(dotGraph(f)(np.array([1, 2])));
    const { labels } = parseDot(dotGraph(grad((x: A) => np.sum(f(x))) as (x: A) => A)(np.array([1, 2])));
    expect([...labels.values()]).toContain("cos");
  });
});

describe("notebook 15 in quick mode", () => {
  it("runs, bounds hold on its samples, and it writes the DOT graph and report", () => {
    const r = run({ quick: true });
    expect(r.boundsViolation).toBeLessThanOrEqual(0);
    expect(r.gradFlops).toBeGreaterThan(r.forwardFlops);
    expect(r.traceLines).toHaveLength(3);
    expect(r.dot).toMatch(/tanh/);
    expect(r.files).toHaveLength(2);
  });
});

/**
 * @file Each transformation calls the user's function once (JAX's count), `checkpoint` included:
 * under reverse mode its block runs once forward and once more during the backward pass.
 */
import { describe, expect, it } from "vitest";
import { bind1, checkpoint, checkpointPolicies, definePrimitive, grad, jit, hessian, hvp, jacfwd, jacobian, jacrev, jvp, linearize, valueAndGrad, vjp, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import type { Primitive } from "autograd-ts";

type A = np.NDArray;

/** `f` with a counter of its calls. */
function counted<F extends (...a: never[]) => unknown>(f: F): F & { calls: number } {
  const g = ((...a: never[]) => {
    g.calls++;
    return f(...a);
  }) as F & { calls: number };
  g.calls = 0;
  return g;
}

const x = np.array([0.3, -0.7, 1.1]);
const cube = (v: A) => np.sum(v.mul(v).mul(np.sin(v)));
const vec = (v: A) => np.tanh(v).mul(v.get(0));

describe("each transformation calls the user's function once", () => {
  const batch = np.stack([x, x.mul(2)]);
  it.each([
    ["grad", grad, cube, x],
    ["valueAndGrad", valueAndGrad, cube, x],
    ["jacfwd", jacfwd, vec, x],
    ["jacrev", jacrev, vec, x],
    ["jacobian", jacobian, vec, x],
    ["hessian", hessian, cube, x],
    ["vmap", vmap, vec, batch],
  ] as const)("%s", (_, transform, base, input) => {
    const f = counted(base as (v: A) => A);
    (transform as (g: (v: A) => A) => (v: A) => unknown)(f)(input);
    expect(f.calls).toBe(1);
  });
  it("jacrev and jacfwd with several argnums and tree outputs", () => {
    const f = counted((a: A, b: A) => ({ s: np.sum(a.mul(b)), p: a.mul(b) }));
    jacrev(f, { argnums: [0, 1] })(x, x.mul(2));
    expect(f.calls).toBe(1);
    f.calls = 0;
    jacfwd(f, { argnums: [0, 1] })(x, x.mul(2));
    expect(f.calls).toBe(1);
  });
  it("hvp, jvp, vjp, linearize; the vjp and linearize functions reuse the recorded program", () => {
    const f = counted(cube);
    hvp(f)(x, np.ones([3]));
    expect(f.calls).toBe(1);
    f.calls = 0;
    jvp(f, [x], [np.ones([3])]);
    expect(f.calls).toBe(1);
    f.calls = 0;
    const [, back] = vjp(f, x);
    back(1);
    back(2);
    expect(f.calls).toBe(1);
    f.calls = 0;
    const [, lin] = linearize(f, x);
    lin(np.ones([3]));
    lin(np.zeros([3]));
    expect(f.calls).toBe(1);
  });
  it("hessian of a function of two arguments, and a Hessian of a Hessian's trace", () => {
    const f = counted((a: A, b: A) => np.sum(np.exp(a.mul(b))));
    hessian(f, { argnums: [0, 1] })(x, x);
    expect(f.calls).toBe(1);
    f.calls = 0;
    hessian((v: A) => np.trace(hessian(f)(v, x) as A))(x);
    expect(f.calls).toBe(1);
  });
});

/** A probe: the identity as a primitive whose kernel counts its runs (how often a staged block is evaluated). */
function probe() {
  const counter = { runs: 0 };
  type Empty = Record<string, never>;
  const probeP: Primitive<Empty> = definePrimitive<Empty>({
    name: "probe",
    impl: ([x]) => {
      counter.runs++;
      return [x!];
    },
    abstractEval: ([x]) => [x!],
    jvp: (_, [t]) => [t],
    transpose: ([ct]) => [ct!],
    batch: ([x], [d]) => [[bind1(probeP, [x!], {})], [d!]],
  });
  return { counter, tap: (x: A) => bind1(probeP, [x], {}) };
}

describe("checkpoint runs its block once forward and once in the backward pass", () => {
  const body = (v: A) => np.sin(np.cos(v)).mul(v);
  it("the user's function is called once (staged); under grad the block's forward pass runs twice (was 3)", () => {
    const block = counted(body);
    const { counter, tap } = probe();
    const f = checkpoint((v: A) => block(tap(v)));
    const g = grad((v: A) => np.sum(f(v)))(x);
    expect(block.calls).toBe(1);
    expect(counter.runs).toBe(2);
    expect(g).toBeAllclose(grad((v: A) => np.sum(body(v)))(x), { rtol: 1e-14 });
    block.calls = 0;
    counter.runs = 0;
    f(x);
    expect([block.calls, counter.runs]).toEqual([1, 1]);
    counter.runs = 0;
    expect(jvp(f, [x], [np.ones([3])])[1]).toBeAllclose(jvp(body, [x], [np.ones([3])])[1], { rtol: 1e-14 });
    expect(counter.runs).toBe(1); // forward mode saves nothing: one pass
  });
  it("everythingSaveable saves all: the forward pass runs once in all", () => {
    const { counter, tap } = probe();
    const f = checkpoint((v: A) => body(tap(v)), { policy: checkpointPolicies.everythingSaveable });
    grad((v: A) => np.sum(f(v)))(x);
    expect(counter.runs).toBe(1);
  });
  it("a jitted function under grad or jvp runs its program once forward (the backward pass is its transpose)", () => {
    const { counter, tap } = probe();
    const jf = jit((v: A) => np.sum(body(tap(v))));
    expect(grad(jf)(x)).toBeAllclose(grad((v: A) => np.sum(body(v)))(x), { rtol: 1e-14 });
    expect(counter.runs).toBe(1);
    counter.runs = 0;
    jvp(jf, [x], [np.ones([3])]);
    expect(counter.runs).toBe(1);
  });
});

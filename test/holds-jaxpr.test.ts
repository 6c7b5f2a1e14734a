/**
 * @file The backward pass's check for equations holding jaxprs in their params (`holdsJaxpr`, which
 * decides whether cotangents may go to the pool) agrees with `subJaxprs`: a jaxpr held directly
 * (`jit`'s), in a list (`cond`'s branches), none (`sin`, `dotGeneral`), or only inherited.
 */
import { describe, expect, it } from "vitest";
import * as np from "autograd-ts/numpy";
import { jit, lax, makeJaxpr } from "autograd-ts";
import { subJaxprs } from "../src/core/jaxpr.ts";
import { holdsJaxpr } from "../src/interpreters/linearize.ts";

type A = np.NDArray;

const paramsOf = (j: { eqns: readonly { prim: { name: string }; params: unknown }[] }) => j.eqns.map((e) => [e.prim.name, e.params] as const);

describe("holdsJaxpr", () => {
  it("agrees with subJaxprs on every equation of staged programs", () => {
    const cond = makeJaxpr((i: A, x: A) => lax.switchCase(i, [(v: A) => v.mul(2), (v: A) => np.exp(v)], x))(np.array(1, { dtype: "int32" }), np.ones([3]));
    const jitted = makeJaxpr((x: A) => jit((v: A) => np.sin(v).matmul(v))(x).add(np.sin(x)))(np.ones([3]));
    const eqns = [...paramsOf(cond), ...paramsOf(jitted)];
    const held = eqns.filter(([, p]) => holdsJaxpr(p)).map(([name]) => name);
    expect(held.length).toBeGreaterThanOrEqual(2);
    for (const [name, p] of eqns) expect(holdsJaxpr(p), name).toBe(subJaxprs(p).length > 0);
    const branches = eqns.find(([, p]) => Array.isArray((p as { branches?: unknown }).branches));
    expect(branches).toBeDefined();
    expect(holdsJaxpr(branches![1])).toBe(true);
  });

  it("is false for params without a jaxpr of their own", () => {
    const closed = subJaxprs(paramsOf(makeJaxpr((x: A) => jit(np.sin)(x))(np.ones([2])))[0]![1])[0]!;
    expect(closed).toBeDefined();
    expect(holdsJaxpr(null)).toBe(false);
    expect(holdsJaxpr({})).toBe(false);
    expect(holdsJaxpr({ lhsContract: [1], rhsContract: [0], lhsBatch: [], rhsBatch: [] })).toBe(false);
    expect(holdsJaxpr({ branches: [] })).toBe(false);
    expect(holdsJaxpr(Object.create({ jaxpr: closed }))).toBe(false);
    expect(holdsJaxpr({ jaxpr: closed })).toBe(true);
    expect(holdsJaxpr({ axes: [0], branches: [closed] })).toBe(true);
  });
});

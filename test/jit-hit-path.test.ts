/**
 * @file jit's hit path: a call with the signature of the last call of its arity skips the string
 * key, yet keeps the cache contract (signature by shapes/dtypes/kind of leaf, LRU order, eviction,
 * hit counts) and the errors of bad arguments.
 */
import { describe, expect, it } from "vitest";
import { grad, jit, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";

type A = np.NDArray;

describe("jit hit path: the signature decides, not the last call", () => {
  it("restages for a new shape, dtype or kind of leaf of the same arity, and reuses for equal ones", () => {
    let stagings = 0;
    const jf = jit((x: A | number, y: A | number) => {
      stagings++;
      return np.add(x, y);
    });
    expect(jf(np.array([1, 2]), 1).toArray()).toEqual([2, 3]);
    expect(jf(np.array([3, 4]), 2).toArray()).toEqual([5, 6]); // fast hit
    expect(stagings).toBe(1);
    expect(jf(np.array([1, 2, 3]), 1).toArray()).toEqual([2, 3, 4]); // shape differs
    expect(stagings).toBe(2);
    expect(jf(np.array([1, 2, 3], { dtype: "int32" }), 1).toArray()).toEqual([2, 3, 4]); // dtype differs
    expect(stagings).toBe(3);
    expect(jf(np.array([1, 2, 3], { dtype: "int32" }), np.array(1)).toArray()).toEqual([2, 3, 4]); // number → 0-d array
    expect(stagings).toBe(4);
    expect(jf(np.array([[1, 2, 3]]), 1).toArray()).toEqual([[2, 3, 4]]); // rank differs
    expect(stagings).toBe(5);
    // Back to an earlier signature: found by key, not restaged.
    expect(jf(np.array([5, 6]), 1).toArray()).toEqual([6, 7]);
    expect(jf(np.array([7, 8]), 1).toArray()).toEqual([8, 9]);
    expect(stagings).toBe(5);
    expect(jf.cacheInfo()).toMatchObject({ stagings: 5, hits: 3 });
  });

  it("keeps the least-recently-used order on fast hits, so eviction drops the right program", () => {
    let stagings = 0;
    const jf = jit(
      (x: A) => {
        stagings++;
        return x.mul(2);
      },
      { cacheSize: 2 },
    );
    jf(np.zeros([1])); // stage a
    jf(np.zeros([2])); // stage b
    jf(np.zeros([1])); // a by key
    jf(np.zeros([1])); // a by the fast path
    jf(np.zeros([3])); // stage c, drops b
    expect(stagings).toBe(3);
    jf(np.zeros([1]));
    expect(stagings).toBe(3);
    jf(np.zeros([2]));
    expect(stagings).toBe(4);
  });

  it("does not run an evicted program from the fast path", () => {
    let stagings = 0;
    const jf = jit(
      (x: A, y?: A) => {
        stagings++;
        return y === undefined ? x.add(1) : x.add(y);
      },
      { cacheSize: 1 },
    );
    jf(np.zeros([1]));
    jf(np.zeros([1]), np.zeros([1])); // another arity: evicts the first program
    jf(np.zeros([1])); // restaged, not run from the remembered signature
    expect(stagings).toBe(3);
    expect(jf.cacheInfo().programs.length).toBe(1);
  });

  it("tells a 0-d array from an array of one more axis of the same dtype", () => {
    const jf = jit((x: A) => x.mul(2));
    expect(jf(np.array([1, 2])).toArray()).toEqual([2, 4]);
    expect(jf(np.array(3)).shape).toEqual([]);
    expect(jf.cacheInfo()).toMatchObject({ stagings: 2, hits: 0 });
  });

  it("returns the output structure of f for several outputs", () => {
    const jf = jit((x: A) => ({ s: np.sum(x), d: [x.mul(2)] }));
    jf(np.array([1, 2]));
    const out = jf(np.array([3, 4])) as { s: A; d: A[] };
    expect(out.s.item()).toBe(7);
    expect(out.d[0]!.toArray()).toEqual([6, 8]);
  });

  it("is left for the slow path under transformations, with non-leaf arguments, and bad arguments", () => {
    const jf = jit((x: A) => np.sum(np.tanh(x)));
    const x = np.array([0.1, 0.2]);
    jf(x);
    // Under grad the same signature binds pjit, and its gradient is right.
    const g = grad(jf)(x) as A;
    expect(g.toArray()).toEqual((np.subtract(1, np.square(np.tanh(x))) as A).toArray());
    expect((vmap(jf)(np.array([[0.1], [0.2]])) as A).shape).toEqual([2]);
    expect(() => jf("a" as unknown as A)).toThrow(/jit: argument/);
    expect(() => jf(undefined as unknown as A)).toThrow(/np.tanh: argument x/);
    const h = jit((t: { a: A }) => t.a.mul(3));
    h({ a: np.array([1]) });
    expect(h({ a: np.array([2]) }).toArray()).toEqual([6]);
    expect(h.cacheInfo()).toMatchObject({ stagings: 1, hits: 1 });
  });

  it("W1: jit(grad) of a scalar function on numbers equals eager grad", () => {
    const tanhViaExp = (x: A | number) => {
      const e = np.exp(np.negative(x));
      return np.subtract(1, e).div(np.add(1, e));
    };
    const df = jit(grad(tanhViaExp));
    const eager = grad(tanhViaExp);
    for (const x of [1, -0.5, 3, 1]) expect((df(x) as A).item()).toBe(eager(x) as number);
    expect(df.cacheInfo()).toMatchObject({ stagings: 1, hits: 3 });
  });
});

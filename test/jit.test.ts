/**
 * @file `jit`'s cache contract: keys by structure, shapes, dtypes and static arguments compared by
 * `Object.is`; bounded (least recently used dropped); large constants shared between signatures;
 * donated arguments unreadable afterwards; options checked.
 */
import { describe, expect, it } from "vitest";
import { grad, jit, makeJaxpr } from "autograd-ts";
import * as np from "autograd-ts/numpy";

type A = np.NDArray;
const apply = (x: A, fn: (v: A) => A) => fn(x);

describe("jit: static arguments are compared by identity/value, never by their JSON", () => {
  it("np.sin and np.cos as static arguments are two programs with two answers", () => {
    const jf = jit(apply, { staticArgnums: [1] });
    const x = np.array([0.3, 1.2]);
    expect(jf(x, np.sin)).toBeAllclose(np.sin(x), { rtol: 1e-15 });
    expect(jf(x, np.cos)).toBeAllclose(np.cos(x), { rtol: 1e-15 });
    expect(jf(x, np.sin)).toBeAllclose(np.sin(x), { rtol: 1e-15 });
    expect(jf.cacheInfo()).toMatchObject({ stagings: 2, hits: 1 });
  });
  it("NaN, null, undefined, 0 and -0, '1' and 1, true and 1 are all different keys; NaN equals NaN", () => {
    const seen: unknown[] = [];
    const jf = jit(
      (x: A, s: unknown) => {
        seen.push(s);
        return x.mul(s === null ? 2 : s === undefined ? 3 : Number.isNaN(s) ? 4 : Object.is(s, -0) ? 5 : 6);
      },
      { staticArgnums: 1 },
    );
    const x = np.array(1);
    const outs = [NaN, null, undefined, 0, -0, "1", 1, true, NaN].map((s) => jf(x, s).item());
    expect(outs).toEqual([4, 2, 3, 6, 5, 6, 6, 6, 4]);
    expect(jf.cacheInfo()).toMatchObject({ stagings: 8, hits: 1 });
  });
  it("objects are compared by identity: equal contents restage, the same object does not", () => {
    const jf = jit((x: A, cfg: { k: number }) => x.mul(cfg.k), { staticArgnums: [-1] });
    const a = { k: 2 };
    expect(jf(np.array(1), a).item()).toBe(2);
    a.k = 7; // mutating a static object is not seen (as JAX: the key is the object)
    expect(jf(np.array(1), a).item()).toBe(2);
    expect(jf(np.array(1), { k: 2 }).item()).toBe(2);
    expect(jf.cacheInfo()).toMatchObject({ stagings: 2, hits: 1 });
  });
  it("strings by value, and shapes and dtypes of the traced arguments", () => {
    const jf = jit((x: A, mode: string) => (mode === "sq" ? x.mul(x) : x.neg()), { staticArgnums: [1] });
    expect(jf(np.array([3]), "sq")).toBeAllclose([9]);
    expect(jf(np.array([3]), "s" + "q")).toBeAllclose([9]);
    expect(jf(np.array([3]), "neg")).toBeAllclose([-3]);
    expect(jf(np.array([3, 4]), "sq")).toBeAllclose([9, 16]);
    expect(jf(np.array([3]).astype("int32"), "sq").dtype).toBe("int32");
    expect(jf.cacheInfo()).toMatchObject({ stagings: 4, hits: 1 });
  });
});

describe("jit: the cache is bounded, least recently used dropped", () => {
  it("holds at most cacheSize programs and drops the least recently used", () => {
    let stagings = 0;
    const jf = jit(
      (x: A) => {
        stagings++;
        return x.add(1);
      },
      { cacheSize: 2 },
    );
    const a = np.zeros([1]);
    const b = np.zeros([2]);
    const c = np.zeros([3]);
    jf(a);
    jf(b);
    jf(a); // a is now the most recently used
    jf(c); // drops b
    expect(stagings).toBe(3);
    expect(jf.cacheInfo().programs.length).toBe(2);
    jf(a);
    expect(stagings).toBe(3);
    jf(b);
    expect(stagings).toBe(4);
  });
  it("defaults to 64 programs", () => {
    const jf = jit((x: A) => x.mul(2));
    for (let n = 1; n <= 70; n++) jf(np.zeros([n]));
    expect(jf.cacheInfo()).toMatchObject({ stagings: 70, maxSize: 64 });
    expect(jf.cacheInfo().programs.length).toBe(64);
  });
});

describe("jit: large constants are not copied per signature", () => {
  it("a closed-over matrix and a constant computed from it are held once across signatures", () => {
    const W = np.linspace(-1, 1, 1200).reshape([40, 30]);
    const f = (x: A) => x.matmul(W.T).add(np.sum(W));
    const jf = jit(f);
    const outs = [np.ones([2, 30]), np.ones([5, 30]), np.ones([30])].map((x) => jf(x));
    outs.forEach((o, i) => expect(o).toBeAllclose(f([np.ones([2, 30]), np.ones([5, 30]), np.ones([30])][i]!), { rtol: 1e-15 }));
    const large = jf.cacheInfo().programs.map((p) => p.consts.filter((c) => c.size >= 1200));
    expect(large.map((l) => l.length)).toEqual([1, 1, 1]);
    expect(large[1]![0]).toBe(large[0]![0]);
    expect(large[2]![0]).toBe(large[0]![0]);
  });
});

describe("jit: donated arguments", () => {
  it("reading a donated array afterwards throws, naming jit and the argument; the others stay readable", () => {
    const jf = jit((x: A, y: A) => x.add(y), { donateArgnums: [0] });
    const x = np.array([1, 2]);
    const y = np.array([10, 20]);
    expect(jf(x, y)).toBeAllclose([11, 22]);
    expect(() => x.toArray()).toThrow(/jit: this array \(shape \[2\]\) was donated to a jitted function \(argument 0, donateArgnums\)/);
    expect(() => np.sin(x)).toThrow(/donated/);
    expect(y.toArray()).toEqual([10, 20]);
  });
  it("an output that is the donated array itself keeps its buffer and stays readable", () => {
    const jf = jit((p: { w: A; b: A }) => ({ w: p.w, b: p.b.mul(2) }), { donateArgnums: [0] });
    const p = { w: np.array([1, 2]), b: np.array([3]) };
    const out = jf(p) as { w: A; b: A };
    expect(out.w.toArray()).toEqual([1, 2]);
    expect(out.b.toArray()).toEqual([6]);
    expect(() => p.w.item()).toThrow(/donated/);
    expect(() => p.b.toArray()).toThrow(/donated/);
  });
  it("an array passed both donated and not donated stays readable; under a transformation nothing is donated", () => {
    const jf = jit((x: A, y: A) => x.mul(y), { donateArgnums: [0] });
    const x = np.array([2]);
    expect(jf(x, x)).toBeAllclose([4]);
    expect(x.toArray()).toEqual([2]);
    const w = np.array(3);
    expect(grad((v: A) => np.sum(jf(w, v)))(np.array(1))).toBeAllclose(3);
    expect(w.item()).toBe(3);
  });
});

describe("jit: options are checked", () => {
  it("unknown keys, bad cacheSize, argnums out of range, static and donated at once", () => {
    const f = (x: A) => x;
    expect(() => jit(f, { staticArgnum: [0] } as never)).toThrow(/jit: unknown option "staticArgnum"/);
    expect(() => jit(f, { cacheSize: 0 })).toThrow(/jit: option cacheSize must be a positive integer, got 0/);
    expect(() => jit(f, { staticArgnums: ["0"] } as never)).toThrow(/jit: option staticArgnums must be an integer/);
    expect(() => jit(f, { staticArgnums: [3] })(np.array(1))).toThrow(/jit: staticArgnums 3 is out of range for a call with 1 argument/);
    expect(() => jit(f, { staticArgnums: [0], donateArgnums: [0] })(np.array(1))).toThrow(/both static .* and donated/);
  });
});

describe("jit: runs the compiled program outside transformations, and lower() shows it", () => {
  it("a fused elementwise chain equals eager exactly; lower gives the optimised jaxpr and the generated code", () => {
    const f = (x: A, y: A) => np.tanh(x.mul(y).add(1)).mul(np.exp(x.neg())).sub(y.mul(1));
    const jf = jit(f);
    const x = np.array([[0.5, -1, NaN], [2, Infinity, -0]]);
    const y = np.array([1, 2, 3]);
    const out = jf(x, y) as A;
    expect(out.toArray()).toEqual((f(x, y) as A).toArray());
    const low = jf.lower(x, y);
    expect(low.text).toContain("fused loop");
    // y·1 is gone (3 muls staged, 2 left) and the broadcast of y is shared by its two uses
    expect(String(makeJaxpr(f)(x, y)).match(/ = mul /g)).toHaveLength(3);
    expect(String(low.jaxpr).match(/ = mul /g)).toHaveLength(2);
    expect(jf.cacheInfo()).toMatchObject({ stagings: 1 });
  });
  it("jit(grad) of a scalar function: compiled outside, pjit inside another transformation, same numbers", () => {
    const g = jit(grad((x: A) => np.sum(np.tanh(x).mul(x))));
    const x = np.array([0.3, -0.7, 1.1]);
    const eager = grad((v: A) => np.sum(np.tanh(v).mul(v)))(x) as A;
    expect(g(x)).toBeAllclose(eager, { rtol: 1e-15 });
    const hess = grad((v: A) => np.sum(g(v) as A));
    expect(hess(x)).toBeAllclose(grad((v: A) => np.sum(grad((w: A) => np.sum(np.tanh(w).mul(w)))(v) as A))(x) as A, { rtol: 1e-14 });
  });
});

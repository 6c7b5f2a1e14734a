/** @file Trees as fp-ts instances (Functor, Foldable, Traversable), `tree.lookup` as an Option, and transformations composed with `pipe`/`flow`. */
import { describe, expect, expectTypeOf, it } from "vitest";
import { pipe, flow } from "fp-ts/function";
import * as O from "fp-ts/Option";
import * as E from "fp-ts/Either";
import * as N from "fp-ts/number";
import { grad, vmap, tree } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import type { NDArray } from "autograd-ts/numpy";

describe("trees as fp-ts instances", () => {
  const t = { w: np.array([1, 2]), layers: [{ b: 3 }, { b: 4 }] };

  it("Functor: map keeps the structure, data-first and pipeable", () => {
    const doubled = tree.Functor.map<NDArray | number, NDArray>(t, (x) => np.multiply(x, 2));
    expect(tree.leaves(doubled as never).map((l) => (l as NDArray).toArray())).toEqual([6, 8, [2, 4]]);
    const piped = pipe({ a: 1, b: [2, 3] }, tree.map((x: number) => x + 1));
    expect(piped).toEqual({ a: 2, b: [3, 4] });
    // Functor law: map(id) = id, map(f∘g) = map(f)∘map(g)
    expect(tree.Functor.map({ a: 1, b: [2] }, (x) => x)).toEqual({ a: 1, b: [2] });
    const f = (x: number) => x * 3;
    const g = (x: number) => x - 1;
    expect(tree.Functor.map({ a: 1, b: [2] }, flow(g, f))).toEqual(tree.Functor.map(tree.Functor.map({ a: 1, b: [2] }, g), f));
  });

  it("the three-argument tree.map is unchanged", () => {
    expect(tree.map((a, b) => (a as number) + (b as number), { x: 1, y: [2] }, { x: 10, y: [20] })).toEqual({ x: 11, y: [22] });
  });

  it("Foldable: reduce, foldMap and reduceRight in flatten's order", () => {
    const nums = { b: 2, a: [1, 3] };
    expect(tree.Foldable.reduce(nums, [] as number[], (acc, x) => [...acc, x])).toEqual([1, 3, 2]);
    expect(tree.Foldable.foldMap(N.MonoidSum)(nums, (x) => x * x)).toBe(14);
    expect(tree.Foldable.reduceRight(nums, [] as number[], (x, acc) => [...acc, x])).toEqual([2, 3, 1]);
  });

  it("Traversable: traverse and sequence with Option and Either", () => {
    const half = (x: number): O.Option<number> => (x % 2 === 0 ? O.some(x / 2) : O.none);
    expect(tree.Traversable.traverse(O.Applicative)({ a: 2, b: [4, 6] }, half)).toEqual(O.some({ a: 1, b: [2, 3] }));
    expect(tree.Traversable.traverse(O.Applicative)({ a: 2, b: [5] }, half)).toEqual(O.none);
    const seq = tree.Traversable.sequence(O.Applicative);
    expect(seq({ a: O.some(1), b: [O.some(2)] })).toEqual(O.some({ a: 1, b: [2] }));
    expect(seq({ a: O.some(1), b: [O.none] })).toEqual(O.none);
    const checked = tree.Traversable.traverse(E.Applicative)({ w: np.ones([2]), b: np.array(Number.NaN) }, (x) =>
      np.all(np.isfinite(x)).item() ? E.right(x) : E.left(`not finite: ${x.toString()}`),
    );
    expect(E.isLeft(checked)).toBe(true);
    const ok = tree.Traversable.traverse(E.Applicative)({ w: np.ones([2]) }, (x) => E.right(x.mul(2)));
    expect(E.isRight(ok) && (ok.right as { w: NDArray }).w.toArray()).toEqual([2, 2]);
  });

  it("lookup gives an Option", () => {
    expect(pipe(t, tree.lookup(["layers", 1, "b"]))).toEqual(O.some(4));
    expect(pipe(t, tree.lookup(["layers", 2]))).toEqual(O.none);
    expect(pipe(t, tree.lookup(["w", 0]))).toEqual(O.none);
    expect(pipe(t, tree.lookup(["nope"]), O.isNone)).toBe(true);
  });

  it("a tree of non-leaf class instances is refused by flatten, as before", () => {
    class Foo {}
    expect(() => tree.leaves({ a: new Foo() } as never)).toThrow(/Foo/);
  });
});

describe("transformations composed with pipe and flow", () => {
  interface Params { w: NDArray; b: NDArray }
  const loss = (p: Params, x: NDArray, y: NDArray) => np.sum(np.square(np.sum(x.mul(p.w)).add(p.b).sub(y)));
  const params: Params = { w: np.array([0.5, -1]), b: np.array(0.1) };
  const xs = np.array([[1, 2], [3, 4], [5, 6]]);
  const ys = np.array([1, 0, 2]);

  it("pipe(loss, grad, vmap) gives per-example gradients equal to a loop", () => {
    const perExample = pipe(loss, grad, (g) => vmap(g, { inAxes: [null, 0, 0] }));
    const got = perExample(params, xs, ys);
    expectTypeOf(got).toEqualTypeOf<{ w: NDArray; b: NDArray }>();
    for (let i = 0; i < 3; i++) {
      const want = grad(loss)(params, xs.get(i), ys.get(i));
      expect(got.w.get(i)).toBeAllclose(want.w, { rtol: 1e-14 });
      expect(got.b.get(i)).toBeAllclose(want.b, { rtol: 1e-14 });
    }
  });

  it("flow builds the second derivative as a function", () => {
    const d2 = flow(grad, grad)(np.sin);
    expect(d2(0.3)).toBeCloseTo(-Math.sin(0.3), 14);
  });
});

/** @file The README's TypeScript snippets (types, fp-ts), checked by tsc so they stay true; never run. */
import { expectTypeOf } from "vitest";
import { pipe, flow } from "fp-ts/lib/function.js";
import * as O from "fp-ts/lib/Option.js";
import { grad, vmap, valueAndGrad, tree } from "autograd-ts";
import * as np from "autograd-ts/numpy";

interface Params { w: np.NDArray; b: np.NDArray }
const params: Params = { w: np.zeros([3, 2]), b: np.zeros([2]) };
const x = np.ones([4, 3]);
const loss = (p: Params, xs: np.NDArray) => np.sum(np.tanh(xs.matmul(p.w).add(p.b)));
const withAux = (p: Params, xs: np.NDArray) => [loss(p, xs), { n: 1 }] as const;
type G = { w: np.NDArray; b: np.NDArray };

const grads = grad(loss)(params, x);
expectTypeOf(grads).toEqualTypeOf<G>();
expectTypeOf(grad(loss, { argnums: [0, 1] })(params, x)).toEqualTypeOf<[G, np.NDArray]>();
const [[value, aux], g2] = valueAndGrad(withAux, { hasAux: true })(params, x);
expectTypeOf(value).toEqualTypeOf<np.NDArray>();
expectTypeOf(aux).toEqualTypeOf<{ readonly n: 1 }>();
expectTypeOf(g2).toEqualTypeOf<G>();
expectTypeOf(grad(grad(np.sin))(1.0)).toEqualTypeOf<number>();
// @ts-expect-error the README's example of a tsc error: a gradient's field is an NDArray
const s: string = grad(loss)(params, x).w;

// fp-ts
const sq = (p: Params, xs: np.NDArray, ys: np.NDArray) => np.sum(np.square(xs.matmul(p.w).add(p.b).sub(ys)));
const perExample = pipe(sq, grad, (g) => vmap(g, { inAxes: [null, 0, 0] }));
expectTypeOf(perExample(params, x, x)).toEqualTypeOf<G>();
expectTypeOf(flow(grad, grad)(np.sin)(0.3)).toEqualTypeOf<number>();
const decayed = pipe(params, tree.map((leaf: np.NDArray) => leaf.mul(0.9)));
expectTypeOf(decayed).toEqualTypeOf<G>();
expectTypeOf(tree.Foldable.reduce(grads, 0, (acc, g: np.NDArray) => acc + np.sum(g.mul(g)).item())).toEqualTypeOf<number>();
const checked = tree.Traversable.traverse(O.Applicative)(grads, (g: np.NDArray) => (np.all(np.isfinite(g)).item() ? O.some(g) : O.none));
expectTypeOf(checked).toEqualTypeOf<O.Option<tree.TreeOf<np.NDArray>>>();
expectTypeOf(tree.Traversable.sequence(O.Applicative)({ a: O.some(1), b: [O.some(2)] })).toEqualTypeOf<O.Option<tree.TreeOf<number>>>();
expectTypeOf(pipe(params, tree.lookup(["layers", 0, "w"]))).toEqualTypeOf<O.Option<tree.Tree>>();

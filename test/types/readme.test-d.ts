/** @file The README's TypeScript snippets (types, fp-ts), checked by tsc so they stay true; never run. */
import { pipe, flow } from "fp-ts/lib/function.js";
import * as O from "fp-ts/lib/Option.js";
import { grad, vmap, valueAndGrad, tree } from "autograd-ts";
import * as np from "autograd-ts/numpy";
interface Params { w: np.NDArray; b: np.NDArray }
const params: Params = { w: np.zeros([3, 2]), b: np.zeros([2]) };
const x = np.ones([4, 3]);
const loss = (p: Params, x: np.NDArray) => np.sum(np.tanh(x.matmul(p.w).add(p.b)));
const withAux = (p: Params, x: np.NDArray) => [loss(p, x), { n: 1 }] as const;
const g = grad(loss)(params, x);
const [gp, gx] = grad(loss, { argnums: [0, 1] })(params, x);
const [[value, aux], g2] = valueAndGrad(withAux, { hasAux: true })(params, x);
const d: number = grad(grad(np.sin))(1.0);
const grads = g;
pipe(params, tree.map((x: np.NDArray) => x.mul(0.9)));
tree.Foldable.reduce(grads, 0, (s, g: np.NDArray) => s + np.sum(g.mul(g)).item());
tree.Traversable.traverse(O.Applicative)(grads, (g: np.NDArray) => (np.all(np.isfinite(g)).item() ? O.some(g) : O.none));
tree.Traversable.sequence(O.Applicative)({ a: O.some(1), b: [O.some(2)] });
pipe(params, tree.lookup(["layers", 0, "w"]));
const secondDerivative = flow(grad, grad);
const r = secondDerivative(np.sin)(0.3);
np.random.key(0);
const decayed = pipe(params, tree.map((x: np.NDArray) => x.mul(0.9)));
const w: np.NDArray = decayed.w;
// @ts-expect-error a field of the mapped tree is an NDArray
const w2: string = decayed.w;

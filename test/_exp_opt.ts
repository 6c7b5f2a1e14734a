import { grad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { sgd, rmsprop, adam } from "autograd-ts/optimizers";
const c = np.array([1, -2, 0.5, 4, -3]);
type P = { a: np.NDArray; b: number };
const loss = (p: P) => np.sum(np.square(p.a.sub(c))).add(np.square(np.subtract(p.b, 3)));
const g = grad(loss);
const p0: P = { a: np.zeros([5]), b: 0 };
const err = (p: P) => Math.max(np.max(np.abs(p.a.sub(c))).item(), Math.abs(p.b - 3));
for (const [name, opt, o] of [["sgd", sgd, {numIters: 200}], ["sgd", sgd, {numIters: 400}], ["rmsprop", rmsprop, {numIters: 300, stepSize: 0.01}],["rmsprop", rmsprop, {numIters: 1000, stepSize: 0.01}], ["rmsprop", rmsprop, {numIters: 300, stepSize: 0.1}], ["adam", adam, {numIters: 300, stepSize: 0.1}], ["adam", adam, {numIters: 1000, stepSize: 0.1}], ["adam", adam, {numIters: 2000, stepSize: 0.1}]] as const) {
  const t0 = performance.now();
  const p = (opt as any)((p: P, i: number) => g(p), p0, o);
  console.log(name, JSON.stringify(o), err(p), typeof p.b, (performance.now()-t0).toFixed(0), "ms");
}

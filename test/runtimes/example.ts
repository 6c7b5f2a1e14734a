/**
 * @file The example every runtime test runs: a gradient through the NumPy layer, `vmap`, `jit` and
 * a `scipy.special` function (a CommonJS @stdlib dependency), reported as plain numbers.
 */
import { grad, jit, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { special } from "autograd-ts/scipy";

/** Runs the example; the numbers are checked against closed forms by the tests. */
export function runExample(): Record<string, number | number[]> {
  const f = (x: np.NDArray) => np.sum(np.tanh(x).mul(x));
  const x = np.array([0.5, -1, 2]);
  const g = grad(f)(x);
  const perRow = vmap(grad(f))(np.array([[0.5, -1, 2], [1, 1, 1]]));
  const d2 = grad(grad(np.sin))(1.0);
  const big = jit((a: np.NDArray) => a.matmul(a))(np.ones([300, 300]));
  const erfSlope = grad((t: np.NDArray) => special.erf(t))(0.3);
  return {
    grad: g.toArray() as number[],
    vmapRow1: (perRow.get(1).toArray() as number[]),
    d2sin: d2,
    matmulCorner: big.get(299, 299).item(),
    erfSlope,
  };
}

/** The expected values: d/dx x·tanh(x) = tanh(x) + x·(1 − tanh²x), −sin(1), 300, 2/√π·e^(−0.09). */
export function expected(): Record<string, number | number[]> {
  const d = (v: number) => Math.tanh(v) + v * (1 - Math.tanh(v) ** 2);
  return {
    grad: [d(0.5), d(-1), d(2)],
    vmapRow1: [d(1), d(1), d(1)],
    d2sin: -Math.sin(1),
    matmulCorner: 300,
    erfSlope: (2 / Math.sqrt(Math.PI)) * Math.exp(-0.09),
  };
}

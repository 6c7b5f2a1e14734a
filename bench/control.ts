/**
 * @file `npx tsx bench/control.ts`: control flow under `jit` against eager — a 1000-step `lax.scan`
 * of a small RNN cell (H = 8) and its gradient, and a Newton iteration for √a in `lax.whileLoop` —
 * medians after a 1 s warm-up. Under eager, each primitive of the body runs through its kernel per
 * iteration; under jit the loop is one equation whose body is compiled once.
 */
import { grad, jit, lax } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { timeCall } from "./timing.ts";

type A = np.NDArray;
const H = 8;
const T = 1000;
const W = np.random.normal(np.random.key(0), [H, H]).mul(0.3);
const xs = np.random.normal(np.random.key(1), [T, H]);
const rnn = (w: A) => np.sum(lax.scan((h: A, x: A) => [np.tanh(h.matmul(w).add(x)), null] as [A, null], np.zeros([H]), xs)[0].pow(2));
const newton = (a: A) =>
  lax.whileLoop(
    ([x, i]: [A, A]) => np.logicalAnd(np.greater(np.abs(x.mul(x).sub(a)), 1e-12), np.less(i, 100)),
    ([x, i]: [A, A]) => [x.sub(x.mul(x).sub(a).div(x.mul(2))), i.add(1)] as [A, A],
    [a, np.array(0)] as [A, A],
  )[0];

const fmt = (ms: number): string => (ms < 0.1 ? `${(ms * 1e3).toFixed(1)} µs` : `${ms.toFixed(3)} ms`);
const cases: [string, (x: A) => unknown, A][] = [
  ["scan RNN H=8, 1000 steps", rnn, W],
  ["grad of the scan RNN", grad(rnn), W],
  ["Newton √a whileLoop (to 1e-12)", newton, np.array(1e6)],
];
console.log("| workload | eager | jit | eager ÷ jit |\n| --- | ---: | ---: | ---: |");
for (const [label, f, x] of cases) {
  const jf = jit(f);
  const eager = timeCall(() => f(x));
  const fast = timeCall(() => jf(x));
  console.log(`| ${label} | ${fmt(eager)} | ${fmt(fast)} | ${(eager / fast).toFixed(1)}× |`);
}

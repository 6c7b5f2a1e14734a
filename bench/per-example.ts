/**
 * @file Per-example gradients by `vmap(grad)` against a loop of `grad` calls, across batch sizes,
 * for the MLP 784-128-10 of workload (d). Both run in this one process, alternately, so that a
 * change in machine load hits both; each figure is the median of several samples.
 *
 * Run: `npx tsx bench/per-example.ts`. The per-example gradient of the 784×128 weight is a fresh
 * batch × 0.8 MB array on every `vmap(grad)` call, so at batch ≥ 64 the cost of first touching its
 * pages shows; compare `GLIBC_TUNABLES=glibc.malloc.hugetlb=1 npx tsx bench/per-example.ts`.
 */
import { grad, vmap } from "autograd-ts";
import { matrix, mlpLoss, mlpParams, oneHot } from "./workloads.ts";
import { median, timeCall } from "./timing.ts";

const timing = { samples: 5, minSampleMs: 50, warmupMs: 300 };
const rounds = 3;

console.log("| batch | vmap(grad) ms | loop of grad ms | loop ÷ vmap |\n| ---: | ---: | ---: | ---: |");
for (const batch of [8, 16, 32, 64, 128]) {
  const params = mlpParams([784, 128, 10], 3);
  const xs = matrix(batch, 784, 4);
  const ys = oneHot(batch, 10);
  const perExample = vmap(grad(mlpLoss), { inAxes: [null, 0, 0] });
  const rows = Array.from({ length: batch }, (_, i) => [xs.get(i), ys.get(i)] as const);
  const g = grad(mlpLoss);
  const vmapped: number[] = [];
  const looped: number[] = [];
  for (let r = 0; r < rounds; r++) {
    vmapped.push(timeCall(() => perExample(params, xs, ys), timing));
    looped.push(timeCall(() => rows.map(([x, y]) => g(params, x, y)), timing));
  }
  const [v, l] = [median(vmapped), median(looped)];
  console.log(`| ${batch} | ${v.toFixed(2)} | ${l.toFixed(2)} | ${(l / v).toFixed(2)}× |`);
}

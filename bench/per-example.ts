/**
 * @file Per-example gradients by `vmap(grad)` against a loop of `grad` calls, across batch sizes,
 * for the MLP 784-128-10 of workload (d). Both run in this one process, alternately, so that a
 * change in machine load hits both; each figure is the median of several samples.
 *
 * Run: `npx tsx bench/per-example.ts`. The per-example gradient of the 784×128 weight is one fresh
 * batch × 0.8 MB array on every `vmap(grad)` call (the loop's are 0.8 MB each, which the allocator
 * recycles), and on this VM its pages often fault when first written: the table also times that
 * first touch alone — a fresh array of the same size from `allocateUninitialized`, filled, less
 * the same fill of a reused array, alternated with the two — and gives the ratio with it set aside,
 * with the minor page faults and the kernel (sys) time per call of each. Compare
 * `GLIBC_TUNABLES=glibc.malloc.hugetlb=1 npx tsx bench/per-example.ts`.
 */
import { grad, vmap } from "autograd-ts";
import { allocateUninitialized } from "../src/core/dtype.ts";
import { matrix, mlpLoss, mlpParams, oneHot } from "./workloads.ts";
import { median, timeCall } from "./timing.ts";

const timing = { samples: 5, minSampleMs: 50, warmupMs: 300 };
const rounds = 3;

/**
 * `timeCall(fn)` with the minor page faults, the kernel (sys) time and the whole CPU time (user +
 * sys, all threads) per call over its warm-up and timed samples: CPU time does not count the
 * moments the process waited for a core, so its ratio moves less with the machine's load.
 */
function timeWithFaults(fn: () => unknown): { ms: number; faults: number; sysMs: number; cpuMs: number } {
  let calls = 0;
  const counted = (): unknown => {
    calls++;
    return fn();
  };
  const r0 = process.resourceUsage();
  const ms = timeCall(counted, timing);
  const r1 = process.resourceUsage();
  const sys = r1.systemCPUTime - r0.systemCPUTime;
  const user = r1.userCPUTime - r0.userCPUTime;
  return { ms, faults: (r1.minorPageFault - r0.minorPageFault) / calls, sysMs: sys / 1e3 / calls, cpuMs: (sys + user) / 1e3 / calls };
}

console.log(
  "| batch | vmap(grad) ms | loop of grad ms | loop ÷ vmap | first touch of the fresh output ms | loop ÷ (vmap − first touch) | " +
    "CPU ms/call vmap, loop | loop ÷ vmap in CPU time | faults/call vmap, loop | sys ms/call vmap, loop |\n" +
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
);
for (const batch of [8, 16, 32, 64, 128]) {
  const params = mlpParams([784, 128, 10], 3);
  const xs = matrix(batch, 784, 4);
  const ys = oneHot(batch, 10);
  const perExample = vmap(grad(mlpLoss), { inAxes: [null, 0, 0] });
  const rows = Array.from({ length: batch }, (_, i) => [xs.get(i), ys.get(i)] as const);
  const g = grad(mlpLoss);
  const size = batch * 784 * 128;
  const reused = new Float64Array(size);
  const v: ReturnType<typeof timeWithFaults>[] = [];
  const l: ReturnType<typeof timeWithFaults>[] = [];
  const touch: number[] = [];
  for (let r = 0; r < rounds; r++) {
    v.push(timeWithFaults(() => perExample(params, xs, ys)));
    l.push(timeWithFaults(() => rows.map(([x, y]) => g(params, x, y))));
    touch.push(timeCall(() => allocateUninitialized(size).fill(1), timing) - timeCall(() => reused.fill(1), timing));
  }
  const med = (xs: number[]): number => median(xs.slice());
  const [vm, lm, tm] = [med(v.map((s) => s.ms)), med(l.map((s) => s.ms)), med(touch)];
  const f = (s: ReturnType<typeof timeWithFaults>[], k: "faults" | "sysMs" | "cpuMs", d: number): string => med(s.map((x) => x[k])).toFixed(d);
  const cpuRatio = med(l.map((s) => s.cpuMs)) / med(v.map((s) => s.cpuMs));
  console.log(
    `| ${batch} | ${vm.toFixed(2)} | ${lm.toFixed(2)} | ${(lm / vm).toFixed(2)}× | ${tm.toFixed(2)} | ${(lm / (vm - tm)).toFixed(2)}× | ` +
      `${f(v, "cpuMs", 2)}, ${f(l, "cpuMs", 2)} | ${cpuRatio.toFixed(2)}× | ${f(v, "faults", 0)}, ${f(l, "faults", 0)} | ${f(v, "sysMs", 2)}, ${f(l, "sysMs", 2)} |`,
  );
}

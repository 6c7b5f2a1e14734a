/**
 * @file Diagnostic for bench/run.ts's W3 figures (issue #9): times workloads of bench/workloads.ts
 * in the order given in one process (`npx tsx bench/w3-order.ts tanh_grad mlp_step mlp_step_jit`),
 * as `timeCall` does (1 s warm-up, 9 samples of at least 50 ms, median), and prints for each the
 * median of all samples, the median of the samples during which other processes used less than
 * 0.15 of a core (`timedSample` in timing.ts), and the collections during its samples (scavenges, mark-compacts
 * and their pause per call). `gc` in the list runs a full collection (with `--expose-gc`); `ab` times this build's W3 pair the
 * way bench/compiler-ab.ts does (fresh setups, 1 s warm-up each, 9 samples of 200 ms taking turns).
 */
import { PerformanceObserver, constants } from "node:perf_hooks";
import { median, timedSample } from "./timing.ts";
import { runFor } from "./compiler-pairs.ts";
import { workloads } from "./workloads.ts";

const keys = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc;
const collections = { minor: 0, major: 0, ms: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) collections.major++;
    else if (kind === constants.NODE_PERFORMANCE_GC_MINOR) collections.minor++;
    collections.ms += e.duration;
  }
}).observe({ entryTypes: ["gc"] });
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

for (const key of keys) {
  if (key === "ab") {
    // bench/compiler-ab.ts's way with this build's W3 pair alone: 1 s warm-up each, 9 samples of 200 ms taking turns
    const pair = ["mlp_step", "mlp_step_jit"];
    const fns = pair.map((k) => workloads.find((x) => x.key === k)!.setup());
    for (const f of fns) runFor(f, 1000);
    const times: number[][] = [[], []];
    const majors = [0, 0];
    for (let s = 0; s < 9; s++) {
      fns.forEach((f, i) => {
        const m = collections.major;
        times[i]!.push(runFor(f, 200));
        majors[i]! += collections.major - m;
      });
    }
    await tick();
    pair.forEach((k, i) => console.log(`${k} (ab): ${median(times[i]!).toFixed(3)} ms; ${majors[i]} mark-compacts`));
    continue;
  }
  if (key === "gc") {
    gc?.();
    continue;
  }
  const w = workloads.find((x) => x.key === key);
  if (!w) throw new Error(`no workload ${key}`);
  const call = w.setup();
  call();
  const perCall = runFor(call, 1000);
  const reps = Math.max(1, Math.ceil(50 / perCall));
  await tick();
  const before = { ...collections };
  const faults0 = process.resourceUsage().minorPageFault;
  let calls = 0;
  const samples = Array.from({ length: 9 }, () => {
    calls += reps;
    return timedSample(call, reps);
  });
  await tick();
  const quiet = samples.filter((s) => s.others < 0.15).map((s) => s.ms);
  const all = median(samples.map((s) => s.ms));
  const faults = (process.resourceUsage().minorPageFault - faults0) / calls;
  const gcLine = `${faults.toFixed(0)} minor page faults a call, ${collections.minor - before.minor} scavenges, ${collections.major - before.major} mark-compacts, ${((collections.ms - before.ms) / calls).toFixed(2)} ms of collections a call`;
  if (!process.env["ONLY_PRINT"] || process.env["ONLY_PRINT"].split(",").includes(key)) console.log(`${key}: ${all.toFixed(3)} ms (quiet ${quiet.length}/9: ${quiet.length > 0 ? median(quiet).toFixed(3) : "–"}); ${gcLine}`);
}
process.exit(0);

/**
 * @file Profiling run of eager W3 (`mlp_step` of `bench/workloads.ts`): warms up 1.5 s, then runs
 * N calls (default 60) and prints their median; run under `node --cpu-prof --import tsx` and read
 * the profile with `bench/cpu-profile-split.mjs` (CONTRIBUTING.md, "Eager W3").
 *
 * `npm run build && node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/w3-eager-profile.mjs [N]`
 */
import os from "node:os";
import { workloads } from "./workloads.ts";

const calls = Number(process.argv[2] ?? 60);
const run = workloads.find((w) => w.key === "mlp_step").setup();
const start = performance.now();
while (performance.now() - start < 1500) run();
const times = [];
const t0 = performance.now();
for (let i = 0; i < calls; i++) {
  const t = performance.now();
  run();
  times.push(performance.now() - t);
}
const total = performance.now() - t0;
times.sort((a, b) => a - b);
console.log(`mlp_step eager: median ${times[calls >> 1].toFixed(2)} ms, min ${times[0].toFixed(2)}, ${calls} calls in ${total.toFixed(0)} ms; load ${os.loadavg()[0].toFixed(2)}`);

/**
 * @file Runs one benchmark workload of bench/workloads.ts in a loop for a while, for a CPU profile:
 * `node --cpu-prof --import tsx bench/compiler-profile.ts <key> [seconds]`.
 */
import { workloads } from "./workloads.ts";

const [key = "hessian_jit", seconds = "3"] = process.argv.slice(2);
const w = workloads.find((x) => x.key === key);
if (!w) throw new Error(`no workload ${key} (known: ${workloads.map((x) => x.key).join(", ")})`);
const call = w.setup();
const t0 = performance.now();
let n = 0;
let sink: unknown;
while (performance.now() - t0 < Number(seconds) * 1000) {
  sink = call();
  n++;
}
console.log(`${key}: ${n} calls, ${((performance.now() - t0) / n).toFixed(3)} ms per call`, typeof sink);

/**
 * @file W7's jitted gradient with its small product pairs run one product per thread (`wasmProductPair`'s
 * whole mode) or one after the other (`setPairWholeMin(Infinity)`), with and without a spin budget,
 * alternated in one process, medians (`npx tsx bench/w7-whole.ts`).
 */
import { workloads } from "./workloads.ts";
import { median } from "./timing.ts";
import { fmtMs, runFor } from "./compiler-pairs.ts";
import { setPairWholeMin } from "../src/kernels/matmul-wasm.ts";
import { setSpinMicros } from "../src/kernels/threads.ts";

const step = workloads.find((w) => w.key === "rnn_grad_jit")!.setup();
const variants: [string, () => void][] = [
  ["one after the other", () => { setPairWholeMin(Infinity); setSpinMicros(0); }],
  ["one per thread", () => { setPairWholeMin(32 * 64 * 64); setSpinMicros(0); }],
  ["one per thread, spin 50 µs", () => { setPairWholeMin(32 * 64 * 64); setSpinMicros(50); }],
];
const samples = Number(process.env["SAMPLES"] ?? 9);
for (const [, set] of variants) { set(); runFor(step, 500); }
const times = variants.map(() => [] as number[]);
for (let s = 0; s < samples; s++) variants.forEach(([, set], i) => { set(); times[i]!.push(runFor(step, 200)); });
variants.forEach(([name], i) => console.log(`${name}: ${fmtMs(median(times[i]!))}`));
process.exit(0);

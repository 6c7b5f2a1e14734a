/**
 * @file `npx tsx bench/jet.ts`: the k-th derivative of tanh at a scalar by `jet` (Taylor mode, one
 * pass, O(k²)) beside nested `grad` (O(2ᵏ)), for k = 2, 4, 6, 10: median time per call after a 1 s
 * warm-up, and the equations each stages (`makeJaxpr`). Nested grad stops where one call would
 * exceed `BENCH_GRAD_LIMIT_MS` (default 20 s). Set `BENCH_QUICK=1` for a fast, noisier run.
 */
import { grad, jet, makeJaxpr } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { countEqns } from "../src/core/jaxpr.ts";
import { timeCall, defaultTiming, type TimingOptions } from "./timing.ts";

type A = np.NDArray;
const timing: TimingOptions = process.env["BENCH_QUICK"] ? { samples: 3, minSampleMs: 10, warmupMs: 50 } : defaultTiming;
const gradLimitMs = Number(process.env["BENCH_GRAD_LIMIT_MS"] ?? 20000);

const x0 = np.array(0.3);
const byJet = (k: number) => (x: A): A => jet(np.tanh, [x], [[np.onesLike(x), ...Array.from({ length: k - 1 }, () => np.zerosLike(x))]])[1][k - 1]!;
function byGrad(k: number): (x: A) => A {
  let g = np.tanh as (x: A) => A;
  for (let i = 0; i < k; i++) g = grad(g);
  return g;
}

const fmt = (ms: number | null) => (ms === null ? "—" : ms < 1 ? `${(ms * 1e3).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);
const rows: string[] = ["| k | jet | nested grad | jet eqns | nested grad eqns | jet vs grad value |", "| --- | --- | --- | --- | --- | --- |"];
let gradStopped = false;
for (const k of [2, 4, 6, 10]) {
  const fj = byJet(k);
  const tJet = timeCall(() => fj(x0), timing);
  const eJet = countEqns(makeJaxpr(fj)(x0).closed.jaxpr);
  let tGrad: number | null = null;
  let eGrad: number | null = null;
  let agree = "—";
  if (!gradStopped) {
    const fg = byGrad(k);
    const t0 = performance.now();
    const once = fg(x0);
    const first = performance.now() - t0;
    agree = `${Math.abs(once.item() - fj(x0).item()) / Math.abs(once.item()) < 1e-10 ? "equal" : "DIFFER"} (rel ${(Math.abs(once.item() - fj(x0).item()) / Math.abs(once.item())).toExponential(1)})`;
    // Time only where a call is short enough for warm-up and samples to finish.
    if (first * (timing.samples + 2) < gradLimitMs) {
      tGrad = timeCall(() => fg(x0), timing);
      eGrad = countEqns(makeJaxpr(fg)(x0).closed.jaxpr);
    } else {
      tGrad = first;
      gradStopped = true;
      agree += ` (one call: ${fmt(first)}; not repeated)`;
    }
  }
  rows.push(`| ${k} | ${fmt(tJet)} | ${fmt(tGrad)} | ${eJet} | ${eGrad ?? "—"} | ${agree} |`);
  console.log(rows[rows.length - 1]);
}
console.log(`\n${rows.join("\n")}`);

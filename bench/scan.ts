/**
 * @file `npx tsx bench/scan.ts` (also printed by `npm run bench`): staged control flow and dead-code elimination, measured.
 * (1) `jit(grad(rnn))` of an RNN written with `lax.scan` over 100 steps against the same RNN
 * unrolled in JS: staging time (first call), run time, equations; (2) equation counts of
 * `makeJaxpr(grad(f))`, of the hessian and of the 6th derivative, before and after DCE.
 * Set `BENCH_QUICK=1` for a fast, noisier run.
 */
import { grad, hessian, jit, lax } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { countEqns } from "../src/core/jaxpr.ts";
import { stageFlat } from "../src/interpreters/staging.ts";
import { timeCall, defaultTiming, type TimingOptions } from "./timing.ts";

type A = np.NDArray;
const timing: TimingOptions = process.env["BENCH_QUICK"] ? { samples: 3, minSampleMs: 10, warmupMs: 50 } : defaultTiming;

const H = 16;
const T = 100;
const W = np.random.normal(np.random.key(0), [H, H]).mul(0.3);
const xs = np.random.normal(np.random.key(1), [T, H]);
const step = (w: A, h: A, x: A) => np.tanh(h.matmul(w).add(x));
const rnnScan = (w: A) => np.sum(lax.scan((h: A, x: A) => [step(w, h, x), null] as [A, null], np.zeros([H]), xs)[0].pow(2));
const rnnUnrolled = (w: A) => {
  let h = np.zeros([H]);
  for (let t = 0; t < T; t++) h = step(w, h, xs.get(t));
  return np.sum(h.pow(2));
};

/** Equations of `f` staged at `args`, with and without DCE (sub-jaxprs counted). */
function eqnCounts(f: (x: A) => A, x: A): { before: number; after: number } {
  const stage = (dce: boolean) => stageFlat(([v]) => [f(v!)], [x], "bench", { dce }).jaxpr.jaxpr;
  return { before: countEqns(stage(false)), after: countEqns(stage(true)) };
}

/** Prints both tables (markdown) to stdout. */
export function printScanTables(): void {
  const rows: string[] = [];
  for (const [name, f] of [["scan", rnnScan], ["unrolled", rnnUnrolled]] as const) {
    const t0 = performance.now();
    const jf = jit(grad(f));
    jf(W);
    const stagingMs = performance.now() - t0;
    const runMs = timeCall(() => jf(W), timing);
    const eagerMs = timeCall(() => grad(f)(W), timing);
    const { after } = eqnCounts(grad(f) as (x: A) => A, W);
    rows.push(`| jit(grad(rnn)) ${name}, ${T} steps, H=${H} | ${stagingMs.toFixed(1)} | ${runMs.toFixed(3)} | ${eagerMs.toFixed(3)} | ${after} |`);
  }
  const check = np.max(np.abs(jit(grad(rnnScan))(W).sub(grad(rnnUnrolled)(W)))).item();
  console.log(`\n## RNN gradient: lax.scan vs unrolled (max |difference| of the gradients: ${check.toExponential(1)})\n`);
  console.log("| program | staging + first call (ms) | jit run (ms) | eager grad (ms) | equations (incl. sub-jaxprs) |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const r of rows) console.log(r);

  const net = (x: A) => np.sum(np.tanh(np.tanh(x.mul(0.7)).mul(1.3)).mul(x));
  const scalar = (x: A) => np.tanh(x).mul(np.sin(x));
  let d6: (x: A) => A = scalar;
  for (let k = 0; k < 6; k++) d6 = grad(d6) as (x: A) => A;
  const cases: [string, (x: A) => A, A][] = [
    ["grad of a 2-layer tanh net, x: f64[8]", grad(net) as (x: A) => A, np.linspace(-1, 1, 8)],
    ["hessian of the same", hessian(net) as (x: A) => A, np.linspace(-1, 1, 8)],
    ["6th derivative of tanh(x)·sin(x)", d6, np.array(0.3)],
    ["grad of the scan RNN", grad(rnnScan) as (x: A) => A, W],
  ];
  console.log("\n## makeJaxpr equation counts before and after dead-code elimination\n");
  console.log("| program | before DCE | after DCE |");
  console.log("| --- | --- | --- |");
  for (const [name, f, x] of cases) {
    const { before, after } = eqnCounts(f, x);
    console.log(`| ${name} | ${before} | ${after} |`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) printScanTables();

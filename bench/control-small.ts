/**
 * @file `npx tsx bench/control-small.ts`: small control flow under transformations, measured
 * (medians after a 1 s warm-up): a scalar `lax.cond` and a 5-step `lax.whileLoop` under `grad`,
 * and `scipy.integrate.odeint` of a scalar decay eagerly, under `grad` and under `jit(grad)`.
 * Set `BENCH_QUICK=1` for a fast, noisier run.
 */
import { grad, jit, lax } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { integrate } from "autograd-ts/scipy";
import { timeCall, defaultTiming, type TimingOptions } from "./timing.ts";

type A = np.NDArray;
const timing: TimingOptions = process.env["BENCH_QUICK"] ? { samples: 3, minSampleMs: 10, warmupMs: 50 } : defaultTiming;

const condF = (x: A) => lax.cond(x.gt(0), (v: A) => np.sin(v).mul(v), (v: A) => v.mul(v), x);
const whileF = (x: A) => lax.whileLoop(([i]: [A, A]) => i.lt(5), ([i, v]: [A, A]) => [i.add(1), np.sin(v).add(x)] as [A, A], [np.array(0), x])[1];
const ts = np.linspace(0, 2, 5);
const ode = (k: A) => np.sum(integrate.odeint((y: A) => y.mul(k).neg(), 1.5, ts, { rtol: 1e-6, atol: 1e-6 }));

/** Rows of the table: name and the call to time. */
export function controlRows(): [string, () => unknown][] {
  const x = np.array(0.7);
  const k = np.array(0.8);
  return [
    ["grad of a scalar lax.cond", () => grad(condF)(x)],
    ["grad of a 5-step lax.whileLoop", () => grad(whileF)(x)],
    ["odeint of a scalar decay, 5 times, rtol 1e-6 (eager)", () => ode(k)],
    ["grad of the same odeint", () => grad(ode)(k)],
    ["jit(grad) of the same odeint (compiled once)", ((jf) => () => jf(k))(jit(grad(ode)))],
  ];
}

export function printControlTable(): void {
  console.log("\n## Small control flow under transformations (median per call)\n");
  console.log("| program | ms per call |");
  console.log("| --- | ---: |");
  for (const [name, call] of controlRows()) {
    let ms: number;
    try {
      ms = timeCall(call, timing);
    } catch (e) {
      console.log(`| ${name} | fails: ${(e as Error).message.slice(0, 60)} |`);
      continue;
    }
    console.log(`| ${name} | ${ms.toFixed(3)} |`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) printControlTable();

/**
 * @file Whether the workloads built from mid-size matrix products gain from a second thread: (c) the
 * MLP step, (e) the 100×100 Hessian under `jit`, (g) the RNN gradient eager and under `jit`, each
 * on one thread and on two with products from `THREAD_MIN` multiply-adds up (default: 128³, and
 * 32·64·64) shared, workers sleeping at once or spinning first (`SPINS`, default 0,200 µs); all
 * alternated in this one process (medians of interleaved rounds after a 1 s warm-up). `KEYS` picks
 * the workloads.
 *
 * Run: `npx tsx bench/threads-workloads.ts` (`BUSY=1` starts a busy-loop process beside it first).
 */
import { spawn } from "node:child_process";
import { setThreads } from "autograd-ts";
import { setThreadMinWork } from "../src/kernels/matmul-wasm.ts";
import { setSpinMicros } from "../src/kernels/threads.ts";
import { alternate } from "./threads-mid.ts";
import { workloads } from "./workloads.ts";

function main(): void {
  const busy = process.env["BUSY"] ? spawn(process.execPath, ["-e", "for(;;);"], { stdio: "ignore" }) : undefined;
  const mins = (process.env["THREAD_MIN"] ?? `${128 ** 3},${32 * 64 * 64}`).split(",").map(Number);
  const spins = (process.env["SPINS"] ?? "0,200").split(",").map(Number);
  const keys = (process.env["KEYS"] ?? "mlp_step,hessian_jit,rnn_grad,rnn_grad_jit").split(",");
  const variants: [string, number, number, number][] = [["1 thread", 1, mins[0]!, 0]];
  for (const min of mins) for (const spin of spins) variants.push([`2 threads from ${min}, spin ${spin}`, 2, min, spin]);
  console.log(`| workload (ms)${busy ? ", busy process beside" : ""} | ${variants.map((v) => v[0]).join(" | ")} |\n| --- |${" ---: |".repeat(variants.length)}`);
  for (const key of keys) {
    const call = workloads.find((w) => w.key === key)!.setup();
    const times = alternate(
      variants.map(([, threads, min, spin]) => () => {
        setThreads(threads);
        setThreadMinWork(min);
        setSpinMicros(spin);
        return call();
      }),
      9,
    );
    console.log(`| ${key} | ${times.map((t) => (t / 1e3).toFixed(3)).join(" | ")} |`);
  }
  busy?.kill();
}

main();

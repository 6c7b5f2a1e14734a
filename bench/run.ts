/**
 * @file `npm run bench`: times every workload of `bench/workloads.ts` and prints a markdown table,
 * side by side with HIPS autograd running the same workloads (`bench/autograd_ref.py`) when a
 * checkout of it is available; then the staged-control-flow tables of `bench/scan.ts` (`jit(grad)`
 * of a 100-step `lax.scan` RNN vs the unrolled one, equation counts before/after DCE) and of
 * `bench/control-small.ts` (small control flow and `odeint` under `grad`/`jit`).
 *
 * The reference is looked up at `$AUTOGRAD_PATH`, else `/tmp/hips-autograd` (a clone of
 * github.com/HIPS/autograd); without it the table has no reference column. Set `BENCH_QUICK=1`
 * for a fast, noisier run.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { tree, type Tree } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { timeCall, defaultTiming, type TimingOptions } from "./timing.ts";
import { workloads, type Workload } from "./workloads.ts";
import { printScanTables } from "./scan.ts";
import { printControlTable } from "./control-small.ts";

const here = dirname(fileURLToPath(import.meta.url));

const timing: TimingOptions = process.env["BENCH_QUICK"]
  ? { samples: 3, minSampleMs: 10, warmupMs: 50 }
  : defaultTiming;

/** The number reported for a workload, in its unit, from a median time per call in ms. */
function report(w: Workload, ms: number): number {
  if (w.unit === "µs") return ms * 1e3;
  if (w.unit === "GFLOP/s") return w.flops! / (ms * 1e6);
  return ms;
}

/** Time per call (ms) behind a reported number: rates are turned back into times for ratios. */
function asTime(w: Workload, value: number): number {
  if (w.unit === "µs") return value / 1e3;
  if (w.unit === "GFLOP/s") return w.flops! / (value * 1e6);
  return value;
}

/**
 * Σ|x| over every element of a result tree: a fingerprint, independent of the tree's layout, to
 * check that both implementations computed the same thing.
 */
function checksum(result: unknown): number {
  let total = 0;
  for (const leaf of tree.leaves(result as Tree)) {
    total += typeof leaf === "number" ? Math.abs(leaf) : np.sum(np.abs(leaf)).item();
  }
  return total;
}

interface Reference {
  /** Workload key → number in the workload's unit. */
  results: Record<string, number>;
  /** Workload key → Σ|x| over the result. */
  checksums: Record<string, number>;
}

/** Runs the HIPS autograd reference; `null` (with a note on stderr) when it is unavailable or fails. */
function runReference(): Reference | null {
  const path = process.env["AUTOGRAD_PATH"] ?? "/tmp/hips-autograd";
  if (!existsSync(join(path, "autograd"))) {
    console.error(`(no HIPS autograd checkout at ${path}: set AUTOGRAD_PATH to compare)`);
    return null;
  }
  const python = process.env["PYTHON"] ?? "python3";
  const args = [join(here, "autograd_ref.py"), ...(process.env["BENCH_QUICK"] ? ["--quick"] : [])];
  // One BLAS thread unless told otherwise: autograd-ts is single-threaded, and a multi-threaded
  // BLAS on a 2-core machine slows down by an order of magnitude whenever another process is busy.
  const env = {
    OPENBLAS_NUM_THREADS: "1",
    ...process.env,
    PYTHONPATH: [path, process.env["PYTHONPATH"]].filter(Boolean).join(":"),
  };
  const result = spawnSync(python, args, { env, encoding: "utf8" });
  if (result.status !== 0) {
    console.error(`(HIPS autograd reference failed: ${result.error?.message ?? result.stderr.trim()})`);
    return null;
  }
  return JSON.parse(result.stdout) as Reference;
}

/** A sentence saying whether both sides' results agree (Σ|x| within 1e-8, relative). */
function compareChecksums(ours: Map<string, number>, theirs: Record<string, number>): string {
  const differ: string[] = [];
  for (const w of workloads) {
    const key = w.referenceKey ?? w.key;
    const a = ours.get(w.key)!;
    const b = theirs[key];
    if (b !== undefined && !(Math.abs(a - b) <= 1e-8 * Math.max(Math.abs(a), Math.abs(b), 1e-300))) {
      differ.push(`${w.key} (Σ|x| ${a} vs ${b})`);
    }
  }
  return differ.length === 0
    ? "Results agree with HIPS autograd on every workload (Σ|x| of each result, within 1e-8 relative)."
    : `RESULTS DIFFER from HIPS autograd: ${differ.join("; ")}.`;
}

const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

function main(): void {
  const ours = new Map<string, number>();
  const sums = new Map<string, number>();
  for (const w of workloads) {
    const call = w.setup();
    sums.set(w.key, checksum(call()));
    const value = report(w, timeCall(call, timing));
    ours.set(w.key, value);
    console.error(`${w.label}: ${fmt(value)} ${w.unit}`);
  }
  const reference = runReference();

  const header = ["workload", "unit", "autograd-ts"];
  if (reference) header.push("HIPS autograd", "speed-up (HIPS time ÷ ours)");
  const lines = [`| ${header.join(" | ")} |`, `| ${header.map((_, i) => (i < 2 ? "---" : "---:")).join(" | ")} |`];
  for (const w of workloads) {
    const value = ours.get(w.key)!;
    const row = [w.label, w.unit, fmt(value)];
    if (reference) {
      const refKey = w.referenceKey ?? w.key;
      const ref = reference.results[refKey];
      if (ref === undefined) row.push("–", "–");
      else {
        const note = refKey === w.key ? "" : ` (${refKey})`;
        row.push(`${fmt(ref)}${note}`, `${(asTime(w, ref) / asTime(w, value)).toFixed(2)}×`);
      }
    }
    lines.push(`| ${row.join(" | ")} |`);
  }
  console.log(lines.join("\n"));
  if (reference) {
    console.log(`\n${compareChecksums(sums, reference.checksums)}`);
    console.log(
      "\nSpeed-up > 1: autograd-ts is faster. HIPS autograd has no vmap, so (d) vmap is compared with its loop; " +
        "its matmul is NumPy's (OpenBLAS, one thread unless OPENBLAS_NUM_THREADS is set).",
    );
  }
}

main();
printScanTables();
printControlTable();

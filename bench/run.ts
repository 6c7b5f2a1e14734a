/**
 * @file `npm run bench`: times every workload of `bench/workloads.ts`, eager and under `jit`, and
 * prints a markdown table, side by side with the peers running the same workloads in the same run
 * (`bench/peers.py`: HIPS autograd eagerly, JAX under jax.jit) when Python can run them; then the
 * staged-control-flow tables of `bench/scan.ts` (`jit(grad)` of a 100-step `lax.scan` RNN vs the
 * unrolled one, equation counts before/after DCE) and of `bench/control-small.ts` (small control
 * flow and `odeint` under `grad`/`jit`), and the SIMD math kernels' table of `bench/simd.ts`.
 *
 * HIPS autograd is looked up at `$AUTOGRAD_PATH`, else `/tmp/hips-autograd` (a clone of
 * github.com/HIPS/autograd); the Python is `$PEERS_PYTHON` (a venv with numpy, and jax for the JAX
 * column), else `python3`; without them the table has no peer columns. Set `BENCH_QUICK=1` for a
 * fast, noisier run.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setThreads, tree, type Tree } from "autograd-ts";
import { threadCount, threadsWanted } from "../src/kernels/threads.ts";
import * as np from "autograd-ts/numpy";
import { timeCall, defaultTiming, type TimingOptions } from "./timing.ts";
import { workloads, type Workload } from "./workloads.ts";
import { printScanTables } from "./scan.ts";
import { printControlTable } from "./control-small.ts";
import { printSimdTable } from "./simd.ts";

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

/** One peer's results: median ms per call and Σ|x| of each result, by workload key. */
interface PeerResults {
  ms: Record<string, number>;
  checksums: Record<string, number>;
  version?: string;
}

interface Peers {
  hips: PeerResults | null;
  jax: PeerResults | null;
}

/**
 * Runs `bench/peers.py` (HIPS autograd, and JAX where it imports) with `$PEERS_PYTHON` (else
 * `python3`); HIPS autograd is looked up at `$AUTOGRAD_PATH`, else `/tmp/hips-autograd`. `null`
 * (with a note on stderr) when the script cannot run.
 */
function runPeers(): Peers | null {
  const path = process.env["AUTOGRAD_PATH"] ?? "/tmp/hips-autograd";
  if (!existsSync(join(path, "autograd"))) console.error(`(no HIPS autograd checkout at ${path}: set AUTOGRAD_PATH to compare)`);
  const python = process.env["PEERS_PYTHON"] ?? process.env["PYTHON"] ?? "python3";
  const args = [join(here, "peers.py"), ...(process.env["BENCH_QUICK"] ? ["--quick"] : [])];
  // One thread unless told otherwise (peers.py also sets XLA's flags): autograd-ts is
  // single-threaded, and a multi-threaded BLAS on a 2-core machine slows down by an order of
  // magnitude whenever another process is busy.
  const env = {
    OPENBLAS_NUM_THREADS: "1",
    OMP_NUM_THREADS: "1",
    MKL_NUM_THREADS: "1",
    ...process.env,
    PYTHONPATH: [path, process.env["PYTHONPATH"]].filter(Boolean).join(":"),
  };
  const result = spawnSync(python, args, { env, encoding: "utf8" });
  if (result.status !== 0) {
    console.error(`(peers failed: ${result.error?.message ?? result.stderr.trim()})`);
    return null;
  }
  if (result.stderr.trim()) console.error(result.stderr.trim());
  return JSON.parse(result.stdout) as Peers;
}

/** A peer's time (ms) for workload `w`: its own row, else the row it is compared with. */
const peerMs = (peer: PeerResults | null, w: Workload): number | undefined => peer?.ms[w.key] ?? (w.referenceKey ? peer?.ms[w.referenceKey] : undefined);
const peerSum = (peer: PeerResults | null, w: Workload): number | undefined =>
  peer?.checksums[w.key] ?? (w.referenceKey ? peer?.checksums[w.referenceKey] : undefined);

/** A sentence saying whether our results (eager and jit) agree with each peer's (Σ|x| within 1e-8, relative). */
function compareChecksums(sums: Map<string, number>, peers: Peers): string {
  const differ: string[] = [];
  const agree: string[] = [];
  for (const [name, peer] of [["HIPS autograd", peers.hips], ["JAX", peers.jax]] as const) {
    if (!peer) continue;
    agree.push(name);
    for (const w of workloads) {
      const base = w.jitOf ? workloads.find((e) => e.key === w.jitOf)! : w;
      const a = sums.get(w.key)!;
      const b = peerSum(peer, base);
      if (b !== undefined && !(Math.abs(a - b) <= 1e-8 * Math.max(Math.abs(a), Math.abs(b), 1e-300))) differ.push(`${w.key} vs ${name} (Σ|x| ${a} vs ${b})`);
    }
  }
  return differ.length === 0
    ? `Results (eager and jit) agree with ${agree.join(" and ")} on every workload (Σ|x| of each result, within 1e-8 relative).`
    : `RESULTS DIFFER: ${differ.join("; ")}.`;
}

/** A ratio with two decimals below 10 (so a 1.37 is not printed as the 1.4 a target asks for). */
const ratio = (x: number): string => (x >= 10 ? x.toFixed(1) : x.toFixed(2));
const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(2));

function main(): void {
  const ms = new Map<string, number>();
  const sums = new Map<string, number>();
  for (const w of workloads) {
    const call = w.setup();
    sums.set(w.key, checksum(call()));
    const t = timeCall(call, timing);
    ms.set(w.key, t);
    console.error(`${w.label}: ${fmt(report(w, t))} ${w.unit}`);
  }
  const peers = runPeers();

  const header = ["workload", "unit", "autograd-ts eager", "autograd-ts jit", "eager ÷ jit"];
  if (peers?.hips) header.push("HIPS autograd");
  if (peers?.jax) header.push(`JAX ${peers.jax.version ?? ""} jit`.replace("  ", " "));
  const lines = [`| ${header.join(" | ")} |`, `| ${header.map((_, i) => (i < 2 ? "---" : "---:")).join(" | ")} |`];
  const cell = (w: Workload, t: number | undefined): string => (t === undefined ? "–" : fmt(report(w, t)));
  for (const w of workloads) {
    if (w.jitOf) continue;
    const jitted = workloads.find((j) => j.jitOf === w.key);
    const eager = ms.get(w.key)!;
    const fast = jitted ? ms.get(jitted.key) : undefined;
    const row = [w.label, w.unit, cell(w, eager), cell(w, fast), fast === undefined ? "–" : `${ratio(eager / fast)}×`];
    if (peers?.hips) {
      const t = peerMs(peers.hips, w);
      row.push(t === undefined ? "–" : `${cell(w, t)}${peers.hips.ms[w.key] === undefined ? ` (${w.referenceKey})` : ""}`);
    }
    if (peers?.jax) row.push(cell(w, peerMs(peers.jax, w)));
    lines.push(`| ${row.join(" | ")} |`);
  }
  console.log(lines.join("\n"));
  const f = workloads.find((w) => w.key === "matmul")!;
  const [threads, wanted] = [threadCount(), threadsWanted()];
  setThreads(1);
  const oneThread = timeCall(f.setup(), timing);
  setThreads(wanted);
  console.log(`\nMatrix products ran on ${threads} thread(s) (setThreads, AUTOGRAD_THREADS); (f) on one thread: ${fmt(report(f, oneThread))} GFLOP/s.`);
  if (peers) {
    console.log(`\n${compareChecksums(sums, peers)}`);
    console.log(
      "\nTimes are medians after a 1 s warm-up, all measured in this one run. HIPS autograd runs eagerly and has no vmap, so (d) vmap is compared with its loop; " +
        "JAX runs every row under jax.jit (float64, CPU, one thread); NumPy's BLAS runs on one thread.",
    );
  }
}

main();
printScanTables();
printControlTable();
printSimdTable();

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
 * fast, noisier run, `BENCH_ONLY=<key>,<key>…` (keys of bench/workloads.ts) for those rows alone
 * (eager and jit), without the peers and the tables after.
 *
 * Each workload is timed in a fresh Node process of its own (this script with `--one <key>`), the
 * same for every row, eager and jit alike (`BENCH_ONE_PROCESS=1`: all in this process, as before);
 * each line also says how much CPU other processes used while it was timed (Linux), since a
 * product on two threads slows by up to half when another process takes a core.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setThreads, tree, type Tree } from "autograd-ts";
import { threadCount, threadsWanted } from "../src/kernels/threads.ts";
import * as np from "autograd-ts/numpy";
import { timeCallSamples, defaultTiming, type TimingOptions } from "./timing.ts";
import { workloads, type Workload } from "./workloads.ts";

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
      const a = sums.get(w.key);
      if (a === undefined) continue;
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

/** What a fresh process measuring one workload hands back (`--one <key>`). */
interface Measured {
  ms: number;
  checksum: number;
  /** Mean over the samples of the cores' worth of CPU other processes used (NaN where unknown). */
  others: number;
}

/** Workload `key` measured in this process. */
function measuredHere(key: string): Measured {
  const w = workloads.find((x) => x.key === key);
  if (!w) throw new Error(`bench/run.ts --one: no workload ${key} (known: ${workloads.map((x) => x.key).join(", ")})`);
  const call = w.setup();
  const sum = checksum(call());
  const { ms, others } = timeCallSamples(call, timing);
  return { ms, checksum: sum, others: others.reduce((a, b) => a + b, 0) / others.length };
}

/** `BENCH_ONE_PROCESS=1`: every row in this one process, in the table's order (the way of this bench before issue #9's change). */
const oneProcess = Boolean(process.env["BENCH_ONE_PROCESS"]);

/**
 * Workload `key` measured in a fresh process (this script with `--one`, the same Node flags and
 * loader), so that no workload runs in the state an earlier one left (CONTRIBUTING, "How `npm run
 * bench` times"); on `threads` threads when given. In this process with `BENCH_ONE_PROCESS`.
 */
function measure(key: string, threads?: number): Measured {
  if (oneProcess) {
    const wanted = threadsWanted();
    if (threads !== undefined) setThreads(threads);
    try {
      return measuredHere(key);
    } finally {
      setThreads(wanted);
    }
  }
  const env = threads === undefined ? process.env : { ...process.env, AUTOGRAD_THREADS: String(threads) };
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--one", key], { env, encoding: "utf8", maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`bench/run.ts: measuring ${key} failed: ${child.error?.message ?? child.stderr.trim()}`);
  return JSON.parse(child.stdout.trim().split("\n").at(-1)!) as Measured;
}

/** The workloads to time: all, or those whose keys `BENCH_ONLY` lists (commas), with their eager or jit partners. */
function selected(): Workload[] {
  const only = process.env["BENCH_ONLY"]?.split(",").map((k) => k.trim()).filter(Boolean);
  if (!only || only.length === 0) return workloads;
  const unknown = only.filter((k) => !workloads.some((w) => w.key === k));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: no workload ${unknown.join(", ")} (known: ${workloads.map((w) => w.key).join(", ")})`);
  return workloads.filter((w) => only.some((k) => k === w.key || k === w.jitOf || workloads.find((x) => x.key === k)?.jitOf === w.key));
}

/** Times the workloads and prints the table; true when `BENCH_ONLY` chose some of them. */
function main(): boolean {
  const ms = new Map<string, number>();
  const sums = new Map<string, number>();
  const busy: string[] = [];
  const chosen = selected();
  for (const w of chosen) {
    const m = measure(w.key);
    ms.set(w.key, m.ms);
    sums.set(w.key, m.checksum);
    const note = m.others >= 0.15 ? ` (other processes used ${m.others.toFixed(2)} cores meanwhile)` : "";
    if (note) busy.push(`${w.key} ${m.others.toFixed(2)}`);
    console.error(`${w.label}: ${fmt(report(w, m.ms))} ${w.unit}${note}`);
  }
  // BENCH_ONLY times a few rows, without the peers or the tables after
  const only = chosen !== workloads;
  const ran = only ? null : runPeers();
  const peers = ran?.hips || ran?.jax ? ran : null;

  const header = ["workload", "unit", "autograd-ts eager", "autograd-ts jit", "eager ÷ jit"];
  if (peers?.hips) header.push("HIPS autograd");
  if (peers?.jax) header.push(`JAX ${peers.jax.version ?? ""} jit`.replace("  ", " "));
  const lines = [`| ${header.join(" | ")} |`, `| ${header.map((_, i) => (i < 2 ? "---" : "---:")).join(" | ")} |`];
  const cell = (w: Workload, t: number | undefined): string => (t === undefined ? "–" : fmt(report(w, t)));
  for (const w of chosen) {
    if (w.jitOf) continue;
    const jitted = chosen.find((j) => j.jitOf === w.key);
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
  const f = chosen.find((w) => w.key === "matmul");
  if (f) {
    const oneThread = measure(f.key, 1).ms;
    console.log(`\nMatrix products ran on ${threadCount()} thread(s) (setThreads, AUTOGRAD_THREADS); (f) on one thread: ${fmt(report(f, oneThread))} GFLOP/s.`);
  }
  if (peers) console.log(`\n${compareChecksums(sums, peers)}`);
  console.log(
    `\nTimes are medians of ${timing.samples} samples after a ${timing.warmupMs / 1000} s warm-up, all measured in this one run, ` +
      (oneProcess
        ? "every row in this one process in the table's order (BENCH_ONE_PROCESS): a row runs in the state the rows before it left."
        : "each row's eager and jit figures (and (f) on one thread) in a fresh Node process of their own, so that none runs in the state an earlier one " +
          "left (after the W1 rows, eager W3 met mark-compact collections it does not meet alone; (h) eager meets page faults alone that it did not after the " +
          "other rows; BENCH_ONE_PROCESS=1 times them all in one process).") +
      (peers ? " HIPS autograd runs eagerly and has no vmap, so (d) vmap is compared with its loop; JAX runs every row under jax.jit (float64, CPU, one thread); NumPy's BLAS runs on one thread." : ""),
  );
  if (busy.length > 0) console.log(`\nOther processes used CPU while these were timed (cores, mean over the samples): ${busy.join(", ")}; their figures are slower than on a quiet machine.`);
  return only;
}

const one = process.argv.indexOf("--one");
if (one >= 0) console.log(JSON.stringify(measuredHere(process.argv[one + 1] ?? "")));
else if (!main()) {
  const [{ printScanTables }, { printControlTable }, { printSimdTable }] = await Promise.all([import("./scan.ts"), import("./control-small.ts"), import("./simd.ts")]);
  printScanTables();
  printControlTable();
  printSimdTable();
}

/**
 * @file Worker threads for the WebAssembly matrix product: `setThreads`, the thread count (from
 * it, `AUTOGRAD_THREADS` or the number of cores), and `runGemmJob`, which shares one product's (or,
 * `runGemmJobs`, two products') chunks of C between the calling thread and workers running the same
 * kernel on the same shared `WebAssembly.Memory`. The call stays synchronous: the caller blocks in `Atomics.wait` until the
 * workers are done, which Node allows on its main thread and browsers allow only inside workers.
 *
 * Hand-off, through a small shared `Int32Array` (`control`): the caller writes the job's
 * parameters, opens it (GEN becomes odd) and wakes the workers; where the job packs B, everyone
 * first claims pieces of it from PACK_NEXT, marks each packed (PACKED + piece ← GEN), then packs
 * again any piece not yet marked (the same values again, so nobody waits for a slow thread's
 * piece); then everyone, the caller included, claims chunk numbers from the counter NEXT until none
 * are left; the caller then closes the job (GEN even) and waits until no worker is inside it
 * (ACTIVE = 0). A worker counts itself in
 * (ACTIVE + 1) before it checks that the job it woke for is still open, so a worker that wakes
 * late either sees the job closed and leaves, or is waited for; it never reads the next job's
 * parameters halfway. Chunks are claimed dynamically, so a worker that starts late (thread start-up
 * takes some milliseconds) or a core busy with another process only means fewer chunks for it, and a
 * chunk computes whole elements of C, so the result does not depend on who ran which chunk.
 *
 * Between jobs a worker can first spin: watch GEN with `Atomics.load` for a budget (`setSpinMicros`;
 * off by default, see `spinMicros`), then sleep in `Atomics.wait`. A spinning worker joins a job
 * within a microsecond; waking a sleeping one took a median of 4 µs on a 2-core VM busy with other
 * processes and ≈ 65 µs in an earlier measurement, as long as a whole mid-size product. A worker that
 * finds itself descheduled while spinning (the cores are busy with other processes) stops spinning
 * for a while, since its spin would take the core from threads with work. The caller never depends on a worker: it takes every chunk
 * left, then watches ACTIVE for the same budget (at most 1 ms) before it sleeps on it, so a job
 * completes with its workers asleep, late or gone.
 *
 * A job can hold two independent products (`runGemmJobs`, parts numbered in the control array):
 * pieces of B and chunks of C are numbered across both, so one hand-off and one tail serve the two.
 * A thread marks each chunk it computes (CHUNK_DONE + chunk ← GEN, for the first `MAX_TRACKED`), so
 * the caller can copy finished chunks of C out of the shared memory between its own chunks while
 * the workers compute others.
 *
 * Workers are created from inline code (`new Worker(code, { eval: true })` in Node, a Blob URL in
 * browsers), so nothing depends on where the library's files are; they are created on the first
 * product big enough to share and `unref()`ed, so they never keep a process alive. In a browser a
 * worker started from a worker begins only once its parent returns to its event loop (seen in
 * Chromium): the products computed before that run on the calling thread alone.
 */

/** The part of `node:worker_threads`' `Worker` used here. */
interface NodeWorker {
  unref(): void;
  on(event: "error", listener: (err: unknown) => void): void;
}
type NodeWorkerCtor = new (code: string, options: { eval: true; workerData: unknown }) => NodeWorker;
/** The part of a browser's `Worker` used here. */
interface WebWorker {
  postMessage(data: unknown): void;
  addEventListener(event: "error", listener: (e: { message?: string }) => void): void;
}
type WebWorkerCtor = new (url: string) => WebWorker;

/** The instantiated kernel the workers share: its compiled module, its shared memory. */
export interface SharedKernel {
  module: object;
  memory: object;
}

/**
 * One product split in chunks: chunk q is row block ⌊q / colChunks⌋ (rows of `rowsPer`, up to
 * `mPad`) and strip block q mod colChunks (strips of `stripsPer`, up to `strips`) of C, computed by
 * `gemm(a, lda, aT, bp, c, k, ldc, i0, i1, s0, s1, scratch + thread · scratchBytes)` (addresses in bytes).
 */
export interface GemmJob {
  a: number;
  lda: number;
  aT: number;
  bp: number;
  c: number;
  k: number;
  ldc: number;
  mPad: number;
  rowsPer: number;
  strips: number;
  stripsPer: number;
  colChunks: number;
  count: number;
  scratch: number;
  scratchBytes: number;
}

export type GemmFn = (a: number, lda: number, aT: number, bp: number, c: number, k: number, ldc: number, i0: number, i1: number, s0: number, s1: number, pack: number) => void;
/** The kernel's packing of B into strips s0 … s1 − 1 at `dst` (`packB`: B stored [k, n]; `packBT`: stored [n, k]). */
export type PackBFn = (src: number, n: number, k: number, dst: number, s0: number, s1: number) => void;
export type PackBTFn = (src: number, k: number, dst: number, s0: number, s1: number) => void;
/** The kernel's functions a job runs. */
export interface JobKernel {
  gemm: GemmFn;
  packB: PackBFn;
  packBT: PackBTFn;
}

/**
 * B to be packed by the job's threads before any chunk of C starts: strips 0 … `strips` − 1 of the
 * B stored at `raw` (`transposed`: [n, k], else [k, n] with `n` columns) into packed B at the job's
 * `bp`, in `count` (at most `MAX_PIECES`) pieces of `stripsPer` strips claimed like C's chunks.
 * Every thread then packs again the pieces it does not see packed yet, and claims chunks of C.
 */
export interface PackJob {
  raw: number;
  transposed: boolean;
  n: number;
  strips: number;
  stripsPer: number;
  count: number;
}

/** The most threads `setThreads` accepts (a worker's flags and counters have fixed slots). */
export const MAX_THREADS = 64;

// Slots of the control array.
const GEN = 0;
const NEXT = 1;
const ACTIVE = 2;
const FAILED = 3;
const THREADS = 4; // threads that may join: workers with a larger id sit out
const SPIN = 5; // microseconds a worker watches GEN before it sleeps
const PACK_NEXT = 6; // the next piece of B to pack (pieces numbered across the job's parts)
const PARTS = 7; // products in the job: 1 or 2
const PARAMS = 8; // per part: a, lda, aT, bp, c, k, ldc, mPad, rowsPer, strips, stripsPer, colChunks, count, scratch, scratchBytes,
// then its packing: raw, transposed, n, strips, stripsPer, count (0: no packing)
const PART_SLOTS = 21;
// Slots within a part that the worker reads by name (the rest it destructures in order).
const P_BP = 3;
const P_K = 5;
const P_COUNT = 12;
const P_RAW = 15;
const P_TRANSPOSED = 16;
const P_N = 17;
const P_PACK_STRIPS = 18;
const P_PACK_PER = 19;
const P_PACK_COUNT = 20;
/** At most this many products in one job. */
export const MAX_PARTS = 2;
const DONE = PARAMS + MAX_PARTS * PART_SLOTS; // + thread id: chunks computed, for tests
const PIECES = DONE + MAX_THREADS; // + thread id: pieces of B packed, for tests
/** At most this many pieces of B per job (all its parts together). */
export const MAX_PIECES = 64;
const PACKED = PIECES + MAX_THREADS; // + piece: the job (its GEN) in which the piece was last packed
/** The first this many chunks of a job are marked when computed, so the caller can use them while others run. */
export const MAX_TRACKED = 256;
const CHUNK_DONE = PACKED + MAX_PIECES; // + chunk: the job (its GEN) in which the chunk was last computed
const CONTROL_SLOTS = CHUNK_DONE + MAX_TRACKED;
/** A gap this long (ms) between two checks of a spinning thread means it was descheduled. */
const PREEMPTED_MS = 0.05;
/** Spinning after descheduling is skipped for at most 2^MAX_BACKOFF idles. */
const MAX_BACKOFF = 12;

/**
 * The worker's side, as source text (it runs in a thread of its own, not in this module). `serve`
 * instantiates the kernel on the shared memory and then loops: wait until GEN changes (`idle`:
 * spin, then sleep), join an open job (unless the thread count leaves this worker out), claim and
 * compute chunks, leave. The chunk arithmetic is `runChunks`' below.
 */
const WORKER_CORE = `
"use strict";
function serve(d) {
  const ctl = new Int32Array(d.control);
  const { gemm, packB, packBT } = new WebAssembly.Instance(d.module, { env: { memory: d.memory } }).exports;
  let seen = 0;
  for (;;) {
    idle(ctl, seen);
    const g = Atomics.load(ctl, ${GEN});
    if (g === seen) continue;
    seen = g;
    if ((g & 1) === 0 || d.id >= ctl[${THREADS}]) continue;
    Atomics.add(ctl, ${ACTIVE}, 1);
    try {
      if (Atomics.load(ctl, ${GEN}) === g) {
        const parts = [];
        for (let j = 0; j < ctl[${PARTS}]; j++) parts.push(ctl.slice(${PARAMS} + j * ${PART_SLOTS}, ${PARAMS} + (j + 1) * ${PART_SLOTS}));
        // Piece or chunk q of the job: the part it falls in, and its number within that part.
        const find = (q, at) => {
          for (const p of parts) {
            if (q < p[at]) return [p, q];
            q -= p[at];
          }
          return undefined;
        };
        let pieces = 0;
        for (const p of parts) pieces += p[${P_PACK_COUNT}];
        if (pieces > 0) {
          const pack = (q) => {
            const [p, r] = find(q, ${P_PACK_COUNT});
            const s1 = Math.min(p[${P_PACK_STRIPS}], (r + 1) * p[${P_PACK_PER}]);
            if (p[${P_TRANSPOSED}]) packBT(p[${P_RAW}], p[${P_K}], p[${P_BP}], r * p[${P_PACK_PER}], s1);
            else packB(p[${P_RAW}], p[${P_N}], p[${P_K}], p[${P_BP}], r * p[${P_PACK_PER}], s1);
            Atomics.store(ctl, ${PACKED} + q, g);
          };
          for (let q = Atomics.add(ctl, ${PACK_NEXT}, 1); q < pieces; q = Atomics.add(ctl, ${PACK_NEXT}, 1)) {
            pack(q);
            ctl[${PIECES} + d.id]++;
          }
          for (let q = 0; q < pieces; q++) if (Atomics.load(ctl, ${PACKED} + q) !== g) pack(q);
        }
        for (let q = Atomics.add(ctl, ${NEXT}, 1), found = find(q, ${P_COUNT}); found !== undefined; q = Atomics.add(ctl, ${NEXT}, 1), found = find(q, ${P_COUNT})) {
          const [[a, lda, aT, bp, c, k, ldc, mPad, rowsPer, strips, stripsPer, colChunks, , scratch, scratchBytes], r] = found;
          const rb = Math.floor(r / colChunks);
          const i0 = rb * rowsPer;
          const s0 = (r - rb * colChunks) * stripsPer;
          gemm(a, lda, aT, bp, c, k, ldc, i0, Math.min(mPad, i0 + rowsPer), s0, Math.min(strips, s0 + stripsPer), scratch + d.id * scratchBytes);
          if (q < ${MAX_TRACKED}) Atomics.store(ctl, ${CHUNK_DONE} + q, g);
          ctl[${DONE} + d.id]++;
        }
      }
    } catch (e) {
      Atomics.store(ctl, ${FAILED}, 1);
      throw e;
    } finally {
      if (Atomics.sub(ctl, ${ACTIVE}, 1) === 1) Atomics.notify(ctl, ${ACTIVE});
    }
  }
}
// Returns once GEN differs from seen: watched for SPIN microseconds, then asleep in Atomics.wait.
// A check that finds more than ${PREEMPTED_MS} ms gone since the last one means this thread was
// descheduled: the cores are busy, and spinning would take time from the threads that have work.
// It then sleeps at once and skips spinning for its next 2, 4, … up to ${1 << MAX_BACKOFF} idles
// while descheduling recurs within a second; after a quiet second it starts again from 2.
let cold = 0;
let backoff = 0;
let preemptedAt = -Infinity;
function idle(ctl, seen) {
  if (cold > 0) cold--;
  else {
    const budget = Atomics.load(ctl, ${SPIN}) / 1000;
    const start = performance.now();
    for (let last = start; ; ) {
      for (let i = 0; i < 64; i++) if (Atomics.load(ctl, ${GEN}) !== seen) return;
      const now = performance.now();
      if (now - last > ${PREEMPTED_MS}) {
        backoff = now - preemptedAt > 1000 ? 1 : Math.min(backoff + 1, ${MAX_BACKOFF});
        preemptedAt = now;
        cold = 1 << backoff;
        break;
      }
      if (now - start >= budget) break;
      last = now;
    }
  }
  Atomics.wait(ctl, ${GEN}, seen);
}
`;

/** What this platform offers for threads: a way to start workers, or null (one thread). */
type Spawner = (data: { module: object; memory: object; control: SharedArrayBuffer; id: number }) => void;

let spawner: Spawner | null | undefined;
/** Errors that ended workers (a worker that fails leaves its chunks to the others): for tests. */
const workerErrors: string[] = [];

function findSpawner(): Spawner | null {
  if (typeof SharedArrayBuffer !== "function" || !canBlock()) return null;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const nodeThreads = proc?.getBuiltinModule?.("node:worker_threads") as { Worker?: NodeWorkerCtor } | undefined;
  if (nodeThreads?.Worker) {
    const Worker = nodeThreads.Worker;
    return (data) => {
      // getBuiltinModule rather than require: a worker's code is an ES module when the process was
      // started with --input-type=module, CommonJS otherwise.
      const code = `${WORKER_CORE}\nserve(process.getBuiltinModule("node:worker_threads").workerData);`;
      const worker = new Worker(code, { eval: true, workerData: data });
      worker.on("error", (err) => workerErrors.push(String(err))); // its chunks are left to the others
      worker.unref();
    };
  }
  const g = globalThis as { Worker?: WebWorkerCtor; Blob?: new (parts: string[], options: { type: string }) => object; URL?: { createObjectURL?(blob: object): string }; crossOriginIsolated?: boolean };
  if (g.Worker && g.Blob && g.URL?.createObjectURL && g.crossOriginIsolated === true) {
    const url = g.URL.createObjectURL(new g.Blob([`${WORKER_CORE}\nonmessage = (e) => serve(e.data);`], { type: "text/javascript" }));
    const Worker = g.Worker;
    return (data) => {
      const worker = new Worker(url);
      worker.addEventListener("error", (e) => workerErrors.push(e.message ?? "error"));
      worker.postMessage(data);
    };
  }
  return null;
}

/** Whether this thread may block in `Atomics.wait` (not a browser's main thread). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1);
    return true;
  } catch {
    return false;
  }
}

/** Whether worker threads can run the kernel here: shared memory, a way to start workers, and `Atomics.wait`. */
export function threadsSupported(): boolean {
  if (spawner === undefined) spawner = findSpawner();
  return spawner !== null;
}

let requested: number | undefined;

function checkCount(n: unknown, source: string): number {
  if (typeof n !== "number") throw new TypeError(`${source}: the thread count must be a number, got ${typeof n} ${String(n)}`);
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new RangeError(`${source}: the thread count must be an integer from 1 to ${MAX_THREADS}, got ${n}`);
  }
  return n;
}

/**
 * Sets how many threads a large matrix product (`np.matmul`, `np.dot`, `np.einsum`, convolutions,
 * the layers of `nn`) may use: the calling thread plus `n − 1` worker threads that share its
 * WebAssembly memory. The default is the number of cores (`os.availableParallelism()`), or the
 * environment variable `AUTOGRAD_THREADS` when set; `setThreads(1)` keeps everything on the calling
 * thread. Where workers or shared memory are unavailable (a browser page that is not
 * cross-origin isolated, a browser's main thread, which may not block, or Node before 20.16, which
 * lacks `process.getBuiltinModule`) products run on one thread whatever is asked. Results do not depend on the thread count: each element of a product is
 * summed in the same order by whichever thread computes it.
 *
 * @param n - an integer from 1 to 64.
 * @example
 * setThreads(1); // products stay on the calling thread
 * const a = np.ones([200, 200]);
 * np.matmul(a, a).get(0, 0); // 200
 * setThreads(2); // up to two threads: this one and a worker
 * np.matmul(a, a).get(0, 0); // 200
 */
export function setThreads(n: number): void {
  requested = checkCount(n, "setThreads");
}

/** The thread count asked for: `setThreads`, else `AUTOGRAD_THREADS`, else the number of cores. */
export function threadsWanted(): number {
  if (requested !== undefined) return requested;
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined>; getBuiltinModule?: (id: string) => unknown } }).process;
  const env = proc?.env?.["AUTOGRAD_THREADS"];
  if (env !== undefined && env.trim() !== "") {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
      throw new RangeError(`AUTOGRAD_THREADS: the thread count must be an integer from 1 to ${MAX_THREADS}, got "${env}"`);
    }
    return n;
  }
  const os = proc?.getBuiltinModule?.("node:os") as { availableParallelism?: () => number; cpus?: () => unknown[] } | undefined;
  const cores = os?.availableParallelism?.() ?? os?.cpus?.().length ?? (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(MAX_THREADS, cores));
}

/** Threads a product may use now: the count asked for, or 1 where workers cannot run. */
export function threadCount(): number {
  const n = threadsWanted();
  return n > 1 && threadsSupported() ? n : 1;
}

/**
 * How long (µs) a worker watches for the next job after one ends (and after it starts) before it
 * sleeps in `Atomics.wait`, and how long (at most `CALLER_SPIN_MAX`) the caller watches for the
 * workers to leave a job before it sleeps. Off (0) by default: measured on this project's 2-core
 * VM (`bench/threads-mid.ts`, `bench/threads-workloads.ts`, one process, alternated), a 50 µs spin
 * made 128³ products back to back 1.48× faster than one thread (204 → 138 µs; sleeping workers:
 * 196) when the other core was idle, but gained nothing on the workloads (MLP step 33.3 → 32.7 ms;
 * the RNN gradient's products and the Hessian's stay under the threshold, and sharing those costs
 * more than it gains), and with the cores busy with other processes it made 128³ products about
 * 10% slower than sleeping workers (e.g. 17.3 against 19.3 GFLOP/s; 20.5 on one thread).
 */
let spinMicros = 0;
const CALLER_SPIN_MAX = 1000;

/** Sets the spin budget (µs, 0: sleep at once), for benchmarks and tests; returns the previous one. */
export function setSpinMicros(us: number): number {
  if (!Number.isInteger(us) || us < 0 || us > 2 ** 31 - 1) throw new RangeError(`setSpinMicros: the budget must be an integer number of microseconds from 0 to 2³¹ − 1, got ${us}`);
  const previous = spinMicros;
  spinMicros = us;
  if (pool !== undefined) Atomics.store(pool.control, SPIN, us);
  return previous;
}

/** The workers' shared state, created with the first worker. */
interface Pool {
  kernel: SharedKernel;
  control: Int32Array;
  /** Workers started (ids 1 … started); those with an id past the thread count sit idle. */
  started: number;
}
let pool: Pool | undefined;

function startWorkers(kernel: SharedKernel, threads: number): Pool {
  if (pool === undefined) pool = { kernel, control: new Int32Array(new SharedArrayBuffer(4 * CONTROL_SLOTS)), started: 0 };
  const { control } = pool;
  Atomics.store(control, SPIN, spinMicros);
  while (pool.started < threads - 1) {
    const id = pool.started + 1;
    try {
      spawner!({ module: kernel.module, memory: kernel.memory, control: control.buffer as SharedArrayBuffer, id });
    } catch (err) {
      // a runtime that cannot start workers: this product runs on the threads started, later ones on one
      workerErrors.push(String(err));
      spawner = null;
      break;
    }
    pool.started = id;
  }
  return pool;
}

/** One product of a job: its chunks of C, and B to be packed by the job's threads first where given. */
export interface JobPart {
  readonly job: GemmJob;
  readonly pack?: PackJob | undefined;
}

/**
 * Runs every chunk of `job` with `threads` threads (this one included), starting workers on first
 * use, after packing B with them where `pack` is given; returns when all of C is written. The
 * kernel must be the one the pool was started with.
 */
export function runGemmJob(kernel: SharedKernel, fns: JobKernel, job: GemmJob, threads: number, pack?: PackJob): void {
  runGemmJobs(kernel, fns, [{ job, pack }], threads);
}

/**
 * `runGemmJob` for up to `MAX_PARTS` independent products in one job (none may write what another
 * reads; their pieces of B together at most `MAX_PIECES`): the threads pack every part's B, then
 * claim chunks numbered across the parts (the first part's, then the second's), so one hand-off and
 * one tail serve both, and two products too small to share alone run side by side.
 */
export function runGemmJobs(kernel: SharedKernel, fns: JobKernel, parts: readonly JobPart[], threads: number, onChunk?: ChunkDone): void {
  if (parts.length < 1 || parts.length > MAX_PARTS) throw new RangeError(`runGemmJobs: a job has 1 to ${MAX_PARTS} parts, got ${parts.length}`);
  if (parts.reduce((n, p) => n + (p.pack?.count ?? 0), 0) > MAX_PIECES) throw new RangeError(`runGemmJobs: more than ${MAX_PIECES} pieces of B in one job`);
  const { control } = startWorkers(kernel, threads);
  parts.forEach(({ job, pack }, j) => {
    const at = PARAMS + j * PART_SLOTS;
    control.set([job.a, job.lda, job.aT, job.bp, job.c, job.k, job.ldc, job.mPad, job.rowsPer, job.strips, job.stripsPer, job.colChunks, job.count, job.scratch, job.scratchBytes], at);
    control.set(pack === undefined ? [0, 0, 0, 0, 0, 0] : [pack.raw, pack.transposed ? 1 : 0, pack.n, pack.strips, pack.stripsPer, pack.count], at + P_RAW);
  });
  control[PARTS] = parts.length;
  control[THREADS] = threads;
  Atomics.store(control, NEXT, 0);
  Atomics.store(control, PACK_NEXT, 0);
  Atomics.store(control, FAILED, 0);
  const gen = Atomics.add(control, GEN, 1) + 1; // open (odd)
  Atomics.notify(control, GEN);
  const seen = onChunk === undefined ? undefined : new ChunksSeen(parts, control, gen, onChunk);
  try {
    if (parts.some((p) => p.pack !== undefined)) packPieces(control, fns, parts, gen);
    runChunks(control, fns.gemm, parts, seen);
  } finally {
    Atomics.add(control, GEN, 1); // closed (even)
    awaitWorkers(control);
  }
  if (Atomics.load(control, FAILED) !== 0) throw new Error("matmul: a worker thread failed while computing a product");
  seen?.rest();
}

/** Told the rows [i0, i1) and strips [s0, s1) of part `part`'s C once they are computed. */
export type ChunkDone = (part: number, i0: number, i1: number, s0: number, s1: number) => void;

/**
 * The chunks of a job already handed to `onChunk` on the calling thread: its own as soon as it has
 * computed them, the workers' once marked computed (CHUNK_DONE + chunk ← GEN, for the first
 * `MAX_TRACKED`), checked between the caller's chunks; the rest once the job has ended.
 */
class ChunksSeen {
  private readonly told: Uint8Array;
  private readonly firsts: number[] = [];
  private readonly total: number;
  constructor(private readonly parts: readonly JobPart[], private readonly control: Int32Array, private readonly gen: number, private readonly onChunk: ChunkDone) {
    let total = 0;
    for (const p of parts) {
      this.firsts.push(total);
      total += p.job.count;
    }
    this.total = total;
    this.told = new Uint8Array(total);
  }

  /** Hands chunk q (numbered across the parts) to `onChunk` unless it was already. */
  tell(q: number): void {
    if (this.told[q] === 1) return;
    this.told[q] = 1;
    let j = this.parts.length - 1;
    while (q < this.firsts[j]!) j--;
    const { mPad, rowsPer, strips, stripsPer, colChunks } = this.parts[j]!.job;
    const r = q - this.firsts[j]!;
    const rb = Math.floor(r / colChunks);
    const i0 = rb * rowsPer;
    const s0 = (r - rb * colChunks) * stripsPer;
    this.onChunk(j, i0, Math.min(mPad, i0 + rowsPer), s0, Math.min(strips, s0 + stripsPer));
  }

  /** Hands on the workers' chunks marked computed in this job. */
  collect(): void {
    const end = Math.min(this.total, MAX_TRACKED);
    for (let q = 0; q < end; q++) if (this.told[q] === 0 && Atomics.load(this.control, CHUNK_DONE + q) === this.gen) this.tell(q);
  }

  /** Hands on every chunk not yet handed on (the job has ended). */
  rest(): void {
    for (let q = 0; q < this.total; q++) this.tell(q);
  }
}

/** Returns when no worker is inside the job: watches ACTIVE for the spin budget, then sleeps on it. */
function awaitWorkers(control: Int32Array): void {
  if (Atomics.load(control, ACTIVE) === 0) return;
  const start = performance.now();
  const budget = Math.min(spinMicros, CALLER_SPIN_MAX) / 1000;
  do {
    for (let i = 0; i < 64; i++) if (Atomics.load(control, ACTIVE) === 0) return;
  } while (performance.now() - start < budget);
  for (let v = Atomics.load(control, ACTIVE); v !== 0; v = Atomics.load(control, ACTIVE)) Atomics.wait(control, ACTIVE, v);
}

/**
 * The calling thread's share of packing B (the worker's loop in `WORKER_CORE`): claims pieces
 * (numbered across the parts) until none are left, then packs again every piece not yet marked
 * packed in this job (`gen`), whoever claimed it. Packing a piece twice writes the same values, so
 * no thread ever waits for another to finish one (a worker descheduled in the middle of its piece
 * holds nobody up), and every thread starts on C with all of B packed.
 */
function packPieces(control: Int32Array, fns: JobKernel, parts: readonly JobPart[], gen: number): void {
  const pieces = parts.reduce((n, p) => n + (p.pack?.count ?? 0), 0);
  const packPiece = (q: number): void => {
    let r = q;
    let j = 0;
    while (r >= (parts[j]!.pack?.count ?? 0)) r -= parts[j++]!.pack?.count ?? 0;
    const { job } = parts[j]!;
    const { raw, transposed, n, strips, stripsPer } = parts[j]!.pack!;
    const s1 = Math.min(strips, (r + 1) * stripsPer);
    if (transposed) fns.packBT(raw, job.k, job.bp, r * stripsPer, s1);
    else fns.packB(raw, n, job.k, job.bp, r * stripsPer, s1);
    Atomics.store(control, PACKED + q, gen);
  };
  for (let q = Atomics.add(control, PACK_NEXT, 1); q < pieces; q = Atomics.add(control, PACK_NEXT, 1)) {
    packPiece(q);
    control[PIECES]!++;
  }
  for (let q = 0; q < pieces; q++) if (Atomics.load(control, PACKED + q) !== gen) packPiece(q);
}

/**
 * The calling thread's share: claims chunks (numbered across the parts) until none are left (the
 * worker's loop in `WORKER_CORE`), handing each it computed, and the workers' computed meanwhile,
 * to `seen` between its chunks.
 */
function runChunks(control: Int32Array, gemm: GemmFn, parts: readonly JobPart[], seen: ChunksSeen | undefined): void {
  let first = 0; // the job's number of the current part's first chunk
  let claimed = Atomics.add(control, NEXT, 1);
  for (const { job } of parts) {
    const { a, lda, aT, bp, c, k, ldc, mPad, rowsPer, strips, stripsPer, colChunks, count, scratch } = job;
    for (; claimed - first < count; claimed = Atomics.add(control, NEXT, 1)) {
      const q = claimed - first;
      const rb = Math.floor(q / colChunks);
      const i0 = rb * rowsPer;
      const s0 = (q - rb * colChunks) * stripsPer;
      gemm(a, lda, aT, bp, c, k, ldc, i0, Math.min(mPad, i0 + rowsPer), s0, Math.min(strips, s0 + stripsPer), scratch);
      control[DONE]!++;
      if (seen !== undefined) {
        seen.tell(claimed);
        seen.collect();
      }
    }
    first += count;
  }
}

/** Chunks computed by each thread since its start (index 0: the calling thread), for tests. */
export function chunkCounts(): number[] {
  if (pool === undefined) return [];
  return Array.from(pool.control.subarray(DONE, DONE + pool.started + 1));
}

/** Pieces of B packed by each thread since its start (index 0: the calling thread), for tests. */
export function packCounts(): number[] {
  if (pool === undefined) return [];
  return Array.from(pool.control.subarray(PIECES, PIECES + pool.started + 1));
}

/** The errors that ended workers, for tests. */
export function threadErrors(): readonly string[] {
  return workerErrors;
}

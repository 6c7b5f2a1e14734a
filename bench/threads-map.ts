/**
 * @file An experimental engine that splits the SIMD math kernels (`src/kernels/simd.ts`) across
 * worker threads — each thread copies ITS OWN slice of the operands into its own scratch region,
 * runs the kernel there and copies its results out — used only by `bench/threads-elementwise.ts`
 * to measure whether the library should do so (it does not: CONTRIBUTING.md, "Threads for
 * elementwise kernels and reductions"). Not part of the library.
 *
 * A worker can only read an array whose storage is a `SharedArrayBuffer`, so operands and outputs
 * here are views of SABs, and a worker learns which ones through a `MessagePort` that it reads
 * synchronously (`receiveMessageOnPort`, Node only: a browser worker blocked in `Atomics.wait` has
 * no way to receive a message). Each thread instantiates the math module on a memory of its own
 * (the scratch regions never meet, so nothing in the module has to change). Jobs use the hand-off
 * of `src/kernels/threads.ts`: parameters, then GEN odd (open) and a notify; everyone, the caller
 * included, claims tasks from a shared counter; the caller closes the job (GEN even) and waits
 * until no worker is inside it.
 *
 * Two variants keep plain arrays instead, for comparison: `stagedUnary`/`stagedSum` (the caller
 * copies the whole operand into one shared `WebAssembly.Memory` — the math module assembled with an
 * imported shared memory by `prepareStaged` — and the threads compute there) and `pipelinedUnary`
 * (the caller copies chunks through a ring in that memory while workers compute them).
 *
 * The pairwise sum and dot are split along NumPy's own recursion tree (the 2^d subtrees at depth
 * d, each summed by the same recursion as `simdPairwiseSum`, then added in the tree's order), so
 * the threaded result equals the single-thread one bit for bit, whatever the thread count.
 */
import { Worker, MessageChannel, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { mathWasm } from "../src/kernels/wasm/math.wasm.ts";
import { CHUNK } from "../src/kernels/simd.ts";

/** Byte offsets of the two scratch regions in the math module's memory (as in the generator). */
const SCRATCH_A = 65536;
const SCRATCH_B = SCRATCH_A + CHUNK * 8;

/** Byte offset of the staging region in the shared memory of the staged build (above the module's 128 KiB). */
const STAGE = 1 << 20;

/** The unary kernels the engine runs (all are `(p, n)` in place over an even n). */
export const UNARY = ["exp", "expm1", "tanh", "log", "log1p", "sigmoid"] as const;
export type UnaryName = (typeof UNARY)[number];

// Slots of the control array.
const GEN = 0;
const NEXT = 1;
const ACTIVE = 2;
const FAILED = 3;
const THREADS = 4;
const KIND = 5; // 0 unary, 1 sum subtrees, 2 dot subtrees, 3 max, 4 min, 5 staged unary, 6 staged sum subtrees, 7 ring, 99 throw (tests)
const OP = 6; // index in UNARY
const COUNT = 7; // tasks
const SEQ = 8; // the buffers' message number
const N = 9;
const PER = 10; // elements per elementwise task (a multiple of CHUNK)
const DONE = 16; // + thread id: tasks run
const TASKS = 80; // task q: start at TASKS + 2q, length at TASKS + 2q + 1
export const MAX_TASKS = 64;
const SLOTS = TASKS + 2 * MAX_TASKS;

/**
 * The loop run on every thread. The worker's copy is this function's source text, so it cannot
 * refer to the module's constants: slots are written as numbers (5 KIND, 6 OP, 7 COUNT, 9 N,
 * 10 PER, 15 unused, 16 + id DONE, 80 TASKS).
 */
function serveTasks(ctl: Int32Array, ex: Record<string, (...a: number[]) => number>, st: Record<string, (...a: number[]) => number> | null, a: Float64Array, b: Float64Array, bufs: { x: Float64Array; y: Float64Array | null; out: Float64Array | null } | null, results: Float64Array, id: number, unary: readonly string[], chunk: number, scratchA: number, scratchB: number, stage: number): void {
  const kind = ctl[5]!;
  const count = ctl[7]!;
  const n = ctl[9]!;
  const per = ctl[10]!;
  if (kind === 7) {
    serveRing(ctl, st!, unary, chunk, stage, id);
    return;
  }
  const x = bufs?.x as Float64Array;
  const pairwise = (s: number, len: number, dot: boolean): number => {
    if (len <= chunk) {
      a.set(x.subarray(s, s + len));
      if (!dot) return ex["sum"]!(scratchA, len);
      b.set(bufs!.y!.subarray(s, s + len));
      return ex["dot"]!(scratchA, scratchB, len);
    }
    const h = (len >> 1) & ~7;
    return pairwise(s, h, dot) + pairwise(s + h, len - h, dot);
  };
  for (let q = Atomics.add(ctl, 1, 1); q < count; q = Atomics.add(ctl, 1, 1)) {
    if (kind === 0) {
      const kernel = ex[unary[ctl[6]!]!]!;
      const out = bufs!.out!;
      const end = Math.min(n, (q + 1) * per);
      for (let s = q * per; s < end; s += chunk) {
        const len = Math.min(chunk, end - s);
        a.set(x.subarray(s, s + len));
        const even = (len + 1) & ~1;
        if (even !== len) a[len] = 0;
        kernel(scratchA, even);
        out.set(a.subarray(0, len), s);
      }
    } else if (kind === 1 || kind === 2) {
      results[q] = pairwise(ctl[80 + 2 * q]!, ctl[81 + 2 * q]!, kind === 2);
    } else if (kind === 3 || kind === 4) {
      const max = kind === 3;
      const kernel = ex[max ? "max" : "min"]!;
      let acc = max ? -Infinity : Infinity;
      const end = Math.min(n, (q + 1) * per);
      for (let s = q * per; s < end; s += chunk) {
        const len = Math.min(chunk, end - s);
        const len8 = len & ~7;
        let v = acc;
        if (len8 > 0) {
          a.set(x.subarray(s, s + len8));
          v = kernel(scratchA, len8);
        }
        for (let i = s + len8; i < s + len; i++) {
          const w = x[i]!;
          if ((max ? w > v : w < v) || w !== w) v = w;
        }
        if ((max ? v > acc : v < acc) || v !== v) acc = v;
      }
      results[q] = acc;
    } else if (kind === 5) {
      // Staged: the operand was copied into the shared memory at byte `stage`; compute in place.
      const kernel = st![unary[ctl[6]!]!]!;
      const end = Math.min(n, (q + 1) * per);
      for (let s = q * per; s < end; s += chunk) kernel(stage + 8 * s, (Math.min(chunk, end - s) + 1) & ~1);
    } else if (kind === 6) {
      const sum = st!["sum"]!;
      const tree = (s: number, len: number): number => {
        if (len <= chunk) return sum(stage + 8 * s, len);
        const h = (len >> 1) & ~7;
        return tree(s, h) + tree(s + h, len - h);
      };
      results[q] = tree(ctl[80 + 2 * q]!, ctl[81 + 2 * q]!);
    } else if (id !== 0) throw new Error(`threads-map: task kind ${kind} fails on purpose (thread ${id})`);
    else Atomics.wait(ctl, 15, 0, 2); // the caller dawdles, so that workers claim some of the failing tasks
    ctl[16 + id]!++;
  }
}

/** Chunks in flight in the ring of the pipelined variant (slots of CHUNK doubles from STAGE). */
const RING = 16;
const IN = 11; // chunks copied into the ring so far
const RING_DONE = TASKS; // + slot: the number (+ 1) of the chunk last computed there

/**
 * A worker's part of a pipelined job: claim the next chunk once the caller has copied it into the
 * ring, compute it in place, mark its slot done.
 */
function serveRing(ctl: Int32Array, st: Record<string, (...a: number[]) => number>, unary: readonly string[], chunk: number, stage: number, id: number): void {
  const kernel = st[unary[ctl[6]!]!]!;
  const count = ctl[7]!;
  const n = ctl[9]!;
  for (;;) {
    const k = Atomics.load(ctl, 1);
    if (k >= count || Atomics.load(ctl, 3) !== 0) return;
    const ready = Atomics.load(ctl, 11);
    if (k >= ready) {
      Atomics.wait(ctl, 11, ready, 1);
      continue;
    }
    if (Atomics.compareExchange(ctl, 1, k, k + 1) !== k) continue;
    const slot = k % 16;
    kernel(stage + 8 * slot * chunk, (Math.min(chunk, n - k * chunk) + 1) & ~1);
    Atomics.store(ctl, 80 + slot, k + 1);
    Atomics.notify(ctl, 80 + slot);
    ctl[16 + id]!++;
  }
}

const WORKER = `
"use strict";
const { workerData: d, receiveMessageOnPort } = process.getBuiltinModule("node:worker_threads");
// A transpiler that keeps function names (tsx) may wrap inner functions in __name(…).
const __name = (f) => f;
const serveTasks = ${serveTasks.toString()};
const serveRing = ${serveRing.toString()};
const ctl = new Int32Array(d.control);
const results = new Float64Array(d.results);
const ex = new WebAssembly.Instance(d.module, {}).exports;
const st = d.staged ? new WebAssembly.Instance(d.staged.module, { env: { memory: d.staged.memory } }).exports : null;
const a = new Float64Array(ex.memory.buffer, ${SCRATCH_A}, ${CHUNK} + 2);
const b = new Float64Array(ex.memory.buffer, ${SCRATCH_B}, ${CHUNK} + 2);
let bufs = null;
let have = 0;
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${GEN}, seen);
  const g = Atomics.load(ctl, ${GEN});
  if (g === seen) continue;
  seen = g;
  if ((g & 1) === 0 || d.id >= ctl[${THREADS}]) continue;
  Atomics.add(ctl, ${ACTIVE}, 1);
  try {
    if (Atomics.load(ctl, ${GEN}) === g) {
      // The buffers of this job were posted before it opened: take every message up to its number.
      while (ctl[${KIND}] < 5 && have !== ctl[${SEQ}]) {
        const m = receiveMessageOnPort(d.port);
        if (m === undefined) throw new Error("threads-map: the job's buffers did not arrive");
        bufs = m.message;
        have = m.message.seq;
      }
      serveTasks(ctl, ex, st, a, b, bufs, results, d.id, ${JSON.stringify(UNARY)}, ${CHUNK}, ${SCRATCH_A}, ${SCRATCH_B}, ${STAGE});
    }
  } catch (e) {
    Atomics.store(ctl, ${FAILED}, 1);
    process.getBuiltinModule("node:fs").writeSync(2, "threads-map worker: " + String(e) + "\\n");
  } finally {
    if (Atomics.sub(ctl, ${ACTIVE}, 1) === 1) Atomics.notify(ctl, ${ACTIVE});
  }
}
`;

/** The part of the WebAssembly API used here (the project compiles without the DOM's types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The staged build: the math module importing one shared memory, which every thread uses. */
interface Staged {
  module: object;
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  ex: Record<string, (...a: number[]) => number>;
}
let staged: Staged | undefined;

/**
 * Assembles the staged build (before `startEngine`, whose workers instantiate it): `math.wat` with
 * its memory imported as shared, so the threads can compute on an operand the caller copied in.
 */
export async function prepareStaged(): Promise<void> {
  const { readFileSync } = await import("node:fs");
  const wabt = await (await import("wabt")).default();
  const wat = readFileSync(new URL("../src/kernels/wasm/math.wat", import.meta.url), "utf8");
  const header = '(memory (export "memory") 2)';
  if (!wat.includes(header)) throw new Error("threads-map: math.wat's memory declaration changed");
  const parsed = wabt.parseWat("math.wat", wat.replace(header, '(import "env" "memory" (memory 2 65536 shared))'), { simd: true, threads: true });
  const bytes = parsed.toBinary({}).buffer;
  parsed.destroy();
  const api = wasm as WasmApi & { Memory: new (d: { initial: number; maximum: number; shared: boolean }) => Staged["memory"] };
  const memory = new api.Memory({ initial: 32, maximum: 65536, shared: true });
  const module = new api.Module(bytes);
  staged = { module, memory, ex: new api.Instance(module, { env: { memory } }).exports as Staged["ex"] };
}

interface Engine {
  module: object;
  ctl: Int32Array;
  results: Float64Array;
  ports: MessagePort[];
  workers: Worker[];
  ex: Record<string, (...a: number[]) => number>;
  a: Float64Array;
  b: Float64Array;
  /** The buffers last posted, and their message number. */
  posted: { x: Float64Array; y: Float64Array | null; out: Float64Array | null } | null;
}

let engine: Engine | undefined;

/** Starts `threads − 1` workers (once; more on a later call asking for more). */
export function startEngine(threads: number): Engine {
  if (engine === undefined) {
    const module = new wasm.Module(Uint8Array.from(atob(mathWasm), (ch) => ch.charCodeAt(0)));
    const ex = new wasm.Instance(module, {}).exports as Engine["ex"] & { memory: { buffer: ArrayBuffer } };
    engine = {
      module,
      ctl: new Int32Array(new SharedArrayBuffer(4 * SLOTS)),
      results: new Float64Array(new SharedArrayBuffer(8 * MAX_TASKS)),
      ports: [],
      workers: [],
      ex,
      a: new Float64Array(ex.memory.buffer, SCRATCH_A, CHUNK + 2),
      b: new Float64Array(ex.memory.buffer, SCRATCH_B, CHUNK + 2),
      posted: null,
    };
  }
  const e = engine;
  while (e.workers.length < threads - 1) {
    const { port1, port2 } = new MessageChannel();
    const id = e.workers.length + 1;
    const w = new Worker(WORKER, { eval: true, workerData: { control: e.ctl.buffer, results: e.results.buffer, module: e.module, port: port2, id, staged: staged && { module: staged.module, memory: staged.memory } }, transferList: [port2] });
    w.unref();
    e.workers.push(w);
    e.ports.push(port1);
    // A newly started worker has seen no buffers: the next job posts them again.
    e.posted = null;
  }
  return e;
}

/** Stops the workers (so a test or a bench can end). */
export async function stopEngine(): Promise<void> {
  if (engine === undefined) return;
  const e = engine;
  engine = undefined;
  await Promise.all(e.workers.map((w) => w.terminate()));
  for (const p of e.ports) p.close();
}

/** Tasks run by each thread since the engine started (index 0: the caller). */
export function taskCounts(): number[] {
  return engine === undefined ? [] : Array.from(engine.ctl.subarray(DONE, DONE + engine.workers.length + 1));
}

/** Runs one job of `count` tasks on `threads` threads (the caller included). */
function run(e: Engine, threads: number, kind: number, count: number, n: number, per: number, x: Float64Array, y: Float64Array | null, out: Float64Array | null, op = 0, caller?: () => void): void {
  const { ctl } = e;
  if (threads > 1 && kind < 5 && (e.posted === null || e.posted.x !== x || e.posted.y !== y || e.posted.out !== out)) {
    for (const w of [x, y, out]) {
      if (w !== null && !(w.buffer instanceof SharedArrayBuffer)) throw new TypeError("threads-map: operands must be views of a SharedArrayBuffer");
    }
    const seq = ctl[SEQ]! + 1;
    for (let i = 0; i < threads - 1; i++) e.ports[i]!.postMessage({ x, y, out, seq });
    ctl[SEQ] = seq;
    e.posted = { x, y, out };
    // Workers past the thread count did not receive this message: a later job posts again.
    if (threads - 1 < e.workers.length) e.posted = null;
  }
  ctl[THREADS] = threads;
  ctl[KIND] = kind;
  ctl[OP] = op;
  ctl[COUNT] = count;
  ctl[N] = n;
  ctl[PER] = per;
  Atomics.store(ctl, NEXT, 0);
  Atomics.store(ctl, FAILED, 0);
  Atomics.add(ctl, GEN, 1);
  if (threads > 1) Atomics.notify(ctl, GEN);
  try {
    if (caller) caller();
    else serveTasks(ctl, e.ex, staged?.ex ?? null, e.a, e.b, { x, y, out }, e.results, 0, UNARY, CHUNK, SCRATCH_A, SCRATCH_B, STAGE);
  } finally {
    Atomics.add(ctl, GEN, 1);
    for (let v = Atomics.load(ctl, ACTIVE); v !== 0; v = Atomics.load(ctl, ACTIVE)) Atomics.wait(ctl, ACTIVE, v);
  }
  if (Atomics.load(ctl, FAILED) !== 0) throw new Error("threads-map: a worker thread failed");
}

/** Elements per elementwise task: about four tasks per thread, whole chunks. */
function perTask(n: number, threads: number): number {
  return Math.max(CHUNK, Math.ceil(n / (4 * threads) / CHUNK) * CHUNK);
}

/** out[i] = f(x[i]) on `threads` threads. */
export function threadedUnary(name: UnaryName, x: Float64Array, out: Float64Array, threads: number): void {
  const e = startEngine(threads);
  const per = perTask(x.length, threads);
  run(e, threads, 0, Math.ceil(x.length / per), x.length, per, x, null, out, UNARY.indexOf(name));
}

/** The 2^d subtrees of NumPy's pairwise recursion over n elements at depth d = ⌈log₂(2·threads)⌉ (a run of at most CHUNK stays whole). */
function subtrees(n: number, threads: number): { depth: number; nodes: [number, number][] } {
  let depth = 0;
  while (1 << depth < 2 * threads && depth < 6) depth++;
  const nodes: [number, number][] = [];
  const split = (s: number, len: number, d: number): void => {
    if (d === 0 || len <= CHUNK) nodes.push([s, len]);
    else {
      const h = (len >> 1) & ~7;
      split(s, h, d - 1);
      split(s + h, len - h, d - 1);
    }
  };
  split(0, n, depth);
  return { depth, nodes };
}

/** Runs the subtrees' sums as tasks of `kind`, then adds them back up the tree, in its order. */
function pairwiseJob(e: Engine, kind: number, threads: number, x: Float64Array, y: Float64Array | null): number {
  const n = x.length;
  const { depth, nodes } = subtrees(n, threads);
  nodes.forEach(([s, len], q) => {
    e.ctl[TASKS + 2 * q] = s;
    e.ctl[TASKS + 2 * q + 1] = len;
  });
  run(e, threads, kind, nodes.length, n, 0, x, y, null);
  let k = 0;
  const combine = (len: number, d: number): number => {
    if (d === 0 || len <= CHUNK) return e.results[k++]!;
    const h = (len >> 1) & ~7;
    const left = combine(h, d - 1);
    return left + combine(len - h, d - 1);
  };
  return combine(n, depth);
}

/** NumPy's pairwise Σ x (or Σ x·y) on `threads` threads, bit for bit `simdPairwiseSum`'s (`simdPairwiseDot`'s). */
export function threadedPairwise(x: Float64Array, y: Float64Array | null, threads: number): number {
  return pairwiseJob(startEngine(threads), y === null ? 1 : 2, threads, x, y);
}

/** The staged memory, grown to hold n doubles at STAGE, and a view of them. */
function stageFor(n: number): Float64Array {
  if (staged === undefined) throw new Error("threads-map: call prepareStaged() before startEngine");
  const bytes = STAGE + 8 * n;
  const have = staged.memory.buffer.byteLength;
  if (have < bytes) staged.memory.grow(Math.ceil((bytes - have) / 65536));
  return new Float64Array(staged.memory.buffer, STAGE, n + 1);
}

/** out[i] = f(x[i]) with plain arrays: the caller copies x into the shared memory, the threads compute there, the caller copies out. */
export function stagedUnary(name: UnaryName, x: Float64Array, out: Float64Array, threads: number): void {
  const e = startEngine(threads);
  const n = x.length;
  const stage = stageFor(n);
  stage.set(x);
  stage[n] = 0; // an odd last chunk is padded
  const per = perTask(n, threads);
  run(e, threads, 5, Math.ceil(n / per), n, per, x, null, out, UNARY.indexOf(name));
  out.set(stage.subarray(0, n));
}

/**
 * out[i] = f(x[i]) with plain arrays, pipelined: the caller copies chunks into a ring of RING slots
 * in the shared memory and copies finished ones out, in order; workers compute the chunks as they
 * arrive; the caller computes too whenever the ring is full and the next chunk to copy out is not
 * done. So the copies stay on one thread but overlap the workers' arithmetic.
 */
export function pipelinedUnary(name: UnaryName, x: Float64Array, out: Float64Array, threads: number): void {
  const e = startEngine(threads);
  const { ctl } = e;
  const n = x.length;
  const count = Math.ceil(n / CHUNK);
  const ring = stageFor(RING * CHUNK);
  const kernel = staged!.ex[name]!;
  ctl.fill(0, RING_DONE, RING_DONE + RING);
  Atomics.store(ctl, IN, 0);
  const caller = (): void => {
    let copied = 0;
    let emptied = 0;
    while (emptied < count) {
      if (copied < count && copied - emptied < RING) {
        const s = copied * CHUNK;
        const len = Math.min(CHUNK, n - s);
        const at = (copied % RING) * CHUNK;
        ring.set(x.subarray(s, s + len), at);
        if (len & 1) ring[at + len] = 0;
        Atomics.store(ctl, IN, ++copied);
        Atomics.notify(ctl, IN);
        continue;
      }
      const slot = emptied % RING;
      const done = Atomics.load(ctl, RING_DONE + slot);
      if (done === emptied + 1) {
        const s = emptied * CHUNK;
        const len = Math.min(CHUNK, n - s);
        out.set(ring.subarray(slot * CHUNK, slot * CHUNK + len), s);
        emptied++;
        continue;
      }
      const k = Atomics.load(ctl, NEXT);
      if (k < copied && Atomics.compareExchange(ctl, NEXT, k, k + 1) === k) {
        kernel(STAGE + 8 * (k % RING) * CHUNK, (Math.min(CHUNK, n - k * CHUNK) + 1) & ~1);
        Atomics.store(ctl, RING_DONE + (k % RING), k + 1);
        ctl[DONE]!++;
        continue;
      }
      if (Atomics.load(ctl, FAILED) !== 0) throw new Error("threads-map: a worker thread failed");
      Atomics.wait(ctl, RING_DONE + slot, done, 1);
    }
  };
  run(e, threads, 7, count, n, CHUNK, x, null, out, UNARY.indexOf(name), caller);
}

/** NumPy's pairwise Σ x of a plain array: copied into the shared memory by the caller, summed there by the threads. */
export function stagedSum(x: Float64Array, threads: number): number {
  const e = startEngine(threads);
  stageFor(x.length).set(x);
  return pairwiseJob(e, 6, threads, x, null);
}

/** The largest (`op` "max") or smallest element of x on `threads` threads, NaN if any is NaN. */
export function threadedExtremum(op: "max" | "min", x: Float64Array, threads: number): number {
  const e = startEngine(threads);
  const per = perTask(x.length, threads);
  const count = Math.ceil(x.length / per);
  run(e, threads, op === "max" ? 3 : 4, count, x.length, per, x, null, null);
  let acc = op === "max" ? -Infinity : Infinity;
  for (let q = 0; q < count; q++) {
    const v = e.results[q]!;
    if ((op === "max" ? v > acc : v < acc) || v !== v) acc = v;
  }
  return acc;
}

/** A job whose tasks throw (on whichever thread claims them), for the failure test. */
export function failingJob(threads: number): void {
  const e = startEngine(threads);
  const x = new Float64Array(new SharedArrayBuffer(8));
  run(e, threads, 99, 8 * threads, 0, 1, x, null, null);
}

/** A view of a fresh SharedArrayBuffer holding `n` doubles. */
export const sharedFloat64 = (n: number): Float64Array => new Float64Array(new SharedArrayBuffer(8 * n));

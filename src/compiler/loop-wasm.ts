/**
 * @file Fused loops of float64 arithmetic as generated WebAssembly SIMD functions working in place
 * in the matrix kernel's memory (`kernelMemoryArray`), leaves read contiguously, broadcast along
 * the outer axis (a row repeated: loaded at the inner index) or along the inner one (a value per
 * row: splatted once per row), or as numbers.
 */
import type { JaxprEqn, JaxprVar } from "../core/jaxpr.ts";
import { inKernelMemory, kernelMemory } from "../kernels/matmul-wasm.ts";
import { elementExpr, storeRounding } from "./elementwise.ts";
import { passOpOf, SIMD, type PassOp } from "./chunk-wasm.ts";
import { F64, get, HEADER, i32, I32, instantiate, memoryImport, name, section, set, simd, uleb, V128, vec } from "../kernels/wasm-encode.ts";
import { collapse } from "./loop-nest.ts";

/** A leaf of a fused loop: its strides over the loop's shape, or `null` for a number. */
export interface LoopLeaf {
  readonly v: JaxprVar;
  /** The array read: `v` itself, or the array `v` is a strided view of. */
  readonly base: JaxprVar;
  readonly strides: readonly number[] | null;
}

/**
 * A loop as a Wasm function: `rows` × `cols` elements (the loop nest collapsed to at most two
 * levels), each array operand (leaves, then outputs) stepping `outer[k]` elements per row and 0 or 1
 * per column; numbers are parameters.
 */
export interface WasmLoopPlan {
  readonly rows: number;
  readonly cols: number;
  /** Per leaf (in the given order): `null` for a number, else its per-row stride and whether it is one value per row. */
  readonly leaves: readonly ({ readonly outer: number; readonly splat: boolean } | null)[];
  readonly ops: readonly { readonly op: PassOp; readonly args: readonly number[] }[];
  /** Values stored (slot numbers: leaves first, then members), one per output, each output contiguous. */
  readonly stores: readonly number[];
}

/** Loops shorter than this stay in JavaScript (a call into Wasm and the memory checks cost more than they save). */
export const WASM_LOOP_MIN = 64;

/**
 * The plan of a fused loop (`members`, elementwise, over `shape`, reading `leaves`, writing `stored`)
 * as a Wasm function, or undefined where it cannot be one: an operation other than float64 + − × ÷,
 * negation, abs, sqrt, floor, ceil, trunc (exact or exactly rounded, so lane for lane JavaScript's
 * numbers); a leaf read other than along rows or per row; fewer than `WASM_LOOP_MIN` elements; or no
 * shared kernel memory to place its arrays in.
 */
export function planWasmLoop(members: readonly JaxprEqn[], shape: readonly number[], leaves: readonly LoopLeaf[], stored: readonly JaxprVar[]): WasmLoopPlan | undefined {
  const n = shape.reduce((a, d) => a * d, 1);
  if (n < WASM_LOOP_MIN || kernelMemory()?.shared !== true || stored.length === 0) return undefined;
  const slotOf = new Map<JaxprVar, number>(leaves.map((l, k) => [l.v, k]));
  const ops: { op: PassOp; args: number[] }[] = [];
  for (const m of members) {
    const o = m.outs[0]!;
    const expr = elementExpr(m.prim);
    if (expr === undefined || m.outs.length !== 1 || o.aval.dtype !== "float64" || m.inputs.some((v) => v.aval.dtype !== "float64")) return undefined;
    const op = passOpOf((args) => storeRounding("float64", expr(args, m.params)), m.inputs.length);
    if (op === undefined) return undefined;
    const args = m.inputs.map((v) => slotOf.get(v));
    if (args.some((a) => a === undefined)) return undefined;
    slotOf.set(o, leaves.length + ops.length);
    ops.push({ op, args: args as number[] });
  }
  const stores = stored.map((o) => slotOf.get(o));
  if (stores.some((s) => s === undefined || s < leaves.length)) return undefined;
  // The nest: outputs are contiguous; axes every operand steps through as one are merged.
  const contiguous = shape.map((_, a) => shape.slice(a + 1).reduce((x, d) => x * d, 1));
  const arrays = leaves.filter((l) => l.strides !== null).map((l) => l.strides!);
  const levels = collapse(shape, [contiguous, ...arrays]);
  if (levels.length > 2) return undefined;
  const [outer, inner] = levels.length === 2 ? levels : [{ size: 1, strides: arrays.map(() => 0).concat(0) }, levels[0]!];
  if (inner!.strides.some((s) => s !== 0 && s !== 1)) return undefined;
  let k = 0;
  const leafPlans = leaves.map((l) => {
    if (l.strides === null) return null;
    k++;
    return { outer: outer!.strides[k]!, splat: inner!.strides[k] === 0 };
  });
  return { rows: outer!.size, cols: inner!.size, leaves: leafPlans, ops, stores: stores as number[] };
}

/** A compiled loop: its function's arguments are the leaves (addresses or numbers), then the outputs' addresses. */
export type WasmLoopFunction = (...args: number[]) => void;

/** Scalar f64 opcodes of the pass operations (the last, odd element of a row). */
const SCALAR: Record<Exclude<PassOp, "copy">, number> = { abs: 0x99, neg: 0x9a, ceil: 0x9b, floor: 0x9c, trunc: 0x9d, sqrt: 0x9f, add: 0xa0, sub: 0xa1, mul: 0xa2, div: 0xa3 };
/** Steps of two doubles per turn of a row's loop. */
const UNROLL = 4;

/** Alignment hint 8 bytes (addresses are those of doubles), then the offset. */
const memarg = (offset: number): number[] => [3, ...uleb(offset)];

/** The body of the loop function of `p` (parameters: per leaf an i32 address or an f64 number, then an i32 address per output). */
function loopBody(p: WasmLoopPlan): number[] {
  const nLeaves = p.leaves.length;
  const params = nLeaves + p.stores.length;
  const arrays = [...p.leaves.map((l, k) => (l === null ? -1 : k)).filter((k) => k >= 0), ...p.stores.map((_, j) => nLeaves + j)];
  const row = params;
  const jb = params + 1;
  /**
   * The i32 local holding the address of array parameter `k` in the current row: at the row's
   * start, then advanced with the steps (except for values read once per row).
   */
  const baseOf = new Map(arrays.map((k, i) => [k, params + 2 + i]));
  const slots = nLeaves + p.ops.length;
  const vSlot = (s: number) => params + 2 + arrays.length + s;
  const fSlot = (s: number) => params + 2 + arrays.length + slots + s;
  const outerOf = (k: number): number => (k < nLeaves ? p.leaves[k]!.outer : p.cols);
  const code: number[] = [];
  // Numbers: splatted once.
  p.leaves.forEach((l, k) => {
    if (l === null) code.push(...get(k), ...simd(20), ...set(vSlot(k)));
  });
  const step = (delta: number): number[] => {
    const out: number[] = [];
    p.leaves.forEach((l, k) => {
      if (l !== null && !l.splat) out.push(...get(baseOf.get(k)!), ...simd(0), ...memarg(delta), ...set(vSlot(k)));
    });
    p.ops.forEach(({ op, args }, i) => {
      for (const a of args) out.push(...get(vSlot(a)));
      if (op !== "copy") out.push(...simd(SIMD[op]));
      out.push(...set(vSlot(nLeaves + i)));
    });
    p.stores.forEach((s, j) => out.push(...get(baseOf.get(nLeaves + j)!), ...get(vSlot(s)), ...simd(11), ...memarg(delta)));
    return out;
  };
  /** The last element of an odd row, in scalar f64 operations (the same IEEE operations as a lane). */
  const lastElement = (): number[] => {
    const out: number[] = [];
    p.leaves.forEach((l, k) => {
      if (l === null) out.push(...get(k), ...set(fSlot(k)));
      else if (l.splat) out.push(...get(baseOf.get(k)!), 0x2b, ...memarg(0), ...set(fSlot(k)));
      else out.push(...get(baseOf.get(k)!), 0x2b, ...memarg(0), ...set(fSlot(k)));
    });
    p.ops.forEach(({ op, args }, i) => {
      for (const a of args) out.push(...get(fSlot(a)));
      if (op !== "copy") out.push(SCALAR[op]);
      out.push(...set(fSlot(nLeaves + i)));
    });
    p.stores.forEach((s, j) => out.push(...get(baseOf.get(nLeaves + j)!), ...get(fSlot(s)), 0x39, ...memarg(0)));
    return out;
  };
  const rowBytes = p.cols * 8;
  /** Advances the addresses read or written per element by `bytes`. */
  const advance = (bytes: number): number[] =>
    arrays.filter((k) => k >= nLeaves || !p.leaves[k]!.splat).flatMap((k) => [...get(baseOf.get(k)!), ...i32(bytes), 0x6a, ...set(baseOf.get(k)!)]);
  // loop (per row) {
  code.push(0x03, 0x40);
  for (const k of arrays) code.push(...get(k), ...get(row), ...i32(outerOf(k) * 8), 0x6c, 0x6a, ...set(baseOf.get(k)!));
  p.leaves.forEach((l, k) => {
    if (l !== null && l.splat) code.push(...get(baseOf.get(k)!), ...simd(10), ...memarg(0), ...set(vSlot(k)));
  });
  code.push(...i32(0), ...set(jb));
  //   block { loop { br_if jb + turn > rowBytes; UNROLL steps; jb += turn; br } }
  const turn = 16 * UNROLL;
  code.push(0x02, 0x40, 0x03, 0x40);
  code.push(...get(jb), ...i32(turn), 0x6a, ...i32(rowBytes), 0x4b, 0x0d, 1);
  for (let u = 0; u < UNROLL; u++) code.push(...step(16 * u));
  code.push(...advance(turn), ...get(jb), ...i32(turn), 0x6a, ...set(jb), 0x0c, 0, 0x0b, 0x0b);
  //   the pairs left, then a last element (known from the row length)
  const pairs = (p.cols >> 1) % UNROLL;
  for (let u = 0; u < pairs; u++) code.push(...step(16 * u));
  if (pairs > 0) code.push(...advance(16 * pairs));
  if ((p.cols & 1) === 1) code.push(...lastElement());
  //   row += 1; br_if row < rows } (end of the body)
  code.push(...get(row), ...i32(1), 0x6a, ...set(row), ...get(row), ...i32(p.rows), 0x49, 0x0d, 0, 0x0b, 0x0b);
  const locals = vec([[...uleb(2 + arrays.length), I32], [...uleb(slots), V128], [...uleb(slots), F64]]);
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

/**
 * The function of `p`, in a module of its own importing the kernel's (shared) memory; undefined
 * where the host refuses to compile it synchronously (browsers above a few KiB on the main thread).
 */
export function compileWasmLoop(p: WasmLoopPlan): WasmLoopFunction | undefined {
  const key = JSON.stringify(p);
  if (!compiled.has(key)) compiled.set(key, compileModule(p));
  return compiled.get(key);
}

/** Loop functions by plan (an RNN's steps share one; the memory they import is the one kernel's). */
const compiled = new Map<string, WasmLoopFunction | undefined>();

function compileModule(p: WasmLoopPlan): WasmLoopFunction | undefined {
  const mem = kernelMemory();
  if (mem === undefined || !mem.shared) return undefined;
  const params = [...p.leaves.map((l) => (l === null ? [F64] : [I32])), ...p.stores.map(() => [I32])];
  const bytes = [
    ...HEADER,
    ...section(1, vec([[0x60, ...vec(params), 0]])),
    ...section(2, vec([memoryImport(true)])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name("loop"), 0x00, 0]])),
    ...section(10, vec([loopBody(p)])),
  ];
  return instantiate(bytes, mem.memory)?.["loop"] as WasmLoopFunction | undefined;
}

/**
 * The statement running a compiled loop: its Wasm function where every array it reads or writes
 * lies in the kernel's memory (checked at each call: a re-entrant call's buffers, outputs and
 * arguments do not), else `fallback`, the JavaScript loop's call. `leaves` are the leaves'
 * expressions (typed arrays or numbers), `outs` the output buffers'.
 */
export function wasmLoopStatement(p: WasmLoopPlan, fn: WasmLoopFunction, leaves: readonly string[], outs: readonly string[], fallback: string, ref: (x: unknown) => string): string {
  const arrays = [...leaves.filter((_, k) => p.leaves[k] !== null), ...outs];
  const inK = ref(inKernelMemory);
  const args = [...leaves.map((l, k) => (p.leaves[k] === null ? l : `${l}.byteOffset`)), ...outs.map((o) => `${o}.byteOffset`)];
  return `if (${arrays.map((a) => `${inK}(${a})`).join(" && ")}) ${ref(fn)}(${args.join(", ")}); else ${fallback}`;
}

/**
 * The leaves of a fused loop as `emitLoop` (codegen-js.ts) finds them, in its order: each operand
 * of a member from outside the loop, read through `viewOf(v)` (a strided view of another array) or
 * contiguously; `null` strides for a number (a 0-d value, or one every element reads at offset 0).
 */
export function loopLeaves(s: { readonly members: readonly JaxprEqn[]; readonly shape: readonly number[] }, viewOf: (v: JaxprVar) => { readonly base: JaxprVar; readonly strides: readonly number[] } | undefined): LoopLeaf[] {
  const own = new Set(s.members.map((m) => m.outs[0]!));
  const contiguous = s.shape.map((_, a) => s.shape.slice(a + 1).reduce((x, d) => x * d, 1));
  const out = new Map<JaxprVar, LoopLeaf>();
  for (const m of s.members) {
    for (const v of m.inputs) {
      if (own.has(v) || out.has(v)) continue;
      const view = viewOf(v);
      const base = view ? view.base : v;
      const strides = view ? view.strides : contiguous;
      const number = base.aval.shape.length === 0 || strides.every((x, i) => x === 0 || s.shape[i] === 1);
      out.set(v, { v, base, strides: number ? null : strides });
    }
  }
  return [...out.values()];
}

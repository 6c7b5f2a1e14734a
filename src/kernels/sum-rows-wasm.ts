/**
 * @file Sums over a middle axis of float64 arrays lying in the matrix kernel's memory, as
 * WebAssembly SIMD loops across columns (each f64x2 lane a column of its own) that add rows in
 * exactly `reduce.ts`'s order, so bit for bit its sums; compiled programs call `sumRowsInto`.
 */
import { reduceData, ROW_LEAF } from "./reduce.ts";
import { inKernelMemory, kernelMemory, kernelMemoryArray } from "./matmul-wasm.ts";
import { F64, get, HEADER, i32, I32, instantiate, memoryImport, name, section, set, simd, uleb, V128, vec } from "./wasm-encode.ts";

/** Alignment hint 8 bytes (addresses are those of doubles), then the offset. */
const memarg = (offset: number): number[] => [3, ...uleb(offset)];
const V_LOAD = simd(0);
const V_STORE = simd(11);
const V_ADD = simd(240);
const F_LOAD = 0x2b;
const F_STORE = 0x39;
const F_ADD = 0xa0;
const I_ADD = 0x6a;
const I_GE_U = 0x4f;

/**
 * `leaf(src, nr, inner, out)`: out[i] = src[i] + src[inner + i] + … over `nr` ≥ 1 rows, added in
 * row order (addresses in bytes). Columns go eight at a time (four f64x2 accumulators), then two,
 * then the odd last one in scalar arithmetic; each walks down the rows.
 * Locals: 4 j (byte column), 5 p (address in the current row), 6 r (row), 7 rowBytes, 8 end,
 * 9–12 accumulators, 13 the scalar one.
 */
function leafBody(): number[] {
  const [SRC, NR, INNER, OUT, J, P, R, ROW, END, A0, S] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13];
  const code: number[] = [...get(INNER), ...i32(8), 0x6c, ...set(ROW)];
  /** Columns from J (bytes) up to `endMask`'s multiple, `width` accumulators of two columns each. */
  const columns = (width: number, columnsPerTurn: number): number[] => {
    const out: number[] = [];
    out.push(...get(INNER), ...i32(-columnsPerTurn), 0x71, ...i32(8), 0x6c, ...set(END));
    out.push(0x02, 0x40, 0x03, 0x40);
    out.push(...get(J), ...get(END), I_GE_U, 0x0d, 1);
    out.push(...get(SRC), ...get(J), I_ADD, ...set(P));
    for (let w = 0; w < width; w++) out.push(...get(P), ...V_LOAD, ...memarg(16 * w), ...set(A0 + w));
    out.push(...i32(1), ...set(R));
    out.push(0x02, 0x40, 0x03, 0x40);
    out.push(...get(R), ...get(NR), I_GE_U, 0x0d, 1);
    out.push(...get(P), ...get(ROW), I_ADD, ...set(P));
    for (let w = 0; w < width; w++) out.push(...get(A0 + w), ...get(P), ...V_LOAD, ...memarg(16 * w), ...V_ADD, ...set(A0 + w));
    out.push(...get(R), ...i32(1), I_ADD, ...set(R), 0x0c, 0, 0x0b, 0x0b);
    for (let w = 0; w < width; w++) out.push(...get(OUT), ...get(J), I_ADD, ...get(A0 + w), ...V_STORE, ...memarg(16 * w));
    out.push(...get(J), ...i32(16 * width), I_ADD, ...set(J), 0x0c, 0, 0x0b, 0x0b);
    return out;
  };
  code.push(...i32(0), ...set(J), ...columns(4, 8), ...columns(1, 2));
  // The odd last column: if (j < rowBytes) { scalar walk down the rows }
  code.push(...get(J), ...get(ROW), 0x49, 0x04, 0x40);
  code.push(...get(SRC), ...get(J), I_ADD, ...set(P), ...get(P), F_LOAD, ...memarg(0), ...set(S), ...i32(1), ...set(R));
  code.push(0x02, 0x40, 0x03, 0x40);
  code.push(...get(R), ...get(NR), I_GE_U, 0x0d, 1);
  code.push(...get(P), ...get(ROW), I_ADD, ...set(P), ...get(S), ...get(P), F_LOAD, ...memarg(0), F_ADD, ...set(S));
  code.push(...get(R), ...i32(1), I_ADD, ...set(R), 0x0c, 0, 0x0b, 0x0b);
  code.push(...get(OUT), ...get(J), I_ADD, ...get(S), F_STORE, ...memarg(0), 0x0b);
  code.push(0x0b);
  const body = [...vec([[...uleb(5), I32], [...uleb(4), V128], [...uleb(1), F64]]), ...code];
  return [...uleb(body.length), ...body];
}

/** `add(out, tmp, inner)`: out[i] = out[i] + tmp[i] (two at a time, then the odd last one). Locals: 3 j, 4 end. */
function addBody(): number[] {
  const [OUT, TMP, INNER, J, END] = [0, 1, 2, 3, 4];
  const code: number[] = [...i32(0), ...set(J), ...get(INNER), ...i32(-2), 0x71, ...i32(8), 0x6c, ...set(END)];
  code.push(0x02, 0x40, 0x03, 0x40, ...get(J), ...get(END), I_GE_U, 0x0d, 1);
  code.push(...get(OUT), ...get(J), I_ADD, ...get(OUT), ...get(J), I_ADD, ...V_LOAD, ...memarg(0), ...get(TMP), ...get(J), I_ADD, ...V_LOAD, ...memarg(0), ...V_ADD, ...V_STORE, ...memarg(0));
  code.push(...get(J), ...i32(16), I_ADD, ...set(J), 0x0c, 0, 0x0b, 0x0b);
  code.push(...get(J), ...get(INNER), ...i32(8), 0x6c, 0x49, 0x04, 0x40);
  code.push(...get(OUT), ...get(J), I_ADD, ...get(OUT), ...get(J), I_ADD, F_LOAD, ...memarg(0), ...get(TMP), ...get(J), I_ADD, F_LOAD, ...memarg(0), F_ADD, F_STORE, ...memarg(0), 0x0b);
  code.push(0x0b);
  const body = [...vec([[...uleb(2), I32]]), ...code];
  return [...uleb(body.length), ...body];
}

interface SumRowsModule {
  readonly leaf: (src: number, nr: number, inner: number, out: number) => void;
  readonly add: (out: number, tmp: number, inner: number) => void;
}

let module: SumRowsModule | null | undefined;

/** The module over the kernel's (shared) memory, built at the first call; null without it. */
function sumRowsModule(): SumRowsModule | null {
  if (module !== undefined) return module;
  const mem = kernelMemory();
  if (mem === undefined || !mem.shared) return (module = null);
  const bytes = [
    ...HEADER,
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32]]), 0], [0x60, ...vec([[I32], [I32], [I32]]), 0]])),
    ...section(2, vec([memoryImport(true)])),
    ...section(3, vec([[0], [1]])),
    ...section(7, vec([[...name("leaf"), 0x00, 0], [...name("add"), 0x00, 1]])),
    ...section(10, vec([leafBody(), addBody()])),
  ];
  const exports = instantiate(bytes, mem.memory);
  return (module = exports === undefined ? null : (exports as unknown as SumRowsModule));
}

/**
 * Scratch rows in the kernel's memory, per row length: [0] the result, [d + 1] the buffer of
 * recursion depth d. Taken by `prepareSumRows` when a program is compiled, never while one runs (a
 * new place could land on a product's C that a running program still reads where it was left).
 */
const scratchOf = new Map<number, Float64Array[]>();

/** Rows of scratch `rows` needs for `n` rows: the result, then one per level of halving. */
function scratchNeeded(n: number): number {
  let levels = 1;
  for (let nr = n; nr > ROW_LEAF; nr -= nr >> 1) levels++;
  return levels;
}

/**
 * Takes the scratch rows in the kernel's memory that sums of `n` rows of `inner` elements need
 * (at code generation); false where the module or the memory is unavailable (the sums then fall
 * back to `reduceData`).
 */
export function prepareSumRows(n: number, inner: number): boolean {
  if (sumRowsModule() === null) return false;
  let rows = scratchOf.get(inner);
  if (rows === undefined) scratchOf.set(inner, (rows = []));
  while (rows.length < scratchNeeded(n)) {
    const row = kernelMemoryArray(inner);
    if (row === undefined) return false;
    rows.push(row);
  }
  return true;
}

/** `reduce.ts`'s `pairwiseRows` with the module: rows `r0 ≤ r < r0 + nr` (from byte address `src`) into `out`. */
function rows(m: SumRowsModule, scratch: readonly Float64Array[], src: number, r0: number, nr: number, inner: number, out: number, depth: number): boolean {
  if (nr <= ROW_LEAF) {
    m.leaf(src + r0 * inner * 8, nr, inner, out);
    return true;
  }
  const half = nr >> 1;
  const tmp = scratch[depth + 1];
  if (tmp === undefined || !rows(m, scratch, src, r0, half, inner, out, depth + 1) || !rows(m, scratch, src, r0 + half, nr - half, inner, tmp.byteOffset, depth + 1)) return false;
  m.add(out, tmp.byteOffset, inner);
  return true;
}

/**
 * Σ over the axes `lo ≤ a < hi` of `src` (of `shape`) into `dst`, as `reduceData("sum", …)` computes
 * it and with its bits: by the SIMD module where `src` is a float64 array in the kernel's memory,
 * the rows are at least two elements long, at least one row is summed and `prepareSumRows` took
 * the scratch rows for this shape; else by `reduceData`.
 * (Of [2, 3] = [[1, 2, 3], [4, 5, 6]] over axis 0: [5, 7, 9].)
 */
export function sumRowsInto(src: Float64Array, shape: readonly number[], lo: number, hi: number, dst: Float64Array): void {
  let outer = 1;
  let n = 1;
  let inner = 1;
  shape.forEach((d, a) => {
    if (a < lo) outer *= d;
    else if (a < hi) n *= d;
    else inner *= d;
  });
  const m = inner > 1 && n > 0 && inKernelMemory(src) ? sumRowsModule() : null;
  const scratch = scratchOf.get(inner);
  const top = scratch?.[0];
  if (m !== null && top !== undefined) {
    let o = 0;
    for (; o < outer; o++) {
      if (!rows(m, scratch!, src.byteOffset + o * n * inner * 8, 0, n, inner, top.byteOffset, 0)) break;
      dst.set(top, o * inner);
    }
    if (o === outer) return;
  }
  const axes: number[] = [];
  for (let a = lo; a < hi; a++) axes.push(a);
  reduceData("sum", src, shape, axes, dst);
}

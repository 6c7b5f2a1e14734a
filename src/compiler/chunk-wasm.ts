/**
 * @file WebAssembly SIMD passes of the chunked loops (`chunked.ts`): a pass of a chunk whose every
 * operation is IEEE arithmetic (+, −, ×, ÷, negation, |x|, √x, floor, ceil, trunc — exactly rounded
 * or exact, so lane for lane the very numbers JavaScript computes) runs as a small generated Wasm function over chunk regions
 * of the SIMD module's memory (imported, `kernels/simd.ts`), two doubles a step, instead of a
 * JavaScript loop reading and writing that memory one double at a time.
 */
import { F64, HEADER, I32, name, section, simd, sleb, uleb, V128, vec, type WasmApi } from "../kernels/wasm-encode.ts";

/** The operations a Wasm pass computes. */
export type PassOp = "add" | "sub" | "mul" | "div" | "neg" | "abs" | "sqrt" | "floor" | "ceil" | "trunc" | "copy";

// The member expressions (compiler/elementwise.ts, float64: no store rounding) of these operations.
const opOfExpr = new Map<string, PassOp>([
  ["a + b", "add"],
  ["a - b", "sub"],
  ["a * b", "mul"],
  ["a / b", "div"],
  ["-a", "neg"],
  ["Math.abs(a)", "abs"],
  ["Math.sqrt(a)", "sqrt"],
  ["Math.floor(a)", "floor"],
  ["Math.ceil(a)", "ceil"],
  ["Math.trunc(a)", "trunc"],
  ["a", "copy"],
]);

/** The Wasm operation of an elementwise member with this expression (of `a`, `b`), if it has one. */
export function passOpOf(expr: (args: readonly string[]) => string, arity: number): PassOp | undefined {
  const op = opOfExpr.get(expr(["a", "b"].slice(0, arity)));
  return op !== undefined && (op === "add" || op === "sub" || op === "mul" || op === "div") === (arity === 2) ? op : undefined;
}

/**
 * One pass over a chunk: values are numbered slots (v128 locals), each loaded from a region (a byte
 * offset in the memory), splatted from a scalar parameter, or computed; then some are stored. Per
 * step every load comes before every store, so a region may be read and written in one pass. A
 * `shifted` load reads `shift` bytes further (the function's last parameter, given per call): a
 * leaf repeated along the loop's rows, read from a tile of repeats at the chunk's phase.
 */
export interface PassProgram {
  readonly scalars: number;
  readonly loads: readonly { readonly slot: number; readonly offset: number; readonly shifted?: boolean }[];
  readonly splats: readonly { readonly slot: number; readonly param: number }[];
  readonly ops: readonly { readonly slot: number; readonly op: PassOp; readonly args: readonly number[] }[];
  readonly stores: readonly { readonly slot: number; readonly offset: number }[];
  readonly slots: number;
}

/**
 * A compiled pass: `(len, ...scalars, shift)` (`shift` where a load is shifted) over ⌈len / 2⌉
 * steps of two doubles (the regions' padding takes an odd chunk's last lane).
 */
export type PassFunction = (len: number, ...rest: number[]) => void;

/** Whether the pass function takes a `shift` parameter. */
const isShifted = (p: PassProgram): boolean => p.loads.some((l) => l.shifted === true);

/** SIMD opcodes (after the 0xfd prefix). */
export const SIMD: Record<Exclude<PassOp, "copy">, number> = { ceil: 116, floor: 117, trunc: 122, abs: 236, neg: 237, sqrt: 239, add: 240, sub: 241, mul: 242, div: 243 };
const memarg = (offset: number): number[] => [4, ...uleb(offset)];

/**
 * The body of one pass function: params (len i32, scalars f64…, shift i32 if any load is shifted),
 * locals q, end, q + shift (i32) and the slots (v128).
 */
function passBody(p: PassProgram): number[] {
  const shift = 1 + p.scalars;
  const q = shift + (isShifted(p) ? 1 : 0);
  const end = q + 1;
  const qs = q + 2;
  const slot = (s: number) => qs + 1 + s;
  /** One step of two doubles at byte q + `delta`: every load, the operations, every store. */
  const step = (delta: number): number[] => {
    const code: number[] = [];
    if (isShifted(p)) code.push(0x20, ...uleb(q), 0x20, ...uleb(shift), 0x6a, 0x21, ...uleb(qs));
    for (const { slot: s, offset, shifted } of p.loads) code.push(0x20, ...uleb(shifted === true ? qs : q), ...simd(0), ...memarg(offset + delta), 0x21, ...uleb(slot(s)));
    for (const { slot: s, op, args } of p.ops) {
      for (const a of args) code.push(0x20, ...uleb(slot(a)));
      if (op !== "copy") code.push(...simd(SIMD[op]));
      code.push(0x21, ...uleb(slot(s)));
    }
    for (const { slot: s, offset } of p.stores) code.push(0x20, ...uleb(q), 0x20, ...uleb(slot(s)), ...simd(11), ...memarg(offset + delta));
    return code;
  };
  const code: number[] = [];
  for (const { slot: s, param } of p.splats) code.push(0x20, ...uleb(1 + param), ...simd(20), 0x21, ...uleb(slot(s)));
  // end = len · 8 rounded up to a whole step of 16 bytes; q = 0.
  code.push(0x20, 0, 0x41, 1, 0x6a, 0x41, 3, 0x74, 0x41, ...sleb(-16), 0x71, 0x21, ...uleb(end));
  // Two steps a turn while both fit (block { loop { br_if q + 32 > end; …; q += 32; br } }), then the last one.
  code.push(0x02, 0x40, 0x03, 0x40);
  code.push(0x20, ...uleb(q), 0x41, 32, 0x6a, 0x20, ...uleb(end), 0x4b, 0x0d, 1);
  code.push(...step(0), ...step(16));
  code.push(0x20, ...uleb(q), 0x41, 32, 0x6a, 0x21, ...uleb(q), 0x0c, 0, 0x0b, 0x0b);
  code.push(0x20, ...uleb(q), 0x20, ...uleb(end), 0x49, 0x04, 0x40, ...step(0), 0x0b, 0x0b);
  const locals = vec([[3, I32], [...uleb(p.slots), V128]].filter((l) => l[0] !== 0));
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

/**
 * The passes as functions of one module importing `memory` (the SIMD module's), or null where the
 * host refuses to compile it synchronously (browsers do above a few KiB on the main thread): the
 * caller keeps its JavaScript passes then.
 */
export function compilePasses(memory: unknown, passes: readonly PassProgram[]): PassFunction[] | null {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm || passes.length === 0) return null;
  const bytes = [
    ...HEADER,
    ...section(1, vec(passes.map((p) => [0x60, ...vec([[I32], ...Array.from({ length: p.scalars }, () => [F64]), ...(isShifted(p) ? [[I32]] : [])]), 0]))),
    ...section(2, vec([[...name("m"), ...name("memory"), 0x02, 0x00, 1]])),
    ...section(3, vec(passes.map((_, k) => uleb(k)))),
    ...section(7, vec(passes.map((_, k) => [...name(`p${k}`), 0x00, ...uleb(k)]))),
    ...section(10, vec(passes.map(passBody))),
  ];
  try {
    const instance = new wasm.Instance(new wasm.Module(Uint8Array.from(bytes)), { m: { memory } });
    return passes.map((_, k) => instance.exports[`p${k}`] as PassFunction);
  } catch (e) {
    // Browsers refuse synchronous compilation of larger modules on the main thread (a RangeError);
    // anything else is a malformed module, a bug here.
    if (e instanceof RangeError) return null;
    throw e;
  }
}

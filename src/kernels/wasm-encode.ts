/**
 * @file Pieces of the WebAssembly binary format for modules generated at run time (compiled loops'
 * passes, `compiler/chunk-wasm.ts` and `compiler/loop-wasm.ts`; the constant matrix–vector product,
 * `matvec-wasm.ts`), and the part of the WebAssembly API they use.
 */

/** The part of the WebAssembly API used to instantiate generated modules (the project compiles without the DOM's types). */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** Unsigned LEB128, as the binary format encodes indices and sizes. */
export const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
/** Signed LEB128 (`i32.const` immediates). */
export const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
};
/** A vector of encoded items: its length, then the items. */
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
/** A module section: its id, its size, its body. */
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
/** A name (import or export) as bytes. */
export const name = (s: string): number[] => [...uleb(s.length), ...[...s].map((ch) => ch.charCodeAt(0))];
/** A SIMD instruction (the 0xfd prefix, then its opcode). */
export const simd = (op: number): number[] => [0xfd, ...uleb(op)];
/** The module header (magic number, version 1). */
export const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
/** Value types. */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
/** `local.get` and `local.set` of a local (parameters first). */
export const get = (local: number): number[] => [0x20, ...uleb(local)];
export const set = (local: number): number[] => [0x21, ...uleb(local)];
/** `i32.const x`. */
export const i32 = (x: number): number[] => [0x41, ...sleb(x)];
/**
 * The import of a memory `m.memory` as the matrix kernel's is made (`kernels/matmul-wasm.ts`):
 * shared with a maximum of 65536 pages, or unshared with no minimum to check.
 */
export const memoryImport = (shared: boolean): number[] =>
  shared ? [...name("m"), ...name("memory"), 0x02, 0x03, 0, ...uleb(65536)] : [...name("m"), ...name("memory"), 0x02, 0x00, 0];

/**
 * A module importing the memory (`memoryImport(shared)`) and exporting one function, `exported`, of
 * `params` i32 parameters and no result, whose encoded body (locals and code) is `body`.
 */
export const oneFunctionModule = (exported: string, params: number, body: number[], shared: boolean): number[] => [
  ...HEADER,
  ...section(1, vec([[0x60, ...vec(Array.from({ length: params }, () => [I32])), 0]])),
  ...section(2, vec([memoryImport(shared)])),
  ...section(3, vec([[0]])),
  ...section(7, vec([[...name(exported), 0x00, 0]])),
  ...section(10, vec([body])),
];

/**
 * Instantiates a generated module with `memory` imported as `m.memory`, or undefined where the
 * host refuses to compile it synchronously (browsers do above a few KiB on the main thread, a
 * RangeError) or has no WebAssembly; any other error is a malformed module, a bug of its generator.
 */
export function instantiate(bytes: number[], memory: unknown): Record<string, unknown> | undefined {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm) return undefined;
  try {
    return new wasm.Instance(new wasm.Module(Uint8Array.from(bytes)), { m: { memory } }).exports;
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

/**
 * @file Fused loops that call the WebAssembly SIMD kernels (`kernels/simd.ts`) where eager does: the
 * loop runs in chunks of `CHUNK` elements, each chunk in a few passes separated by kernel calls, so
 * that a float64 exp, expm1, tanh, log, sin, cos, logistic or pow in a long loop is the very kernel
 * eager runs. The chunk's buffers are regions of the kernels' memory, and passes of plain
 * arithmetic run as generated Wasm functions on them (`chunk-wasm.ts`).
 */
import type { Primitive } from "../core/primitive.ts";
import type { JaxprEqn } from "../core/jaxpr.ts";
import { CHUNK, simdMath, TRIG_LIMIT } from "../kernels/simd.ts";
import { compilePasses, passOpOf, type PassProgram } from "./chunk-wasm.ts";
import { SIMD_MIN_LENGTH } from "../kernels/elementwise.ts";
import { cosP, expm1P, expP, logP, sinP, tanhP } from "../primitives/unary.ts";
import { logisticP } from "../primitives/logistic.ts";
import { powP } from "../primitives/binary.ts";

/** The SIMD kernels eager uses for long float64 operands, and the primitives that use them. */
export type SimdKernel = "exp" | "expm1" | "tanh" | "log" | "sin" | "cos" | "sigmoid" | "pow";

// Eager's choice (src/primitives/unary.ts SIMD_UNARY, logistic.ts, binary.ts powP): these kernels
// for float64 arrays of SIMD_MIN_LENGTH elements or more, `Math` below. A test
// (compiler-simd.test.ts) compares every elementwise primitive's compiled loop with its kernel at
// such a length, so a primitive that eager puts on a kernel but that is missing here fails it.
const simdOf = new Map<Primitive<unknown>, SimdKernel>(
  (
    [
      [expP, "exp"],
      [expm1P, "expm1"],
      [tanhP, "tanh"],
      [logP, "log"],
      [sinP, "sin"],
      [cosP, "cos"],
      [logisticP, "sigmoid"],
      [powP, "pow"],
    ] as const
  ).map(([p, k]) => [p as unknown as Primitive<unknown>, k]),
);

/** The kernels that leave lanes to `Math` (eager's simdUnary redoes |x| > TRIG_LIMIT and non-finite ones). */
const trigFallback: Partial<Record<SimdKernel, string>> = { sin: "Math.sin", cos: "Math.cos" };

/**
 * The SIMD kernel computing `eqn` in a fused loop of `n` elements, as eager's kernel computes it on
 * an array of `n` elements: float64, at least `SIMD_MIN_LENGTH`, and WebAssembly SIMD available;
 * otherwise `undefined` (the loop's `Math` expression, as eager's JavaScript loop).
 */
export function simdKernelOf(eqn: JaxprEqn, n: number): SimdKernel | undefined {
  const k = simdOf.get(eqn.prim);
  if (k === undefined || n < SIMD_MIN_LENGTH || eqn.outs[0]!.aval.dtype !== "float64") return undefined;
  if (eqn.inputs.some((v) => v.aval.dtype !== "float64")) return undefined;
  return simdMath() === null ? undefined : k;
}

/** Chunk-sized float64 buffers for loops needing more than the module's regions (a loop never runs inside another). */
const scratch: Float64Array[] = [];
const chunkBuffer = (k: number): Float64Array => (scratch[k] ??= new Float64Array(CHUNK + 2));

/** A value a chunked loop reads per element from outside: a leaf of the fused loop. */
export interface ChunkLeaf {
  readonly name: string;
  /** `null` for a number (passed once), else the index of its cursor or `"i"` (read contiguously). */
  readonly at: number | "i" | null;
}

/** An equation of the loop: its value's name, its operands' names and the code computing it. */
export interface ChunkMember {
  readonly out: string;
  readonly inputs: readonly string[];
  /** The JS expression of the value (elementwise members), given the operands' names. */
  readonly expr?: (args: readonly string[]) => string;
  /** A fused reduction: the statement accumulating operand `v` at the output offset `at`. */
  readonly reduce?: { readonly cursor: number; readonly code: (at: string, v: string) => string };
  readonly simd?: SimdKernel;
}

export interface ChunkedLoop {
  readonly n: number;
  /** The collapsed loop nest (as the plain loop's), with one stride per cursor at each level. */
  readonly dims: readonly { readonly size: number; readonly strides: readonly number[] }[];
  readonly cursors: number;
  readonly leaves: ReadonlyMap<string, ChunkLeaf>;
  readonly members: readonly ChunkMember[];
  /** Values written to buffers: value name → buffer name (written at index `i`). */
  readonly stores: ReadonlyMap<string, string>;
  readonly interleave: number;
  readonly ref: (x: unknown) => string;
}

/**
 * The body of a chunked loop function (after its parameters and prologue). Pass 0 of a chunk
 * computes what needs no kernel result and writes the first kernel's operands into the module's
 * scratch region; then the kernel runs; pass k reads kernel k's results and computes up to kernel
 * k + 1's operands; values crossing passes wait in chunk buffers (regions of the module's memory
 * where it has enough). A pass of plain arithmetic on contiguous data or rows repeated along the
 * loop runs in Wasm instead of a JavaScript loop (`planWasmPasses`). Every element gets the same
 * operations as in the plain loop, the kernels' instead of `Math`'s for the SIMD members.
 *
 * Buffers written by the loop may be ones it reads (the memory plan's in-place reuse), so stores
 * wait for the last pass that reads an operand array: at each index, every read comes first.
 */
export function chunkedBody(loop: ChunkedLoop): string[] {
  const m = simdMath()!;
  const { members, leaves, stores, dims, interleave, ref } = loop;
  const kernels = members.filter((x) => x.simd !== undefined);
  // The pass where each value becomes available, and the passes that use it.
  const avail = new Map<string, number>();
  const pass = new Map<ChunkMember, number>();
  const uses = new Map<string, Set<number>>();
  const use = (v: string, p: number) => (uses.get(v) ?? uses.set(v, new Set()).get(v)!).add(p);
  for (const x of members) {
    const at = Math.max(0, ...x.inputs.map((v) => avail.get(v) ?? 0));
    if (x.simd !== undefined) {
      const k = kernels.indexOf(x) + 1;
      x.inputs.forEach((v) => use(v, k - 1));
      pass.set(x, k);
      avail.set(x.out, k);
    } else {
      x.inputs.forEach((v) => use(v, at));
      pass.set(x, at);
      if (x.reduce === undefined) avail.set(x.out, at);
    }
  }
  let lastLeafPass = 0;
  for (const [v, ps] of uses) if (leaves.get(v)?.at !== null && leaves.has(v)) lastLeafPass = Math.max(lastLeafPass, ...ps);
  const storePass = new Map<string, number>();
  for (const v of stores.keys()) {
    const p = Math.max(avail.get(v)!, lastLeafPass);
    storePass.set(v, p);
    use(v, p);
  }
  // Chunk buffers for values used after the pass that computes them, and for the operands kept
  // for the lanes a kernel leaves to Math (pow's two, sin's and cos's one; a kernel's are needed
  // only until it has run, so all kernels share them): regions of the SIMD module's memory where
  // it has enough (else JS arrays, and every pass in JavaScript).
  const carriedValues = [...uses].filter(([v, ps]) => avail.has(v) && [...ps].some((p) => p > avail.get(v)!)).map(([v]) => v);
  const keptCount = Math.max(0, ...kernels.map((x) => (x.simd === "pow" ? 2 : trigFallback[x.simd!] !== undefined ? 1 : 0)));
  const inWasm = carriedValues.length + keptCount <= m.regions.length;
  let buffers = 0;
  const carried = new Map<string, string>();
  const prologue: string[] = [];
  /** Byte offset in the module's memory of each buffer (by name) that is a region of it. */
  const offsetOf = new Map<string, number>();
  const buffer = () => {
    const name = `T${buffers}`;
    const view = inWasm ? m.regions[buffers]! : chunkBuffer(buffers);
    buffers++;
    prologue.push(`const ${name} = ${ref(view)};`);
    if (inWasm) offsetOf.set(name, view.byteOffset);
    return name;
  };
  for (const v of carriedValues) carried.set(v, buffer());
  const keptBuffers = Array.from({ length: keptCount }, buffer);
  const kept = new Map<ChunkMember, string[]>();
  for (const x of kernels) {
    if (x.simd === "pow") kept.set(x, keptBuffers.slice(0, 2));
    else if (trigFallback[x.simd!] !== undefined) kept.set(x, keptBuffers.slice(0, 1));
  }

  const sm = ref(m);
  const ptrA = m.a.byteOffset;
  const ptrB = m.b.byteOffset;
  offsetOf.set("A", ptrA);
  offsetOf.set("Bs", ptrB);
  prologue.push(`const A = ${sm}.a, Bs = ${sm}.b;`);
  for (const name of new Set(kernels.map((x) => x.simd!))) prologue.push(`const simd_${name} = ${sm}.exports.${name};`);
  const passes = kernels.length + 1;
  const last = dims.length - 1;
  const wasmPasses = inWasm ? planWasmPasses() : new Map<number, string[]>();

  const cursorPass = (p: number) =>
    members.some((x) => x.reduce !== undefined && pass.get(x) === p) ||
    [...uses].some(([v, ps]) => ps.has(p) && typeof leaves.get(v)?.at === "number");
  // The JavaScript passes reading through cursors (the Wasm passes keep no cursor state).
  const lastCursorPass = Math.max(-1, ...Array.from({ length: passes }, (_, p) => (cursorPass(p) && !wasmPasses.has(p) ? p : -1)));
  const cursorNames = Array.from({ length: loop.cursors }, (_, c) => `pc${c}`);

  const out: string[] = [...prologue.map((l) => `  ${l}`)];
  if (lastCursorPass >= 0) {
    const state = [...cursorNames.map((_, c) => `P${c} = 0`), ...dims.slice(1).map((_, l) => `J${l + 1} = 0`)];
    out.push(`  let ${state.join(", ")};`);
  }
  out.push(`  for (let c = 0; c < ${loop.n}; c += ${CHUNK}) {`);
  out.push(`    const len = ${loop.n} - c < ${CHUNK} ? ${loop.n} - c : ${CHUNK};`);
  for (let p = 0; p < passes; p++) {
    out.push(`    // pass ${p}`);
    out.push(...(wasmPasses.get(p) ?? passCode(p)).map((l) => `    ${l}`));
    if (p < kernels.length) out.push(...kernelCall(kernels[p]!).map((l) => `    ${l}`));
  }
  out.push("  }");
  return out;

  /**
   * The passes that run as Wasm functions (`chunk-wasm.ts`), each as the statements calling it: a
   * pass whose members are all IEEE arithmetic and that reads its leaves contiguously or repeated
   * along the rows (`periodic`). Leaves read at `i` are first copied into a region, stores are
   * copied out of one after the call (a pass that only stores needs no call). A repeated leaf is
   * written once per call into a tile of two adjacent regions, repeated to `CHUNK` + a row, and
   * read there at the chunk's phase (its first element's column). The regions after the loop's
   * buffers hold the tiles, then these copies.
   */
  function planWasmPasses(): Map<number, string[]> {
    const programs: PassProgram[] = [];
    const calls = new Map<number, string[]>();
    const row = dims[last]!.size;
    /** A leaf read through a cursor that steps along the innermost level only: x[i mod row]. */
    const periodic = (l: ChunkLeaf | undefined): boolean =>
      typeof l?.at === "number" && row <= CHUNK && dims.every((d, k) => d.strides[l.at as number] === (k === last ? 1 : 0));
    const neededIn = (p: number) => [...leaves].filter(([v, l]) => l.at !== null && uses.get(v)?.has(p) === true);
    const candidate = (p: number): boolean => {
      const own = members.filter((x) => pass.get(x) === p && x.simd === undefined);
      if (own.some((x) => x.reduce !== undefined || passOpOf(x.expr!, x.inputs.length) === undefined)) return false;
      return neededIn(p).every(([, l]) => l.at === "i" || periodic(l));
    };
    const candidates = Array.from({ length: passes }, (_, p) => p).filter(candidate);
    let spare = m.regions.slice(buffers);
    const tileOf = new Map<string, string>();
    for (const v of new Set(candidates.flatMap((p) => neededIn(p).filter(([, l]) => l.at !== "i").map(([v]) => v)))) {
      const [first, second] = spare;
      if (first === undefined || second === undefined || second.byteOffset !== first.byteOffset + first.byteLength) break;
      const name = `W${tileOf.size}`;
      const length = Math.min(CHUNK, loop.n) + row;
      prologue.push(`const ${name} = ${ref(new Float64Array(first.buffer, first.byteOffset, length))};`);
      // x[0 … row) once, then the tile doubled by copies within itself.
      prologue.push(`${name}.set(x${v}.subarray(0, ${row})); for (let k = ${row}; k < ${length}; k += k) ${name}.copyWithin(k, 0, Math.min(k, ${length} - k));`);
      offsetOf.set(name, first.byteOffset);
      tileOf.set(v, name);
      spare = spare.slice(2);
    }
    const spareNames: string[] = [];
    const region = (k: number): string => {
      for (let j = spareNames.length; j <= k; j++) {
        spareNames.push(`S${j}`);
        prologue.push(`const S${j} = ${ref(spare[j]!)};`);
        offsetOf.set(`S${j}`, spare[j]!.byteOffset);
      }
      return spareNames[k]!;
    };
    for (const p of candidates) {
      const own = members.filter((x) => pass.get(x) === p && x.simd === undefined);
      const needed = neededIn(p);
      if (needed.some(([v, l]) => l.at !== "i" && !tileOf.has(v))) continue;
      const copied = needed.filter(([, l]) => l.at === "i");
      const storesHere = [...stores].filter(([v]) => storePass.get(v) === p);
      if (copied.length + storesHere.length > spare.length) continue;
      let slots = 0;
      const slotOf = new Map<string, number>();
      /** The buffer each loaded value is read from. */
      const from = new Map<string, string>();
      const loads: { slot: number; offset: number; shifted?: boolean }[] = [];
      const load = (v: string, buf: string) => {
        slotOf.set(v, slots);
        from.set(v, buf);
        loads.push({ slot: slots++, offset: offsetOf.get(buf)! });
      };
      const next = kernels[p];
      const before: string[] = [];
      const after: string[] = [];
      let spareUsed = 0;
      const result = kernels[p - 1]?.out;
      if (result !== undefined && (uses.get(result)?.has(p) === true || carried.has(result))) load(result, "A");
      for (const [v, t] of carried) if (avail.get(v)! < p && uses.get(v)?.has(p) === true) load(v, t);
      for (const [v] of copied) {
        const s = region(spareUsed++);
        before.push(`${s}.set(x${v}.subarray(c, c + len));`);
        load(v, s);
      }
      for (const [v, l] of needed) {
        if (l.at === "i") continue;
        slotOf.set(v, slots);
        loads.push({ slot: slots++, offset: offsetOf.get(tileOf.get(v)!)!, shifted: true });
      }
      const scalars = [...leaves].filter(([v, l]) => l.at === null && uses.get(v)?.has(p) === true).map(([v]) => v);
      const splats = scalars.map((v, param) => {
        slotOf.set(v, slots);
        return { slot: slots++, param };
      });
      const ops = own.map((x) => {
        slotOf.set(x.out, slots);
        return { slot: slots++, op: passOpOf(x.expr!, x.inputs.length)!, args: x.inputs.map((v) => slotOf.get(v)!) };
      });
      const writes: { slot: number; offset: number }[] = [];
      const write = (v: string, buf: string) => writes.push({ slot: slotOf.get(v)!, offset: offsetOf.get(buf)! });
      for (const [v, t] of carried) if (avail.get(v) === p) write(v, t);
      if (next !== undefined) {
        write(next.inputs[0]!, "A");
        if (next.simd === "pow") write(next.inputs[1]!, "Bs");
        (kept.get(next) ?? []).forEach((t, j) => write(next.inputs[j]!, t));
      }
      for (const [v, b] of storesHere) {
        // From the buffer the value was read from, unless this pass overwrites it (the kernel's operands).
        let src = from.get(v);
        if (src === undefined || (next !== undefined && (src === "A" || src === "Bs"))) {
          src = region(spareUsed++);
          write(v, src);
        }
        after.push(`${b}.set(${src}.subarray(0, len), c);`);
      }
      const program: PassProgram = { scalars: scalars.length, loads, splats, ops, stores: writes, slots };
      const shift = loads.some((l) => l.shifted === true) ? [`(c % ${row}) * 8`] : [];
      const call = writes.length === 0 ? [] : [`pass${programs.push(program) - 1}(${["len", ...scalars, ...shift].join(", ")});`];
      calls.set(p, ["{", ...[...before, ...call, ...after].map((l) => `  ${l}`), "}"]);
    }
    const fns = programs.length > 0 ? compilePasses(m.exports.memory, programs) : [];
    if (fns === null) return new Map();
    fns.forEach((f, k) => prologue.push(`const pass${k} = ${ref(f)};`));
    return calls;
  }

  /** The statements computing one element in pass `p` (indices `i` in the arrays, `q` in the chunk). */
  function elementBody(p: number): string[] {
    const body: string[] = [];
    const needed = (v: string) => uses.get(v)?.has(p) === true;
    if (p > 0) {
      const k = kernels[p - 1]!;
      body.push(`const ${k.out} = A[q];`);
    }
    for (const [v, t] of carried) if (avail.get(v)! < p && needed(v)) body.push(`const ${v} = ${t}[q];`);
    for (const [v, leaf] of leaves) {
      if (leaf.at === null || !needed(v)) continue;
      body.push(`const ${v} = x${v}[${leaf.at === "i" ? "i" : cursorNames[leaf.at]}];`);
    }
    for (const x of members) {
      if (pass.get(x) !== p || x.simd !== undefined) continue;
      if (x.reduce !== undefined) body.push(x.reduce.code(cursorNames[x.reduce.cursor]!, x.inputs[0]!));
      else body.push(`const ${x.out} = ${x.expr!(x.inputs)};`);
    }
    for (const [v, t] of carried) if (avail.get(v) === p) body.push(`${t}[q] = ${v};`);
    const next = kernels[p];
    if (next !== undefined) {
      body.push(`A[q] = ${next.inputs[0]};`);
      if (next.simd === "pow") body.push(`Bs[q] = ${next.inputs[1]};`);
      (kept.get(next) ?? []).forEach((t, j) => body.push(`${t}[q] = ${next.inputs[j]};`));
    }
    for (const [v, b] of stores) if (storePass.get(v) === p) body.push(`${b}[i] = ${v};`);
    return body;
  }

  function passCode(p: number): string[] {
    const body = elementBody(p);
    const perElement = new Set([...leaves].filter(([, l]) => l.at !== null).map(([v]) => v));
    const inner = dims[last]!;
    /** Element `u` of a turn of `interleave`: its own names, indices and cursor offsets. */
    const copy = (b: string, u: number) =>
      b
        .replace(/\b(t\d+|l\d+)\b/g, (name) => (name.startsWith("t") || perElement.has(name) ? `${name}_${u}` : name))
        .replace(/\[i\]/g, `[i + ${u}]`)
        .replace(/\[q\]/g, `[q + ${u}]`)
        .replace(/\bpc(\d+)\b/g, (name, c: string) => `(${name} + ${u * inner.strides[Number(c)]!})`);
    /** Elements `q` up to `end`, `interleave` per turn, then one by one (cursors stepped as they go). */
    const run = (end: string, step: boolean): string[] => {
      const lines: string[] = [];
      const advance = (k: number) => (step ? cursorNames.map((n, c) => ` ${n} += ${k * inner.strides[c]!};`).join("") : "");
      if (interleave > 1) {
        lines.push(`for (; q + ${interleave} <= ${end}; q += ${interleave}, i += ${interleave}) {`);
        for (const b of body) for (let u = 0; u < interleave; u++) lines.push(`  ${copy(b, u)}`);
        if (step) lines.push(` ${advance(interleave)}`);
        lines.push("}");
      }
      lines.push(`for (; q < ${end}; q++, i++) {`, ...body.map((b) => `  ${b}`));
      if (step) lines.push(` ${advance(1)}`);
      lines.push("}");
      return lines;
    };
    if (!cursorPass(p)) return ["{", "  let q = 0, i = c;", ...run("len", false).map((l) => `  ${l}`), "}"];
    // A pass reading through cursors runs along the rows of the loop nest's innermost level (which
    // the chunk may start or end inside), stepping cursors as it goes and carrying at each row's
    // end, from the state the chunk started at; the chunk's last such pass leaves the state for the next.
    const restore = [...cursorNames.map((n, c) => `${n} = P${c}`), ...dims.slice(1).map((_, l) => `j${l + 1} = J${l + 1}`)];
    const lines = ["{", `  let ${restore.join(", ")}, q = 0, i = c;`];
    if (last === 0) lines.push(...run("len", true).map((l) => `  ${l}`));
    else {
      lines.push("  while (q < len) {");
      lines.push(`    const end = q + (len - q < ${inner.size} - j${last} ? len - q : ${inner.size} - j${last});`);
      lines.push(`    j${last} += end - q;`);
      lines.push(...run("end", true).map((l) => `    ${l}`));
      const back = cursorNames.map((n, c) => `${n} += ${dims[last - 1]!.strides[c]! - inner.size * inner.strides[c]!};`).join(" ");
      const outer = last - 1 >= 1 ? ` ${nestCarries(last - 1)}` : "";
      lines.push(`    if (j${last} === ${inner.size}) { j${last} = 0; ${back}${outer} }`);
      lines.push("  }");
    }
    if (p === lastCursorPass) lines.push(`  ${[...cursorNames.map((n, c) => `P${c} = ${n};`), ...dims.slice(1).map((_, l) => `J${l + 1} = j${l + 1};`)].join(" ")}`);
    lines.push("}");
    return lines;
  }

  /** `if (++j<last> === size) { reset; step the next level out; if (++j<last-1> …) }`. */
  function nestCarries(level: number): string {
    const back = cursorNames.map((n, c) => `${n} += ${dims[level - 1]!.strides[c]! - dims[level]!.size * dims[level]!.strides[c]!};`).join(" ");
    const outer = level - 1 >= 1 ? ` ${nestCarries(level - 1)}` : "";
    return `if (++j${level} === ${dims[level]!.size}) { j${level} = 0; ${back}${outer} }`;
  }

  /** Kernel `k` on the chunk in the scratch region (padded to an even count, as eager pads). */
  function kernelCall(k: ChunkMember): string[] {
    const redo = trigFallback[k.simd!];
    if (redo !== undefined) {
      // The lanes sin and cos leave to Math (huge or non-finite arguments), as eager's simdUnary.
      const [u] = kept.get(k)!;
      return [
        `if (len & 1) A[len] = 0;`,
        `if (simd_${k.simd}(${ptrA}, (len + 1) & ~1)) {`,
        `  for (let q = 0; q < len; q++) { const u = ${u}[q]; if (!(Math.abs(u) <= ${TRIG_LIMIT})) A[q] = ${redo}(u); }`,
        "}",
      ];
    }
    if (k.simd !== "pow") {
      // The other unary kernels compute every lane themselves (in eager's simdUnary only sin and
      // cos leave lanes to Math); one that starts leaving some must fail here, not differ from eager.
      const error = `"${k.simd}: the SIMD kernel left lanes to Math, which compiled loops do not redo (internal)"`;
      return [`if (len & 1) A[len] = 0;`, `if (simd_${k.simd}(${ptrA}, (len + 1) & ~1)) throw new Error(${error});`];
    }
    const [u, w] = kept.get(k)!;
    return [
      `if (len & 1) { A[len] = 1; Bs[len] = 1; }`,
      `if (simd_pow(${ptrA}, ${ptrB}, (len + 1) & ~1)) {`,
      // The lanes the kernel leaves to Math.pow (bases ≤ 0, infinities, NaN), as eager's simdPow.
      `  for (let q = 0; q < len; q++) { const u = ${u}[q], v = ${w}[q]; if (!(u > 0 && u < Infinity && v - v === 0)) A[q] = Math.pow(u, v); }`,
      "}",
    ];
  }
}

/**
 * @file Code generation: an optimised closed jaxpr becomes one JS function (`new Function`) — fused
 * elementwise loops over typed arrays (chunk by chunk around eager's WebAssembly SIMD kernels where
 * eager uses them, see `chunked.ts`), 0-d values as JS numbers, every other primitive a call to its
 * kernel — with buffers reused according to the memory plan (those matrix products use kept in the
 * product kernel's WebAssembly memory, see `kernelMemoryArray`).
 */
import { ConcreteArray, type NDArray } from "../core/ndarray.ts";
import { allocate, allocateUninitialized, type DType } from "../core/dtype.ts";
import { producers, type ClosedJaxpr, type JaxprEqn, type JaxprVar } from "../core/jaxpr.ts";
import { helpers } from "../kernels/elementwise.ts";
import { contiguousStrides } from "../kernels/strided.ts";
import { dotGeneralP } from "../primitives/contraction.ts";
import { argmaxP, argminP, cumsumP, reduceMaxP, reduceMinP, reduceSumP, type AxesParams } from "../primitives/reduce.ts";
import { broadcastInDimP, concatenateP, convertP, sliceP, transposeP, unsliceP } from "../primitives/structural.ts";
import { elementExpr, storeRounding } from "./elementwise.ts";
import { isFusableReduction, planFusion, type Step, type View } from "./fusion.ts";
import { planMemory, type MemoryPlan, type PlanStep } from "./memory-plan.ts";
import { sizeOfAval } from "./rewrite.ts";
import { controlRunner } from "./control.ts";
import { intoCall, pairedProducts, type IntoCall, type PairCall } from "./kernel-calls.ts";
import { chunkedBody, simdKernelOf, type ChunkLeaf, type ChunkMember } from "./chunked.ts";
import { CHUNK } from "../kernels/simd.ts";
import { kernelMemoryArray, wasmVariant } from "../kernels/matmul-wasm.ts";
import { LAYOUT_MAX_ELEMENTS } from "./layout.ts";
import { constantMatVecCall } from "./matvec-call.ts";
import { isSymmetricProduct } from "./symmetric.ts";
import { compileWasmLoop, loopLeaves, planWasmLoop, wasmLoopStatement, type LoopLeaf, type WasmLoopPlan } from "./loop-wasm.ts";
import { collapse } from "./loop-nest.ts";

/** Kernels known to return fresh arrays (every other kernel may return, or keep, its inputs' memory). */
const freshOutputs = new Set<unknown>([
  dotGeneralP, reduceSumP, reduceMaxP, reduceMinP, argmaxP, argminP, cumsumP,
  transposeP, broadcastInDimP, sliceP, unsliceP, concatenateP, convertP,
]);

/** The generated program: its source text and a function running it with given pool buffers. */
export interface Generated {
  readonly text: string;
  /**
   * Runs the program with the pool's buffers; with `donate`, outputs may be written into donated
   * arguments' buffers; `into[j]`, where given, is where output `j` is written if a loop or a kernel
   * call of the program computes it (a buffer of its dtype and size, sharing no memory with the
   * arguments; other outputs come back in arrays of their own).
   */
  readonly fn: (args: readonly NDArray[], buffers: unknown[], donate?: boolean, into?: readonly (unknown | undefined)[]) => NDArray[];
  readonly memory: MemoryPlan;
}

/** A JS literal for a number (negative values, −0 and −∞ parenthesised). */
const literal = (x: number): string => (Object.is(x, -0) ? "(-0)" : x < 0 ? `(${x})` : String(x));

/** A 0-d array holding `x`. */
const scalarArray = (x: number, dtype: DType): ConcreteArray => {
  const data = allocate(dtype, 1);
  data[0] = x;
  return new ConcreteArray(data, [], dtype);
};

/**
 * Generates the JS function of `closed`; outputs may take the buffers of the inputs at positions
 * `donated` (when the function is called with `donate` set; see `planMemory`). Throws where `new Function` is unavailable (a
 * Content-Security-Policy forbidding it); `compile` then falls back to the interpreter.
 */
export function generate(closed: ClosedJaxpr, donated: readonly number[] = []): Generated {
  const { jaxpr, consts } = closed;
  const plan = planFusion(closed);
  const { steps, views } = plan;
  const outSet = new Set(jaxpr.outvars);
  // Run-time values the code refers to: constants, primitives, params, shapes.
  const K: unknown[] = [];
  const refs = new Map<unknown, number>();
  const ref = (x: unknown): string => {
    let i = refs.get(x);
    if (i === undefined) refs.set(x, (i = K.push(x) - 1));
    return `K[${i}]`;
  };
  const constValue = new Map<JaxprVar, NDArray>();
  jaxpr.constvars.forEach((v, i) => constValue.set(v, consts[i]!));
  // Kernel calls writing into buffers the program gives them (the memory plan's, or fresh for outputs).
  const intoCalls = new Map<Step, IntoCall>();
  const definedBy = producers(jaxpr.eqns);
  const constant = (v: JaxprVar) => constValue.get(v);
  for (const s of steps) {
    if (s.kind !== "call" || controlRunner(s.eqn.prim, s.eqn.params) !== undefined) continue;
    const call = constantMatVecCall(s.eqn, constant) ?? intoCall(s.eqn, isSymmetricProduct(s.eqn, (v) => definedBy.get(v), constant));
    if (call) intoCalls.set(s, call);
  }
  // Arrays whose data is a buffer named `b<id>` in the generated code: loops' and into-calls' outputs.
  const loopStored = new Set<JaxprVar>();
  for (const s of steps) if (s.kind === "loop") for (const v of s.stored) loopStored.add(v);
  for (const s of intoCalls.keys()) if (s.kind === "call") loopStored.add(s.eqn.outs[0]!);
  const scalarComputed = new Set<JaxprVar>();
  for (const s of steps) if (s.kind === "scalar") scalarComputed.add(s.eqn.outs[0]!);

  // Which scalar-step results are also needed as arrays (by kernels or as outputs).
  const neededAsArray = new Set<JaxprVar>(jaxpr.outvars);
  for (const s of steps) if (s.kind === "call") for (const v of s.eqn.inputs) neededAsArray.add(v);

  // Buffers that need an array object: outputs, and what kernels other than into-calls read.
  const wrapped = new Set<JaxprVar>(jaxpr.outvars);
  for (const s of steps) if (s.kind === "call" && !intoCalls.has(s)) for (const v of s.eqn.inputs) wrapped.add(v);

  const callOuts = new Set<JaxprVar>();
  for (const s of steps) if (s.kind === "call") for (const o of s.eqn.outs) callOuts.add(o);
  /** Whether `v` is an array of its own (not a view a loop reads through strides). */
  const materialisedOrOwn = (v: JaxprVar): boolean => callOuts.has(v) || !views.has(v);
  const sameShapeAs = (v: JaxprVar, shape: readonly number[]): boolean =>
    v.aval.shape.length === shape.length && v.aval.shape.every((d, i) => d === shape[i]);

  // The memory plan, from what each step reads and defines.
  const planSteps: PlanStep[] = steps.map((s) => {
    const reads = new Set<JaxprVar>();
    const eqns = s.kind === "loop" ? s.members : [s.eqn];
    const own = new Set(eqns.flatMap((e) => e.outs));
    for (const e of eqns) for (const v of e.inputs) if (!own.has(v)) {
      reads.add(v);
      const view = views.get(v);
      if (view) reads.add(view.base);
    }
    // A loop reads in place what it reads at the index it writes: its leaves read contiguously (not
    // in a loop with a fused reduction, which fills its output before the loop starts).
    const inPlace = new Set<JaxprVar>();
    if (s.kind === "loop" && !s.members.some(isFusableReduction)) {
      const strided = new Set<JaxprVar>();
      const contiguous = contiguousStrides(s.shape);
      for (const v of reads) {
        const view = materialisedOrOwn(v) ? undefined : views.get(v);
        const base = view ? view.base : v;
        const elementwise = sameShapeAs(base, s.shape) && (!view || sameStrides(view.strides, contiguous, s.shape));
        if (elementwise) inPlace.add(v);
        else strided.add(v).add(base);
      }
      for (const v of strided) inPlace.delete(v);
    }
    const aliases: [JaxprVar, JaxprVar][] = [];
    if (s.kind === "call" && !freshOutputs.has(s.eqn.prim)) for (const o of s.eqn.outs) for (const i of s.eqn.inputs) aliases.push([o, i]);
    return { poolable: s.kind === "loop" ? s.stored : intoCalls.has(s) ? s.eqn.outs : [], reads: [...reads], aliases, inPlace };
  });
  const leftInMemory = productsLeftInMemory(steps, planSteps, intoCalls, new Set([...jaxpr.outvars, ...wrapped]));
  leftInMemory.forEach((k) => {
    planSteps[k] = { ...planSteps[k]!, poolable: [] };
  });
  const productOperands = new Set<JaxprVar>();
  for (const [s, call] of intoCalls) if (s.kind === "call" && call.usesKernelMemory) for (const v of [...s.eqn.inputs, ...s.eqn.outs]) productOperands.add(v);
  // Loops that run as Wasm functions (`loop-wasm.ts`) read and write in the kernel's memory too;
  // not those reading an argument or writing an output (never there: they would always fall back).
  const wasmLoops = new Map<Step, { plan: WasmLoopPlan; leaves: LoopLeaf[] }>();
  const invars = new Set(jaxpr.invars);
  for (const s of steps) {
    if (s.kind !== "loop" || s.members.some(isFusableReduction) || s.stored.some((o) => outSet.has(o))) continue;
    const leaves = loopLeaves(s, (v) => (callOuts.has(v) ? undefined : views.get(v)));
    if (leaves.some((l) => l.strides !== null && invars.has(l.base))) continue;
    const plan = planWasmLoop(s.members, s.shape, leaves, s.stored);
    if (plan === undefined) continue;
    wasmLoops.set(s, { plan, leaves });
    for (const l of leaves) if (l.strides !== null) productOperands.add(l.base);
    for (const o of s.stored) productOperands.add(o);
  }
  // An operand may be a reshape (or another kernel's output sharing its input's memory) of a buffer.
  for (const s of [...steps].reverse()) {
    if (s.kind === "call" && !freshOutputs.has(s.eqn.prim) && s.eqn.outs.some((o) => productOperands.has(o))) for (const v of s.eqn.inputs) productOperands.add(v);
  }
  const planned = planMemory(planSteps, jaxpr.outvars, donated.map((i) => jaxpr.invars[i]!), productOperands);
  // Arguments several Wasm products read get a buffer of their own in the kernel's memory, filled
  // once per call: the products then read them there instead of each copying them in.
  const argCopies = argumentsCopiedOnce(steps, intoCalls, jaxpr.invars);
  const argSlot = new Map<JaxprVar, number>(argCopies.map((v, i) => [v, planned.slots.length + i]));
  const memory: MemoryPlan = argCopies.length === 0 ? planned : {
    ...planned,
    slots: [...planned.slots, ...argCopies.map((v) => ({ dtype: v.aval.dtype, size: sizeOfAval(v.aval), inKernelMemory: true }))],
    pooledBytes: planned.pooledBytes + argCopies.reduce((n, v) => n + 8 * sizeOfAval(v.aval), 0),
  };

  const lines: string[] = [];
  const loopFunctions: string[] = [];
  const loopNames = new Map<string, string>();
  const materialised = new Set<JaxprVar>();
  for (const st of steps) if (st.kind === "call") for (const o of st.eqn.outs) materialised.add(o);
  const emit = (line: string) => lines.push(line);
  const defined = new Set<string>();
  const array = (v: JaxprVar): string => {
    const c = constValue.get(v);
    return c !== undefined ? ref(c) : `v${v.id}`;
  };
  /** A JS expression for the number a 0-d variable holds (declared before use). */
  const scalar = (v: JaxprVar): string => {
    const c = constValue.get(v);
    if (c instanceof ConcreteArray) return literal(c.data[0]!);
    const name = `s${v.id}`;
    if (!defined.has(name)) {
      emit(`const ${name} = ${loopStored.has(v) ? `b${v.id}` : `${array(v)}.data`}[0];`);
      defined.add(name);
    }
    return name;
  };
  const data = (v: JaxprVar): string => (loopStored.has(v) ? `b${v.id}` : `${array(v)}.data`);
  /**
   * A float64 constant a product reads, copied once into the kernel's memory (read there without a
   * copy per call); up to the size `layout` copies constants to (that memory never shrinks).
   */
  const constantsInKernel = new Map<JaxprVar, string>();
  const productConstant = (v: JaxprVar): string | undefined => {
    const c = constValue.get(v);
    if (!(c instanceof ConcreteArray) || c.dtype !== "float64" || c.size === 0 || c.size > LAYOUT_MAX_ELEMENTS) return undefined;
    if (!constantsInKernel.has(v)) {
      const copy = kernelMemoryArray(c.size);
      if (copy === undefined) return undefined;
      copy.set(c.data as Float64Array);
      constantsInKernel.set(v, ref(copy));
    }
    return constantsInKernel.get(v);
  };
  /** The copy in the kernel's memory of an argument several products read, made before the first of them. */
  const argumentInKernel = (v: JaxprVar): string | undefined => {
    const slot = argSlot.get(v);
    if (slot === undefined) return undefined;
    const name = `k${v.id}`;
    if (!defined.has(name)) {
      emit(`const ${name} = B[${slot}];`);
      emit(`${name}.set(v${v.id}.data); // an argument the products below read, copied in once`);
      defined.add(name);
    }
    return name;
  };
  /** Declares `v<id>`, the array of buffer `b<id>`, where something needs it as an array. */
  const wrap = (o: JaxprVar): void => {
    if (wrapped.has(o)) emit(`const v${o.id} = new ${ref(ConcreteArray)}(b${o.id}, ${ref(o.aval.shape)}, "${o.aval.dtype}");`);
  };
  /** Declares `b<id>`, the buffer `o` is written into: its slot in the plan, or a fresh array. */
  const buffer = (o: JaxprVar, uninitialised: boolean): void => {
    const slot = memory.slotOf.get(o);
    const { dtype } = o.aval;
    const size = sizeOfAval(o.aval);
    const fresh = uninitialised && dtype === "float64" ? `${ref(allocateUninitialized)}(${size})` : `${ref(allocate)}("${dtype}", ${size})`;
    const donor = memory.donatedTo.get(o);
    let own = donor === undefined ? fresh : `D ? args[${donated[donor]!}].data : ${fresh}`;
    const j = jaxpr.outvars.indexOf(o);
    if (j >= 0) own = `O !== undefined && O[${j}] !== undefined ? O[${j}] : ${own}`;
    emit(`const b${o.id} = ${slot !== undefined ? `B[${slot}]` : own};`);
  };

  // Neighbouring products neither of which reads the other's output run as one threaded job.
  const pairs = pairedSteps(steps, planSteps, intoCalls, leftInMemory);
  const productInputs = (s: Step): string[] => {
    const e = (s as Extract<Step, { kind: "call" }>).eqn;
    return e.inputs.map((v) => productConstant(v) ?? argumentInKernel(v) ?? data(v));
  };

  jaxpr.invars.forEach((v, i) => emit(`const v${v.id} = args[${i}];`));
  steps.forEach((s, k) => {
    if (pairs.has(k - 1)) return; // emitted with the step before
    const pair = pairs.get(k);
    if (pair !== undefined) {
      const [e1, e2] = [k, k + 1].map((j) => (steps[j] as Extract<Step, { kind: "call" }>).eqn) as [JaxprEqn, JaxprEqn];
      const [o1, o2] = [e1.outs[0]!, e2.outs[0]!];
      const [in1, in2] = [productInputs(s), productInputs(steps[k + 1]!)];
      buffer(o1, true);
      if (leftInMemory.has(k + 1)) emit(`const b${o2.id} = ${pair.emit(in1, `b${o1.id}`, in2, undefined, ref)}; // ${e1.prim.name} and ${e2.prim.name} as one job, the second read where the kernel left it`);
      else {
        buffer(o2, true);
        emit(`${pair.emit(in1, `b${o1.id}`, in2, `b${o2.id}`, ref)}; // ${e1.prim.name} and ${e2.prim.name} as one job`);
      }
      wrap(o1);
      wrap(o2);
      return;
    }
    if (s.kind === "scalar") {
      const e = s.eqn;
      const o = e.outs[0]!;
      const expr = elementExpr(e.prim)!(e.inputs.map(scalar), e.params);
      emit(`const s${o.id} = ${storeRounding(o.aval.dtype, expr)};`);
      defined.add(`s${o.id}`);
      if (neededAsArray.has(o)) emit(`const v${o.id} = ${ref(scalarArray)}(s${o.id}, "${o.aval.dtype}");`);
    } else if (intoCalls.has(s)) {
      const e = (s as Extract<Step, { kind: "call" }>).eqn;
      const o = e.outs[0]!;
      const call = intoCalls.get(s)!;
      const inputs = call.usesKernelMemory ? e.inputs.map((v) => productConstant(v) ?? argumentInKernel(v) ?? data(v)) : e.inputs.map(data);
      const name = `${e.prim.name}${call.note ?? ""}`;
      if (leftInMemory.has(k)) emit(`const b${o.id} = ${call.inMemory!(inputs, ref)}; // ${name}, read where the kernel left it`);
      else {
        buffer(o, true);
        emit(`${call.emit(inputs, `b${o.id}`, ref)} // ${name}`);
      }
      wrap(o);
    } else if (s.kind === "call") {
      const e = s.eqn;
      // Control flow runs its bodies compiled; every other primitive calls its kernel.
      const runner = controlRunner(e.prim, e.params);
      const call = runner ? `${ref(runner)}([${e.inputs.map(array).join(", ")}])` : `${ref(e.prim)}.impl([${e.inputs.map(array).join(", ")}], ${ref(e.params)})`;
      emit(`const r${k} = ${call}; // ${e.prim.name}`);
      e.outs.forEach((o, i) => emit(`const v${o.id} = r${k}[${i}];`));
    } else emitLoop(s, k);
  });
  emit(`return [${jaxpr.outvars.map(array).join(", ")}];`);

  /**
   * A fused loop is a function of its own (V8 optimises small functions; one huge program body
   * would stay in the interpreter): arguments are the leaves' data or values and the output buffers.
   */
  function emitLoop(s: Extract<Step, { kind: "loop" }>, k: number): void {
    const shape = s.shape;
    const n = shape.reduce((a, d) => a * d, 1);
    const reductions = s.members.filter(isFusableReduction);
    const elementwise = s.members.filter((m) => !isFusableReduction(m));
    const own = new Set(elementwise.map((m) => m.outs[0]!));
    for (const o of s.stored) buffer(o, true);
    // Leaves: values from outside the loop, read per element (contiguous or strided) or once (scalars).
    interface Leaf {
      readonly name: string;
      /** The argument passed: a typed array, or a number for a scalar leaf. */
      readonly source: string;
      readonly strides: readonly number[] | null;
      /** A scalar constant, written into the loop's code as a literal. */
      readonly literal?: boolean;
    }
    const leaves = new Map<JaxprVar, Leaf>();
    const contiguous = contiguousStrides(shape);
    for (const m of s.members) {
      for (const v of m.inputs) {
        if (own.has(v) || leaves.has(v)) continue;
        const view: View | undefined = materialised.has(v) ? undefined : views.get(v);
        const base = view ? view.base : v;
        const strides = view ? view.strides : contiguous;
        if (base.aval.shape.length === 0 || strides.every((x, i) => x === 0 || shape[i] === 1)) {
          const value = base.aval.shape.length === 0 ? scalar(base) : `${data(base)}[0]`;
          leaves.set(v, { name: `l${v.id}`, source: value, strides: null, literal: constValue.has(base) && base.aval.shape.length === 0 });
        } else leaves.set(v, { name: `l${v.id}`, source: data(base), strides });
      }
    }
    const wasmLoop = wasmLoops.get(s);
    if (wasmLoop !== undefined) {
      // Constants the Wasm function reads, copied once into the kernel's memory.
      for (const [v, l] of leaves) {
        const base = (materialised.has(v) ? undefined : views.get(v))?.base ?? v;
        const copy = l.strides !== null ? productConstant(base) : undefined;
        if (copy !== undefined) leaves.set(v, { ...l, source: copy });
      }
    }
    const allLeaves = [...leaves.values()];
    const leafList = allLeaves.filter((l) => !l.literal);
    // Cursors: offsets stepped through the loop nest, for strided leaves and reductions' outputs.
    const cursors = [
      ...leafList.filter((l) => l.strides !== null && !sameStrides(l.strides, contiguous, shape)).map((l) => ({ name: l.name, strides: l.strides! })),
      ...reductions.map((r) => ({ name: `r${r.outs[0]!.id}`, strides: reductionStrides(shape, (r.params as AxesParams).axes) })),
    ];
    const dims = collapse(shape, cursors.map((c) => c.strides));
    const at = (name: string) => (cursors.some((c) => c.name === name) ? `p${name}_${dims.length - 1}` : "i");
    const stored = s.stored.filter((o) => own.has(o));
    const params = [...leafList.map((l) => (l.strides === null ? l.name : `x${l.name}`)), ...s.stored.map((o) => `b${o.id}`)];
    const body: string[] = [];
    const prologue = allLeaves.filter((l) => l.literal).map((l) => `  const ${l.name} = ${l.source};`);
    for (const r of reductions) prologue.push(`  b${r.outs[0]!.id}.fill(${literal(reductionIdentity(r))});`);
    for (const l of leafList) if (l.strides !== null) body.push(`const ${l.name} = x${l.name}[${at(l.name)}];`);
    for (const m of s.members) {
      const o = m.outs[0]!;
      const args = m.inputs.map((v) => (own.has(v) ? `t${v.id}` : leaves.get(v)!.name));
      if (isFusableReduction(m)) body.push(accumulate(m, `b${o.id}`, at(`r${o.id}`), args[0]!));
      else body.push(`const t${o.id} = ${storeRounding(o.aval.dtype, elementExpr(m.prim)!(args, m.params))};`);
    }
    for (const o of stored) body.push(`b${o.id}[i] = t${o.id};`);
    const names = s.members.map((m) => m.prim.name).join(", ");
    let chunkNote = "";
    const fl: string[] = [`(${params.join(", ")}) {`, ...prologue];
    const simd = s.members.map((m) => (isFusableReduction(m) ? undefined : simdKernelOf(m, n)));
    if (simd.some((x) => x !== undefined)) {
      // Float64 exp, expm1, tanh or pow on eager's SIMD kernels: the loop runs chunk by chunk.
      chunkNote = `; SIMD ${[...new Set(simd.filter((x) => x !== undefined))].join(", ")} in chunks of ${CHUNK}`;
      const cursorIndex = new Map(cursors.map((c, ci) => [c.name, ci]));
      const chunkLeaves = new Map<string, ChunkLeaf>(
        allLeaves.map((l) => [l.name, { name: l.name, at: l.strides === null ? null : (cursorIndex.get(l.name) ?? "i") }]),
      );
      const members: ChunkMember[] = s.members.map((m, j) => {
        const o = m.outs[0]!;
        const inputs = m.inputs.map((v) => (own.has(v) ? `t${v.id}` : leaves.get(v)!.name));
        if (isFusableReduction(m)) {
          return { out: `t${o.id}`, inputs, reduce: { cursor: cursorIndex.get(`r${o.id}`)!, code: (at, v) => accumulate(m, `b${o.id}`, at, v) } };
        }
        const expr = (args: readonly string[]) => storeRounding(o.aval.dtype, elementExpr(m.prim)!(args, m.params));
        const kernel = simd[j];
        return kernel === undefined ? { out: `t${o.id}`, inputs, expr } : { out: `t${o.id}`, inputs, expr, simd: kernel };
      });
      const stores = new Map(stored.map((o) => [`t${o.id}`, `b${o.id}`]));
      fl.push(...chunkedBody({ n, dims, cursors: cursors.length, leaves: chunkLeaves, members, stores, interleave: INTERLEAVE, ref }));
    } else if (cursors.length === 0 && n >= 2 * INTERLEAVE) {
      // Four elements per turn, their statements interleaved: one element's chain of dependent
      // operations (sin, then tanh of it, …) leaves the CPU idle between them, four independent
      // chains keep it busy (a 10-step sin/tanh chain: 159 → 63 ms per 10⁶ elements). Each element
      // still gets the same operations in the same order, so results are unchanged to the bit.
      const perElement = new Set(leafList.filter((l) => l.strides !== null).map((l) => l.name));
      const copy = (b: string, u: number) =>
        b
          .replace(/\b(t\d+|l\d+)\b/g, (name) => (name.startsWith("t") || perElement.has(name) ? `${name}_${u}` : name))
          .replace(/\[i\]/g, `[i + ${u}]`);
      fl.push("  let i = 0;");
      fl.push(`  for (; i + ${INTERLEAVE} <= ${n}; i += ${INTERLEAVE}) {`);
      for (const b of body) for (let u = 0; u < INTERLEAVE; u++) fl.push(`    ${copy(b, u)}`);
      fl.push("  }");
      fl.push(`  for (; i < ${n}; i++) {`);
      for (const b of body) fl.push(`    ${b}`);
      fl.push("  }");
    } else if (cursors.length === 0) {
      fl.push(`  for (let i = 0; i < ${n}; i++) {`);
      for (const b of body) fl.push(`    ${b}`);
      fl.push("  }");
    } else {
      fl.push("  let i = 0;");
      const last = dims.length - 1;
      const cursorAt = (c: { name: string }, level: number, ci: number, j: string) => {
        const prev = level === 0 ? "" : `p${c.name}_${level - 1} + `;
        return `const p${c.name}_${level} = ${prev}${j} * ${dims[level]!.strides[ci]!};`;
      };
      dims.slice(0, last).forEach((d, level) => {
        const pad = "  ".repeat(level + 1);
        fl.push(`${pad}for (let j${level} = 0; j${level} < ${d.size}; j${level}++) {`);
        cursors.forEach((c, ci) => fl.push(`${pad}  ${cursorAt(c, level, ci, `j${level}`)}`));
      });
      const pad = "  ".repeat(dims.length);
      const inner = dims[last]!;
      const jl = `j${last}`;
      fl.push(`${pad}let ${jl} = 0;`);
      if (inner.size >= 2 * INTERLEAVE) {
        // The innermost axis four elements per turn, interleaved as in contiguous loops.
        const perElement = new Set(leafList.filter((l) => l.strides !== null).map((l) => l.name));
        const copy = (b: string, u: number) =>
          b
            .replace(/\b(t\d+|l\d+)\b/g, (name) => (name.startsWith("t") || perElement.has(name) ? `${name}_${u}` : name))
            .replace(new RegExp(`\\b(p[lr]\\d+_${last})\\b`, "g"), `$1_${u}`)
            .replace(/\[i\]/g, `[i + ${u}]`);
        fl.push(`${pad}for (; ${jl} + ${INTERLEAVE} <= ${inner.size}; ${jl} += ${INTERLEAVE}, i += ${INTERLEAVE}) {`);
        for (let u = 0; u < INTERLEAVE; u++) cursors.forEach((c, ci) => fl.push(`${pad}  ${cursorAt(c, last, ci, `(${jl} + ${u})`).replace(`p${c.name}_${last} =`, `p${c.name}_${last}_${u} =`)}`));
        for (const b of body) for (let u = 0; u < INTERLEAVE; u++) fl.push(`${pad}  ${copy(b, u)}`);
        fl.push(`${pad}}`);
      }
      fl.push(`${pad}for (; ${jl} < ${inner.size}; ${jl}++, i++) {`);
      cursors.forEach((c, ci) => fl.push(`${pad}  ${cursorAt(c, last, ci, jl)}`));
      for (const b of body) fl.push(`${pad}  ${b}`);
      fl.push(`${pad}}`);
      for (let level = last - 1; level >= 0; level--) fl.push(`${"  ".repeat(level + 1)}}`);
    }
    fl.push("}");
    // Loops equal up to variable names (an RNN's steps) share one function.
    const source = canonicalNames(fl.join("\n"));
    let fname = loopNames.get(source);
    if (fname === undefined) {
      fname = `loop${loopNames.size}`;
      loopNames.set(source, fname);
      loopFunctions.push(`// fused loop: ${names} over [${shape.join(",")}]${chunkNote}\nfunction ${fname}${source}`);
    }
    void k;
    const call = `${fname}(${[...leafList.map((l) => l.source), ...s.stored.map((o) => `b${o.id}`)].join(", ")});`;
    const wasmFn = wasmLoop && compileWasmLoop(wasmLoop.plan);
    if (wasmLoop !== undefined && wasmFn !== undefined) {
      const sources = wasmLoop.leaves.map((l) => leaves.get(l.v)!.source);
      emit(`${wasmLoopStatement(wasmLoop.plan, wasmFn, sources, s.stored.map((o) => `b${o.id}`), call, ref)} // fused loop as Wasm`);
    } else emit(call);
    for (const o of s.stored) wrap(o);
  }

  const text = `"use strict";\n${loopFunctions.join("\n")}\nreturn function compiled(args, B, D, O) {\n${lines.map((l) => `  ${l}`).join("\n")}\n};`;
  const fn = new Function("K", "H", text)(K, helpers) as Generated["fn"];
  return { text, fn, memory };
}

/**
 * The steps (by index) of the matrix products whose result the program can read where the
 * WebAssembly kernel leaves it, in the kernel's memory, instead of copying it into a buffer: those
 * whose every reader is a fused loop or a kernel call other than a product (sums, transposes,
 * broadcasts) running before the next step that may compute a matrix product (another product, a
 * primitive's `impl`, control flow), which would overwrite it. Results the program returns or
 * wraps in an array (`keep`) are never left there.
 */
function productsLeftInMemory(steps: readonly Step[], plan: readonly PlanStep[], calls: ReadonlyMap<Step, IntoCall>, keep: ReadonlySet<JaxprVar>): Set<number> {
  const out = new Set<number>();
  const mayMultiply = (s: Step): boolean => s.kind === "call" && (!calls.has(s) || calls.get(s)!.inMemory !== undefined || s.eqn.prim === (dotGeneralP as unknown));
  steps.forEach((s, k) => {
    if (s.kind !== "call" || calls.get(s)?.inMemory === undefined) return;
    const o = s.eqn.outs[0]!;
    if (keep.has(o)) return;
    let next = k + 1;
    while (next < steps.length && !mayMultiply(steps[next]!)) next++;
    const readAfter = plan.some((p, j) => (j <= k || j >= next) && p.reads.includes(o));
    if (!readAfter) out.add(k);
  });
  return out;
}

/**
 * Neighbouring steps k, k + 1 that are both single products on the WebAssembly kernel
 * (`pairedProducts`) where the second does not read the first's output and the first's result is not
 * left in the kernel's memory (the second's placement would overwrite it; the planner never leaves
 * it there anyway, since the second product comes before any reader), keyed by k; each step in at
 * most one pair.
 */
function pairedSteps(steps: readonly Step[], plan: readonly PlanStep[], calls: ReadonlyMap<Step, IntoCall>, leftInMemory: ReadonlySet<number>): Map<number, PairCall> {
  const pairs = new Map<number, PairCall>();
  for (let k = 0; k + 1 < steps.length; k++) {
    const [s1, s2] = [steps[k]!, steps[k + 1]!];
    if (s1.kind !== "call" || s2.kind !== "call" || leftInMemory.has(k)) continue;
    const [c1, c2] = [calls.get(s1), calls.get(s2)];
    if (c1 === undefined || c2 === undefined || plan[k + 1]!.reads.includes(s1.eqn.outs[0]!)) continue;
    const pair = pairedProducts(c1, c2);
    if (pair === undefined) continue;
    pairs.set(k, pair);
    k++;
  }
  return pairs;
}

/**
 * The float64 arguments that two or more matrix products on the Wasm kernel read (the first layer's
 * input as A of x·W and of xᵀ·dz, a weight as B of h·W and of dz·Wᵀ), where that kernel keeps
 * buffers in its shared memory: each is copied there once per call instead of once per product.
 */
function argumentsCopiedOnce(steps: readonly Step[], calls: ReadonlyMap<Step, IntoCall>, invars: readonly JaxprVar[]): JaxprVar[] {
  if (wasmVariant()?.shared !== true) return [];
  const uses = new Map<JaxprVar, number>();
  for (const s of steps) {
    if (s.kind !== "call" || calls.get(s)?.usesKernelMemory !== true) continue;
    for (const v of new Set(s.eqn.inputs)) uses.set(v, (uses.get(v) ?? 0) + 1);
  }
  return invars.filter((v) => v.aval.dtype === "float64" && sizeOfAval(v.aval) > 0 && (uses.get(v) ?? 0) >= 2);
}

/** A loop function's text with its variables (`l12`, `xl12`, `b7`, `t9`, `pl12_0` …) renamed in order of appearance. */
/** Elements a contiguous fused loop computes per turn, their operations interleaved. */
const INTERLEAVE = 4;

function canonicalNames(text: string): string {
  const names = new Map<string, string>();
  return text.replace(/\b(xl|pl|pr|l|b|t)(\d+)((?:_\d+)*)\b/g, (token, prefix: string, _id: string, suffix: string) => {
    let name = names.get(token);
    if (name === undefined) {
      const base = `${prefix}${prefix}${names.size}`;
      names.set(token, (name = base + suffix));
    }
    return name;
  });
}

/** The strides of a reduction's output over its operand's axes: 0 along the reduced ones. */
function reductionStrides(shape: readonly number[], axes: readonly number[]): number[] {
  const kept = contiguousStrides(shape.filter((_, i) => !axes.includes(i)));
  let k = 0;
  return shape.map((_, i) => (axes.includes(i) ? 0 : kept[k++]!));
}

/** The value a fused float64 maximum or minimum starts from (its kernel's identity). */
const reductionIdentity = (e: JaxprEqn): number => (e.prim === (reduceMaxP as unknown) ? -Infinity : Infinity);

/** One element's contribution to a fused maximum or minimum, as the kernel computes it (NaN wins). */
function accumulate(e: JaxprEqn, out: string, at: string, v: string): string {
  const cmp = e.prim === (reduceMaxP as unknown) ? ">" : "<";
  return `{ const d = ${out}[${at}]; if (${v} ${cmp} d || ${v} !== ${v}) ${out}[${at}] = ${v}; }`;
}

const sameStrides = (a: readonly number[], b: readonly number[], shape: readonly number[]): boolean =>
  a.every((x, i) => x === b[i] || shape[i] === 1);


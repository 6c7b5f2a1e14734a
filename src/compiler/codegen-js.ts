/**
 * @file Code generation: an optimised closed jaxpr becomes one JS function (`new Function`) — fused
 * elementwise loops over typed arrays, 0-d values as JS numbers, every other primitive a call to its
 * kernel — with buffers reused according to the memory plan.
 */
import { ConcreteArray, type NDArray } from "../core/ndarray.ts";
import { allocate, allocateUninitialized, type DType } from "../core/dtype.ts";
import type { ClosedJaxpr, JaxprEqn, JaxprVar } from "../core/jaxpr.ts";
import { helpers } from "../kernels/elementwise.ts";
import { contiguousStrides } from "../kernels/strided.ts";
import { dotGeneralP } from "../primitives/contraction.ts";
import { argmaxP, argminP, cumsumP, reduceMaxP, reduceMinP, reduceSumP } from "../primitives/reduce.ts";
import { broadcastInDimP, concatenateP, convertP, sliceP, transposeP, unsliceP } from "../primitives/structural.ts";
import { stopGradientP } from "../primitives/unary.ts";
import { elementExpr, storeRounding } from "./elementwise.ts";
import { planFusion, type Step, type View } from "./fusion.ts";
import { planMemory, type MemoryPlan, type PlanStep } from "./memory-plan.ts";
import { sizeOfAval } from "./rewrite.ts";

/** Kernels known to return fresh arrays (every other kernel may return, or keep, its inputs' memory). */
const freshOutputs = new Set<unknown>([
  dotGeneralP, reduceSumP, reduceMaxP, reduceMinP, argmaxP, argminP, cumsumP,
  transposeP, broadcastInDimP, sliceP, unsliceP, concatenateP, convertP,
]);

/** The generated program: its source text and a function running it with given pool buffers. */
export interface Generated {
  readonly text: string;
  readonly fn: (args: readonly NDArray[], buffers: unknown[]) => NDArray[];
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
 * Generates the JS function of `closed`. Throws where `new Function` is unavailable (a
 * Content-Security-Policy forbidding it); `compile` then falls back to the interpreter.
 */
export function generate(closed: ClosedJaxpr): Generated {
  const { jaxpr, consts } = closed;
  const plan = planFusion(closed);
  const { steps, views } = plan;
  const outSet = new Set(jaxpr.outvars);
  // Run-time values the code refers to: constants, primitives, params, shapes.
  const K: unknown[] = [];
  const ref = (x: unknown): string => {
    let i = K.indexOf(x);
    if (i < 0) i = K.push(x) - 1;
    return `K[${i}]`;
  };
  const constValue = new Map<JaxprVar, NDArray>();
  jaxpr.constvars.forEach((v, i) => constValue.set(v, consts[i]!));
  const loopStored = new Set<JaxprVar>();
  for (const s of steps) if (s.kind === "loop") for (const v of s.stored) loopStored.add(v);
  const scalarComputed = new Set<JaxprVar>();
  for (const s of steps) if (s.kind === "scalar") scalarComputed.add(s.eqn.outs[0]!);

  // Which scalar-step results are also needed as arrays (by kernels or as outputs).
  const neededAsArray = new Set<JaxprVar>(jaxpr.outvars);
  for (const s of steps) if (s.kind === "call") for (const v of s.eqn.inputs) neededAsArray.add(v);

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
    const aliases: [JaxprVar, JaxprVar][] = [];
    if (s.kind === "call" && !freshOutputs.has(s.eqn.prim)) for (const o of s.eqn.outs) for (const i of s.eqn.inputs) aliases.push([o, i]);
    return { poolable: s.kind === "loop" ? s.stored : [], reads: [...reads], aliases };
  });
  const memory = planMemory(planSteps, jaxpr.outvars);

  const lines: string[] = [];
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

  jaxpr.invars.forEach((v, i) => emit(`const v${v.id} = args[${i}];`));
  steps.forEach((s, k) => {
    if (s.kind === "scalar") {
      const e = s.eqn;
      const o = e.outs[0]!;
      const expr = elementExpr(e.prim)!(e.inputs.map(scalar), e.params);
      emit(`const s${o.id} = ${storeRounding(o.aval.dtype, expr)};`);
      defined.add(`s${o.id}`);
      if (neededAsArray.has(o)) emit(`const v${o.id} = ${ref(scalarArray)}(s${o.id}, "${o.aval.dtype}");`);
    } else if (s.kind === "call") {
      const e = s.eqn;
      emit(`const r${k} = ${ref(e.prim)}.impl([${e.inputs.map(array).join(", ")}], ${ref(e.params)}); // ${e.prim.name}`);
      e.outs.forEach((o, i) => emit(`const v${o.id} = r${k}[${i}];`));
    } else emitLoop(s, k);
  });
  emit(`return [${jaxpr.outvars.map(array).join(", ")}];`);

  function emitLoop(s: Extract<Step, { kind: "loop" }>, k: number): void {
    const n = sizeOfAval(s.members[0]!.outs[0]!.aval);
    const shape = s.shape;
    const own = new Set(s.members.map((m) => m.outs[0]!));
    for (const o of s.stored) {
      const slot = memory.slotOf.get(o);
      const { dtype } = o.aval;
      const alloc = slot !== undefined ? `B[${slot}]` : dtype === "float64" ? `${ref(allocateUninitialized)}(${n})` : `${ref(allocate)}("${dtype}", ${n})`;
      emit(`const b${o.id} = ${alloc};`);
    }
    // Leaves: values from outside the loop, read per element (contiguous or strided) or once (scalars).
    interface Leaf {
      readonly name: string;
      readonly source: string;
      readonly strides: readonly number[] | null;
    }
    const leaves = new Map<JaxprVar, Leaf>();
    const pre: string[] = [];
    const contiguous = contiguousStrides(shape);
    for (const m of s.members) {
      for (const v of m.inputs) {
        if (own.has(v) || leaves.has(v)) continue;
        const view: View | undefined = steps.some((x) => x.kind === "call" && x.eqn.outs.includes(v)) ? undefined : views.get(v);
        const base = view ? view.base : v;
        const strides = view ? view.strides : contiguous;
        const name = `l${v.id}`;
        if (base.aval.shape.length === 0 || strides.every((x, i) => x === 0 || shape[i] === 1)) {
          const value = base.aval.shape.length === 0 ? scalar(base) : `${data(base)}[0]`;
          leaves.set(v, { name, source: value, strides: null });
        } else {
          pre.push(`const x${v.id} = ${data(base)};`);
          leaves.set(v, { name, source: `x${v.id}`, strides });
        }
      }
    }
    emit(`{ // fused loop: ${s.members.map((m) => m.prim.name).join(", ")} over [${shape.join(",")}]`);
    for (const line of pre) emit(`  ${line}`);
    for (const [, l] of leaves) if (l.strides === null) emit(`  const ${l.name} = ${l.source};`);
    const strided = [...leaves.values()].filter((l) => l.strides !== null && !sameStrides(l.strides, contiguous, shape));
    const dims = collapse(shape, strided.map((l) => l.strides!));
    const body: string[] = [];
    for (const [, l] of leaves) {
      if (l.strides === null) continue;
      const idx = strided.includes(l) ? `p${l.name}_${dims.length - 1}` : "i";
      body.push(`const ${l.name} = ${l.source}[${idx}];`);
    }
    for (const m of s.members) {
      const o = m.outs[0]!;
      const args = m.inputs.map((v) => (own.has(v) ? `t${v.id}` : leaves.get(v)!.name));
      body.push(`const t${o.id} = ${storeRounding(o.aval.dtype, elementExpr(m.prim)!(args, m.params))};`);
    }
    for (const o of s.stored) body.push(`b${o.id}[i] = t${o.id};`);
    if (strided.length === 0) {
      emit(`  for (let i = 0; i < ${n}; i++) {`);
      for (const b of body) emit(`    ${b}`);
      emit("  }");
    } else {
      emit("  let i = 0;");
      dims.forEach((d, level) => {
        const pad = "  ".repeat(level + 1);
        emit(`${pad}for (let j${level} = 0; j${level} < ${d.size}; j${level}++${level === dims.length - 1 ? ", i++" : ""}) {`);
        strided.forEach((l, li) => {
          const st = d.strides[li]!;
          const prev = level === 0 ? "" : `p${l.name}_${level - 1} + `;
          emit(`${pad}  const p${l.name}_${level} = ${prev}j${level} * ${st};`);
        });
      });
      const pad = "  ".repeat(dims.length + 1);
      for (const b of body) emit(`${pad}${b}`);
      for (let level = dims.length - 1; level >= 0; level--) emit(`${"  ".repeat(level + 1)}}`);
    }
    emit("}");
    for (const o of s.stored) emit(`const v${o.id} = new ${ref(ConcreteArray)}(b${o.id}, ${ref(o.aval.shape)}, "${o.aval.dtype}");`);
    void k;
  }

  const text = `"use strict";\nreturn function compiled(args, B) {\n${lines.map((l) => `  ${l}`).join("\n")}\n};`;
  const fn = new Function("K", "H", text)(K, helpers) as Generated["fn"];
  void stopGradientP;
  return { text, fn, memory };
}

const sameStrides = (a: readonly number[], b: readonly number[], shape: readonly number[]): boolean =>
  a.every((x, i) => x === b[i] || shape[i] === 1);

/**
 * The loop nest of a shape: axes of size 1 dropped, neighbouring axes merged where every strided
 * operand steps through them as through one axis. Each level has a size and one stride per operand.
 */
function collapse(shape: readonly number[], strides: readonly (readonly number[])[]): { size: number; strides: number[] }[] {
  const dims: { size: number; strides: number[] }[] = [];
  shape.forEach((size, a) => {
    if (size === 1) return;
    const st = strides.map((s) => s[a]!);
    const last = dims[dims.length - 1];
    if (last && last.strides.every((s, i) => s === st[i]! * size)) {
      last.size *= size;
      last.strides = st;
    } else dims.push({ size, strides: st });
  });
  if (dims.length === 0) dims.push({ size: 1, strides: strides.map(() => 0) });
  return dims;
}

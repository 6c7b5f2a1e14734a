/**
 * @file The memory plan of a compiled program: liveness over its steps, and buffers owned by the
 * program that the intermediates of fused loops reuse once their last reader has run. Outputs, and
 * anything an output may share memory with, get fresh buffers (the caller keeps them).
 */
import { allocate, type DType, type TypedArray } from "../core/dtype.ts";
import type { JaxprVar } from "../core/jaxpr.ts";
import { kernelMemoryArray } from "../kernels/matmul-wasm.ts";
import { sizeOfAval } from "./rewrite.ts";

/** What the plan needs to know of one step of the program, in execution order. */
export interface PlanStep {
  /** Arrays the step writes into buffers it may take from the pool (fused loops' intermediates). */
  readonly poolable: readonly JaxprVar[];
  /** Arrays the step reads. */
  readonly reads: readonly JaxprVar[];
  /** Arrays the step defines that may share memory with some of its inputs (`[output, input]`). */
  readonly aliases: readonly (readonly [JaxprVar, JaxprVar])[];
  /**
   * Reads of a fused loop that happen element by element at the index the loop is writing, each
   * before that element's store: an output of the step may be written into such an array's buffer.
   */
  readonly inPlace?: ReadonlySet<JaxprVar>;
}

/** A buffer the program owns: its dtype and number of elements. */
export interface Slot {
  readonly dtype: DType;
  readonly size: number;
  /**
   * Whether a matrix product reads or writes an array placed in it: the buffer is then taken in
   * the WebAssembly kernel's memory where possible, so that products use it without copies.
   */
  readonly inKernelMemory: boolean;
}

/** A buffer for `slot`: in the matrix kernel's memory where the slot asks for it and that memory is available, else an ordinary zeroed one. */
export function allocateSlot(slot: Slot): TypedArray {
  return (slot.inKernelMemory && slot.dtype === "float64" ? kernelMemoryArray(slot.size) : undefined) ?? allocate(slot.dtype, slot.size);
}

export interface MemoryPlan {
  /** The slot each poolable array is written into; those absent get a fresh buffer every call. */
  readonly slotOf: ReadonlyMap<JaxprVar, number>;
  /**
   * Outputs written into the buffer of a donated input (the input's position among `donated`):
   * the input, and every array that may share its memory, is read by no step from then on.
   */
  readonly donatedTo: ReadonlyMap<JaxprVar, number>;
  readonly slots: readonly Slot[];
  /** Bytes the slots hold, and bytes the pooled intermediates would have allocated per call. */
  readonly pooledBytes: number;
  readonly savedBytesPerCall: number;
}

const bytesPer: Record<DType, number> = { float64: 8, float32: 4, int32: 4, bool: 1, complex64: 8, complex128: 16 };

/**
 * Plans buffers: arrays that may share memory form one class (union–find over `aliases`); a
 * class lives until the last step reading any member; a class holding one of `pinned` (the
 * program's outputs) is never pooled. A poolable array takes a free slot of its dtype and size, or a
 * new one; its slot is freed after the step of its class's last read, or, where that step reads it
 * only in place (`inPlace`: a loop reading it element by element before writing that element),
 * at that step, ahead of the other free slots (the buffer just read is the one in the cache); else
 * a step never writes a buffer it reads. An output (pinned) written by a step takes instead the buffer
 * of a `donated` input of its dtype and size, if that input's class is read by no later step (by
 * this one only in place, see `inPlace`) and holds no output. A slot holding one of
 * `productOperands` (arrays a matrix product reads or writes) asks for the kernel's memory.
 */
export function planMemory(steps: readonly PlanStep[], pinned: readonly JaxprVar[], donated: readonly JaxprVar[] = [], productOperands: ReadonlySet<JaxprVar> = new Set()): MemoryPlan {
  const parent = new Map<JaxprVar, JaxprVar>();
  const find = (v: JaxprVar): JaxprVar => {
    let r = v;
    for (let p = parent.get(r); p !== undefined && p !== r; p = parent.get(r)) r = p;
    parent.set(v, r);
    return r;
  };
  const union = (a: JaxprVar, b: JaxprVar) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(ra, rb);
  };
  for (const s of steps) for (const [o, i] of s.aliases) union(o, i);
  const pinnedRoots = new Set(pinned.map(find));
  const lastRead = new Map<JaxprVar, number>();
  steps.forEach((s, k) => {
    for (const v of [...s.reads, ...s.poolable]) lastRead.set(find(v), k);
  });
  /** Whether no step after `k` reads the class `root`, and step `k` reads it only in place. */
  const readsDone = (root: JaxprVar, k: number): boolean => {
    const last = lastRead.get(root) ?? -1;
    if (last < k) return true;
    if (last > k) return false;
    const s = steps[k]!;
    return s.reads.every((r) => find(r) !== root || (s.inPlace?.has(r) ?? false));
  };
  const slots: { dtype: DType; size: number; inKernelMemory: boolean }[] = [];
  const free: number[] = [];
  const slotOf = new Map<JaxprVar, number>();
  const donatedTo = new Map<JaxprVar, number>();
  const donatable = donated.map((v, i) => ({ v, i, used: pinnedRoots.has(find(v)) }));
  const releaseAt = new Map<number, number[]>();
  let saved = 0;
  /** The class each pooled slot holds until its release. */
  const rootOfSlot = new Map<number, JaxprVar>();
  steps.forEach((s, k) => {
    // A loop's output may take the slot of an array this step reads last, and only in place
    // (element by element at the index it writes): a buffer just read is still in the cache.
    const readHere = releaseAt.get(k) ?? [];
    const readInPlace = (root: JaxprVar) => s.reads.some((r) => find(r) === root) && s.reads.every((r) => find(r) !== root || (s.inPlace?.has(r) ?? false));
    const inPlaceSlots = s.poolable.length > 0 ? readHere.filter((slot) => readInPlace(rootOfSlot.get(slot)!)) : [];
    free.unshift(...inPlaceSlots);
    releaseAt.set(k, readHere.filter((slot) => !inPlaceSlots.includes(slot)));
    for (const v of s.poolable) {
      const root = find(v);
      if (pinnedRoots.has(root)) {
        const d = donatable.find((c) => !c.used && sameKind(c.v, v) && readsDone(find(c.v), k));
        if (d) {
          d.used = true;
          donatedTo.set(v, d.i);
        }
        continue;
      }
      const size = sizeOfAval(v.aval);
      const { dtype } = v.aval;
      const at = free.findIndex((f) => slots[f]!.dtype === dtype && slots[f]!.size === size);
      const slot = at >= 0 ? free.splice(at, 1)[0]! : slots.push({ dtype, size, inKernelMemory: false }) - 1;
      slotOf.set(v, slot);
      rootOfSlot.set(slot, root);
      if (productOperands.has(v)) slots[slot]!.inKernelMemory = true;
      saved += size * bytesPer[dtype];
      const end = lastRead.get(root) ?? k;
      const list = releaseAt.get(end) ?? [];
      list.push(slot);
      releaseAt.set(end, list);
    }
    for (const slot of releaseAt.get(k) ?? []) free.push(slot);
  });
  const pooledBytes = slots.reduce((n, s) => n + s.size * bytesPer[s.dtype], 0);
  return { slotOf, donatedTo, slots, pooledBytes, savedBytesPerCall: saved };
}

const sameKind = (a: JaxprVar, b: JaxprVar): boolean => a.aval.dtype === b.aval.dtype && sizeOfAval(a.aval) === sizeOfAval(b.aval);

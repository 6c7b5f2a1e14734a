/**
 * @file Packed B operands kept in the kernel's memory for the next product with the same B (the
 * bookkeeping only: `matmul-wasm.ts` packs into the slots and reads them).
 */

/*
 * Packed B kept for reuse (issue #10, W7): a product whose B is the same array as an earlier
 * product's (an RNN's Wh at every step, forward and backward) reads B packed by that product
 * instead of copying and packing it again. `wasmMatmul` keeps B only when its caller passes
 * `bKey`, an object that stands for B's contents: the caller vouches that while `bKey` lives,
 * those k·n elements of `b` never change. `dotGeneral` passes the operand's `ConcreteArray` when
 * `b` is that array's own data: NDArrays are immutable, and the library's writes into an array's
 * buffer all go to arrays no later product reads (sums the backward pass owns before anything else
 * sees them, buffers handed to the pool once dead, compiled programs' reused buffers after their
 * last reader, each then wrapped in a new `ConcreteArray`). An entry is found by `bKey`'s
 * identity, `b` itself, the depth k, B's padded width and `transB`; the packed layout depends on
 * nothing else. The slots hold their keys strongly, so at most `KEPT_SLOTS` arrays are kept alive by
 * them: a `WeakRef` would keep every key it was made for alive until the end of the current job
 * (the language's rule), which in a synchronous loop of products is all of them (measured: 3 000
 * products with a fresh 128 × 128 B each held 394 MB). The slots are arrays in the kernel's memory (`kernelMemoryArray`, so
 * only where that memory is shared), a few of them, most recently used first; B larger than
 * `KEPT_MAX` elements packed is not kept (its packing is a small part of its product's time).
 */

/** One slot of kept packed B: `key` is undefined while the slot holds nothing valid. */
export interface KeptB {
  key: object | undefined;
  b: Float64Array | undefined;
  k: number;
  nPad: number;
  transB: boolean;
  slot: Float64Array;
}
const KEPT_SLOTS = 4;
const KEPT_MAX = 256 * 256;
const kept: KeptB[] = [];
let keeping = true;

/** Whether packed B is kept (on unless turned off by `setKeepPackedB`). */
export const keepingPackedB = (): boolean => keeping;

/** Turns keeping packed B on or off (tests and benchmarks compare the two); returns the previous setting. */
export function setKeepPackedB(on: boolean): boolean {
  const previous = keeping;
  keeping = on;
  if (!on) kept.length = 0;
  return previous;
}

/**
 * The slot holding B packed for `bKey` (its `key` set), or a slot to pack it into (its `key`
 * undefined, filled by the caller), moved to the front; undefined where B is not kept. `place(n)`
 * gives a new slot of n elements in the kernel's memory (`kernelMemoryArray`), or undefined.
 */
export function keptPackedB(bKey: object, b: Float64Array, k: number, nPad: number, transB: boolean, place: (n: number) => Float64Array | undefined): KeptB | undefined {
  const size = nPad * k;
  if (size > KEPT_MAX) return undefined;
  for (let i = 0; i < kept.length; i++) {
    const e = kept[i]!;
    if (e.b === b && e.k === k && e.nPad === nPad && e.transB === transB && e.key === bKey) {
      if (i > 0) kept.unshift(kept.splice(i, 1)[0]!);
      return e;
    }
  }
  let e = kept.length < KEPT_SLOTS ? undefined : kept.pop()!;
  if (e === undefined || e.slot.length < size) {
    const slot = place(Math.max(size, e?.slot.length ?? 0));
    if (slot === undefined) {
      if (e !== undefined) kept.push(e);
      return undefined;
    }
    e = { key: undefined, b: undefined, k: 0, nPad: 0, transB: false, slot };
  }
  e.key = undefined;
  e.b = b;
  e.k = k;
  e.nPad = nPad;
  e.transB = transB;
  kept.unshift(e);
  return e;
}

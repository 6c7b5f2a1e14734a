/**
 * @file A pool of large typed arrays that the library itself has proven dead (the backward pass's
 * consumed cotangents), reused by `allocate` for the next array of the same dtype and length.
 *
 * Only the library releases buffers, never a user: an array a user can see is never pooled. The
 * backward pass decides what is dead (see `src/interpreters/accumulate.ts`); to know that a
 * buffer is its own, it opens an allocation scope, which records every large buffer allocated
 * while it is open. Small arrays are left to the garbage collector, which handles them well.
 */
import type { DType, TypedArray } from "./dtype.ts";

/** Arrays below this many bytes are never pooled. */
const DEFAULT_MIN_BYTES = 1 << 14;
/** At most this many bytes wait in the pool, and this many arrays per dtype and length. */
const MAX_POOLED_BYTES = 32 << 20;
const MAX_PER_CLASS = 8;

/** Arrays of fewer bytes are never pooled (a live binding: tests lower it). */
export let minBytes = DEFAULT_MIN_BYTES;
let pooledBytes = 0;
const classes = new Map<DType, Map<number, TypedArray[]>>();
/** The buffers in the pool (a buffer is never in it twice). */
const inPool = new WeakSet<ArrayBufferLike>();
let scope: AllocationScope | null = null;

/**
 * The large buffers allocated while a scope was open (a scope opened inside takes over until it
 * closes). The set is made at the first such allocation: most scopes see none.
 */
export class AllocationScope {
  private buffers: Set<ArrayBufferLike> | null = null;
  constructor(
    readonly outer: AllocationScope | null,
    /** A disabled scope records nothing (and hides what is allocated from the scopes outside). */
    private readonly enabled: boolean,
  ) {}
  /** Whether no large buffer was allocated (or all were forgotten). */
  get empty(): boolean {
    return this.buffers === null || this.buffers.size === 0;
  }
  has(b: ArrayBufferLike): boolean {
    return this.buffers !== null && this.buffers.has(b);
  }
  add(b: ArrayBufferLike): void {
    if (this.enabled) (this.buffers ??= new Set()).add(b);
  }
  /** Forgets a buffer: it is not this scope's own any more. */
  delete(b: ArrayBufferLike): void {
    this.buffers?.delete(b);
  }
}

/** Whether an array of `bytes` bytes goes through the pool. */
export const poolable = (bytes: number): boolean => bytes >= minBytes;

/** A pooled array of `dtype` and storage length `n` (2 slots per complex element; contents arbitrary), or `undefined`. */
export function takePooled(dtype: DType, n: number): TypedArray | undefined {
  const list = classes.get(dtype)?.get(n);
  const x = list?.pop();
  if (x === undefined) return undefined;
  inPool.delete(x.buffer);
  pooledBytes -= x.byteLength;
  return x;
}

/** Records a newly allocated large array in the open allocation scope, if any. */
export function recordAllocation(x: TypedArray): void {
  if (scope !== null) scope.add(x.buffer);
}

/**
 * Gives a dead array to the pool. The caller guarantees that nothing reads or writes it any more
 * (it holds the only reference, and no other array shares its buffer).
 */
export function releaseToPool(dtype: DType, x: TypedArray): void {
  if (x.byteLength < minBytes || x.byteOffset !== 0 || x.byteLength !== x.buffer.byteLength || inPool.has(x.buffer)) return;
  if (pooledBytes + x.byteLength > MAX_POOLED_BYTES) return;
  let byLength = classes.get(dtype);
  if (byLength === undefined) classes.set(dtype, (byLength = new Map()));
  let list = byLength.get(x.length);
  if (list === undefined) byLength.set(x.length, (list = []));
  if (list.length >= MAX_PER_CLASS) return;
  list.push(x);
  inPool.add(x.buffer);
  pooledBytes += x.byteLength;
}

/**
 * Opens an allocation scope: it records every large array allocated until `closeAllocationScope`
 * (nothing if not `enabled`).
 */
export function openAllocationScope(enabled: boolean): AllocationScope {
  scope = new AllocationScope(scope, enabled);
  return scope;
}

/** Closes `s` (the innermost open scope), reopening the one it was opened in. */
export function closeAllocationScope(s: AllocationScope): void {
  scope = s.outer;
}

/**
 * Sets the size from which arrays are pooled and empties the pool (tests lower it to put small
 * arrays through the pool); returns the previous size.
 */
export function setPoolMinBytes(bytes: number): number {
  const prev = minBytes;
  minBytes = bytes;
  classes.clear();
  pooledBytes = 0;
  return prev;
}

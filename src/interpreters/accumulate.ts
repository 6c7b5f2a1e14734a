/**
 * @file Adding cotangents that meet at a value: the one primitive interpreters themselves need, and
 * the backward pass's store of cotangents, which sums a value's contributions in place in a buffer
 * it allocated itself and that nothing else holds, and gives large buffers it used up to the pool.
 */
import { ConcreteArray, type NDArray } from "../core/ndarray.ts";
import { bind, bindUnchecked } from "../core/trace.ts";
import { poolable, releaseToPool, type AllocationScope } from "../core/pool.ts";
import { add } from "../primitives/binary.ts";

/** Sums two cotangents (or tangents) of the same shape. */
export const addAny = (a: NDArray, b: NDArray): NDArray => add(a, b);

/** Whether `x` is a plain concrete array (not a subclass with data of another meaning). */
export const isPlain = (x: NDArray): x is ConcreteArray => x.constructor === ConcreteArray;

/**
 * The cotangents of a linear program's variables while the backward pass runs, by variable id.
 *
 * The first contribution to a variable is kept as it is: it may be a user's array, a value that a
 * transpose rule also gave to another variable (`add` passes its cotangent to both operands), or a
 * view of another array (`reshape` shares data), so it is never written to. The second makes a
 * new array by the `add` primitive; that sum was allocated here and nothing else holds it, so it
 * is *owned*, and later contributions are added into it in place, element by element in the same
 * order as the primitive would (the same bits). Ownership ends when the cotangent is taken, to be
 * transposed or returned: from then on the array may be shared and is not written again.
 *
 * Large arrays that the pass itself allocated (`fresh`, from an allocation scope) and has used up
 * (transposed, or added into a sum) go back to the pool (`core/pool.ts`) once no variable holds
 * their buffer; arrays that went through a primitive carrying a sub-program (whose rules may keep
 * values, e.g. a `debug.callback` in a custom VJP) are never released, nor the user's cotangents,
 * nor the gradients returned.
 *
 * In place applies to eager values only (plain concrete arrays, no outer transformation), and not
 * while a checking `bind` is active (`debugNans` must see every addition as a primitive).
 */
export class CotangentStore {
  private readonly cts: (NDArray | null)[];
  /**
   * Which slots hold a sum this store owns: made at the first such sum (most passes have none), a
   * plain list rather than a typed array, which costs more to make than the short passes of scalar
   * functions spend on it.
   */
  private owned: boolean[] | null = null;
  /** Buffers of the large plain arrays held in slots, with how many slots hold each. */
  private held: Map<ArrayBufferLike, number> | null = null;
  /** Used-up large arrays that may be dead, checked by `releaseDead`. */
  private consumed: ConcreteArray[] | null = null;

  constructor(
    numVars: number,
    private readonly fresh: AllocationScope,
  ) {
    // A loop, not `fill`: several times cheaper for the short programs of scalar functions.
    const cts = new Array<NDArray | null>(numVars);
    for (let i = 0; i < numVars; i++) cts[i] = null;
    this.cts = cts;
  }

  /** Adds a contribution to variable `id`'s cotangent. */
  add(id: number, ct: NDArray): void {
    const prev = this.cts[id]!;
    if (prev === null) {
      this.put(id, ct);
      return;
    }
    if (this.owned !== null && this.owned[id] === true && isPlain(ct) && addInto(prev as ConcreteArray, ct)) {
      this.consume(ct);
      return;
    }
    const sum = addAny(prev, ct);
    this.unhold(prev);
    this.put(id, sum);
    if (sum !== prev && sum !== ct && isPlain(sum) && bind === bindUnchecked) (this.owned ??= noneOwned(this.cts.length))[id] = true;
    else if (this.owned !== null) this.owned[id] = false;
    this.consume(prev);
    this.consume(ct);
  }

  /**
   * Adds a contribution that the caller has just computed and holds no other reference to (a
   * kernel's fresh result, with no transformation active and the plain `bind`): put into an empty
   * slot it is owned, as a sum is (later contributions are added into it in place).
   */
  addFresh(id: number, ct: ConcreteArray): void {
    if (this.cts[id] !== null) {
      this.add(id, ct);
      return;
    }
    this.put(id, ct);
    (this.owned ??= noneOwned(this.cts.length))[id] = true;
  }

  /**
   * Whether the cotangent the last `take` returned was owned: nothing else holds it, so the caller
   * may compute its transpose into it (`scaleInPlace`) instead of into a new array.
   */
  tookOwned = false;

  /** Removes and returns variable `id`'s cotangent (`null`: zero); it is no longer written to. */
  take(id: number): NDArray | null {
    const ct = this.cts[id]!;
    this.cts[id] = null;
    if (this.owned !== null) {
      this.tookOwned = this.owned[id] === true;
      this.owned[id] = false;
    } else this.tookOwned = false;
    if (ct !== null) this.unhold(ct);
    return ct;
  }

  /** Marks arrays as used up (an equation's cotangents, once transposed). */
  consume(x: NDArray): void {
    if (!this.fresh.empty && isPlain(x) && poolable(x.data.byteLength) && this.fresh.has(x.data.buffer)) (this.consumed ??= []).push(x);
  }

  /** Marks arrays as never to be released (they went through a rule that may keep them). */
  keep(xs: readonly (NDArray | null | undefined)[]): void {
    for (const x of xs) if (x != null && isPlain(x)) this.fresh.delete(x.data.buffer);
  }

  /** Gives the used-up arrays that no slot holds to the pool. */
  releaseDead(): void {
    if (this.consumed === null) return;
    for (const x of this.consumed) {
      const buf = x.data.buffer;
      if (this.held?.has(buf) === true || !this.fresh.has(buf)) continue;
      this.fresh.delete(buf);
      releaseToPool(x.dtype, x.data);
    }
    this.consumed = null;
  }

  private put(id: number, ct: NDArray): void {
    this.cts[id] = ct;
    if (!isPlain(ct) || !poolable(ct.data.byteLength)) return;
    const held = (this.held ??= new Map());
    held.set(ct.data.buffer, (held.get(ct.data.buffer) ?? 0) + 1);
  }

  private unhold(ct: NDArray): void {
    if (this.held === null || !isPlain(ct) || !poolable(ct.data.byteLength)) return;
    const n = this.held.get(ct.data.buffer) ?? 0;
    if (n <= 1) this.held.delete(ct.data.buffer);
    else this.held.set(ct.data.buffer, n - 1);
  }
}

/** Ownership flags for `n` slots, all off. */
function noneOwned(n: number): boolean[] {
  const flags = new Array<boolean>(n);
  for (let i = 0; i < n; i++) flags[i] = false;
  return flags;
}

/**
 * `acc += ct` element by element, when both hold the same number of elements of one dtype
 * (always, for two cotangents of one variable); `false` (nothing written) otherwise.
 */
function addInto(acc: ConcreteArray, ct: ConcreteArray): boolean {
  const a = acc.data;
  const b = ct.data;
  if (acc.dtype !== ct.dtype || a.length !== b.length) return false;
  if (a instanceof Float64Array && b instanceof Float64Array) addFloat64(a, b);
  else for (let i = 0; i < a.length; i++) a[i]! += b[i]!;
  return true;
}

/**
 * The transpose of `neg` (`y` null), or of `mul`/`div` by the known `y`, computed into `ct` itself
 * (`ct ← −ct`, `ct ← ct·y`, `ct ← y·ct` with `yFirst`, `ct ← ct/y`): the operation the kernel does
 * per element, in the same operand order, so the same bits. For an owned real float cotangent with
 * `y` of its dtype and length; `false` (nothing written) otherwise.
 */
export function scaleInPlace(ct: ConcreteArray, op: "neg" | "mul" | "div", y: ConcreteArray | null, yFirst = false): boolean {
  const dtype = ct.dtype;
  if (dtype !== "float64" && dtype !== "float32") return false;
  const a = ct.data;
  const n = a.length;
  if (op === "neg") {
    for (let i = 0; i < n; i++) a[i] = -a[i]!;
    return true;
  }
  if (y === null || y.dtype !== dtype || y.data.length !== n) return false;
  const b = y.data;
  if (op === "div") for (let i = 0; i < n; i++) a[i] = a[i]! / b[i]!;
  else if (yFirst) for (let i = 0; i < n; i++) a[i] = b[i]! * a[i]!;
  else for (let i = 0; i < n; i++) a[i] = a[i]! * b[i]!;
  return true;
}

/**
 * `a += b` on float64, four elements per pass (each sum rounded once, as by the `add` kernel): in
 * eager W7's backward pass (2.4 million elements added per call into the gradients of Wh, Wx and b)
 * 3.2–3.5 ms per call where the one-element loop took 5.6–5.9, measured in one run each, alternated.
 */
function addFloat64(a: Float64Array, b: Float64Array): void {
  const n = a.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const s0 = a[i]! + b[i]!;
    const s1 = a[i + 1]! + b[i + 1]!;
    const s2 = a[i + 2]! + b[i + 2]!;
    const s3 = a[i + 3]! + b[i + 3]!;
    a[i] = s0;
    a[i + 1] = s1;
    a[i + 2] = s2;
    a[i + 3] = s3;
  }
  for (; i < n; i++) a[i]! += b[i]!;
}

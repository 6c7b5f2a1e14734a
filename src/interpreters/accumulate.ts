/**
 * @file Adding cotangents that meet at a value: the one primitive interpreters themselves need, and
 * the backward pass's store of cotangents, which sums a value's contributions in place in a buffer
 * it allocated itself and that nothing else holds.
 */
import { ConcreteArray, type NDArray } from "../core/ndarray.ts";
import { bind, bindUnchecked } from "../core/trace.ts";
import { add } from "../primitives/binary.ts";

/** Sums two cotangents (or tangents) of the same shape. */
export const addAny = (a: NDArray, b: NDArray): NDArray => add(a, b);

/** Whether `x` is a plain concrete array (not a subclass with data of another meaning). */
const isPlain = (x: NDArray): x is ConcreteArray => x.constructor === ConcreteArray;

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
 * In place applies to eager values only (plain concrete arrays, no outer transformation), and not
 * while a checking `bind` is active (`debugNans` must see every addition as a primitive).
 */
export class CotangentStore {
  private readonly cts: (NDArray | null)[];
  private readonly owned: Uint8Array;

  constructor(numVars: number) {
    this.cts = new Array<NDArray | null>(numVars).fill(null);
    this.owned = new Uint8Array(numVars);
  }

  /** Adds a contribution to variable `id`'s cotangent. */
  add(id: number, ct: NDArray): void {
    const prev = this.cts[id]!;
    if (prev === null) {
      this.cts[id] = ct;
      return;
    }
    if (this.owned[id] === 1 && isPlain(ct) && addInto(prev as ConcreteArray, ct)) return;
    const sum = addAny(prev, ct);
    this.cts[id] = sum;
    this.owned[id] = sum !== prev && sum !== ct && isPlain(sum) && bind === bindUnchecked ? 1 : 0;
  }

  /** Removes and returns variable `id`'s cotangent (`null`: zero); it is no longer written to. */
  take(id: number): NDArray | null {
    const ct = this.cts[id]!;
    this.cts[id] = null;
    this.owned[id] = 0;
    return ct;
  }
}

/**
 * `acc += ct` element by element, when both hold the same number of elements of one dtype
 * (always, for two cotangents of one variable); `false` (nothing written) otherwise.
 */
function addInto(acc: ConcreteArray, ct: ConcreteArray): boolean {
  const a = acc.data;
  const b = ct.data;
  if (acc.dtype !== ct.dtype || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) a[i]! += b[i]!;
  return true;
}

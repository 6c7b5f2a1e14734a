/**
 * @file The `NDArray` type: an abstract base shared by concrete arrays and by the tracers that
 * transformations pass to user functions, so one function body works under every transformation.
 */
import { type DType, type TypedArray, allocate, isComplex } from "./dtype.ts";
import { fmtShape, TracerConversionError } from "./errors.ts";

/** A complex number as a JS value: what `toArray()` gives for an element of a complex array. */
export interface Complex {
  readonly re: number;
  readonly im: number;
}

/** Whether `x` is a `{ re, im }` object (a complex leaf of nested input). */
export const isComplexLeaf = (x: unknown): x is Complex =>
  typeof x === "object" && x !== null && !Array.isArray(x) && typeof (x as Complex).re === "number" && typeof (x as Complex).im === "number";

/** Nested JS arrays of numbers, booleans or `{ re, im }` complex numbers, as `np.array` accepts them. */
export type Nested = number | boolean | Complex | readonly Nested[];

/** Nested JS arrays whose entries may also be arrays (traced or not): `np.array([a, b])` stacks them. */
export type NestedLike = number | boolean | Complex | NDArray | readonly NestedLike[];

/** Anything the array functions accept where an array is expected. */
export type ArrayLike = NDArray | number | boolean | Complex | readonly NestedLike[] | TypedArray;

/** One index of `x.get(...)`: integer, slice string, `np.slice`, `null` (newaxis), `"..."`, integer array or boolean mask. */
export type Index = number | string | SliceSpec | null | readonly number[] | NDArray;

/** A slice `start:stop:step`; omitted parts are `undefined`. */
export interface SliceSpec {
  readonly kind: "slice";
  readonly start?: number | undefined;
  readonly stop?: number | undefined;
  readonly step?: number | undefined;
}

/** The abstract value of an array: what shape and dtype rules compute. */
export interface Aval {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** Options shared by reductions. */
export interface ReduceOptions {
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
}

/** The functional-update view returned by `x.at(...idx)`. */
export interface AtView {
  set(v: ArrayLike): NDArray;
  add(v: ArrayLike): NDArray;
  mul(v: ArrayLike): NDArray;
  min(v: ArrayLike): NDArray;
  max(v: ArrayLike): NDArray;
  get(): NDArray;
}

/**
 * The operations that `NDArray` methods delegate to. The numpy modules set this table when they
 * load (see `numpy/methods.ts`), which keeps this file free of import cycles.
 */
export interface MethodTable {
  add(a: ArrayLike, b: ArrayLike): NDArray;
  subtract(a: ArrayLike, b: ArrayLike): NDArray;
  multiply(a: ArrayLike, b: ArrayLike): NDArray;
  divide(a: ArrayLike, b: ArrayLike): NDArray;
  power(a: ArrayLike, b: ArrayLike): NDArray;
  negative(a: ArrayLike): NDArray;
  matmul(a: ArrayLike, b: ArrayLike): NDArray;
  dot(a: ArrayLike, b: ArrayLike): NDArray;
  sum(a: ArrayLike, opts?: ReduceOptions): NDArray;
  prod(a: ArrayLike, opts?: ReduceOptions): NDArray;
  mean(a: ArrayLike, opts?: ReduceOptions): NDArray;
  max(a: ArrayLike, opts?: ReduceOptions): NDArray;
  min(a: ArrayLike, opts?: ReduceOptions): NDArray;
  argmax(a: ArrayLike, opts?: { axis?: number | null }): NDArray;
  argmin(a: ArrayLike, opts?: { axis?: number | null }): NDArray;
  reshape(a: ArrayLike, shape: readonly number[]): NDArray;
  transpose(a: ArrayLike, axes?: readonly number[]): NDArray;
  squeeze(a: ArrayLike, opts?: { axis?: number | readonly number[] }): NDArray;
  expandDims(a: ArrayLike, axis: number | readonly number[]): NDArray;
  ravel(a: ArrayLike): NDArray;
  astype(a: ArrayLike, dtype: DType): NDArray;
  abs(a: ArrayLike): NDArray;
  exp(a: ArrayLike): NDArray;
  log(a: ArrayLike): NDArray;
  sqrt(a: ArrayLike): NDArray;
  tanh(a: ArrayLike): NDArray;
  sin(a: ArrayLike): NDArray;
  cos(a: ArrayLike): NDArray;
  equal(a: ArrayLike, b: ArrayLike): NDArray;
  notEqual(a: ArrayLike, b: ArrayLike): NDArray;
  less(a: ArrayLike, b: ArrayLike): NDArray;
  lessEqual(a: ArrayLike, b: ArrayLike): NDArray;
  greater(a: ArrayLike, b: ArrayLike): NDArray;
  greaterEqual(a: ArrayLike, b: ArrayLike): NDArray;
  variance(a: ArrayLike, opts?: ReduceOptions & { ddof?: number }): NDArray;
  std(a: ArrayLike, opts?: ReduceOptions & { ddof?: number }): NDArray;
  all(a: ArrayLike, opts?: ReduceOptions): NDArray;
  any(a: ArrayLike, opts?: ReduceOptions): NDArray;
  cumsum(a: ArrayLike, opts?: { axis?: number | null }): NDArray;
  cumprod(a: ArrayLike, opts?: { axis?: number | null }): NDArray;
  sort(a: ArrayLike, opts?: { axis?: number | null }): NDArray;
  argsort(a: ArrayLike, opts?: { axis?: number | null }): NDArray;
  clip(a: ArrayLike, lo: ArrayLike | null, hi: ArrayLike | null): NDArray;
  round(a: ArrayLike, opts?: { decimals?: number }): NDArray;
  real(a: ArrayLike): NDArray;
  imag(a: ArrayLike): NDArray;
  conj(a: ArrayLike): NDArray;
  getItem(a: NDArray, idx: readonly Index[]): NDArray;
  at(a: NDArray, idx: readonly Index[]): AtView;
  format(a: ConcreteArray): string;
}

/**
 * Set by `numpy/methods.ts` (`setMethods`); see `MethodTable`. One object literal, assigned
 * whole: properties copied one by one onto an empty object would leave it a slow dictionary,
 * looked up by name at every method call.
 */
export let methods = {} as MethodTable;

/** Installs the table `NDArray`'s methods delegate to (once, when the numpy modules load). */
export function setMethods(table: MethodTable): void {
  methods = table;
}

/**
 * An n-dimensional array: immutable, float64 by default. Concrete arrays hold data; inside a
 * transformation, functions receive tracers, which are `NDArray`s too.
 */
export abstract class NDArray {
  abstract get shape(): readonly number[];
  abstract get dtype(): DType;

  get ndim(): number {
    return this.shape.length;
  }

  get size(): number {
    let n = 1;
    for (const d of this.shape) n *= d;
    return n;
  }

  /**
   * The single element as a JS number (bools as 0/1); throws unless `size === 1`. A complex element
   * is not a JS number: for a complex array it throws and points to `toArray()` (`{ re, im }`).
   */
  abstract item(): number;
  /** The elements as nested JS arrays (a number for a 0-d array; `{ re, im }` leaves for complex dtypes). */
  abstract toArray(): Nested;

  add(o: ArrayLike): NDArray {
    return methods.add(this, o);
  }
  sub(o: ArrayLike): NDArray {
    return methods.subtract(this, o);
  }
  mul(o: ArrayLike): NDArray {
    return methods.multiply(this, o);
  }
  div(o: ArrayLike): NDArray {
    return methods.divide(this, o);
  }
  pow(o: ArrayLike): NDArray {
    return methods.power(this, o);
  }
  neg(): NDArray {
    return methods.negative(this);
  }
  matmul(o: ArrayLike): NDArray {
    return methods.matmul(this, o);
  }
  dot(o: ArrayLike): NDArray {
    return methods.dot(this, o);
  }
  sum(opts?: ReduceOptions): NDArray {
    return methods.sum(this, opts);
  }
  prod(opts?: ReduceOptions): NDArray {
    return methods.prod(this, opts);
  }
  mean(opts?: ReduceOptions): NDArray {
    return methods.mean(this, opts);
  }
  max(opts?: ReduceOptions): NDArray {
    return methods.max(this, opts);
  }
  min(opts?: ReduceOptions): NDArray {
    return methods.min(this, opts);
  }
  var(opts?: ReduceOptions & { ddof?: number }): NDArray {
    return methods.variance(this, opts);
  }
  std(opts?: ReduceOptions & { ddof?: number }): NDArray {
    return methods.std(this, opts);
  }
  all(opts?: ReduceOptions): NDArray {
    return methods.all(this, opts);
  }
  any(opts?: ReduceOptions): NDArray {
    return methods.any(this, opts);
  }
  cumsum(opts?: { axis?: number | null }): NDArray {
    return methods.cumsum(this, opts);
  }
  cumprod(opts?: { axis?: number | null }): NDArray {
    return methods.cumprod(this, opts);
  }
  sort(opts?: { axis?: number | null }): NDArray {
    return methods.sort(this, opts);
  }
  argsort(opts?: { axis?: number | null }): NDArray {
    return methods.argsort(this, opts);
  }
  clip(lo: ArrayLike | null, hi: ArrayLike | null): NDArray {
    return methods.clip(this, lo, hi);
  }
  round(opts?: { decimals?: number }): NDArray {
    return methods.round(this, opts);
  }
  argmax(opts?: { axis?: number | null }): NDArray {
    return methods.argmax(this, opts);
  }
  argmin(opts?: { axis?: number | null }): NDArray {
    return methods.argmin(this, opts);
  }
  /** `x.reshape(2, 3)` or `x.reshape([2, 3])`; one dimension may be `-1`. */
  reshape(...shape: readonly number[] | [readonly number[]]): NDArray {
    const s = (shape.length === 1 && Array.isArray(shape[0]) ? shape[0] : shape) as readonly number[];
    return methods.reshape(this, s);
  }
  /** `x.transpose()` reverses the axes; `x.transpose(1, 0, 2)` or `x.transpose([1, 0, 2])` permutes them. */
  transpose(...axes: readonly number[] | [readonly number[]]): NDArray {
    const a = (axes.length === 1 && Array.isArray(axes[0]) ? axes[0] : axes) as readonly number[];
    return methods.transpose(this, a.length === 0 ? undefined : a);
  }
  get T(): NDArray {
    return methods.transpose(this);
  }
  /** The real part (`np.real`): float64 of complex128, float32 of complex64, the array itself for real dtypes. */
  get real(): NDArray {
    return methods.real(this);
  }
  /** The imaginary part (`np.imag`): zeros of the array's dtype for real dtypes. */
  get imag(): NDArray {
    return methods.imag(this);
  }
  /** The complex conjugate (`np.conj`); real arrays are their own conjugate. */
  conj(): NDArray {
    return methods.conj(this);
  }
  squeeze(opts?: { axis?: number | readonly number[] }): NDArray {
    return methods.squeeze(this, opts);
  }
  expandDims(axis: number | readonly number[]): NDArray {
    return methods.expandDims(this, axis);
  }
  ravel(): NDArray {
    return methods.ravel(this);
  }
  flatten(): NDArray {
    return methods.ravel(this);
  }
  astype(dtype: DType): NDArray {
    return methods.astype(this, dtype);
  }
  abs(): NDArray {
    return methods.abs(this);
  }
  exp(): NDArray {
    return methods.exp(this);
  }
  log(): NDArray {
    return methods.log(this);
  }
  sqrt(): NDArray {
    return methods.sqrt(this);
  }
  tanh(): NDArray {
    return methods.tanh(this);
  }
  sin(): NDArray {
    return methods.sin(this);
  }
  cos(): NDArray {
    return methods.cos(this);
  }
  eq(o: ArrayLike): NDArray {
    return methods.equal(this, o);
  }
  ne(o: ArrayLike): NDArray {
    return methods.notEqual(this, o);
  }
  lt(o: ArrayLike): NDArray {
    return methods.less(this, o);
  }
  le(o: ArrayLike): NDArray {
    return methods.lessEqual(this, o);
  }
  gt(o: ArrayLike): NDArray {
    return methods.greater(this, o);
  }
  ge(o: ArrayLike): NDArray {
    return methods.greaterEqual(this, o);
  }
  /** NumPy's `x[...]`: `x.get(":", 0)` is `x[:, 0]`. */
  get(...idx: readonly Index[]): NDArray {
    return methods.getItem(this, idx);
  }
  /** JAX's `x.at[idx]`: `x.at(0).set(5)` returns a new array. */
  at(...idx: readonly Index[]): AtView {
    return methods.at(this, idx);
  }

  /**
   * Iterates over the first axis, as NumPy does: `const [k1, k2] = np.random.split(key)`. A 0-d
   * array has no iterator at all (so `[...x]` is a TypeError, and tools that walk iterables see a
   * plain value).
   */
  get [Symbol.iterator](): () => Iterator<NDArray> {
    if (this.ndim === 0) return undefined as never;
    const self = this;
    return function* () {
      const n = self.shape[0]!;
      for (let i = 0; i < n; i++) yield self.get(i);
    };
  }

  /**
   * JS conversions of a concrete array: `+x`, `x * 2`, `Math.sin(x)` read `item()`, a template
   * string formats it, and `x + y` is an error (it would concatenate). Tracers override this and
   * throw for every hint: a traced value is not a number.
   */
  [Symbol.toPrimitive](hint: string): number | string {
    if (hint === "string") return this.toString();
    if (hint === "number") return this.item();
    throw new TypeError(
      `NDArray${fmtShape(this.shape)} used with a JS operator: TypeScript has no operator ` +
        "overloading, so write x.add(y), x.mul(y), x.gt(y)… or read a number with x.item().",
    );
  }
}

/** An array that holds its data: contiguous, row-major. */
export class ConcreteArray extends NDArray {
  constructor(
    readonly data: TypedArray,
    readonly shape: readonly number[],
    readonly dtype: DType,
  ) {
    super();
  }

  item(): number {
    if (isComplex(this.dtype)) {
      throw new TypeError(
        `item(): the array has dtype ${this.dtype}, and a complex element is not a JS number; ` +
          "read it with x.toArray() (a { re, im } object for a 0-d array), or np.real(x).item() and np.imag(x).item()",
      );
    }
    if (this.data.length !== 1) {
      throw new TracerConversionError(
        `item(): only an array of size 1 converts to a JS number, got shape ${fmtShape(this.shape)}`,
      );
    }
    return this.data[0]!;
  }

  toArray(): Nested {
    const { data, shape } = this;
    if (isComplex(this.dtype)) return complexToArray(data, shape);
    const toJs = this.dtype === "bool" ? (v: number) => v !== 0 : (v: number) => v;
    if (shape.length === 0) return toJs(data[0]!);
    const build = (dim: number, offset: number, stride: number): Nested[] => {
      const n = shape[dim]!;
      const inner = stride / n;
      const out: Nested[] = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = dim === shape.length - 1 ? toJs(data[offset + i]!) : build(dim + 1, offset + i * inner, inner);
      }
      return out;
    };
    return build(0, 0, data.length);
  }

  override toString(): string {
    return methods.format(this);
  }

  /** How `console.log` shows an array: NumPy's repr, `array([1., 2.])`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    const body = methods.format(this).replace(/\n/g, "\n      ");
    return `array(${body}${this.dtype === "float64" || this.dtype === "complex128" ? "" : `, dtype=${this.dtype}`})`;
  }
}

/** Nested `{ re, im }` leaves from interleaved complex storage. */
function complexToArray(data: TypedArray, shape: readonly number[]): Nested {
  const leaf = (k: number): Complex => ({ re: data[2 * k]!, im: data[2 * k + 1]! });
  if (shape.length === 0) return leaf(0);
  const build = (dim: number, offset: number, stride: number): Nested[] => {
    const n = shape[dim]!;
    const inner = stride / n;
    const out: Nested[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = dim === shape.length - 1 ? leaf(offset + i) : build(dim + 1, offset + i * inner, inner);
    return out;
  };
  return build(0, 0, data.length / 2);
}

/** A new concrete array of zeros. */
export const zerosConcrete = (shape: readonly number[], dtype: DType): ConcreteArray => {
  let n = 1;
  for (const d of shape) n *= d;
  return new ConcreteArray(allocate(dtype, n), shape, dtype);
};

/** A new 0-d concrete array holding `v` (`new Float64Array(1)` is several times cheaper than `Float64Array.of`). */
export const scalarConcrete = (v: number, dtype: DType): ConcreteArray => {
  const data = allocate(dtype, 1);
  data[0] = v;
  return new ConcreteArray(data, [], dtype);
};

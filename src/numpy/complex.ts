/**
 * @file Complex values at the NumPy level: `np.complex`, `np.real`, `np.imag`, `np.angle`,
 * `np.conj`, `iscomplexobj` and friends on complex arrays (and real ones, as NumPy), plus the
 * deprecated `ComplexArray` (the real and imaginary parts as two arrays, what `np.fft` returned
 * before complex dtypes), still accepted as input. All written with primitives, so differentiable
 * and batchable.
 */
import { NDArray, type ArrayLike, type Index } from "../core/ndarray.ts";
import { asarray, zerosLike } from "./creation.ts";
import { arctan2, hypot } from "./math.ts";
import { equal, notEqual } from "./logic.ts";
import { isComplex, isFloat } from "../core/dtype.ts";
import * as cp from "../primitives/complex.ts";
import { prepare } from "./broadcast.ts";
import { ShapeError } from "../core/errors.ts";
import { registerNode } from "../tree/index.ts";

/**
 * @deprecated Complex values are arrays of dtype complex128/complex64 now (`np.complex(re, im)`,
 * `np.array([{ re, im }])`), and `np.fft` returns those. Kept for one release so that code which
 * built one keeps working: every function that took a `ComplexArray` still takes it (as
 * real + i·imag), and it is still a tree node (real, imag). Nothing returns one any more.
 */
export class ComplexArray {
  constructor(
    readonly real: NDArray,
    readonly imag: NDArray,
  ) {
    if (real.shape.length !== imag.shape.length || real.shape.some((d, i) => d !== imag.shape[i])) {
      throw new ShapeError(`ComplexArray: the real part has shape [${real.shape.join(", ")}] but the imaginary part [${imag.shape.join(", ")}]`);
    }
  }
  get shape(): readonly number[] {
    return this.real.shape;
  }
  get ndim(): number {
    return this.real.ndim;
  }
  get size(): number {
    return this.real.size;
  }
  /** |z|, without overflow (`np.hypot`). */
  abs(): NDArray {
    return hypot(this.real, this.imag);
  }
  /** The argument of z in (−π, π] (`np.angle`). */
  angle(): NDArray {
    return arctan2(this.imag, this.real);
  }
  /** The complex conjugate. */
  conj(): ComplexArray {
    return new ComplexArray(this.real, this.imag.neg());
  }
  add(other: ComplexArray | ArrayLike): ComplexArray {
    const [r, i] = parts(other, "ComplexArray.add");
    return new ComplexArray(this.real.add(r), this.imag.add(i));
  }
  sub(other: ComplexArray | ArrayLike): ComplexArray {
    const [r, i] = parts(other, "ComplexArray.sub");
    return new ComplexArray(this.real.sub(r), this.imag.sub(i));
  }
  mul(other: ComplexArray | ArrayLike): ComplexArray {
    const [r, i] = parts(other, "ComplexArray.mul");
    return new ComplexArray(this.real.mul(r).sub(this.imag.mul(i)), this.real.mul(i).add(this.imag.mul(r)));
  }
  /** Indexing, as `NDArray.get`, applied to both parts. */
  get(...idx: Index[]): ComplexArray {
    return new ComplexArray(this.real.get(...idx), this.imag.get(...idx));
  }
  /** NumPy-like text, e.g. `[1+0j, -0.5+0.866j]` (numbers as `NDArray.toString` prints them). */
  toString(): string {
    const re = this.real.toArray();
    const im = this.imag.toArray();
    const fmt = (r: unknown, i: unknown): string => {
      if (Array.isArray(r)) return `[${r.map((x, k) => fmt(x, (i as unknown[])[k])).join(", ")}]`;
      const v = i as number;
      return `${r as number}${v < 0 || Object.is(v, -0) ? "-" : "+"}${Math.abs(v)}j`;
    };
    return fmt(re, im);
  }
}

registerNode(ComplexArray, "ComplexArray", (z) => [z.real, z.imag], ([re, im]) => new ComplexArray(re as NDArray, im as NDArray));

/** The real and imaginary parts of `x` (a real array's imaginary part is zero), as floats. */
export function parts(x: ComplexArray | ArrayLike, op: string): [NDArray, NDArray] {
  if (x instanceof ComplexArray) return [x.real, x.imag];
  let a = asarray(x, undefined, op, "a");
  if (isComplex(a.dtype)) return [cp.real(a), cp.imag(a)];
  if (!isFloat(a.dtype)) a = a.astype("float64");
  return [a, zerosLike(a)];
}

/**
 * `np.real(x)`: the real part (float64 for complex128, float32 for complex64; a real array itself).
 * @example
 * np.real(np.fft.fft([1, 2])); // [3, -1]
 * np.real(np.complex(1, 2)).item(); // 1
 */
export const real = (x: ComplexArray | ArrayLike): NDArray => {
  if (x instanceof ComplexArray) return x.real;
  const a = asarray(x, undefined, "np.real", "val");
  return isComplex(a.dtype) ? cp.real(a) : a;
};

/**
 * `np.imag(x)`: the imaginary part (zeros of the same dtype for a real array, as NumPy).
 * @example
 * np.imag([1, 2]); // [0, 0]
 * np.imag(np.complex(1, 2)).item(); // 2
 */
export const imag = (x: ComplexArray | ArrayLike): NDArray => {
  if (x instanceof ComplexArray) return x.imag;
  const a = asarray(x, undefined, "np.imag", "val");
  return isComplex(a.dtype) ? cp.imag(a) : zerosLike(a);
};

/**
 * `np.complex(re, im)`: the complex array re + i·im, broadcasting (NumPy spells it `re + 1j*im`).
 * Float32 parts give complex64, anything else complex128; complex parts are an error.
 * @example
 * np.imag(np.complex(1, 2)).item(); // 2
 * np.complex([1, 2], 0).dtype === "complex128"; // true
 */
export function complex(re: ArrayLike, im: ArrayLike = 0): NDArray {
  const [r, i] = prepare("np.complex", [re, im], true, ["re", "im"]);
  if (isComplex(r!.dtype)) {
    const which = isComplex(asarray(re, undefined, "np.complex", "re").dtype) ? "re" : "im";
    throw new TypeError(`np.complex: ${which} must be real, got dtype ${r!.dtype === "complex64" ? "complex64" : "complex128"}; take np.real/np.imag of it first`);
  }
  return cp.complex(r!, i!);
}

/**
 * `np.iscomplexobj(x)`: whether `x` has a complex dtype (whatever its values).
 * @example
 * np.iscomplexobj(np.complex(1, 0)); // true
 * np.iscomplexobj([1, 2]); // false
 */
export const iscomplexobj = (x: ComplexArray | ArrayLike): boolean =>
  x instanceof ComplexArray || isComplex(asarray(x, undefined, "np.iscomplexobj", "x").dtype);

/**
 * `np.isrealobj(x)`: whether `x` does not have a complex dtype.
 * @example
 * np.isrealobj([1, 2]); // true
 */
export const isrealobj = (x: ComplexArray | ArrayLike): boolean => !iscomplexobj(x);

/**
 * `np.iscomplex(x)`: elementwise, whether the imaginary part is nonzero (all false for a real array).
 * @example
 * np.iscomplex(np.array([{ re: 1, im: 0 }, { re: 1, im: 2 }])); // [false, true]
 */
export const iscomplex = (x: ComplexArray | ArrayLike): NDArray => notEqual(imag(x), 0);

/**
 * `np.isreal(x)`: elementwise, whether the imaginary part is zero (all true for a real array).
 * @example
 * np.isreal(np.array([{ re: 1, im: 0 }, { re: 1, im: 2 }])); // [true, false]
 */
export const isreal = (x: ComplexArray | ArrayLike): NDArray => equal(imag(x), 0);

/**
 * `np.angle(z)`: the argument in (−π, π] (0 or π for real numbers, as NumPy).
 * @example
 * np.angle([-2, 3]); // [3.141592653589793, 0]
 */
export const angle = (z: ComplexArray | ArrayLike): NDArray => {
  const [re, im] = parts(z, "np.angle");
  return arctan2(im, re);
};

/**
 * `np.conj(x)` (also `np.conjugate`): the complex conjugate; a real array unchanged.
 * @example
 * np.conj([1, 2]); // [1, 2]
 * np.imag(np.conj(np.fft.fft([0, 1]))); // [0, 0]
 */
export function conj(x: ArrayLike): NDArray;
export function conj(x: ComplexArray): ComplexArray;
export function conj(x: ComplexArray | ArrayLike): ComplexArray | NDArray {
  if (x instanceof ComplexArray) return x.conj();
  const a = asarray(x, undefined, "np.conj", "x");
  return isComplex(a.dtype) ? cp.conj(a) : a;
}
/**
 * `np.conjugate(x)`: an alias of {@link conj}; a real array comes back unchanged.
 * @example
 * np.conjugate([1, -2]); // [1, -2]
 */
export const conjugate = conj;

/**
 * @file The `fft` primitive: the unscaled discrete Fourier transform of a complex array along one
 * axis, Xₖ = Σⱼ xⱼ e^{∓2πijk/n}; every `np.fft` function is this plus reshaping, scaling and
 * real/imaginary parts.
 *
 * It is linear, so its JVP is itself applied to the tangent. Its transpose (JAX's convention: with
 * the pairing Re Σ uₖvₖ, not conjugated) is itself too, in the same direction: the DFT matrix
 * e^{∓2πijk/n} is symmetric in j and k. (Its adjoint, the conjugate transpose, would be the
 * opposite direction.)
 */
import { ConcreteArray, type NDArray } from "../core/ndarray.ts";
import { isComplex } from "../core/dtype.ts";
import { fmtShape } from "../core/errors.ts";
import { bind1 } from "../core/trace.ts";
import { definePrimitive, one, type Primitive } from "../core/primitive.ts";
import { fftAxis } from "../kernels/fft.ts";
import { linearJvp } from "./elementwise.ts";

export interface FftParams {
  /** The transformed axis (non-negative). */
  readonly axis: number;
  /** e^{+2πijk/n} (the unscaled inverse) rather than e^{−2πijk/n}. */
  readonly inverse: boolean;
}

export const fftP: Primitive<FftParams> = definePrimitive<FftParams>({
  name: "fft",
  impl: ([x], { axis, inverse }) => {
    const data = fftAxis(x!.data as Float64Array | Float32Array, x!.shape, axis, { n: x!.shape[axis]!, inverse, scale: 1 });
    return one(new ConcreteArray(data, x!.shape, x!.dtype));
  },
  abstractEval: ([x], { axis }) => {
    if (!isComplex(x!.dtype)) throw new TypeError(`fft: takes a complex operand, got ${x!.dtype} (internal: np.fft converts real input)`);
    if (!Number.isInteger(axis) || axis < 0 || axis >= x!.shape.length) {
      throw new RangeError(`fft: axis ${axis} is out of range for shape ${fmtShape(x!.shape)} (internal)`);
    }
    return [x!];
  },
  jvp: linearJvp(() => fftP),
  transpose: ([ct], _, params) => [bind1(fftP, [ct!], params)],
  // The batch axis shifts the transformed one by one when it comes before it.
  batch: ([x], [d], { axis, inverse }) => [[bind1(fftP, [x!], { axis: d! <= axis ? axis + 1 : axis, inverse })], [d!]],
});

/** The unscaled transform of complex `x` along `axis` (non-negative), forward or inverse. */
export const fftAlong = (x: NDArray, axis: number, inverse: boolean): NDArray => bind1(fftP, [x], { axis, inverse });

/**
 * @file Complex values at the primitive level: `real`, `imag`, `conj` and `complex(re, im)`.
 * (`planes.ts` lets the primitives that move or sum elements take complex operands.)
 *
 * Derivative convention (JAX's and autograd's): a transpose rule gives the plain transpose of the
 * R-linear map with respect to the pairing ⟨u, v⟩ = Re Σ uₖ·vₖ — no conjugation. So the transpose
 * of multiplication by c is multiplication by c, that of `real` is `ct ↦ ct + 0i`, that of `imag`
 * is `ct ↦ −i·ct`, and `grad` of a real-valued f(z), z = x + iy, comes out as ∂f/∂x − i·∂f/∂y.
 */
import type { NDArray } from "../core/ndarray.ts";
import { complexDtype, realDtype, type DType } from "../core/dtype.ts";
import { bind1 } from "../core/trace.ts";
import { isUndefinedPrimal, type Primitive } from "../core/primitive.ts";
import { conjComplex, extractPart, interleave } from "../kernels/complex.ts";
import { elementwise, linearJvp } from "./elementwise.ts";
import { zerosLike } from "./structural.ts";
import { neg } from "./unary.ts";

type Empty = Record<string, never>;

// ---------------------------------------------------------------- real, imag, conj, complex

const onlyComplex = (name: string) => (): never => {
  throw new TypeError(`${name}: takes a complex operand (internal: the numpy layer handles real ones)`);
};
const partDtype = ([x]: readonly { dtype: DType }[]): DType => realDtype(x!.dtype);

/** The real part of a complex array. Linear: Re(v) pairs with u as Re(u·(v + 0i)), so its transpose is `ct + 0i`. */
export const realP: Primitive<Empty> = elementwise<Empty>({
  name: "real",
  kernel: onlyComplex("real"),
  complexKernel: ([x], out) => extractPart(x!.data, 0, out),
  outDtype: partDtype,
  jvp: linearJvp(() => realP),
  transpose: ([ct]) => [complex(ct!, zerosLike(ct!))],
});

/** The imaginary part. Linear: u·Im(v) = Re((−iu)·v), so its transpose is `ct ↦ −i·ct` = complex(0, −ct). */
export const imagP: Primitive<Empty> = elementwise<Empty>({
  name: "imag",
  kernel: onlyComplex("imag"),
  complexKernel: ([x], out) => extractPart(x!.data, 1, out),
  outDtype: partDtype,
  jvp: linearJvp(() => imagP),
  transpose: ([ct]) => [complex(zerosLike(ct!), neg(ct!))],
});

/** The conjugate. Linear over the reals: Re(u·conj(v)) = Re(conj(u)·v), so it is its own transpose. */
export const conjP: Primitive<Empty> = elementwise<Empty>({
  name: "conj",
  kernel: onlyComplex("conj"),
  complexKernel: ([x], out) => conjComplex(x!.data, out),
  jvp: linearJvp(() => conjP),
  transpose: ([ct]) => [conj(ct!)],
});

/**
 * `complex(re, im)` = re + i·im, of two real arrays of one shape and dtype. Linear: Re(u·(a + ib)) =
 * a·Re u − b·Im u, so its transpose sends ct to (Re ct, −Im ct).
 */
export const complexP: Primitive<Empty> = elementwise<Empty>({
  name: "complex",
  kernel: ([re, im], out) => interleave(re!.data, im!.data, out),
  outDtype: (avals) => complexDtype(avals[0]!.dtype),
  jvp: linearJvp(() => complexP),
  transpose: ([ct], [re, im]) => [
    isUndefinedPrimal(re) ? real(ct!) : null,
    isUndefinedPrimal(im) ? neg(imag(ct!)) : null,
  ],
});

export const real = (x: NDArray): NDArray => bind1(realP, [x], {});
export const imag = (x: NDArray): NDArray => bind1(imagP, [x], {});
export const conj = (x: NDArray): NDArray => bind1(conjP, [x], {});
/** `re + i·im` of real operands of one shape and dtype (float64 parts give complex128, float32 complex64). */
export const complex = (re: NDArray, im: NDArray): NDArray => bind1(complexP, [re, im], {});

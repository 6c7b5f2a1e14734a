/**
 * @file Edge and bad inputs of issue 11's "values at the edges" and structure checks: sort-based
 * functions with NaN, linear algebra on NaN/±∞ and singular matrices, integer powers with negative
 * exponents, long sums, time-point derivatives of `odeint`, out-of-range traced indices, optimizer
 * gradient trees and cyclic/deep/`__proto__` trees. Each case asserts NumPy's or JAX's value (the
 * comment says how it was obtained) or the error class and a message naming the function and the
 * offending argument or shape; after each, a canary (grad, vmap(grad), jit) must still be right.
 *
 * References: NumPy 2.4.6 and JAX 0.10.2 (with `jax_enable_x64`), run in a venv outside the repo.
 * Where they differ the case says which one is followed.
 */
import { describe, expect, it } from "vitest";
import { checkGrads, grad, jit, vmap, jacrev, jacfwd, tree, DomainError, ShapeError, type Tree } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { canary, type ErrorClass } from "./bad-inputs-helpers.ts";
import { adam, rmsprop, sgd } from "autograd-ts/optimizers";
import { integrate } from "autograd-ts/scipy";
import { gather, scatterAdd } from "../src/primitives/gather.ts";

type A = np.NDArray;

/**
 * A case: a value (numbers and nested arrays compared with `toBeAllclose`, NaN equal to NaN; other
 * values with `toEqual`), the parts of a tuple result each compared so, or an error class and message.
 */
type Case =
  | { readonly name: string; readonly run: () => unknown; readonly value: unknown; readonly rtol?: number; readonly atol?: number }
  | { readonly name: string; readonly run: () => unknown[]; readonly tuple: readonly unknown[]; readonly rtol?: number; readonly atol?: number }
  | { readonly name: string; readonly run: () => unknown; readonly error: ErrorClass; readonly message: RegExp };


const isNumeric = (v: unknown): boolean => typeof v === "number" || (Array.isArray(v) && v.every(isNumeric));

/** One result against its expected value. */
function compare(got: unknown, want: unknown, rtol = 1e-12, atol = 1e-14): void {
  const g = got instanceof np.NDArray ? got.toArray() : got;
  if (isNumeric(want) && isNumeric(g)) expect(g as number[]).toBeAllclose(want as number[], { rtol, atol });
  else expect(g).toEqual(want);
}

function runCases(cases: readonly Case[]): void {
  for (const c of cases) {
    it(c.name, () => {
      if ("error" in c) {
        expect(c.run).toThrow(c.error);
        expect(c.run).toThrow(c.message);
      } else if ("tuple" in c) {
        const got = c.run();
        expect(got.length).toBe(c.tuple.length);
        got.forEach((part, i) => compare(part, c.tuple[i], c.rtol, c.atol));
      } else compare(c.run(), c.value, c.rtol, c.atol);
      canary();
    });
  }
}

const NaN2 = [NaN, NaN];
const NaN22 = [NaN2, NaN2];

describe("sort-based functions with NaN: NaNs sort last, unique collapses them (NumPy 2)", () => {
  runCases([
    // np.sort([3, nan, 1, -inf, inf]) (NumPy and JAX agree)
    { name: "np.sort puts NaN after +∞", run: () => np.sort([3, NaN, 1, -Infinity, Infinity]), value: [-Infinity, 1, 3, Infinity, NaN] },
    // np.argsort([3, nan, 1, -inf, nan, inf]): stable, NaNs last in input order
    { name: "np.argsort: NaNs last, stable", run: () => np.argsort([3, NaN, 1, -Infinity, NaN, Infinity]), value: [3, 2, 0, 5, 1, 4] },
    // np.argsort([[nan, 1, 0], [2, nan, -1]], axis=1)
    { name: "np.argsort along rows with NaN", run: () => np.argsort([[NaN, 1, 0], [2, NaN, -1]], { axis: 1 }), value: [[2, 1, 0], [2, 0, 1]] },
    // np.sort([[nan, 1], [0, nan]], axis=0)
    { name: "np.sort along axis 0 with NaN", run: () => np.sort([[NaN, 1], [0, NaN]], { axis: 0 }), value: [[0, 1], [NaN, NaN]] },
    // np.unique([nan, 1, nan, 2, 1]): NumPy 2's equal_nan=True collapses the NaNs
    { name: "np.unique collapses NaNs into one, last", run: () => np.unique([NaN, 1, NaN, 2, 1]), value: [1, 2, NaN] },
    // np.unique([nan, nan])
    { name: "np.unique of all NaN", run: () => np.unique([NaN, NaN]), value: [NaN] },
    // np.unique([inf, nan, -inf, inf, 0., -0.])
    { name: "np.unique with ±∞, NaN and ±0", run: () => np.unique([Infinity, NaN, -Infinity, Infinity, 0, -0]), value: [-Infinity, 0, Infinity, NaN] },
    {
      // np.unique([nan,1,nan,2,1], return_index=True, return_inverse=True, return_counts=True)
      name: "np.unique with index, inverse and counts: the NaN run starts at the first NaN",
      run: () => np.unique([NaN, 1, NaN, 2, 1], { returnIndex: true, returnInverse: true, returnCounts: true }),
      tuple: [[1, 2, NaN], [1, 3, 0], [2, 0, 2, 1, 0], [2, 1, 2]],
    },
    // np.lexsort([[1, nan, 0, 2], [1, 1, 1, 1]])
    { name: "np.lexsort: NaN in the secondary key", run: () => np.lexsort([[1, NaN, 0, 2], [1, 1, 1, 1]]), value: [2, 0, 3, 1] },
    // np.lexsort([[1, 0, 2, 3], [nan, 1, nan, 0]])
    { name: "np.lexsort: NaN in the primary key", run: () => np.lexsort([[1, 0, 2, 3], [NaN, 1, NaN, 0]]), value: [3, 1, 0, 2] },
    // np.lexsort([[nan, 1, nan, 0], [nan, nan, 1, 1]])
    { name: "np.lexsort: NaN in both keys", run: () => np.lexsort([[NaN, 1, NaN, 0], [NaN, NaN, 1, 1]]), value: [3, 2, 1, 0] },
    // np.searchsorted([1, 2, nan], [nan, 3, 0])
    { name: "np.searchsorted: NaN goes before the NaNs (left)", run: () => np.searchsorted([1, 2, NaN], [NaN, 3, 0]), value: [2, 2, 0] },
    // np.searchsorted([1, 2, nan, nan], [nan], side='right')
    { name: "np.searchsorted: NaN goes after the NaNs (right)", run: () => np.searchsorted([1, 2, NaN, NaN], [NaN], { side: "right" }), value: [4] },
    // np.searchsorted([-inf, 0, inf, nan], [inf, -inf, nan])
    { name: "np.searchsorted with ±∞ and NaN", run: () => np.searchsorted([-Infinity, 0, Infinity, NaN], [Infinity, -Infinity, NaN]), value: [2, 0, 3] },
    // np.median([1, nan, 3])
    { name: "np.median with a NaN is NaN", run: () => np.median([1, NaN, 3]), value: NaN },
    // np.median([1, inf, 3])
    { name: "np.median with +∞", run: () => np.median([1, Infinity, 3]), value: 3 },
    // np.percentile([[1, nan, 3], [1, 2, 3]], 50, axis=1)
    { name: "np.percentile: NaN only in the lane that has one", run: () => np.percentile([[1, NaN, 3], [1, 2, 3]], 50, { axis: 1 }), value: [NaN, 2] },
    // jnp.quantile([[1,2,3],[4,inf,6]], 0.5, axis=1) = [2, 6]; NumPy gives [2, nan] (its lerp computes ∞·0):
    // JAX's value is the interpolation's right answer and is followed.
    { name: "np.quantile with +∞ next to the answer (JAX)", run: () => np.quantile([[1, 2, 3], [4, Infinity, 6]], 0.5, { axis: 1 }), value: [2, 6] },
    // np.nanmedian([1, nan, 3, 7])
    { name: "np.nanmedian ignores NaN", run: () => np.nanmedian([1, NaN, 3, 7]), value: 3 },
    // np.nanquantile([1, nan, 2, 3, 4, 5], 0.25)
    { name: "np.nanquantile ignores NaN", run: () => np.nanquantile([1, NaN, 2, 3, 4, 5], 0.25), value: 2 },
    // np.argmax([1, nan, 3]): the first NaN wins
    { name: "np.argmax: NaN wins", run: () => np.argmax([1, NaN, 3]), value: 1 },
  ]);
});

describe("linear algebra on NaN/±∞: NaN (JAX) or a clear error, never a finite wrong answer", () => {
  const withNan = [[1, NaN], [3, 4]];
  const withInf = [[1, Infinity], [3, 4]];
  runCases([
    // jnp.linalg.pinv: all NaN (NumPy raises "SVD did not converge")
    { name: "pinv with NaN is NaN (was zeros)", run: () => np.linalg.pinv(withNan), value: NaN22 },
    // np/jnp.linalg.pinv([[1, inf], [3, 4]]): all NaN
    { name: "pinv with ∞ is NaN", run: () => np.linalg.pinv(withInf), value: NaN22 },
    // jnp.linalg.svd: U, s, Vᵀ all NaN (NumPy raises)
    { name: "svd with NaN is NaN (U was finite)", run: () => np.linalg.svd(withNan), tuple: [NaN22, NaN2, NaN22] },
    // np/jnp.linalg.svd([[1, inf], [3, 4]]): all NaN
    { name: "svd with ∞ is NaN (was finite)", run: () => np.linalg.svd(withInf), tuple: [NaN22, NaN2, NaN22] },
    // jnp.linalg.svd(..., compute_uv=False)
    { name: "svd without vectors, NaN", run: () => np.linalg.svd(withNan, { computeUv: false }), value: NaN2 },
    // np/jnp.linalg.eigh([[1, nan], [nan, 4]]): all NaN
    { name: "eigh with NaN is NaN (no sweeps run)", run: () => np.linalg.eigh([[1, NaN], [NaN, 4]]), tuple: [NaN2, NaN22] },
    // np/jnp.linalg.eigh([[1, inf], [inf, 4]])
    { name: "eigh with ∞ is NaN", run: () => np.linalg.eigh([[1, Infinity], [Infinity, 4]]), tuple: [NaN2, NaN22] },
    // np/jnp.linalg.eigvalsh([[1, inf], [inf, 4]])
    { name: "eigvalsh with ∞ is NaN", run: () => np.linalg.eigvalsh([[1, Infinity], [Infinity, 4]]), value: NaN2 },
    // np/jnp.linalg.solve([[1, nan], [3, 4]], [1, 2])
    { name: "solve with NaN is NaN (was 'singular matrix')", run: () => np.linalg.solve(withNan, [1, 2]), value: NaN2 },
    // np/jnp.linalg.solve([[1, inf], [3, 4]], [1, 2]) = [2/3, 0]
    { name: "solve with ∞ gives LAPACK's value (was 'singular matrix')", run: () => np.linalg.solve(withInf, [1, 2]), value: [2 / 3, 0] },
    // np/jnp.linalg.solve([[1, 2], [3, 4]], [nan, 2])
    { name: "solve with NaN in b", run: () => np.linalg.solve([[1, 2], [3, 4]], [NaN, 2]), value: NaN2 },
    // NumPy/JAX give [nan, nan, 1.5] (an artefact of LAPACK's pivot order); every entry NaN here
    { name: "solve 3×3 with one NaN: NaN, no finite entry claimed", run: () => np.linalg.solve([[2, 1, 0], [1, NaN, 1], [0, 1, 2]], [1, 2, 3]), value: [NaN, NaN, NaN] },
    // np.linalg.solve raises LinAlgError("Singular matrix") (JAX returns NaN): NumPy's error is followed
    {
      name: "solve with an actually singular matrix raises",
      run: () => np.linalg.solve([[1, 2], [2, 4]], [1, 2]),
      error: DomainError,
      message: /^np\.linalg\.solve: singular matrix: pivot 1 of its LU factorization is zero \(a has shape \(2, 2\)\)$/,
    },
    // np/jnp.linalg.inv([[1, nan], [3, 4]])
    { name: "inv with NaN is NaN", run: () => np.linalg.inv(withNan), value: NaN22 },
    // np/jnp.linalg.inv([[1, inf], [3, 4]]) = [[0, 1/3], [0, -0]]
    { name: "inv with ∞ gives LAPACK's value", run: () => np.linalg.inv(withInf), value: [[0, 1 / 3], [0, 0]] },
    {
      name: "inv of a singular matrix raises (NumPy; JAX returns ±∞)",
      run: () => np.linalg.inv([[1, 2], [2, 4]]),
      error: DomainError,
      message: /^np\.linalg\.inv: singular matrix: .*\(a has shape \(2, 2\)\)$/,
    },
    // np/jnp.linalg.det
    { name: "det with NaN", run: () => np.linalg.det(withNan), value: NaN },
    { name: "det with ∞", run: () => np.linalg.det(withInf), value: -Infinity },
    // np.linalg.det(diag(2, inf, 3)) = inf (JAX: nan); NumPy followed
    { name: "det of diag(2, ∞, 3) is ∞ (NumPy; JAX NaN)", run: () => np.linalg.det([[2, 0, 0], [0, Infinity, 0], [0, 0, 3]]), value: Infinity },
    // jnp.linalg.slogdet → [nan, nan]; NumPy gives [-1, nan]: JAX followed (the sign is unknown too)
    { name: "slogdet with NaN (JAX)", run: () => np.linalg.slogdet(withNan), tuple: [NaN, NaN] },
    // np/jnp.linalg.slogdet([[1, inf], [3, 4]]) = [-1, inf]
    { name: "slogdet with ∞", run: () => np.linalg.slogdet(withInf), tuple: [-1, Infinity] },
    // np/jnp.linalg.slogdet([[1, 2], [2, 4]]) = [0, -inf]
    { name: "slogdet of a singular matrix", run: () => np.linalg.slogdet([[1, 2], [2, 4]]), tuple: [0, -Infinity] },
    // np/jnp.linalg.cholesky([[1, nan], [nan, 4]]) = [[1, 0], [nan, nan]] (was "not positive definite")
    { name: "cholesky with NaN propagates it", run: () => np.linalg.cholesky([[1, NaN], [NaN, 4]]), value: [[1, 0], [NaN, NaN]] },
    // np.linalg.cholesky([[1, 2], [2, 1]]) raises (JAX returns NaN): NumPy followed
    {
      name: "cholesky of an indefinite matrix raises",
      run: () => np.linalg.cholesky([[1, 2], [2, 1]]),
      error: DomainError,
      message: /^np\.linalg\.cholesky: matrix is not positive definite: its leading minor of order 2 is not positive \(a has shape \(2, 2\)\)$/,
    },
    // np/jnp.linalg.qr([[1, nan], [3, 4]]): R = [[-3.1623, nan], [0, nan]] (their Q is finite; ours is NaN)
    { name: "qr with NaN: R's NaN column", run: () => np.linalg.qr(withNan)[1].get(":", 1), value: NaN2 },
    // jnp.linalg.lstsq(...)[0] = [nan, nan] (NumPy raises)
    { name: "lstsq with NaN is NaN (was [0, 0])", run: () => np.linalg.lstsq([[1, NaN], [3, 4], [5, 6]], [1, 2, 3])[0], value: NaN2 },
    { name: "lstsq with ∞ is NaN", run: () => np.linalg.lstsq([[1, Infinity], [3, 4], [5, 6]], [1, 2, 3])[0], value: NaN2 },
    // NumPy raises LinAlgError ("SVD did not converge"); JAX returns 0, a finite wrong rank: NumPy followed
    {
      name: "matrixRank with NaN raises",
      run: () => np.linalg.matrixRank(withNan),
      error: DomainError,
      message: /^np\.linalg\.matrixRank: A contains NaN or infinity \(shape \(2, 2\)\)/,
    },
    // jnp.linalg.norm(a, 2) = nan (NumPy raises)
    { name: "norm ord 2 with NaN", run: () => np.linalg.norm(withNan, { ord: 2 }), value: NaN },
    // jnp.linalg.cond = nan (NumPy raises)
    { name: "cond with NaN", run: () => np.linalg.cond(withNan), value: NaN },
  ]);
});

describe("grad(det) at singular matrices is the adjugate (JAX)", () => {
  const gdet = grad((a: A) => np.linalg.det(a));
  runCases([
    // jax.grad(jnp.linalg.det)(jnp.array([[1., 2], [2, 4]]))
    { name: "rank n − 1 (2×2)", run: () => gdet(np.array([[1, 2], [2, 4]])), value: [[4, -2], [-2, 1]], atol: 1e-13 },
    // jax.grad(jnp.linalg.det)(jnp.array([[1., 2, 3], [4, 5, 6], [7, 8, 9]]))
    { name: "rank n − 1 (3×3)", run: () => gdet(np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])), value: [[-3, 6, -3], [6, -12, 6], [-3, 6, -3]], atol: 1e-12 },
    // jax.grad(jnp.linalg.det)(jnp.array([[1., 2, 3], [2, 4, 6], [3, 6, 9]])): rank n − 2 → 0
    { name: "rank n − 2: zero", run: () => gdet(np.array([[1, 2, 3], [2, 4, 6], [3, 6, 9]])), value: np.zeros([3, 3]).toArray(), atol: 1e-13 },
    // jax.grad(jnp.linalg.det)(jnp.zeros((2, 2)))
    { name: "the zero matrix", run: () => gdet(np.zeros([2, 2])), value: [[0, 0], [0, 0]] },
    // jax.grad(jnp.linalg.det)(jnp.array([[2., 1], [1, 3]])) = [[3, -1], [-1, 2]] (det·A⁻ᵀ)
    { name: "nonsingular: det·A⁻ᵀ", run: () => gdet(np.array([[2, 1], [1, 3]])), value: [[3, -1], [-1, 2]] },
    {
      name: "vmap(grad(det)) over singular and nonsingular matrices",
      run: () => vmap(gdet)(np.array([[[1, 2], [2, 4]], [[2, 1], [1, 3]]])),
      value: [[[4, -2], [-2, 1]], [[3, -1], [-1, 2]]],
      atol: 1e-13,
    },
    { name: "jit(grad(det)) at a singular matrix", run: () => jit(gdet)(np.array([[1, 2], [2, 4]])), value: [[4, -2], [-2, 1]], atol: 1e-13 },
  ]);
});

describe("integer power with a negative exponent raises as NumPy", () => {
  const ints = (v: number[]) => np.array(v, { dtype: "int32" });
  const message = /^np\.power: Integers to negative integer powers are not allowed \(x1 and x2 are int32; x2 has a negative entry\)/;
  runCases([
    // np.power(np.array([2, 3]), np.array([-1, 2])) → ValueError (was [0, 9])
    { name: "array exponent", run: () => np.power(ints([2, 3]), ints([-1, 2])), error: DomainError, message },
    // np.power(np.array([2, 3]), -1) → ValueError
    { name: "scalar exponent", run: () => np.power(ints([2, 3]), -1), error: DomainError, message },
    // np.power(np.array([1, -1]), -2) → ValueError, even where the power is an integer
    { name: "base ±1 too", run: () => np.power(ints([1, -1]), -2), error: DomainError, message },
    { name: "the .pow method", run: () => ints([2]).pow(-1), error: DomainError, message },
    // np.power(np.array([2, 3]), 2)
    { name: "a positive exponent works", run: () => np.power(ints([2, 3]), 2), value: [4, 9] },
    { name: "float bases take negative exponents", run: () => np.power([2, 4], -1), value: [0.5, 0.25] },
    // Documented: a traced exponent cannot be inspected; the real power truncated toward zero.
    { name: "a traced negative exponent under jit truncates (documented)", run: () => jit((e: A) => np.power(ints([2, 3, -1]), e))(ints([-1, 2, -1])), value: [0, 9, -1] },
  ]);
});

describe("accurate accumulation: pairwise sums, compensated cumsum, blocked long dot products", () => {
  const rel = (x: A, ref: number) => Math.abs(x.item() - ref) / Math.abs(ref);
  runCases([
    // np.sum(np.full(10**7, 0.1)) - 1e6 = 0.0 (NumPy, pairwise); was 1.6e-10 relative
    { name: "np.sum of 1e7 × 0.1 within 1e-15 of 1e6", run: () => rel(np.sum(np.full([1e7], 0.1)), 1e6) <= 1e-15, value: true },
    { name: "np.mean of 1e7 × 0.1 within 1e-15", run: () => rel(np.mean(np.full([1e7], 0.1)), 0.1) <= 1e-15, value: true },
    // NumPy: np.mean(np.full((10**6, 2), 0.1), axis=0)[0] - 0.1 = 1.3e-12 (its axis-0 sum is sequential)
    { name: "np.mean along axis 0 of [1e6, 2] within 1e-15", run: () => rel(np.mean(np.full([1e6, 2], 0.1), { axis: 0 }).get(0), 0.1) <= 1e-15, value: true },
    { name: "np.sum over two non-adjacent axes", run: () => rel(np.sum(np.full([1000, 3, 1000], 0.1), { axis: [0, 2] }).get(1), 1e5) <= 1e-15, value: true },
    // NumPy's own cumsum is sequential: np.cumsum(np.full(10**6, 0.1))[-1] - 1e5 = 1.3e-6
    { name: "np.cumsum of 1e6 × 0.1 ends within 1e-15 of 1e5", run: () => rel(np.cumsum(np.full([1e6], 0.1)).get(-1), 1e5) <= 1e-15, value: true },
    // np.cumsum([1, inf, 1]), np.cumsum([inf, -inf, 1])
    { name: "np.cumsum through +∞", run: () => np.cumsum([1, Infinity, 1]), value: [1, Infinity, Infinity] },
    { name: "np.cumsum through ∞ − ∞", run: () => np.cumsum([Infinity, -Infinity, 1]), value: [Infinity, NaN, NaN] },
    { name: "np.sum with NaN", run: () => np.sum([1, NaN, 3]), value: NaN },
    { name: "np.dot of two 1e6 vectors within 1e-14", run: () => rel(np.dot(np.full([1e6], 0.1), np.ones([1e6])), 1e5) <= 1e-14, value: true },
    { name: "np.matmul [4, 2e5]·[2e5, 4] within 1e-14", run: () => rel(np.matmul(np.full([4, 2e5], 0.1), np.ones([2e5, 4])).get(2, 3), 2e4) <= 1e-14, value: true },
  ]);
});

describe("odeint: derivatives in the time points (were 0)", () => {
  const k = 0.7;
  const decay = (t: A) => integrate.odeint((y: A) => y.mul(-k), 2, t, { rtol: 1e-12, atol: 1e-12 });
  const t = np.array([0.2, 1, 2.5]);
  // y(tᵢ) = 2·e^{−k(tᵢ − t₀)}: dy(tᵢ)/dtᵢ = −k·y(tᵢ), dy(tᵢ)/dt₀ = k·y(tᵢ) (i ≥ 1), dy(t₀)/dt₀ = 0.
  const y = [2, 2 * Math.exp(-k * 0.8), 2 * Math.exp(-k * 2.3)];
  const jac = [[0, 0, 0], [k * y[1]!, -k * y[1]!, 0], [k * y[2]!, 0, -k * y[2]!]];
  runCases([
    { name: "jacrev in t: closed form", run: () => jacrev(decay)(t), value: jac, rtol: 1e-9, atol: 1e-12 },
    { name: "jacfwd in t: closed form", run: () => jacfwd(decay)(t), value: jac, rtol: 1e-9, atol: 1e-12 },
    {
      // checkGrads compares fwd and rev mode with central differences; second order is exact for an autonomous func
      name: "checkGrads in t to second order (autonomous func)",
      run: () => {
        const f = (tt: A) => np.sum(integrate.odeint((y: A) => y.mul(np.sin(y)).neg(), 0.8, tt, { rtol: 1e-12, atol: 1e-12 }).mul(np.array([1, 2, 3])));
        checkGrads(f, [t], { order: 2 });
        return true;
      },
      value: true,
    },
    {
      name: "checkGrads in t to first order (func depends on t)",
      run: () => {
        const f = (tt: A) => np.sum(integrate.odeint((y: A, s: number) => y.mul(np.sin(y)).neg().add(s), 0.8, tt, { rtol: 1e-12, atol: 1e-12 }));
        checkGrads(f, [t], { order: 1 });
        return true;
      },
      value: true,
    },
    {
      name: "vmap over the time points raises",
      run: () => vmap(decay)(np.array([[0, 1], [0, 2]])),
      error: TypeError,
      message: /^scipy\.integrate\.odeint: t is batched \(vmap over the time points\)/,
    },
    {
      name: "a 2-D t raises naming its shape",
      run: () => integrate.odeint((yy: A) => yy, 1, [[0, 1]]),
      error: ShapeError,
      message: /^scipy\.integrate\.odeint: t must be a non-empty 1-D sequence of times, got shape \(1, 2\)$/,
    },
  ]);
});

describe("out-of-range traced indices: the derivative uses the value's index mode", () => {
  const x = np.array([1, 2, 3]);
  const idx = np.array([5, -2, 1], { dtype: "int32" });
  const sq = (xx: A, i: A) => np.sum(gather(xx, i.reshape(1), 0).mul(gather(xx, i.reshape(1), 0)));
  const weighted = (u: A, i: A) => np.sum(scatterAdd(u, i.reshape(1), 0, [3]).mul(np.array([1, 10, 100])));
  runCases([
    // gather clamps 5 → 2 and −2 → 0 (JAX's default for reads): the gradient lands there (was 0)
    { name: "vmap(grad) through a clamped gather", run: () => vmap(grad(sq), { inAxes: [null, 0] })(x, idx), value: [[0, 0, 6], [2, 0, 0], [0, 4, 0]] },
    { name: "jit(grad) through a clamped gather", run: () => jit((i: A) => grad((xx: A) => sq(xx, i))(x))(np.array(7, { dtype: "int32" })), value: [0, 0, 6] },
    // scatterAdd drops out-of-range updates (JAX's default for writes): their gradient is 0 (was clamped)
    { name: "vmap(grad) through a dropped scatterAdd", run: () => vmap(grad(weighted), { inAxes: [null, 0] })(np.array([2]), idx), value: [[0], [0], [10]] },
  ]);
});

describe("optimizers check the gradient tree against the parameters", () => {
  const params = { W: np.zeros([2, 3]), b: np.zeros([3]) };
  runCases([
    {
      name: "adam: swapped shapes of the same size",
      run: () => adam(() => ({ W: np.ones([3, 2]), b: np.ones([3]) }), params, { numIters: 2 }),
      error: ShapeError,
      message: /^adam: the gradient at \.W has shape \(3, 2\) but the parameter has shape \(2, 3\) \(iteration 0\)$/,
    },
    {
      name: "sgd: a missing key",
      run: () => sgd(() => ({ W: np.ones([2, 3]) }) as typeof params, params, { numIters: 2 }),
      error: TypeError,
      message: /^sgd: gradFn returned a tree of structure \{"W":\*\} at iteration 0, but the parameters have structure \{"W":\*,"b":\*\}/,
    },
    {
      name: "rmsprop: a list with a leaf of the wrong shape",
      run: () => rmsprop(() => [np.ones([2]), np.ones([2, 2])], [np.zeros([2, 2]), np.zeros([2])], { numIters: 2 }),
      error: ShapeError,
      message: /^rmsprop: the gradient at \[0\] has shape \(2,\) but the parameter has shape \(2, 2\) \(iteration 0\)$/,
    },
  ]);
});

describe("trees: cycles, depth and own __proto__ keys", () => {
  const cyclic = (): object => {
    const c: { a: number; b: unknown[] } = { a: 1, b: [2] };
    c.b.push(c);
    return c;
  };
  const deep = (levels: number): Tree => {
    let d: Tree = 1;
    for (let i = 0; i < levels; i++) d = [d];
    return d;
  };
  const fromJson = () => JSON.parse('{"__proto__": {"x": 1.5}, "y": 2}') as Record<string, unknown>;
  runCases([
    { name: "tree.flatten of a cycle", run: () => tree.flatten(cyclic()), error: TypeError, message: /^tree: the value\.b\[1\] is a cycle: it contains itself/ },
    {
      name: "grad of a cyclic argument names grad and the path",
      run: () => grad((p: { a: number }) => np.sum(np.array(p.a)))(cyclic() as { a: number }),
      error: TypeError,
      message: /^grad: argument \[0\]\.b\[1\] is a cycle/,
    },
    { name: "a tree 5000 levels deep", run: () => tree.flatten(deep(5000)), error: TypeError, message: /the tree is nested deeper than 1000 levels/ },
    { name: "1000 levels are still a tree", run: () => tree.leaves(deep(999)), value: [1] },
    { name: "a shared subtree is not a cycle", run: () => tree.leaves({ a: [1], b: [1] }), value: [1, 1] },
    {
      name: "an own __proto__ key survives flatten/unflatten as a key",
      run: () => {
        const [leaves, def] = tree.flatten(fromJson());
        const back = tree.unflatten<Record<string, unknown>>(def, leaves);
        return [Object.keys(back).join(","), Object.getPrototypeOf(back) === Object.prototype, JSON.stringify(back)];
      },
      tuple: ["__proto__,y", true, '{"__proto__":{"x":1.5},"y":2}'],
    },
    {
      name: "grad keeps an own __proto__ key and the plain prototype",
      run: () => {
        const g = grad((p: Record<string, { x: A } | A>) => np.square((p["__proto__"] as { x: A }).x).add(p["y"] as A))(fromJson() as never) as Record<string, unknown>;
        return [Object.getPrototypeOf(g) === Object.prototype, JSON.stringify(g)];
      },
      tuple: [true, '{"__proto__":{"x":3},"y":1}'],
    },
  ]);
});

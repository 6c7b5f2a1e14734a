/**
 * @file Bad uses of complex values get clear errors naming the operation, the argument and the
 * dtype or shapes: real-only functions (until a complex kernel exists), reductions that order
 * values, `grad` of a complex output, `holomorphicGrad` of real values, `np.complex` of mismatched
 * shapes or complex parts, `item()` of a complex element. Never a silently wrong number.
 */
import { describe, expect, it } from "vitest";
import { grad, hessian, holomorphicGrad, jacfwd, jacrev, jit, jvp, makeJaxpr, ShapeError, vjp } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { linalg as sla } from "autograd-ts/scipy";
import type { NDArray } from "autograd-ts/numpy";

const z = np.complex([1, 2], [3, -1]);

/** Runs `f`, expecting an error of class `cls` whose message contains every one of `parts`. */
function raises(f: () => unknown, cls: new (...a: never[]) => Error, ...parts: string[]): void {
  let err: unknown = null;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, "expected an error").toBeInstanceOf(cls);
  for (const p of parts) expect((err as Error).message).toContain(p);
}

describe("complex values where they are not defined", () => {
  it("a real-only elementwise function names itself, the dtype and the shape (eagerly, staged and under jit)", () => {
    raises(() => np.floor(z), TypeError, "floor", "complex128", "(2,)");
    raises(() => np.mod(z, z), TypeError, "mod", "complex128");
    raises(() => makeJaxpr((w: NDArray) => np.floor(w))(z), TypeError, "floor", "complex128");
    raises(() => jit((w: NDArray) => np.floor(w))(z), TypeError, "floor", "complex128");
    raises(() => np.floor(z.astype("complex64")), TypeError, "floor", "complex64");
  });

  it("multiplicative and ordering scatters are refused (searchsorted takes complex: test/complex-search-geom.test.ts)", () => {
    // Fancy-indexed multiplicative and ordering updates (a basic index works: it is a slice update).
    raises(() => z.at([0, 0]).mul(2), TypeError, "scatterMul", "complex128");
    raises(() => z.at([1]).max(0), TypeError, "scatterMax", "complex128");
    expect(z.at(0).mul(2).toArray()).toEqual([{ re: 2, im: 6 }, { re: 2, im: -1 }]);
  });

  it("scipy.linalg (real only) refuses complex matrices (np.linalg takes them: test/complex-linalg.test.ts)", () => {
    raises(() => sla.sqrtm(np.array([[{ re: 1, im: 1 }, 0], [0, 1]])), TypeError, "scipy.linalg.sqrtm", "complex128");
  });

  it("np.complex: mismatched shapes and complex parts", () => {
    raises(() => np.complex([1, 2], [1, 2, 3]), ShapeError, "np.complex", "(2,)", "(3,)");
    raises(() => np.complex(z, 1), TypeError, "np.complex", "re", "complex128");
    raises(() => np.complex(1, z), TypeError, "np.complex", "im", "complex128");
  });

  it("item() of a complex element points to toArray() and np.real", () => {
    raises(() => z.get(0).item(), TypeError, "item()", "complex128", "toArray()", "np.real");
    raises(() => +np.complex(1, 0), TypeError, "complex128");
  });

  it("grad of a complex output points to holomorphicGrad and vjp; holomorphicGrad needs complex in and out", () => {
    raises(() => grad((w: NDArray) => w.mul(w))(np.complex(1, 2)), TypeError, "grad", "complex128", "holomorphicGrad", "vjp");
    raises(() => holomorphicGrad((w: NDArray) => w.mul(w))(2), TypeError, "holomorphicGrad", "input leaf 0", "float64");
    raises(() => holomorphicGrad((w: NDArray) => np.abs(w))(np.complex(1, 1)), TypeError, "holomorphicGrad", "float64", "grad(f)");
    raises(() => grad((w: NDArray) => np.sum(w), { holomorphic: true })(np.array([1, 2])), TypeError, "grad", "complex");
  });

  it("a complex tangent of a real primal, or a complex cotangent of a real output, is refused", () => {
    raises(() => jvp((x: NDArray) => x.mul(2), [np.array([1, 2])], [z]), TypeError, "jvp", "tangent leaf 0", "complex128", "float64");
    const [, back] = vjp((x: NDArray) => np.abs(x), z);
    raises(() => back(z), TypeError, "vjp", "cotangent leaf 0", "complex128", "float64");
  });

  it("Jacobians follow JAX: jacfwd wants real inputs and jacrev real outputs unless holomorphic", () => {
    raises(() => jacfwd((w: NDArray) => np.abs(w))(z), TypeError, "jacfwd", "input leaf 0", "complex128", "holomorphic");
    raises(() => jacrev((w: NDArray) => w.mul(w))(z), TypeError, "jacrev", "output leaf 0", "complex128", "holomorphic", "vjp");
    raises(() => jacrev((w: NDArray) => w.mul(w), { holomorphic: true })(np.array([1, 2])), TypeError, "jacrev", "holomorphic", "float64");
    raises(() => jacfwd((w: NDArray) => np.abs(w), { holomorphic: true })(z), TypeError, "jacfwd", "holomorphic", "output", "float64");
    raises(() => hessian((w: NDArray) => np.sum(np.abs(w)))(z), TypeError, "jacfwd", "complex128");
  });

  it("unsupported dtype names list the complex ones", () => {
    raises(() => np.zeros(2, { dtype: "complex256" as never }), TypeError, "np.zeros", "complex256", "complex128, complex64");
  });
});

/** @file Bad input gets a clear error naming the operation, the argument and the shapes. */
import { describe, expect, it } from "vitest";
import { grad, vmap, jvp, ShapeError, AxisError, IndexError, BatchSizeError, TracerConversionError } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { mul as mulPrimitive } from "../src/primitives/binary.ts";

const throwsWith = (f: () => unknown, type: new (...a: never[]) => Error, ...parts: (string | RegExp)[]) => {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, "expected an error").toBeInstanceOf(type);
  for (const p of parts) expect((err as Error).message).toMatch(p);
};

describe("errors", () => {
  it("grad of a non-scalar output names the shape and the alternatives", () => {
    throwsWith(() => grad((x: np.NDArray) => x.mul(2))(np.ones([3])), ShapeError, "grad", "(3,)", "jacrev", "elementwiseGrad", "vjp");
  });
  it("grad with respect to integers", () => {
    throwsWith(() => grad((x: np.NDArray) => x.sum())(np.arange(3)), TypeError, "grad", "int32");
  });
  it("shapes that do not broadcast", () => {
    throwsWith(() => np.add(np.ones([2, 3]), np.ones([4])), ShapeError, "np.add", "(2, 3)", "(4,)");
    throwsWith(() => np.ones([2, 3]).mul(np.ones([3, 2])), ShapeError, "np.multiply", "(2, 3)", "(3, 2)");
    throwsWith(() => np.matmul(np.ones([2, 3]), np.ones([2, 3])), ShapeError, "np.matmul", "(2, 3)");
    throwsWith(() => np.reshape(np.ones([2, 3]), [4, 2]), ShapeError, "np.reshape", "size 6", "(4, 2)");
    throwsWith(() => np.concatenate([np.ones([2, 3]), np.ones([2, 2])]), ShapeError, "np.concatenate", "(2, 3)", "(2, 2)");
  });
  it("bad axes", () => {
    throwsWith(() => np.sum(np.ones([2, 3]), { axis: 2 }), AxisError, "np.sum", "axis 2", "dimension 2");
    throwsWith(() => np.mean(np.ones([2, 3]), { axis: -3 }), AxisError, "np.mean", "axis -3");
    throwsWith(() => np.transpose(np.ones([2, 3]), [0, 0]), AxisError, "np.transpose", "repeated");
    throwsWith(() => np.squeeze(np.ones([2, 3]), { axis: 0 }), ShapeError, "np.squeeze", "(2, 3)");
  });
  it("out-of-range indices", () => {
    throwsWith(() => np.ones([2, 3]).get(0, 3), IndexError, "index 3", "axis 1", "size 3");
    throwsWith(() => np.ones([2, 3]).get(-3), IndexError, "index -3", "axis 0");
    throwsWith(() => np.ones([2, 3]).get(0, 0, 0), IndexError, "too many indices", "(2, 3)");
    throwsWith(() => np.ones([3]).get("1:2:0"), IndexError, "step");
  });
  it("vmap with inconsistent batch sizes lists every argument", () => {
    throwsWith(
      () => vmap((a: np.NDArray, b: np.NDArray) => a.add(b))(np.ones([3, 2]), np.ones([4, 2])),
      BatchSizeError,
      "inconsistent",
      "argument leaf 0: shape (3, 2), axis 0 → size 3",
      "argument leaf 1: shape (4, 2), axis 0 → size 4",
    );
    throwsWith(() => vmap((a: np.NDArray) => a, { inAxes: [2] })(np.ones([3, 2])), AxisError, "vmap", "(3, 2)");
  });
  it("item() on a batched value suggests np.where; under grad it reads the primal", () => {
    throwsWith(() => vmap((a: np.NDArray) => (a.item() > 0 ? a : a.neg()))(np.ones([3])), TracerConversionError, "item()", "vmap", "np.where");
    expect(grad((x: np.NDArray) => (x.item() > 0 ? x.mul(x) : x))(3.0)).toBe(6);
    expect(jvp((x: np.NDArray) => (x.item() > 0 ? x.mul(x) : x), [3.0], [1.0])[1]).toBeAllclose(6);
    throwsWith(() => np.ones([2]).item(), TracerConversionError, "item()", "(2,)");
  });
  it("JS operators on arrays point to methods", () => {
    throwsWith(() => (np.ones([2]) as unknown as number) + 1, TypeError, "x.add");
  });
  it("ragged nested arrays, strings and undefined are TypeErrors naming the argument", () => {
    throwsWith(() => np.array([[1, 2], [3]]), TypeError, "np.array", "ragged", "object[1]", "length 1", "length 2");
    throwsWith(() => np.add("3" as never, 1), TypeError, "np.add", "x1", "string");
    throwsWith(() => np.sin(undefined as never), TypeError, "np.sin", "undefined");
    throwsWith(() => np.array([1, "a"] as never), TypeError, "np.array", "object[1]", "string");
    throwsWith(() => grad((x: np.NDArray) => x.sum())("x" as never), TypeError, "grad");
  });
});

describe("functional updates", () => {
  it("values that do not fit the indexed region", () => {
    throwsWith(() => np.zeros([3, 4]).at(0).set([1, 2, 3]), ShapeError, "x.at(...).set", "(3,)", "(4,)");
  });
});

describe("elementwise primitives called with operands of different shapes (a rule that forgot to broadcast)", () => {
  it("throw a ShapeError naming the primitive and both shapes, eagerly, for real and complex operands", () => {
    expect(() => mulPrimitive(np.ones([3]), np.ones([2]))).toThrow(/mul: elementwise operands must have one shape, got \(3,\), \(2,\)/);
    expect(() => mulPrimitive(np.ones([3]), np.array(2))).toThrow(ShapeError);
    const z = np.array([{ re: 1, im: 1 }, { re: 2, im: 0 }]);
    expect(() => mulPrimitive(z, np.complex(1, 1))).toThrow(/mul: elementwise operands must have one shape/);
    expect(mulPrimitive(z, z).toArray()).toEqual([{ re: 0, im: 2 }, { re: 4, im: 0 }]);
  });
});

/**
 * @file `nn` activations: values against closed forms, JAX's derivative conventions at the kinks,
 * no NaN gradients from the unused branch, derivatives to second order, vmap, errors.
 */
import { describe, expect, it } from "vitest";
import { checkGrads, elementwiseGrad, grad, nn, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";

type A = np.NDArray;
const xs = [-3, -1.2, -0.4, 0.3, 1.1, 2.5];
const x = np.array(xs);
const sig = (v: number) => 1 / (1 + Math.exp(-v));

describe("values", () => {
  const cases: [string, (v: A) => A, (v: number) => number][] = [
    ["relu", nn.relu, (v) => Math.max(v, 0)],
    ["relu6", nn.relu6, (v) => Math.min(Math.max(v, 0), 6)],
    ["sigmoid", nn.sigmoid, sig],
    ["softplus", nn.softplus, (v) => Math.log1p(Math.exp(v))],
    ["logSigmoid", nn.logSigmoid, (v) => Math.log(sig(v))],
    ["softSign", nn.softSign, (v) => v / (Math.abs(v) + 1)],
    ["silu", nn.silu, (v) => v * sig(v)],
    ["leakyRelu", (v) => nn.leakyRelu(v, 0.1), (v) => (v >= 0 ? v : 0.1 * v)],
    ["hardTanh", nn.hardTanh, (v) => Math.min(Math.max(v, -1), 1)],
    ["elu", (v) => nn.elu(v, 2), (v) => (v > 0 ? v : 2 * Math.expm1(v))],
    ["celu", (v) => nn.celu(v, 0.5), (v) => Math.max(0, v) + Math.min(0, 0.5 * Math.expm1(v / 0.5))],
    ["selu", nn.selu, (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * Math.expm1(v))],
    ["gelu (tanh approximation)", nn.gelu, (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))],
  ];
  for (const [name, f, want] of cases) it(name, () => expect(f(x)).toBeAllclose(xs.map(want), { rtol: 1e-14, atol: 1e-300 }));
  it("gelu exact, glu, softmax family, standardize, oneHot", () => {
    // Φ(1) = 0.8413447460685429
    expect(nn.gelu(np.array([1, -1]), false)).toBeAllclose([0.8413447460685429, -0.15865525393145707], { rtol: 1e-15 });
    expect(nn.glu(np.array([[1, 2, 0, -1]]))).toBeAllclose([[sig(0), 2 * sig(-1)]]);
    expect(nn.softmax(np.array([[0, 0], [0, Math.log(3)]]))).toBeAllclose([[0.5, 0.5], [0.25, 0.75]]);
    expect(nn.logSoftmax(np.array([0, 0]))).toBeAllclose([-Math.LN2, -Math.LN2]);
    expect(nn.logsumexp(np.array([[0, 0], [1, 1]]), 1)).toBeAllclose([Math.LN2, 1 + Math.LN2]);
    expect(nn.standardize(np.array([1, 2, 3]), -1, 0)).toBeAllclose([-Math.sqrt(1.5), 0, Math.sqrt(1.5)]);
    expect(nn.oneHot([0, 2, 5, -1], 3).toArray()).toEqual([[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]]);
    expect(nn.oneHot(np.array([[1]], { dtype: "int32" }), 2, "int32").dtype).toBe("int32");
    expect(nn.relu(np.array([-1, 2], { dtype: "int32" })).dtype).toBe("float64");
  });
});

describe("derivatives", () => {
  it("at the kinks: the flat side's 0 (relu at 0 as JAX, relu6 at 0 and 6, hardTanh at ±1); leakyRelu'(0) = 1, elu'(0) = α", () => {
    expect(grad(nn.relu)(0)).toBe(0);
    expect(grad(nn.relu6)(6)).toBe(0);
    expect(grad((v: number) => nn.leakyRelu(v))(0)).toBe(1);
    expect(grad(nn.relu6)(0)).toBe(0);
    expect(grad(nn.hardTanh)(1)).toBe(0);
    expect(grad(nn.hardTanh)(-1)).toBe(0);
    expect(grad((v: number) => nn.elu(v, 2))(0)).toBe(2);
  });
  it("no NaN from the branch not taken: elu, celu, selu at large x; softplus, logSigmoid far out", () => {
    const big = np.array([800, -800, 50]);
    for (const f of [(v: A) => nn.elu(v), (v: A) => nn.celu(v), nn.selu, nn.softplus, nn.logSigmoid, nn.silu, nn.sigmoid]) {
      const g = elementwiseGrad(f)(big).toArray() as number[];
      expect(g.every(Number.isFinite)).toBe(true);
    }
    expect(elementwiseGrad(nn.softplus)(big)).toBeAllclose([1, 0, 1]);
  });
  it("match closed forms: σ' = σ(1 − σ), softplus' = σ, silu' = σ(1 + x(1 − σ))", () => {
    const s = xs.map(sig);
    expect(elementwiseGrad(nn.sigmoid)(x)).toBeAllclose(s.map((v) => v * (1 - v)), { rtol: 1e-14 });
    expect(elementwiseGrad(nn.softplus)(x)).toBeAllclose(s, { rtol: 1e-14 });
    expect(elementwiseGrad(nn.silu)(x)).toBeAllclose(s.map((v, i) => v * (1 + xs[i]! * (1 - v))), { rtol: 1e-14 });
  });
  it("checkGrads to second order away from the kinks, and vmap of the gradient", () => {
    for (const f of [nn.relu, nn.sigmoid, nn.softplus, nn.logSigmoid, nn.softSign, nn.silu, (v: A) => nn.leakyRelu(v), nn.hardTanh, (v: A) => nn.elu(v), (v: A) => nn.celu(v, 0.7), nn.selu, nn.gelu, (v: A) => nn.gelu(v, false)]) {
      checkGrads((v: A) => np.sum(f(v)), [x], { order: 2 });
    }
    checkGrads((v: A) => np.sum(nn.glu(v.reshape(3, 2))), [x], { order: 2 });
    checkGrads((v: A) => np.sum(nn.standardize(v.reshape(2, 3)).pow(3)), [x], { order: 2 });
    const batch = np.stack([x, x.mul(0.5)]);
    const g = grad((v: A) => np.sum(nn.gelu(v).mul(nn.softmax(v))));
    expect(vmap(g)(batch)).toBeAllclose(np.stack([g(batch.get(0)), g(batch.get(1))]));
  });
});

describe("errors", () => {
  it("name the function and the argument", () => {
    expect(() => nn.relu("a" as unknown as number)).toThrow(/nn\.relu/);
    expect(() => nn.oneHot([1], 2.5)).toThrow(/nn\.oneHot: numClasses, 2\.5, must be a non-negative integer/);
    expect(() => nn.glu(np.ones([3]))).toThrow(/array split does not result in an equal division|split/);
  });
});

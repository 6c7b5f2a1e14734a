/**
 * @file `nn.initializers`: draws equal JAX's for the same keys (test/fixtures/gen-initializers-jax.py),
 * moments and bounds follow the fan conventions (statistical checks with fixed keys), orthogonal
 * gives QᵀQ = I, errors.
 */
import { describe, expect, it } from "vitest";
import { nn } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import ref from "./fixtures/initializers-jax.json" with { type: "json" };

const I = nn.initializers;
const key = np.random.key;

describe("draws equal JAX's for the same key", () => {
  const cases: [keyof typeof ref, () => np.NDArray][] = [
    ["glorot_normal", () => I.glorotNormal()(key(0), [3, 3, 2, 4])],
    ["glorot_uniform", () => I.glorotUniform()(key(1), [5, 3])],
    ["he_normal", () => I.heNormal()(key(2), [4, 6])],
    ["he_uniform", () => I.heUniform()(key(3), [2, 2, 3, 2])],
    ["lecun_normal", () => I.lecunNormal()(key(4), [6, 2])],
    ["lecun_uniform", () => I.lecunUniform()(key(5), [3, 5])],
    ["normal", () => I.normal(0.1)(key(6), [7])],
    ["uniform", () => I.uniform(0.5)(key(7), [2, 3])],
    ["orthogonal_tall", () => I.orthogonal()(key(8), [5, 3])],
    ["orthogonal_wide", () => I.orthogonal(2)(key(9), [2, 2, 6])],
    ["variance_scaling_fan_out_normal", () => I.varianceScaling(3, "fan_out", "normal")(key(10), [3, 4, 5])],
  ];
  for (const [name, draw] of cases) {
    // normal and truncatedNormal agree with JAX to rounding (erfinv), uniform bit for bit; QR to rounding.
    it(name, () => expect(draw().ravel()).toBeAllclose(ref[name], { rtol: 1e-12, atol: 1e-14 }));
  }
});

/** Mean, variance and largest magnitude of a sample. */
function moments(x: np.NDArray): { mean: number; variance: number; absMax: number } {
  return { mean: np.mean(x).item(), variance: np.var(x).item(), absMax: np.max(np.abs(x)).item() };
}

describe("moments and bounds follow JAX's fan conventions", () => {
  // A conv kernel HWIO [3, 3, 64, 128]: receptive field 9, fan_in = 576, fan_out = 1152; N = 73 728.
  const shape = [3, 3, 64, 128];
  const n = 3 * 3 * 64 * 128;
  const [fanIn, fanOut] = [576, 1152];
  // Tolerances: 5 standard errors. The sample mean has SE σ/√N; the sample variance has relative
  // SE √((κ − 1)/N) with kurtosis κ ≤ 3 for these distributions (2.0 truncated normal, 1.8 uniform),
  // so ≤ √(2/N) ≈ 0.0052: 5 SE is a relative 0.026.
  const check = (x: np.NDArray, variance: number, bound: number) => {
    const m = moments(x);
    expect(x.shape).toEqual(shape);
    expect(Math.abs(m.mean)).toBeLessThan((5 * Math.sqrt(variance)) / Math.sqrt(n));
    expect(Math.abs(m.variance / variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(m.absMax).toBeLessThanOrEqual(bound);
    // The bound is reached: some sample within 1% of it (P(miss) < (1 − 0.01·p)^N ≈ 0 for these).
    expect(m.absMax).toBeGreaterThan(0.99 * bound);
  };
  const truncBound = (v: number) => (2 * Math.sqrt(v)) / 0.87962566103423978;
  it("truncated normals: he (2/fan_in), lecun (1/fan_in), glorot (2/(fan_in + fan_out)), within ±2σ/0.8796", () => {
    check(I.heNormal()(key(11), shape), 2 / fanIn, truncBound(2 / fanIn));
    check(I.lecunNormal()(key(12), shape), 1 / fanIn, truncBound(1 / fanIn));
    check(I.glorotNormal()(key(13), shape), 2 / (fanIn + fanOut), truncBound(2 / (fanIn + fanOut)));
  });
  it("uniforms: ±√(3v) with the same variances", () => {
    check(I.heUniform()(key(14), shape), 2 / fanIn, Math.sqrt(6 / fanIn));
    check(I.lecunUniform()(key(15), shape), 1 / fanIn, Math.sqrt(3 / fanIn));
    check(I.glorotUniform()(key(16), shape), 2 / (fanIn + fanOut), Math.sqrt(6 / (fanIn + fanOut)));
  });
  it("varianceScaling fan_out with a plain normal, and normal(stddev)", () => {
    const x = I.varianceScaling(0.5, "fan_out", "normal")(key(17), shape);
    const m = moments(x);
    expect(Math.abs(m.variance / (0.5 / fanOut) - 1)).toBeLessThan(5 * Math.sqrt(2 / n)); // normal: κ = 3
    const y = moments(I.normal(0.3)(key(18), [n]));
    expect(Math.abs(y.variance / 0.09 - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });
  it("uniform(scale) lies in [0, scale) with mean scale/2", () => {
    const x = I.uniform(0.4)(key(19), [n]);
    expect(np.min(x).item()).toBeGreaterThanOrEqual(0);
    expect(np.max(x).item()).toBeLessThan(0.4);
    // SE of the mean: 0.4/√12/√N ≈ 4.3e-4.
    expect(Math.abs(np.mean(x).item() - 0.2)).toBeLessThan(5 * (0.4 / Math.sqrt(12)) / Math.sqrt(n));
  });
});

describe("orthogonal, zeros, ones, dtypes, errors", () => {
  it("QᵀQ = I for tall and wide shapes, scaled by `scale`", () => {
    const q = I.orthogonal()(key(20), [7, 4]);
    expect(np.matmul(q.T, q)).toBeAllclose(np.eye(4), { atol: 1e-13 });
    const w = I.orthogonal(3)(key(21), [3, 2, 8]).reshape(6, 8);
    expect(np.matmul(w, w.T)).toBeAllclose(np.eye(6).mul(9), { atol: 1e-12 });
  });
  it("zeros and ones are initializers themselves; dtype float32", () => {
    expect(I.zeros(key(0), [2, 3])).toBeAllclose(np.zeros([2, 3]));
    expect(I.ones(key(0), [2], "float32").dtype).toBe("float32");
    expect(I.heNormal()(key(0), [3, 4], "float32").dtype).toBe("float32");
  });
  it("errors name the initializer and the shape", () => {
    expect(() => I.glorotNormal()(key(0), [5])).toThrow(/nn.initializers: cannot compute the fans of a 1-d shape \(5,\)/);
    expect(() => I.orthogonal()(key(0), [5])).toThrow(/nn.initializers.orthogonal: needs at least a 2-d shape, got \(5,\)/);
    expect(() => I.varianceScaling(1, "fan_mid" as never, "normal")).toThrow(/mode must be 'fan_in', 'fan_out' or 'fan_avg'/);
    expect(() => I.normal()(key(0), [2, -1])).toThrow(/nn.initializers.normal: shape must be a list of non-negative integers/);
  });
});

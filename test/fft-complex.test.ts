/**
 * @file `np.fft` on complex arrays: every function against NumPy 2 (fixture
 * test/fixtures/fft-numpy.json, written by gen-fft-numpy.py), dtypes (complex64 in and out),
 * closed forms (Parseval, a delta, a pure tone, Euler's formula summed), complex `np.convolve` and
 * `np.correlate`, and derivatives: property tests of JVP against central differences along 1 and i,
 * VJP against JVP (pairing Re Σ uₖvₖ, JAX's non-conjugating transpose), `vmap` against a loop and
 * second order.
 */
import fc from "fast-check";
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import * as np from "autograd-ts/numpy";
import { jvp, vjp, vmap, grad } from "autograd-ts";
import type { NDArray } from "autograd-ts/numpy";
import { property } from "../property-tests/harness.ts";
import { Rng } from "../property-tests/check.ts";

interface Enc {
  shape: number[];
  dtype: string;
  re: number[];
  im?: number[];
}
const fx = JSON.parse(readFileSync(new URL("./fixtures/fft-numpy.json", import.meta.url), "utf8")) as { cases: Record<string, Enc> };

/** The fixture's input: exact binary fractions (the generator's formula). */
function signal(count: number, salt = 0): NDArray {
  const re = Array.from({ length: count }, (_, j) => (((j * 7 + 3 + salt) % 11) - 5) / 4);
  const im = Array.from({ length: count }, (_, j) => (((j * 5 + 1 + salt) % 13) - 6) / 8);
  return np.complex(re, im);
}
const Z = signal(24).reshape(2, 3, 4);
const z7 = signal(7);
const x9 = np.real(signal(9));
const H5 = signal(5, 3);

const flat = (x: NDArray): number[] => x.reshape(-1).toArray() as number[];
function matches(name: string, got: NDArray, tol = 1e-14): void {
  const want = fx.cases[name]!;
  expect(got.shape, name).toEqual(want.shape);
  expect(got.dtype, name).toBe(want.dtype === "complex64" || want.dtype === "complex128" || want.dtype === "float32" ? want.dtype : "float64");
  const scale = Math.max(1, ...want.re.map(Math.abs), ...(want.im ?? []).map(Math.abs));
  expect(flat(np.real(got)), name).toBeAllclose(want.re, { rtol: 0, atol: tol * scale });
  expect(flat(np.imag(got)), name).toBeAllclose(want.im ?? want.re.map(() => 0), { rtol: 0, atol: tol * scale });
}

describe("np.fft on complex arrays vs NumPy 2", () => {
  it("fft, ifft with n and every norm, along a chosen axis", () => {
    matches("fft_z7", np.fft.fft(z7));
    matches("fft_z7_n10_ortho", np.fft.fft(z7, { n: 10, norm: "ortho" }));
    matches("ifft_z7_n4_forward", np.fft.ifft(z7, { n: 4, norm: "forward" }));
    matches("fft_Z_axis1", np.fft.fft(Z, { axis: 1 }));
  });
  it("fft2, ifft2, fftn, ifftn with s and axes", () => {
    matches("fft2_Z", np.fft.fft2(Z));
    matches("ifft2_Z_s35", np.fft.ifft2(Z, { s: [3, 5] }));
    matches("fftn_Z", np.fft.fftn(Z));
    matches("fftn_Z_axes02_ortho", np.fft.fftn(Z, { axes: [0, 2], norm: "ortho" }));
    matches("ifftn_Z_s234", np.fft.ifftn(Z, { s: [2, 3, 4] }));
    matches("fftshift_Z", np.fft.fftshift(Z));
  });
  it("rfft, irfft, hfft, ihfft with n and norms", () => {
    matches("rfft_x9", np.fft.rfft(x9));
    matches("rfft_x9_n12_forward", np.fft.rfft(x9, { n: 12, norm: "forward" }));
    matches("irfft_H5", np.fft.irfft(H5));
    matches("irfft_H5_n9_ortho", np.fft.irfft(H5, { n: 9, norm: "ortho" }));
    matches("hfft_H5", np.fft.hfft(H5));
    matches("hfft_H5_n7_forward", np.fft.hfft(H5, { n: 7, norm: "forward" }));
    matches("ihfft_x9", np.fft.ihfft(x9));
    matches("ihfft_x9_ortho", np.fft.ihfft(x9, { norm: "ortho" }));
  });
  it("rfft2, rfftn, irfft2, irfftn", () => {
    matches("rfft2_ZR", np.fft.rfft2(np.real(Z)));
    matches("rfftn_ZR", np.fft.rfftn(np.real(Z)));
    matches("rfftn_ZR_axes01", np.fft.rfftn(np.real(Z), { axes: [0, 1] }));
    matches("irfft2_Z", np.fft.irfft2(Z));
    matches("irfftn_Z_s236", np.fft.irfftn(Z, { s: [2, 3, 6] }));
  });
  it("float32 and complex64 input give complex64, as NumPy", () => {
    matches("fft_f32", np.fft.fft(np.real(z7).astype("float32")), 1e-6);
    matches("fft_c64", np.fft.fft(z7.astype("complex64")), 1e-6);
    expect(np.fft.rfft(np.real(z7).astype("float32")).dtype).toBe("complex64");
    expect(np.fft.irfft(z7.astype("complex64")).dtype).toBe("float32");
  });
  it("np.convolve and np.correlate on complex input (correlate conjugates its second argument)", () => {
    matches("convolve_full", np.convolve(signal(6), signal(3, 1)));
    matches("convolve_same_real", np.convolve(signal(6), np.real(signal(3, 1)), { mode: "same" }));
    matches("correlate_valid", np.correlate(signal(6), signal(3, 1)));
    matches("correlate_full_swapped", np.correlate(signal(3, 1), signal(6), { mode: "full" }));
  });
  it("real-input functions refuse complex input, naming the function", () => {
    expect(() => np.fft.rfft(z7)).toThrow(/np\.fft\.rfft: the input must be real, got a complex array/);
    expect(() => np.fft.ihfft(z7)).toThrow(/np\.fft\.ihfft: the input must be real/);
    expect(() => np.fft.rfftn(Z)).toThrow(/np\.fft\.rfftn: the input must be real/);
    expect(() => np.fft.hfft(5)).toThrow(/np\.fft\.hfft: the input must have at least one axis/);
  });
});

describe("closed forms", () => {
  const sumAbs2 = (x: NDArray): number => np.sum(np.real(np.multiply(x, np.conj(x)))).item() as number;
  it("Parseval: Σ|z|² = Σ|Z|²/n for complex z, every algorithm", () => {
    for (const n of [1, 5, 16, 33, 100, 1031]) {
      const z = signal(n, n);
      expect(sumAbs2(np.fft.fft(z)) / n, `n = ${n}`).toBeCloseTo(sumAbs2(z), 10);
      expect(sumAbs2(np.fft.fft(z, { norm: "ortho" })), `n = ${n}`).toBeCloseTo(sumAbs2(z), 10);
    }
  });
  it("a delta transforms to ones, a pure tone e^{2πi·3j/n} to n at bin 3", () => {
    const n = 12;
    const delta = np.zeros([n]).astype("complex128");
    expect(flat(np.real(np.fft.fft(delta.add(np.eye(n).get(0)))))).toEqual(Array(n).fill(1));
    const theta = np.arange(n).mul((2 * Math.PI * 3) / n);
    const tone = np.exp(np.multiply(theta, { re: 0, im: 1 }));
    const X = np.fft.fft(tone);
    expect(flat(np.real(X))).toBeAllclose(Array.from({ length: n }, (_, k) => (k === 3 ? n : 0)), { atol: 1e-13 });
    expect(flat(np.imag(X))).toBeAllclose(Array(n).fill(0), { atol: 1e-13 });
  });
  it("Euler's formula: the inverse transform of n at bin k is e^{2πijk/n} = cos + i sin", () => {
    const n = 10;
    const spike = np.complex(np.eye(n).get(4).mul(n), np.zeros([n]));
    const wave = np.fft.ifft(spike);
    const angle = np.arange(n).mul((2 * Math.PI * 4) / n);
    expect(np.real(wave)).toBeAllclose(np.cos(angle), { atol: 1e-14 });
    expect(np.imag(wave)).toBeAllclose(np.sin(angle), { atol: 1e-14 });
  });
});

const H = 1e-6;
const randomComplex = (rng: Rng, shape: number[]): NDArray => {
  const size = shape.reduce((a, b) => a * b, 1);
  const part = () => np.array(Array.from({ length: size }, () => 2 * rng.next() - 1)).reshape(shape);
  return np.complex(part(), part());
};
const maxAbs = (x: NDArray): number => Math.max(0, ...flat(np.abs(x)));
/** Re Σ uₖvₖ and Σ|uₖ||vₖ|. */
function pairing(u: NDArray, v: NDArray): [number, number] {
  const prod = np.multiply(u, v);
  return [np.sum(np.real(prod)).item() as number, np.sum(np.multiply(np.abs(u), np.abs(v))).item() as number];
}

type Case = [string, (z: NDArray) => NDArray, number[], boolean];
/** name, function, input shape, whether the input is real. */
const CASES: Case[] = [
  ["fft (radix 2)", (z) => np.fft.fft(z), [8], false],
  ["fft (direct, n and ortho)", (z) => np.fft.fft(z, { n: 9, norm: "ortho" }), [6], false],
  ["fft (Bluestein)", (z) => np.fft.fft(z), [70], false],
  ["ifft along axis 0", (z) => np.fft.ifft(z, { axis: 0 }), [5, 3], false],
  ["fft2 with s", (z) => np.fft.fft2(z, { s: [4, 3] }), [3, 4], false],
  ["ifftn forward", (z) => np.fft.ifftn(z, { norm: "forward" }), [2, 3, 2], false],
  ["rfft", (x) => np.fft.rfft(x), [9], true],
  ["ihfft", (x) => np.fft.ihfft(x, { n: 6 }), [5], true],
  ["irfft", (z) => np.fft.irfft(z, { n: 7 }), [4], false],
  ["hfft", (z) => np.fft.hfft(z), [5], false],
  ["rfftn / irfftn", (x) => np.fft.irfftn(np.fft.rfftn(x).mul({ re: 0.5, im: 2 }), { s: [3, 4] }), [3, 4], true],
  ["nonlinear: fft(z)·fft(z²)", (z) => np.multiply(np.fft.fft(z), np.fft.fft(np.multiply(z, z))), [6], false],
];

describe("derivatives of np.fft: property tests", () => {
  for (const [name, f, shape, realInput] of CASES) {
    const points = fc.integer().map((seed) => {
      const rng = new Rng(seed);
      const z = realInput ? np.real(randomComplex(rng, shape)) : randomComplex(rng, shape);
      return { z, rng };
    });
    const directions = (rng: Rng): NDArray[] =>
      realInput ? [np.real(randomComplex(rng, shape)), np.ones(shape)] : [np.ones(shape).astype("complex128"), np.complex(np.zeros(shape), np.ones(shape)), randomComplex(rng, shape)];

    it(`${name}: JVP = central differences (along 1, i and random directions)`, () => {
      property(points, 10, ({ z, rng }) => {
        for (const v of directions(rng)) {
          const [, t] = jvp(f, [z], [v]);
          const fd = np.divide(np.subtract(f(np.add(z, v.mul(H))), f(np.subtract(z, v.mul(H)))), 2 * H);
          expect(maxAbs(np.subtract(t, fd))).toBeLessThan(1e-7 * (1 + maxAbs(fd)));
        }
      });
    });
    it(`${name}: VJP agrees with JVP, Re⟨u, J v⟩ = Re⟨Jᵀu, v⟩`, () => {
      property(points, 10, ({ z, rng }) => {
        const v = directions(rng)[0]!;
        const [out, jv] = jvp(f, [z], [v]);
        const u = np.iscomplexobj(out) ? randomComplex(rng, [...out.shape]) : np.real(randomComplex(rng, [...out.shape]));
        const [, back] = vjp(f, z);
        const [jtu] = back(u) as [NDArray];
        const [lhs, sl] = pairing(u, jv);
        const [rhs, sr] = pairing(jtu, v);
        expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-12 * (sl + sr) + 1e-14);
      });
    });
    it(`${name}: vmap equals a loop; second order = differences of the JVP`, () => {
      property(points, 5, ({ z, rng }) => {
        const batch = np.stack([z, z.mul(0.5), z.mul(-1.5)]);
        const batched = vmap(f)(batch) as NDArray;
        for (let i = 0; i < 3; i++) expect(np.real(batched.get(i))).toBeAllclose(np.real(f(batch.get(i))), { rtol: 1e-13, atol: 1e-13 });
        const v = directions(rng)[0]!;
        const d1 = (x: NDArray): NDArray => jvp(f, [x], [v])[1];
        const [, d2] = jvp(d1, [z], [v]);
        const fd = np.divide(np.subtract(d1(np.add(z, v.mul(H))), d1(np.subtract(z, v.mul(H)))), 2 * H);
        expect(maxAbs(np.subtract(d2, fd))).toBeLessThan(1e-6 * (1 + maxAbs(fd)));
      });
    });
  }

  it("the transpose is the same-direction transform, not conjugated (JAX): vjp of fft at u is fft(u)", () => {
    const z = signal(6);
    const u = signal(6, 2);
    const [, back] = vjp((x: NDArray) => np.fft.fft(x), z);
    const [g] = back(u) as [NDArray];
    expect(flat(np.real(g))).toBeAllclose(flat(np.real(np.fft.fft(u))), { atol: 1e-14 });
    expect(flat(np.imag(g))).toBeAllclose(flat(np.imag(np.fft.fft(u))), { atol: 1e-14 });
  });
  it("grad of the real Σ|fft(z)|² is 2n·conj(z) (∂/∂x − i ∂/∂y of n·Σ|z|²)", () => {
    const z = signal(8);
    const g = grad((x: NDArray) => np.sum(np.real(np.multiply(np.fft.fft(x), np.conj(np.fft.fft(x))))))(z) as NDArray;
    expect(flat(np.real(g))).toBeAllclose(flat(np.real(z)).map((v) => 16 * v), { atol: 1e-12 });
    expect(flat(np.imag(g))).toBeAllclose(flat(np.imag(z)).map((v) => -16 * v), { atol: 1e-12 });
  });
});

/**
 * @file `np.fft`: values against NumPy on every algorithm path (radix 2, dense DFT, Bluestein),
 * inverses and identities, derivatives (closed forms and `checkGrads` to second order), `vmap`,
 * and argument errors.
 */
import { describe, expect, it } from "vitest";
import { checkGrads, grad, jvp, tree, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import * as R from "./fft-refs.ts";

const sig = (n: number, seed: number) => np.array(Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + seed) + 0.3 * Math.cos(1.9 * i * i + seed)));
const close = (z: np.NDArray, [re, im]: number[][], shape?: number[], tol = 1e-13) => {
  const scale = Math.max(...re!.map(Math.abs), ...im!.map(Math.abs));
  const flat = (x: np.NDArray) => x.reshape(-1);
  expect(flat(np.real(z))).toBeAllclose(re!, { rtol: 0, atol: tol * scale });
  expect(flat(np.imag(z))).toBeAllclose(im!, { rtol: 0, atol: tol * scale });
  if (shape) expect(z.shape).toEqual(shape);
};

describe("values against NumPy", () => {
  it("fft on the three paths: radix 2 (8), dense DFT (12), Bluestein (1500)", () => {
    close(np.fft.fft(sig(8, 1)), R.fft8);
    close(np.fft.fft(sig(12, 1)), R.fft12);
    close(np.fft.fft(sig(1500, 1)).get(R.fft1500At), R.fft1500);
  });
  it("ifft, rfft with norm 'ortho', irfft to an odd length, fft2 with s, fftn over chosen axes with norm 'forward'", () => {
    close(np.fft.ifft(new np.ComplexArray(sig(7, 2), sig(7, 3))), R.ifft7);
    close(np.fft.rfft(sig(9, 4), { norm: "ortho" }), R.rfft9Ortho, [5]);
    expect(np.fft.irfft(new np.ComplexArray(sig(4, 5), sig(4, 6)), { n: 7 })).toBeAllclose(R.irfft7, { rtol: 0, atol: 1e-14 });
    close(np.fft.fft2(sig(60, 7).reshape(6, 10), { s: [8, 5] }), R.fft2s85, [8, 5]);
    close(np.fft.fftn(sig(24, 8).reshape(2, 3, 4), { axes: [0, 2], norm: "forward" }), R.fftnForward, [2, 3, 4]);
  });
  it("small cases, the docs' examples, frequencies and shifts", () => {
    const z = np.fft.fft([1, 2, 3, 4]);
    expect(np.real(z)).toBeAllclose([10, -2, -2, -2]);
    expect(np.imag(z)).toBeAllclose([0, 2, 0, -2], { atol: 1e-15 });
    expect(np.real(np.fft.fft([5]))).toBeAllclose([5]);
    expect(np.real(np.fft.fft([1, 2], { n: 4 }))).toBeAllclose([3, 1, -1, 1]);
    expect(np.real(np.fft.fft([1, 2, 3, 4, 5], { n: 2 }))).toBeAllclose([3, -1]);
    expect(np.fft.fftfreq(5, 0.1)).toBeAllclose([0, 2, 4, -4, -2]);
    expect(np.fft.rfftfreq(7, 2)).toBeAllclose([0, 1 / 14, 2 / 14, 3 / 14]);
    expect(np.fft.fftshift(np.arange(7)).toArray()).toEqual([4, 5, 6, 0, 1, 2, 3]);
    expect(np.fft.ifftshift(np.fft.fftshift(np.arange(6).reshape(2, 3))).toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(np.fft.fftshift(np.arange(6).reshape(2, 3), { axes: 1 }).toArray()).toEqual([[2, 0, 1], [5, 3, 4]]);
    expect(String(new np.ComplexArray(np.array([1, 0.5]), np.array([0, -2])))).toBe("[1+0j, 0.5-2j]");
    // quarter turns are exact, as in pocketfft: no -1.9999999999999998
    expect(np.real(np.fft.fft([1, 2, 3, 4])).toArray()).toEqual([10, -2, -2, -2]);
  });
  it("np.abs, np.real, np.imag, np.angle, np.conj take a ComplexArray (and real arrays, as NumPy)", () => {
    const z = np.fft.fft([1, 2, 3, 4]);
    expect(np.abs(z)).toBeAllclose([10, Math.SQRT2 * 2, 2, Math.SQRT2 * 2], { rtol: 1e-15 });
    expect(np.real(z)).toBeAllclose([10, -2, -2, -2]);
    expect(np.imag(z)).toBeAllclose([0, 2, 0, -2], { atol: 1e-15 });
    expect(np.angle(z)).toBeAllclose([0, (3 * Math.PI) / 4, Math.PI, (-3 * Math.PI) / 4], { atol: 1e-15 });
    expect(np.imag(np.conj(z))).toBeAllclose([0, -2, 0, 2], { atol: 1e-15 });
    expect(np.abs([-1.5, 2])).toBeAllclose([1.5, 2]);
    expect(np.real([1, 2])).toBeAllclose([1, 2]);
    expect(np.imag([1, 2])).toBeAllclose([0, 0]);
    expect(np.angle([-2, 3])).toBeAllclose([Math.PI, 0]);
    expect(np.conjugate([1, 2])).toBeAllclose([1, 2]);
    expect(grad((u: np.NDArray) => np.sum(np.abs(np.fft.fft(u))))(np.array([1, 2, 3, 4]))).toBeAllclose(
      grad((u: np.NDArray) => np.sum(np.fft.fft(u).abs()))(np.array([1, 2, 3, 4])),
    );
  });
});

describe("identities", () => {
  it("ifft(fft(x)) = x and irfft(rfft(x)) = x on every path, along any axis; Parseval", () => {
    for (const n of [1, 2, 3, 16, 30, 97, 1030, 1024]) {
      const x = new np.ComplexArray(sig(n, 1), sig(n, 2));
      const back = np.fft.ifft(np.fft.fft(x));
      expect(np.real(back), `n = ${n}`).toBeAllclose(np.real(x), { atol: 1e-13 });
      expect(np.imag(back), `n = ${n}`).toBeAllclose(np.imag(x), { atol: 1e-13 });
      if (n > 1) expect(np.fft.irfft(np.fft.rfft(np.real(x)), { n }), `n = ${n}`).toBeAllclose(np.real(x), { atol: 1e-13 });
      const energy = np.sum(np.fft.fft(x, { norm: "ortho" }).abs().pow(2));
      expect(energy).toBeAllclose(np.sum(np.real(x).pow(2)).add(np.sum(np.imag(x).pow(2))), { rtol: 1e-12 });
    }
    const m = sig(24, 3).reshape(4, 6);
    const along0 = np.fft.fft(m, { axis: 0 });
    expect(np.real(along0)).toBeAllclose(np.real(np.fft.fft(m.T)).T, { atol: 1e-14 });
    const b = np.fft.ifftn(np.fft.fftn(m));
    expect(np.real(b)).toBeAllclose(m, { atol: 1e-14 });
  });
  it("the transform of a shifted impulse is a pure phase: e^{−2πik·3/8}", () => {
    const z = np.fft.fft([0, 0, 0, 1, 0, 0, 0, 0]);
    expect(z.abs()).toBeAllclose(np.ones([8]), { rtol: 1e-15 });
    const k = np.arange(8);
    expect(np.real(z)).toBeAllclose(np.cos(k.mul((-2 * Math.PI * 3) / 8)), { atol: 1e-15 });
    expect(np.imag(z)).toBeAllclose(np.sin(k.mul((-2 * Math.PI * 3) / 8)), { atol: 1e-15 });
  });
});

describe("derivatives and vmap", () => {
  it("Parseval's gradient: ∇ Σ|fft(x)|² = 2n·x, on each path", () => {
    for (const n of [8, 12, 1100]) {
      const x = sig(n, 0.2);
      expect(grad((u: np.NDArray) => np.sum(np.fft.fft(u).abs().pow(2)))(x), `n = ${n}`).toBeAllclose(x.mul(2 * n), { rtol: 1e-12 });
    }
  });
  it("the transform is linear: its jvp is the transform of the tangent", () => {
    const [x, v] = [sig(12, 1), sig(12, 2)];
    const [, t] = jvp((u: np.NDArray) => np.imag(np.fft.fft(u)), [x], [v]);
    expect(t).toBeAllclose(np.imag(np.fft.fft(v)), { atol: 1e-13 });
  });
  it("checkGrads to second order through rfft, irfft, fft2/ifft2, angle, Bluestein", () => {
    const x = sig(12, 1);
    checkGrads((u: np.NDArray) => np.sum(np.angle(np.fft.rfft(u.mul(u))).mul(np.fft.irfft(np.fft.fft(u).mul(np.fft.fft(np.sin(u))), { n: 7 }).sum())), [x], { order: 2 });
    const w = np.array([[1, 2, 3, 4], [0.5, 1, -1, 2], [1, 1, 1, 3]]);
    checkGrads((u: np.NDArray) => np.sum(np.real(np.fft.ifft2(np.fft.fft2(u.reshape(3, 4)).mul(w))).pow(2)), [x], { order: 2 });
    checkGrads((u: np.NDArray) => np.sum(np.imag(np.fft.fft(u.mul(u), { n: 1040 })).get("::97")), [x], { order: 2 });
  });
  it("vmap agrees with a loop, also over a non-leading axis", () => {
    const batch = np.stack([sig(10, 1), sig(10, 2), sig(10, 3)]);
    const f = (u: np.NDArray) => np.fft.fft(u).abs();
    expect(vmap(f)(batch)).toBeAllclose(np.stack([0, 1, 2].map((i) => f(batch.get(i)))), { atol: 1e-15 });
    expect(vmap(f, { inAxes: 1, outAxes: 1 })(batch.T)).toBeAllclose(np.stack([0, 1, 2].map((i) => f(batch.get(i)))).T, { atol: 1e-15 });
    const perExample = vmap(grad((u: np.NDArray) => np.sum(np.real(np.fft.rfft(u)).pow(3))))(batch);
    expect(perExample.get(1)).toBeAllclose(grad((u: np.NDArray) => np.sum(np.real(np.fft.rfft(u)).pow(3)))(batch.get(1)), { atol: 1e-13 });
  });
});

describe("np.fft returns complex arrays; ComplexArray (deprecated) is still accepted", () => {
  it("transformations take and return complex arrays", () => {
    const b = np.array([[1, 2, 3, 4], [0, 1, 0, 1]]);
    const z = vmap((u: np.NDArray) => np.fft.fft(u))(b);
    expect(z.dtype).toBe("complex128");
    expect(np.real(z)).toBeAllclose([[10, -2, -2, -2], [2, 0, -2, 0]]);
    expect(np.imag(z)).toBeAllclose([[0, 2, 0, -2], [0, 0, 0, 0]]);
    const [out, tan] = jvp((u: np.NDArray) => np.fft.fft(u), [np.array([1, 2, 3, 4])], [np.array([1, 0, 0, 0])]);
    expect(out.dtype).toBe("complex128");
    expect(np.real(tan)).toBeAllclose([1, 1, 1, 1]);
  });
  it("a ComplexArray argument is read as real + i·imag; it stays a tree node (real, imag)", () => {
    const [re, im] = [np.array([1, 2, 0.5]), np.array([5, -1, 2])];
    const viaOld = np.fft.fft(new np.ComplexArray(re, im));
    const viaNew = np.fft.fft(np.complex(re, im));
    expect(np.real(viaOld)).toBeAllclose(np.real(viaNew), { rtol: 0, atol: 0 });
    expect(np.imag(viaOld)).toBeAllclose(np.imag(viaNew), { rtol: 0, atol: 0 });
    const g = grad((w: np.ComplexArray) => np.sum(np.real(w).mul(3)).add(np.sum(np.imag(w).pow(2))))(new np.ComplexArray(np.array([1, 2]), np.array([5, -1])));
    expect(g).toBeInstanceOf(np.ComplexArray);
    expect(np.real(g)).toBeAllclose([3, 3]);
    expect(np.imag(g)).toBeAllclose([10, -2]);
    expect(tree.leaves({ z: new np.ComplexArray(np.array(1), np.array(2)) }).map((l) => (l as np.NDArray).item())).toEqual([1, 2]);
  });
});

describe("the plan cache", () => {
  it("gives identical results after its tables turn over (more lengths than it keeps)", () => {
    const x = sig(1000, 2);
    const first = np.fft.fft(x);
    for (let n = 1001; n < 1080; n++) np.fft.fft(sig(n, 1));
    const again = np.fft.fft(x);
    expect(np.real(again)).toBeAllclose(np.real(first), { rtol: 0, atol: 0 });
    expect(np.imag(again)).toBeAllclose(np.imag(first), { rtol: 0, atol: 0 });
  });
});

describe("argument errors", () => {
  it("name the function and the argument", () => {
    expect(() => np.fft.fft(5)).toThrow(/np\.fft\.fft: the input must have at least one axis, got a 0-d array/);
    expect(() => np.fft.fft([1, 2], { n: 0 })).toThrow(/np\.fft\.fft: option n must be a positive integer; got 0/);
    expect(() => np.fft.fft([1, 2], { axis: 1 })).toThrow(/np\.fft\.fft: axis 1 is out of bounds for an array of dimension 1/);
    expect(() => np.fft.fft([1, 2], { norm: "unitary" as np.fft.FftNorm })).toThrow(/np\.fft\.fft: option norm must be one of "backward", "ortho", "forward"; got "unitary"/);
    expect(() => np.fft.rfft(np.fft.fft([1, 2]) as unknown as number[])).toThrow(/np\.fft\.rfft: the input must be real/);
    expect(() => np.fft.fft2([[1, 2]], { s: [2], axes: [0, 1] })).toThrow(/np\.fft\.fft2: s and axes have different lengths/);
    expect(() => new np.ComplexArray(np.zeros([2]), np.zeros([3]))).toThrow(/ComplexArray: the real part has shape \[2\] but the imaginary part \[3\]/);
  });
});

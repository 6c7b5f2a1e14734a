/**
 * @file The interleaved FFT kernels (src/kernels/fft.ts) against NumPy 2's `np.fft` (pocketfft), on
 * lengths that take each algorithm (radix-2, direct, Bluestein), along either axis of a matrix, with
 * the input cut or zero-padded, and the real/Hermitian variants; plus closed forms (Parseval, the
 * transform of a pure tone, linearity) and complex64 storage.
 *
 * The fixture test/fixtures/fft-kernels.json is written by test/fixtures/gen-fft-kernels.py.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { fftAxis, rfftAxis, irfftAxis, dft } from "../src/kernels/fft.ts";

interface Case {
  kind: "fft" | "ifft" | "rfft" | "ihfft" | "irfft" | "hfft";
  shape: number[];
  axis: number;
  n: number;
  idx: number[];
  values: [number, number][];
}
const fx = JSON.parse(readFileSync(new URL("./fixtures/fft-kernels.json", import.meta.url), "utf8")) as { cases: Case[] };
const EPS = 2 ** -52;

/** The fixture's input: exact binary fractions, interleaved (the same formula as the generator's). */
function signal(count: number): Float64Array {
  const out = new Float64Array(2 * count);
  for (let j = 0; j < count; j++) {
    out[2 * j] = (((j * 7 + 3) % 11) - 5) / 4;
    out[2 * j + 1] = (((j * 5 + 1) % 13) - 6) / 8;
  }
  return out;
}
const realPart = (z: Float64Array): Float64Array => z.filter((_, i) => i % 2 === 0);

function compute(c: Case): { out: Float64Array | Float32Array; complex: boolean } {
  const size = c.shape.reduce((a, b) => a * b, 1);
  const z = signal(size);
  const t = { n: c.n, inverse: false, scale: 1 };
  switch (c.kind) {
    case "fft":
      return { out: fftAxis(z, c.shape, c.axis, t), complex: true };
    case "ifft":
      return { out: fftAxis(z, c.shape, c.axis, { ...t, inverse: true }), complex: true };
    case "rfft":
      return { out: rfftAxis(realPart(z), c.shape, c.axis, t), complex: true };
    case "ihfft": // ihfft(x)·n = conj(rfft(x))
      return { out: rfftAxis(realPart(z), c.shape, c.axis, t, true), complex: true };
    case "irfft":
      return { out: irfftAxis(z, c.shape, c.axis, { ...t, inverse: true }), complex: false };
    case "hfft": // hfft(z, n) = irfft(conj z)·n, unscaled
      return { out: irfftAxis(z, c.shape, c.axis, { ...t, inverse: true }, true), complex: false };
  }
}

describe("FFT kernels vs NumPy 2", () => {
  for (const c of fx.cases) {
    const label = `${c.kind} shape [${c.shape}] axis ${c.axis} n ${c.n}`;
    it(`${label}: within ε·log₂n of NumPy, normwise`, () => {
      const { out, complex } = compute(c);
      const size = complex ? out.length / 2 : out.length;
      expect(c.idx[c.idx.length - 1]).toBe(size - 1);
      let scale = 0;
      let err = 0;
      c.idx.forEach((k, i) => {
        const [er, ei] = c.values[i]!;
        const [or, oi] = complex ? [out[2 * k]!, out[2 * k + 1]!] : [out[k]!, 0];
        scale = Math.max(scale, Math.hypot(er, ei));
        err = Math.max(err, Math.hypot(or - er, oi - ei));
      });
      // Both sides round about log₂ n times per term; the bound is relative to the largest term.
      // Measured: at most 0.6·ε·log₂ n (rfft of 1031 points, Bluestein).
      expect(err).toBeLessThanOrEqual(EPS * Math.max(1, Math.log2(c.n)) * Math.max(scale, 1e-300));
    });
  }
});

describe("FFT kernels: closed forms", () => {
  const lengths = [1, 2, 3, 6, 8, 31, 64, 65, 97, 256, 300];
  it("Parseval: Σ|x|² = Σ|X|²/n", () => {
    for (const n of lengths) {
      const x = signal(n);
      const X = fftAxis(x, [n], 0, { n, inverse: false, scale: 1 });
      const e = x.reduce((a, v) => a + v * v, 0);
      const E = [...X].reduce((a, v) => a + v * v, 0) / n;
      expect(Math.abs(E - e) / e, `n = ${n}`).toBeLessThan(1e-14);
    }
  });
  it("a pure tone e^{2πi·3j/n} transforms to n at bin 3 and 0 elsewhere", () => {
    for (const n of [8, 12, 64, 100, 257]) {
      const x = new Float64Array(2 * n);
      for (let j = 0; j < n; j++) {
        x[2 * j] = Math.cos((2 * Math.PI * 3 * j) / n);
        x[2 * j + 1] = Math.sin((2 * Math.PI * 3 * j) / n);
      }
      const X = fftAxis(x, [n], 0, { n, inverse: false, scale: 1 });
      for (let k = 0; k < n; k++) {
        expect(X[2 * k]!, `n ${n} bin ${k}`).toBeCloseTo(k === 3 ? n : 0, 10);
        expect(X[2 * k + 1]!, `n ${n} bin ${k}`).toBeCloseTo(0, 10);
      }
    }
  });
  it("the inverse undoes the transform (scale 1/n) for every algorithm", () => {
    for (const n of lengths) {
      const x = signal(n);
      const X = fftAxis(x, [n], 0, { n, inverse: false, scale: 1 });
      const back = fftAxis(X, [n], 0, { n, inverse: true, scale: 1 / n });
      back.forEach((v, i) => expect(Math.abs(v - x[i]!)).toBeLessThan(1e-14 * n));
    }
  });
  it("quarter turns are exact: the 4-point transform of [1, i, −1, −i] is [0, 4, 0, 0] + 0i", () => {
    const buf = new Float64Array([1, 0, 0, 1, -1, 0, -0, -1]);
    dft(buf, 4, 1);
    expect([...buf].map((v) => v + 0)).toEqual([0, 0, 0, 0, 0, 0, 4, 0]);
  });
  it("complex64 data: computed in double and rounded once", () => {
    const n = 100;
    const x = signal(n);
    const X64 = fftAxis(x, [n], 0, { n, inverse: false, scale: 1 });
    const X32 = fftAxis(new Float32Array(x), [n], 0, { n, inverse: false, scale: 1 });
    expect(X32).toBeInstanceOf(Float32Array);
    expect([...X32]).toEqual([...X64].map(Math.fround));
  });
});

/**
 * @file `np.fft` on random lengths (all three algorithms: powers of two, the dense DFT, Bluestein
 * above 1024), random leading shapes and axes: against a naive O(n²) DFT oracle, inverse after
 * forward, JVP against central differences and VJP against JVP, and `vmap` against a loop.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import * as np from "autograd-ts/numpy";
import { checkJvpVsFd, checkVjpVsJvp, checkVmap, randomInAxes, Rng, type Fn } from "./check.ts";
import { property } from "./harness.ts";

/** A case: the transformed length, a leading batch length, which axis, and a seed for the values. */
const cases = fc.record({
  n: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom(64, 128, 97, 255, 256), fc.integer({ min: 1025, max: 1060 })),
  batch: fc.integer({ min: 1, max: 3 }),
  axis: fc.constantFrom(0, 1),
  norm: fc.constantFrom("backward", "ortho", "forward") as fc.Arbitrary<np.fft.FftNorm>,
  seed: fc.integer(),
});

/** Shape with the transformed axis at `axis`. */
const shapeOf = (c: { n: number; batch: number; axis: number }) => (c.axis === 0 ? [c.n, c.batch] : [c.batch, c.n]);

/** The oracle: Xₖ = Σⱼ xⱼ e^{−2πijk/n} along `axis`, summed term by term, and its error scale Σ|xⱼ|. */
function naive(re: Float64Array, im: Float64Array, shape: number[], axis: number): [Float64Array, Float64Array, Float64Array] {
  const [r, c] = shape as [number, number];
  const n = shape[axis]!;
  const [outRe, outIm, scale] = [new Float64Array(r * c), new Float64Array(r * c), new Float64Array(r * c)];
  const at = (line: number, j: number) => (axis === 0 ? j * c + line : line * c + j);
  for (let line = 0; line < shape[1 - axis]!; line++) {
    for (let k = 0; k < n; k++) {
      let [sr, si, sa] = [0, 0, 0];
      for (let j = 0; j < n; j++) {
        const t = (-2 * Math.PI * ((j * k) % n)) / n;
        const [xr, xi] = [re[at(line, j)]!, im[at(line, j)]!];
        sr += xr * Math.cos(t) - xi * Math.sin(t);
        si += xr * Math.sin(t) + xi * Math.cos(t);
        sa += Math.hypot(xr, xi);
      }
      [outRe[at(line, k)], outIm[at(line, k)], scale[at(line, k)]] = [sr, si, sa];
    }
  }
  return [outRe, outIm, scale];
}

describe("np.fft on random lengths, shapes and axes", () => {
  it("agrees with the naive DFT (error ≤ 1e-13·Σ|x|), and ifft undoes fft", () => {
    property(cases, 30, (c) => {
      const rng = new Rng(c.seed);
      const shape = shapeOf(c);
      const [re, im] = [rng.like({ shape, dtype: "float64" }), rng.like({ shape, dtype: "float64" })];
      const z = np.fft.fft(new np.ComplexArray(re, im), { axis: c.axis });
      const [wr, wi, scale] = naive(re.data as Float64Array, im.data as Float64Array, shape, c.axis);
      const [gr, gi] = [np.real(z).toArray(), np.imag(z).toArray()].map((a) => (a as number[][]).flat());
      for (let i = 0; i < wr.length; i++) {
        const err = Math.hypot(gr![i]! - wr[i]!, gi![i]! - wi[i]!);
        if (!(err <= 1e-13 * scale[i]! + 1e-300)) throw new Error(`n = ${c.n}, axis ${c.axis}: element ${i} off by ${err} (scale ${scale[i]})`);
      }
      const back = np.fft.ifft(np.fft.fft(new np.ComplexArray(re, im), { axis: c.axis, norm: c.norm }), { axis: c.axis, norm: c.norm });
      const err = np.max(np.abs(np.real(back).sub(re))).item() + np.max(np.abs(np.imag(back).sub(im))).item();
      if (!(err <= 1e-13 * Math.max(1, Math.log2(c.n)))) throw new Error(`n = ${c.n}: ifft(fft(x)) is off by ${err}`);
    });
  });

  const small = cases.filter((c) => c.n <= 70);
  it("jvp ≈ central differences and vjp agrees with jvp, for fft, rfft and irfft", () => {
    property(small, 25, (c) => {
      const rng = new Rng(c.seed);
      const shape = shapeOf(c);
      const opts = { axis: c.axis, norm: c.norm };
      const fns: Fn[] = [
        (re, im) => { const z = np.fft.fft(new np.ComplexArray(re!, im!), opts); return [np.real(z), np.imag(z)]; },
        (re) => { const z = np.fft.rfft(re!, opts); return [np.real(z), np.imag(z)]; },
        // irfft of one term has no default length (2(m − 1) = 0: NumPy raises too); give one
        (re, im) => [np.fft.irfft(new np.ComplexArray(re!, im!), { ...opts, n: c.n === 1 ? 1 : undefined })],
      ];
      for (const F of fns) {
        const xs = [rng.like({ shape, dtype: "float64" }), rng.like({ shape, dtype: "float64" })].slice(0, F.length || 2);
        const vs = xs.map((x) => rng.like(x));
        const us = F(...xs).map((o) => rng.like(o));
        checkJvpVsFd(F, xs, vs, us);
        checkVjpVsJvp(F, xs, vs, us);
      }
    });
  });

  it("vmap agrees with a loop, batch axes anywhere", () => {
    property(fc.tuple(small, fc.integer({ min: 1, max: 3 })), 25, ([c, count]) => {
      const rng = new Rng(c.seed);
      const shape = shapeOf(c);
      const F: Fn = (re, im) => { const z = np.fft.fft(new np.ComplexArray(re!, im!), { axis: c.axis, norm: c.norm }); return [np.real(z), np.imag(z).mul(re!)]; };
      const examples = Array.from({ length: count }, () => [rng.like({ shape, dtype: "float64" }), rng.like({ shape, dtype: "float64" })]);
      checkVmap(F, examples, randomInAxes(examples[0]!, rng), rng);
    });
  });
});

/**
 * @file Complex input to the scipy, nn and jet entry points that used to cast it to float64
 * (dropping the imaginary part) is a TypeError naming the function, the argument and the dtype;
 * scipy.signal's convolutions take it (checked against the direct sum).
 */
import { describe, expect, it } from "vitest";
import * as np from "autograd-ts/numpy";
import type { NDArray } from "autograd-ts/numpy";
import { jet, nn } from "autograd-ts";
import * as scipy from "../src/scipy/index.ts";

const z = np.array([{ re: 1, im: 2 }, { re: -0.5, im: 0.25 }]);

describe("complex input refused with a named TypeError", () => {
  const cases: [string, () => unknown, RegExp][] = [
    ["odeint y0", () => scipy.integrate.odeint((y: NDArray) => y, z, [0, 1]), /scipy\.integrate\.odeint: argument y0 has dtype complex128/],
    ["newton x0", () => scipy.optimize.newton((x: NDArray) => x.mul(x).sub(2), z.get(0)), /scipy\.optimize\.newton: argument x0 has dtype complex128/],
    ["newton value", () => scipy.optimize.newton((x: NDArray) => np.complex(x, x), 1), /scipy\.optimize\.newton: argument func's value has dtype complex128/],
    ["minimize x0", () => scipy.optimize.minimize((x: NDArray) => np.sum(np.abs(x)), z), /scipy\.optimize\.minimize: argument x0 has dtype complex128/],
    ["minimize value", () => scipy.optimize.minimize((x: NDArray) => np.complex(np.sum(x), 1), np.array([1, 2])), /scipy\.optimize\.minimize: .* has dtype complex128/],
    ["logsumexp", () => scipy.special.logsumexp(z), /scipy\.special\.logsumexp: argument a has dtype complex128/],
    ["erf", () => scipy.special.erf(z), /scipy\.special\.erf: argument x has dtype complex128/],
    ["norm.logpdf", () => scipy.stats.norm.logpdf(z), /scipy\.stats\.norm\.logpdf: argument x has dtype complex128/],
    ["nn.relu", () => nn.relu(z), /nn\.relu: argument x has dtype complex128/],
    ["nn.softmax", () => nn.softmax(z), /nn\.softmax: argument x has dtype complex128/],
    ["nn.maxPool", () => nn.maxPool(z.reshape([1, 2, 1]), [2]), /nn\.maxPool: argument x has dtype complex128/],
    ["jet series", () => jet(np.sin, [0.5], [[z.get(0)]]), /jet: series\[0\]\[0\] has dtype complex128/],
    ["jet output", () => jet((x: NDArray) => np.complex(x, x), [0.5], [[1]]), /jet: output leaf 0 has dtype complex128/],
  ];
  for (const [name, f, msg] of cases) {
    it(name, () => {
      expect(f).toThrow(TypeError);
      expect(f).toThrow(msg);
    });
  }
});

describe("scipy.signal.convolve of complex arrays", () => {
  it("equals the direct sum Σ a[k − j]·b[j]", () => {
    const a = np.array([{ re: 1, im: 2 }, { re: -0.5, im: 0.25 }, { re: 3, im: -1 }]);
    const b = np.array([{ re: 0.1, im: 0.7 }, { re: 2, im: 0 }]);
    const got = scipy.signal.convolve(a, b) as NDArray;
    expect(got.dtype).toBe("complex128");
    const A = a.toArray() as { re: number; im: number }[];
    const B = b.toArray() as { re: number; im: number }[];
    const want = Array.from({ length: 4 }, (_, k) => {
      let re = 0, im = 0;
      for (let j = 0; j < B.length; j++) {
        const x = A[k - j];
        if (x === undefined) continue;
        re += x.re * B[j]!.re - x.im * B[j]!.im;
        im += x.re * B[j]!.im + x.im * B[j]!.re;
      }
      return { re, im };
    });
    (got.toArray() as { re: number; im: number }[]).forEach((g, k) => {
      expect(g.re).toBeCloseTo(want[k]!.re, 12);
      expect(g.im).toBeCloseTo(want[k]!.im, 12);
    });
  });
});

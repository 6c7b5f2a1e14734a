/**
 * @file Complex variants of the registered primitives' specs that take complex operands: the same
 * setups and domains with every float64 argument given an imaginary part (so it becomes
 * complex128), and a spec of `convert` to and from the complex dtypes. Not a `specs*.ts` file: these
 * are second specs of primitives that already have one, run by complex.test.ts.
 */
import fc from "fast-check";
import { ConcreteArray } from "../src/core/ndarray.ts";
import type { DType } from "../src/core/dtype.ts";
import * as st from "../src/primitives/structural.ts";
import { specs as registered } from "./harness.ts";
import { complexes, floats, shape, spec, uniform, type PrimSpec } from "./spec.ts";

/** `x + i·im` for a float64 array `x` and imaginary parts `im`. */
function withImag(x: ConcreteArray, im: readonly number[]): ConcreteArray {
  const data = new Float64Array(2 * x.size);
  for (let k = 0; k < x.size; k++) {
    data[2 * k] = x.data[k]!;
    data[2 * k + 1] = im[k]!;
  }
  return new ConcreteArray(data, x.shape, "complex128");
}

/**
 * The spec of `name` with each float64 argument made complex128 (imaginary parts from `imag`). A
 * complex value is at least as far from 0 as its real part, so domains "away from 0" (divisors,
 * `abs`) stay valid; other domains are the caller's to keep (hence the explicit list below).
 */
function complexify(name: string, imag: fc.Arbitrary<number> = uniform(-2, 2)): PrimSpec {
  const base = registered.get(name);
  if (base === undefined) throw new Error(`complex-specs: no registered spec named ${name}`);
  return {
    ...base,
    args: (s) =>
      base.args(s).chain((args) =>
        fc
          .tuple(...args.map((a) => (a.dtype === "float64" ? fc.array(imag, { minLength: a.size, maxLength: a.size }) : fc.constant(null))))
          .map((ims) => args.map((a, i) => (ims[i] === null ? a : withImag(a, ims[i]!)))),
      ),
    // The real kernel's reference implementations and float32 variants do not apply.
    reference: null,
    retype: null,
  };
}

const INEXACT: readonly DType[] = ["float64", "float32", "complex128", "complex64"];
/** Between the inexact dtypes, at least one side complex; linear from a float64 or complex128 argument to float64 or complex128. */
const convert = spec(st.convertP, {
  setup: fc
    .record({ shape: shape(), from: fc.constantFrom(...INEXACT), to: fc.constantFrom(...INEXACT) })
    .filter((s) => s.from !== s.to && (s.from.startsWith("complex") || s.to.startsWith("complex")))
    .map((s) => ({ ...s, params: { dtype: s.to } })),
  args: (s) => {
    const wide = s.from === "complex64" ? "complex128" : s.from === "float32" ? "float64" : s.from;
    const x = wide === "complex128" ? complexes(s.shape) : floats(s.shape);
    return x.map((a) => [wide === s.from ? a : st.convert(a, s.from) as ConcreteArray]);
  },
  linearIn: (s) => (["float64", "complex128"].includes(s.from) && ["float64", "complex128"].includes(s.to) ? [[0]] : []),
});

/** Every primitive that takes complex operands, with its complex spec. */
export const complexSpecs: readonly PrimSpec[] = [
  ...["neg", "add", "sub", "mul", "div", "abs", "select", "stopGradient"].map((n) => complexify(n)),
  // Ordered lexicographically: distinct real parts (the real specs keep them apart) decide.
  ...["max", "min", "reduceMax", "reduceMin", "argmax", "argmin"].map((n) => complexify(n)),
  // Comparisons: small integer parts, so that ties in the real part (where the order looks at the
  // imaginary part) and equal values happen.
  ...["eq", "ne", "lt", "le", "gt", "ge"].map((n) => complexify(n, fc.integer({ min: -1, max: 1 }))),
  ...["isnan", "isinf", "isfinite"].map((n) => complexify(n, fc.constantFrom(0, 1, NaN, Infinity, -Infinity))),
  ...["reshape", "transpose", "broadcastInDim", "slice", "unslice", "concatenate", "reduceSum", "cumsum"].map((n) => complexify(n)),
  ...["gather", "scatterAdd", "scatter", "dotGeneral", "convGeneralDilated", "argsort"].map((n) => complexify(n)),
  convert,
];

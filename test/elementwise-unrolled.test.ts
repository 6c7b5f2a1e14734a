/**
 * @file The compiled elementwise loops (`kernels/elementwise.ts`) run four elements per pass and
 * then the remainder: against a plain one-element loop, the same bits (`Object.is`, so −0 and NaN
 * count) for every length around a multiple of four, for float64, float32, int32 and bool storage,
 * and with the output aliasing an operand.
 */
import { describe, expect, it } from "vitest";
import { compileBinary, compileUnary, helpers } from "../src/kernels/elementwise.ts";

type Arr = Float64Array | Float32Array | Int32Array | Uint8Array;
type Ctor = { new (n: number): Arr };

const LENGTHS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 4095, 4097];
const SPECIALS = [-0, 0, NaN, Infinity, -Infinity, 1e-310, -2.5, 0.5, 3];

function filled(C: Ctor, n: number, seed: number): Arr {
  const x = new C(n);
  for (let i = 0; i < n; i++) x[i] = i % 7 === 3 ? SPECIALS[(i + seed) % SPECIALS.length]! : 3 * Math.sin(1.3 * i + seed);
  return x;
}

/** The reference: one element per pass, as the loops were before unrolling. */
function plainUnary(expr: string): (x: Arr, out: Arr) => void {
  return new Function("H", `return function(x, out) { for (let i = 0; i < out.length; i++) { const a = x[i]; out[i] = ${expr}; } };`)(helpers);
}
function plainBinary(expr: string): (x: Arr, y: Arr, out: Arr) => void {
  return new Function("H", `return function(x, y, out) { for (let i = 0; i < out.length; i++) { const a = x[i], b = y[i]; out[i] = ${expr}; } };`)(helpers);
}

function expectSameBits(got: Arr, want: Arr, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) expect.fail(`${what}: element ${i} is ${got[i]}, expected ${want[i]}`);
}

const CTORS: [string, Ctor][] = [
  ["float64", Float64Array],
  ["float32", Float32Array],
  ["int32", Int32Array],
  ["bool", Uint8Array],
];

describe("unrolled elementwise loops", () => {
  for (const expr of ["Math.tanh(a)", "-a", "1 - a * a", "H.sign(a)", "a !== a ? 1 : 0"]) {
    it(`unary ${expr}: same bits as a plain loop at every length`, () => {
      const k = compileUnary(expr);
      const ref = plainUnary(expr);
      for (const [name, C] of CTORS) {
        for (const n of LENGTHS) {
          const x = filled(C, n, 1);
          const [got, want] = [new C(n), new C(n)];
          k(x, got);
          ref(x, want);
          expectSameBits(got, want, `${expr} ${name}[${n}]`);
        }
      }
    });
  }
  for (const expr of ["a + b", "a * b", "a / b", "a - b", "Math.pow(a, b)", "H.floorMod(a, b)"]) {
    it(`binary ${expr}: same bits as a plain loop at every length`, () => {
      const k = compileBinary(expr);
      const ref = plainBinary(expr);
      for (const [name, C] of CTORS) {
        for (const n of LENGTHS) {
          const [x, y] = [filled(C, n, 1), filled(C, n, 4)];
          const [got, want] = [new C(n), new C(n)];
          k(x, y, got);
          ref(x, y, want);
          expectSameBits(got, want, `${expr} ${name}[${n}]`);
        }
      }
    });
  }
  it("an output aliasing an operand reads each element before writing it", () => {
    const add = compileBinary("a + b");
    const tanh = compileUnary("Math.tanh(a)");
    for (const n of LENGTHS) {
      const [x, y] = [filled(Float64Array, n, 2), filled(Float64Array, n, 5)];
      const want = new Float64Array(n);
      plainBinary("a + b")(x, y, want);
      const inPlace = x.slice();
      add(inPlace, y, inPlace);
      expectSameBits(inPlace, want, `a + b in place [${n}]`);
      const wantT = new Float64Array(n);
      plainUnary("Math.tanh(a)")(x, wantT);
      const t = x.slice();
      tanh(t, t);
      expectSameBits(t, wantT, `tanh in place [${n}]`);
    }
  });
});

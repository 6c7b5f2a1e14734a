/**
 * @file Property-test specs of the general eigendecomposition primitives (src/primitives/linalg-eig.ts):
 * real input, complex output, n ≤ 2 (stacks too). Matrices are a 2×2 block [[a, b], [−c, a]]
 * (b ≠ c, eigenvalues a ± i√(bc)) or two diagonal entries 1.5 apart, with a small upper and a tiny
 * lower part, so the eigenvalues are well separated and each eigenvector's largest component leads
 * clearly (LAPACK's normalisation is smooth there). Why n ≤ 2: the order in which the QR iteration
 * delivers eigenvalues (the Schur order, as LAPACK's) can jump under a perturbation of 1e-6 once
 * it iterates (n ≥ 3), and the raw outputs' finite differences are then meaningless; n ≤ 2 is
 * solved directly, in an order continuous in the matrix. test/eig.test.ts checks n ≤ 4 (real and
 * complex input) with the eigenvalues put in a fixed order first.
 */
import fc from "fast-check";
import * as E from "../src/primitives/linalg-eig.ts";
import { ConcreteArray } from "../src/core/ndarray.ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";
import { spec, type PrimSpec } from "./spec.ts";

function nearTriangular(r: () => number, n: number): number[] {
  const u = (s: number) => s * (2 * r() - 1);
  const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j > i ? u(0.3) : u(0.02))));
  for (let i = 0; i < n; i++) {
    const centre = 1.5 * i - 2 + u(0.2);
    if (i + 1 < n && r() < 0.5) {
      a[i]![i] = centre;
      a[i + 1]![i + 1] = centre;
      a[i]![i + 1] = 1.2 + u(0.1);
      a[i + 1]![i] = -(0.5 + u(0.1));
      i++;
    } else {
      a[i]![i] = centre;
    }
  }
  return a.flat();
}

const lead = fc.oneof(fc.constant<number[]>([]), fc.integer({ min: 1, max: 2 }).map((d) => [d]));
const setup = fc.tuple(lead, fc.integer({ min: 1, max: 2 })).map(([l, n]) => ({ params: { op: "np.linalg.eig" }, lead: l, n }));

const matrices = (s: { lead: number[]; n: number }) =>
  fc.integer().map((seed) => {
    const r = mulberry32(seed);
    const count = s.lead.reduce((p, d) => p * d, 1);
    const data = new Float64Array(count * s.n * s.n);
    for (let b = 0; b < count; b++) data.set(nearTriangular(r, s.n), b * s.n * s.n);
    return [new ConcreteArray(data, [...s.lead, s.n, s.n], "float64")];
  });

export const specs: PrimSpec[] = [
  spec(E.eigP, { setup, args: matrices }),
  spec(E.eigvalsP, { setup, args: matrices }),
];

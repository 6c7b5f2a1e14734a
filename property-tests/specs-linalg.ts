/**
 * @file Property-test specs of the linear-algebra primitives (linalg.ts, linalg-spectral.ts):
 * stacks `[..., m, n]` with 0 or 1 leading dimension and m, n ≤ 4, in each function's domain and
 * away from where it jumps or loses its derivative: column-diagonally-dominant matrices (LU pivots cannot tie), SPD
 * matrices (Cholesky), eigenvalues and singular values at least 0.5 apart and from 0 (eigh, svd,
 * pinv), eigenvalues in the right half-plane (sqrtm, sylvester). Values come from a seeded
 * generator rather than fast-check's doubles, which favour exact ties and zeros; those matrices
 * sit on the discontinuities of pivoting and of sign conventions, not inside the domain.
 */
import fc from "fast-check";
import * as L from "../src/primitives/linalg.ts";
import * as Sp from "../src/primitives/linalg-spectral.ts";
import { ConcreteArray } from "../src/core/ndarray.ts";
import type { Primitive } from "../src/core/primitive.ts";
import { floats, magnitude, shape, spec, uniform, zipped, type PrimSpec } from "./spec.ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";

// ---------------------------------------------------------------- generic matrices from a seed

type Rand = () => number;

const uniforms: (seed: number) => Rand = mulberry32;

/** A row-major m×n matrix as nested rows. */
type M = number[][];

const between = (r: Rand, lo: number, hi: number): number => lo + (hi - lo) * r();
const generic = (r: Rand, m: number, n: number, scale = 1): M =>
  Array.from({ length: m }, () => Array.from({ length: n }, () => between(r, -scale, scale)));
const matmul = (a: M, b: M): M => a.map((row) => b[0]!.map((_, j) => row.reduce((s, x, p) => s + x * b[p]![j]!, 0)));
const transposed = (a: M): M => (a.length === 0 ? [] : a[0]!.map((_, j) => a.map((row) => row[j]!)));

/** A random orthogonal n×n matrix: a product of Givens rotations over every pair, random angles. */
function orthogonal(r: Rand, n: number): M {
  const q: M = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let p = 0; p < n; p++) {
    for (let s = p + 1; s < n; s++) {
      const t = between(r, 0, 2 * Math.PI);
      const [c, sn] = [Math.cos(t), Math.sin(t)];
      for (const row of q) [row[p], row[s]] = [c * row[p]! - sn * row[s]!, sn * row[p]! + c * row[s]!];
    }
  }
  return q;
}

/** `count` values in [lo, lo + 2·count), pairwise at least 0.5 apart, in random order. */
function separated(r: Rand, count: number, lo: number): number[] {
  const vals = Array.from({ length: count }, (_, i) => lo + 2 * i + between(r, 0, 1.5));
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [vals[i], vals[j]] = [vals[j]!, vals[i]!];
  }
  return vals;
}

/** Column-diagonally dominant with a margin, rows shuffled: partial pivoting meets no ties and undoes the shuffle. */
function dominant(r: Rand, n: number): M {
  const a = generic(r, n, n);
  for (let j = 0; j < n; j++) {
    const off = a.reduce((s, row, i) => s + (i === j ? 0 : Math.abs(row[j]!)), 0);
    a[j]![j] = (r() < 0.5 ? -1 : 1) * (off + between(r, 0.5, 2));
  }
  for (let i = n - 1; i > 0; i--) {
    const k = Math.floor(r() * (i + 1));
    [a[i], a[k]] = [a[k]!, a[i]!];
  }
  return a;
}

/** Overwrites the strict upper triangle with junk (the lower-reading kernels must ignore it). */
const junkAbove = (r: Rand, a: M): M => a.map((row, i) => row.map((x, j) => (j > i ? between(r, -5, 5) : x)));

/** Symmetric with eigenvalues pairwise ≥ 0.5 apart (some negative), junk above the diagonal. */
const symmetricSeparated = (r: Rand, n: number): M => {
  const q = orthogonal(r, n);
  const w = separated(r, n, -n);
  return junkAbove(r, matmul(q.map((row) => row.map((x, j) => x * w[j]!)), transposed(q)));
};

/** Symmetric positive definite (B·Bᵀ + I/2), junk above the diagonal. */
const spd = (r: Rand, n: number): M => {
  const b = generic(r, n, n);
  return junkAbove(r, matmul(b, transposed(b)).map((row, i) => row.map((x, j) => x + (i === j ? 0.5 : 0))));
};

/** m×n with singular values pairwise ≥ 0.5 apart and ≥ 0.5. */
function withSingularValues(r: Rand, m: number, n: number): M {
  const k = Math.min(m, n);
  const s = separated(r, k, 0.5);
  const u = orthogonal(r, m).map((row) => row.slice(0, k).map((x, j) => x * s[j]!));
  return matmul(u, transposed(orthogonal(r, n).map((row) => row.slice(0, k))));
}

/** c·I + E with Gershgorin discs inside Re z ≥ 0.5 (symmetric on request: then positive definite). */
function rightHalfPlane(r: Rand, n: number, symmetric: boolean): M {
  const e = generic(r, n, n, 0.5 / n);
  const c = between(r, 1, 2);
  return e.map((row, i) => row.map((x, j) => (symmetric ? (x + e[j]![i]!) / 2 : x) + (i === j ? c : 0)));
}

/** Upper or lower triangular-ish: diagonal ±[1, 2], the rest in [−0.5, 0.5] (the unread triangle too). */
const triangular = (r: Rand, n: number): M => generic(r, n, n, 0.5).map((row, i) => row.map((x, j) => (i === j ? (r() < 0.5 ? -1 : 1) * between(r, 1, 2) : x)));

/** A stack `[...lead, m, n]` of matrices from `make`, one seed for all. */
const stackOf = (lead: readonly number[], m: number, n: number, make: (r: Rand) => M) =>
  fc.integer().map((seed) => {
    const r = uniforms(seed);
    const count = lead.reduce((p, d) => p * d, 1);
    const data = new Float64Array(count * m * n);
    for (let b = 0; b < count; b++) data.set(make(r).flat(), b * m * n);
    return new ConcreteArray(data, [...lead, m, n], "float64");
  });

// ---------------------------------------------------------------- setups

/** Leading batch dimensions: none, or one of size 1 or 2. */
const lead = fc.oneof(fc.constant<number[]>([]), fc.integer({ min: 1, max: 2 }).map((d) => [d]));
const size = fc.integer({ min: 1, max: 4 });

const squareSetup = <P>(params: P) => fc.tuple(lead, size).map(([l, n]) => ({ params, lead: l, n }));
const op = (name: string) => ({ op: `np.linalg.${name}` });

const square = <P>(prim: Primitive<P>, params: P, make: (r: Rand, n: number) => M): PrimSpec =>
  spec(prim, {
    setup: squareSetup(params),
    args: (s) => stackOf(s.lead, s.n, s.n, (r) => make(r, s.n)).map((a) => [a]),
  });

/** m×n setups; `full` only where the derivative is defined (square, or wide for QR). */
const rectSetup = (fullOk: (m: number, n: number) => boolean) =>
  fc.tuple(lead, size, size, fc.boolean()).map(([l, m, n, full]) => ({ params: { full: full && fullOk(m, n), op: "np.linalg.svd" }, lead: l, m, n }));

// ---------------------------------------------------------------- specs

export const specs: PrimSpec[] = [
  // x / d with d away from the zero-divisor threshold (subnormal x flushed to 0, whose quotients underflow); linear in x.
  spec(Sp.guardedDivP, {
    setup: shape().map((shp) => ({ params: { rtol: 1e-3, op: "test", what: "zero divisor" }, shape: shp })),
    args: (s) => zipped(s.shape, fc.tuple(uniform(-2, 2).map((x) => (Math.abs(x) < 1e-300 ? 0 : x)), magnitude(0.5, 2)), ["float64", "float64"]),
    linearIn: [[0]],
  }),

  spec(L.triangularSolveP, {
    setup: fc
      .tuple(lead, size, fc.integer({ min: 1, max: 3 }), fc.boolean(), fc.boolean(), fc.boolean())
      .map(([l, n, k, lower, transA, unitDiagonal]) => ({ params: { lower, transA, unitDiagonal, op: "test" }, lead: l, n, k })),
    args: (s) => fc.tuple(stackOf(s.lead, s.n, s.n, (r) => triangular(r, s.n)), floats([...s.lead, s.n, s.k])).map((a) => [...a]),
    linearIn: [[1]],
  }),

  spec(L.luP, {
    setup: fc.tuple(lead, size, fc.boolean()).map(([l, n, check]) => ({ params: { op: "np.linalg.solve", check }, lead: l, n })),
    args: (s) => stackOf(s.lead, s.n, s.n, (r) => dominant(r, s.n)).map((a) => [a]),
  }),

  square(L.choleskyP, op("cholesky"), spd),
  // Nonsingular (diagonally dominant): the adjugate's JVP for n ≥ 3 divides by det.
  square(Sp.detP, op("det"), dominant),
  square(Sp.adjugateP, op("det"), dominant),
  square(Sp.eighP, op("eigh"), symmetricSeparated),
  square(Sp.eigvalshP, op("eigvalsh"), symmetricSeparated),

  spec(Sp.svdP, {
    setup: rectSetup((m, n) => m === n),
    args: (s) => stackOf(s.lead, s.m, s.n, (r) => withSingularValues(r, s.m, s.n)).map((a) => [a]),
  }),

  spec(Sp.singularValuesP, {
    setup: fc.tuple(lead, size, size).map(([l, m, n]) => ({ params: op("svd"), lead: l, m, n })),
    args: (s) => stackOf(s.lead, s.m, s.n, (r) => withSingularValues(r, s.m, s.n)).map((a) => [a]),
  }),

  // Full column rank for m ≥ n; for m < n a nonsingular leading m×m block.
  spec(L.qrP, {
    setup: rectSetup((m, n) => m <= n).map((s) => ({ ...s, params: { ...s.params, op: "np.linalg.qr" } })),
    args: (s) =>
      stackOf(s.lead, s.m, s.n, (r) =>
        s.m >= s.n ? withSingularValues(r, s.m, s.n) : dominant(r, s.m).map((row) => [...row, ...generic(r, 1, s.n - s.m)[0]!]),
      ).map((a) => [a]),
  }),

  spec(Sp.pinvP, {
    setup: fc.tuple(lead, size, size).map(([l, m, n]) => ({ params: { rcond: 1e-15, op: "np.linalg.pinv" }, lead: l, m, n })),
    args: (s) => stackOf(s.lead, s.m, s.n, (r) => withSingularValues(r, s.m, s.n)).map((a) => [a]),
  }),

  // Symmetric inputs take the eigendecomposition path, the others Denman–Beavers.
  spec(Sp.sqrtmP, {
    setup: fc.tuple(lead, size, fc.boolean()).map(([l, n, symmetric]) => ({ params: { op: "scipy.linalg.sqrtm" }, lead: l, n, symmetric })),
    args: (s) => stackOf(s.lead, s.n, s.n, (r) => rightHalfPlane(r, s.n, s.symmetric)).map((a) => [a]),
  }),

  spec(Sp.sylvesterP, {
    setup: fc
      .tuple(lead, size, fc.boolean())
      .map(([l, n, symmetric]) => ({ params: { op: "scipy.linalg.sqrtm", what: "singular" }, lead: l, n, symmetric })),
    args: (s) =>
      fc.tuple(stackOf(s.lead, s.n, s.n, (r) => rightHalfPlane(r, s.n, s.symmetric)), floats([...s.lead, s.n, s.n])).map((a) => [...a]),
    linearIn: [[1]],
  }),
];

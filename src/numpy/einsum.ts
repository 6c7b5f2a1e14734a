/**
 * @file `einsum` and the products that are not a single `dotGeneral` (`kron`, `cross`). `einsum`
 * parses its subscripts, takes repeated-index diagonals with strided slices, sums indices used
 * once, contracts operands pairwise left to right with `dotGeneral`, and transposes to the output.
 */
import type { NDArray, ArrayLike } from "../core/ndarray.ts";
import { asarray } from "./creation.ts";
import { normAxis } from "./broadcast.ts";
import { promote } from "../core/dtype.ts";
import { multiply, subtract } from "./math.ts";
import { stack } from "./shape.ts";
import { diagonalAxes } from "./rearrange.ts";
import * as s from "../primitives/structural.ts";
import { reduceSum } from "../primitives/reduce.ts";
import { dotGeneral } from "../primitives/contraction.ts";
import { bind1 } from "../core/trace.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import { requireStatic } from "./static-args.ts";
import * as P from "../core/parse.ts";

const crossOpts = P.options("np.cross", { axisa: P.axis, axisb: P.axis, axisc: P.axis, axis: P.axis });

/** One operand during an einsum: its value and one label per axis. */
interface Term {
  x: NDArray;
  labels: string[];
}

const isLetter = (c: string) => /^[a-zA-Z]$/.test(c);

/** Ellipsis axes get labels that cannot clash with letters, right-aligned: `…2 …1 …0`. */
const ellipsisLabels = (n: number): string[] => Array.from({ length: n }, (_, i) => `…${n - 1 - i}`);

/** Splits one term of the subscripts into letters and (at most one) ellipsis marker `"..."`. */
function parseTerm(term: string, where: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < term.length; i++) {
    if (term.startsWith("...", i)) {
      if (out.includes("...")) throw new SyntaxError(`np.einsum: ${where} contains more than one ellipsis '...'`);
      out.push("...");
      i += 2;
    } else if (isLetter(term[i]!)) out.push(term[i]!);
    else {
      throw new SyntaxError(`np.einsum: invalid subscript '${term[i]}' in ${where}: subscripts must be letters (or '...')`);
    }
  }
  return out;
}

/** The parsed subscripts: labels per operand (ellipsis expanded) and the output labels. */
function parse(subscripts: string, xs: readonly NDArray[]): { inputs: string[][]; output: string[] } {
  const spec = subscripts.replace(/\s+/g, "");
  const arrow = spec.split("->");
  if (arrow.length > 2) throw new SyntaxError(`np.einsum: subscripts '${subscripts}' contain more than one '->'`);
  const lhs = arrow[0]!.split(",");
  if (lhs.length !== xs.length) {
    throw new SyntaxError(
      `np.einsum: subscripts '${subscripts}' name ${lhs.length} operand${lhs.length === 1 ? "" : "s"} but ${xs.length} ${xs.length === 1 ? "was" : "were"} given`,
    );
  }
  let ellNdim = 0;
  const inputs = lhs.map((term, k) => {
    const raw = parseTerm(term, `operand ${k} ('${term}')`);
    const letters = raw.filter((l) => l !== "...").length;
    const x = xs[k]!;
    if (raw.includes("...")) {
      const e = x.ndim - letters;
      if (e < 0) throw new ShapeError(`np.einsum: operand ${k} has shape ${fmtShape(x.shape)}, fewer axes than subscripts '${term}'`);
      ellNdim = Math.max(ellNdim, e);
      const at = raw.indexOf("...");
      return [...raw.slice(0, at), ...ellipsisLabels(e), ...raw.slice(at + 1)];
    }
    if (letters !== x.ndim) {
      throw new ShapeError(`np.einsum: operand ${k} has shape ${fmtShape(x.shape)} (${x.ndim} axes) but subscripts '${term}' name ${letters}`);
    }
    return raw;
  });
  let output: string[];
  if (arrow.length === 2) {
    const raw = parseTerm(arrow[1]!, `the output ('${arrow[1]}')`);
    const seen = new Set<string>();
    for (const l of raw) {
      if (seen.has(l)) throw new SyntaxError(`np.einsum: output subscript '${l}' appears more than once`);
      seen.add(l);
      if (l !== "..." && !inputs.some((ls) => ls.includes(l))) {
        throw new SyntaxError(`np.einsum: output subscript '${l}' does not appear in any input`);
      }
    }
    const at = raw.indexOf("...");
    if (at < 0 && ellNdim > 0) {
      throw new ShapeError("np.einsum: the inputs have axes under '...' but the output has no '...' to put them in (write it, e.g. '...ij->...i')");
    }
    output = at < 0 ? raw : [...raw.slice(0, at), ...ellipsisLabels(ellNdim), ...raw.slice(at + 1)];
  } else {
    // Implicit mode: the ellipsis axes, then the letters used exactly once, in alphabetical order.
    const counts = new Map<string, number>();
    for (const ls of inputs) for (const l of ls) if (!l.startsWith("…")) counts.set(l, (counts.get(l) ?? 0) + 1);
    const once = [...counts].filter(([, c]) => c === 1).map(([l]) => l).sort();
    output = [...ellipsisLabels(ellNdim), ...once];
  }
  return { inputs, output };
}

/** The size of `label`: equal wherever it appears, or 1 (broadcast). */
function sizeOfLabel(xs: readonly NDArray[], inputs: readonly string[][], label: string): number {
  let size = 1;
  inputs.forEach((ls, k) =>
    ls.forEach((l, ax) => {
      if (l !== label) return;
      const d = xs[k]!.shape[ax]!;
      if (d === size || d === 1) return;
      if (size !== 1) {
        throw new ShapeError(
          `np.einsum: dimension of subscript '${label.startsWith("…") ? "..." : label}' differs: size ${d} in operand ${k} (shape ${fmtShape(xs[k]!.shape)}) but ${size} elsewhere`,
        );
      }
      size = d;
    }),
  );
  return size;
}

/** Sums out the labels of `t` that `keep` does not hold. */
function sumOut(t: Term, keep: (l: string) => boolean): Term {
  const axes = t.labels.flatMap((l, i) => (keep(l) ? [] : [i]));
  if (axes.length === 0) return t;
  return { x: reduceSum(t.x, axes), labels: t.labels.filter((l) => keep(l)) };
}

/** Replaces each repeated label of `t` by its diagonal (NumPy's `ii->i`). */
function takeDiagonals(t: Term): Term {
  for (;;) {
    const i = t.labels.findIndex((l, k) => t.labels.indexOf(l) !== k);
    if (i < 0) return t;
    const first = t.labels.indexOf(t.labels[i]!);
    const l = t.labels[i]!;
    t = { x: diagonalAxes(t.x, 0, first, i), labels: [...t.labels.filter((_, k) => k !== first && k !== i), l] };
  }
}

/**
 * `np.einsum(subscripts, ...operands)`: Einstein summation, with explicit (`"ij,jk->ik"`) or
 * implicit (`"ij,jk"`) output, `...` for broadcast axes, and repeated indices (`"ii->i"`, `"ii"`).
 * Differentiable in every operand; contracted pairwise, left to right.
 * @example
 * np.einsum("ij,j->i", [[1, 2], [3, 4]], [1, 1]); // [3, 7]
 */
export function einsum(subscripts: string, ...operands: ArrayLike[]): NDArray {
  if (typeof subscripts !== "string") throw new TypeError("np.einsum: the first argument must be the subscripts string");
  if (operands.length === 0) throw new TypeError("np.einsum: at least one operand is needed");
  let xs = operands.map((x, k) => asarray(x, undefined, "np.einsum", `operands[${k}]`));
  let dtype = xs.map((x) => x.dtype).reduce(promote);
  if (dtype === "bool") dtype = "int32";
  xs = xs.map((x) => s.convert(x, dtype));
  const { inputs, output } = parse(subscripts, xs);
  const sizes = new Map<string, number>();
  for (const ls of inputs) for (const l of ls) if (!sizes.has(l)) sizes.set(l, sizeOfLabel(xs, inputs, l));
  let terms: Term[] = xs.map((x, k) => {
    // Broadcast size-1 axes to their label's size (so pairs of axes can be matched up).
    const labels = inputs[k]!;
    const shape = labels.map((l) => sizes.get(l)!);
    const b = s.sameShape(x.shape, shape) ? x : bind1(s.broadcastInDimP, [x], { shape, dims: labels.map((_, i) => i) });
    return takeDiagonals({ x: b, labels });
  });
  const used = (l: string, skip: number) => output.includes(l) || terms.some((t, k) => k !== skip && t.labels.includes(l));
  terms = terms.map((t, k) => sumOut(t, (l) => used(l, k)));
  let acc = terms[0]!;
  for (let k = 1; k < terms.length; k++) {
    const b = terms[k]!;
    const later = (l: string) => output.includes(l) || terms.slice(k + 1).some((t) => t.labels.includes(l));
    const shared = acc.labels.filter((l) => b.labels.includes(l));
    const batch = shared.filter(later);
    const contract = shared.filter((l) => !later(l));
    const dims = (t: Term, ls: string[]) => ls.map((l) => t.labels.indexOf(l));
    const x = dotGeneral(acc.x, b.x, {
      lhsContract: dims(acc, contract),
      rhsContract: dims(b, contract),
      lhsBatch: dims(acc, batch),
      rhsBatch: dims(b, batch),
    });
    acc = { x, labels: [...batch, ...acc.labels.filter((l) => !shared.includes(l)), ...b.labels.filter((l) => !shared.includes(l))] };
  }
  acc = sumOut(acc, (l) => output.includes(l));
  return s.transpose(acc.x, output.map((l) => acc.labels.indexOf(l)));
}

/**
 * `np.kron(a, b)`: the Kronecker product, blocks `a[i, j] · b` (the shorter shape is padded with
 * leading ones).
 * @example
 * np.kron([1, 2], [1, 10]); // [1, 10, 2, 20]
 */
export function kron(a: ArrayLike, b: ArrayLike): NDArray {
  let x = asarray(a, undefined, "np.kron", "a");
  let y = asarray(b, undefined, "np.kron", "b");
  const nd = Math.max(x.ndim, y.ndim);
  const lift = (z: NDArray) => s.reshape(z, [...new Array<number>(nd - z.ndim).fill(1), ...z.shape]);
  x = lift(x);
  y = lift(y);
  // (a0, 1, a1, 1, …) · (1, b0, 1, b1, …) → (a0, b0, a1, b1, …) → (a0·b0, a1·b1, …)
  const p = multiply(s.reshape(x, x.shape.flatMap((d) => [d, 1])), s.reshape(y, y.shape.flatMap((d) => [1, d])));
  return s.reshape(p, x.shape.map((d, i) => d * y.shape[i]!));
}

/**
 * `np.cross(a, b, {axisa, axisb, axisc, axis})`: cross products of 3-vectors (a 2-vector counts as
 * having z = 0; two 2-vectors give the scalar z component), broadcast over the other axes.
 * @example
 * np.cross([1, 0, 0], [0, 1, 0]); // [0, 0, 1]
 */
export function cross(a: ArrayLike, b: ArrayLike, opts: { axisa?: number; axisb?: number; axisc?: number; axis?: number } = {}): NDArray {
  for (const name of ["axis", "axisa", "axisb", "axisc"] as const) requireStatic("np.cross", name, opts[name], "an axis");
  opts = crossOpts(opts);
  let x = asarray(a, undefined, "np.cross", "a");
  let y = asarray(b, undefined, "np.cross", "b");
  if (x.ndim === 0 || y.ndim === 0) throw new ShapeError("np.cross: the operands must have at least one axis");
  const axisa = normAxis("np.cross", opts.axis ?? opts.axisa ?? -1, x.ndim);
  const axisb = normAxis("np.cross", opts.axis ?? opts.axisb ?? -1, y.ndim);
  x = s.moveaxis(x, axisa, x.ndim - 1);
  y = s.moveaxis(y, axisb, y.ndim - 1);
  const na = x.shape[x.ndim - 1]!;
  const nb = y.shape[y.ndim - 1]!;
  if (![2, 3].includes(na) || ![2, 3].includes(nb)) {
    throw new ShapeError(
      `np.cross: incompatible dimensions for cross product (dimension must be 2 or 3): vector axes of sizes ${na} and ${nb} (shapes ${fmtShape(asarray(a).shape)}, ${fmtShape(asarray(b).shape)})`,
    );
  }
  const comp = (v: NDArray, i: number) => v.get("...", i);
  const [a0, a1, b0, b1] = [comp(x, 0), comp(x, 1), comp(y, 0), comp(y, 1)];
  const z = subtract(multiply(a0, b1), multiply(a1, b0));
  if (na === 2 && nb === 2) return z;
  const zero = 0;
  const a2 = na === 3 ? comp(x, 2) : zero;
  const b2 = nb === 3 ? comp(y, 2) : zero;
  const cx = subtract(multiply(a1, b2), multiply(a2, b1));
  const cy = subtract(multiply(a2, b0), multiply(a0, b2));
  const [px, py, pz] = [cx, cy, z].map((c) => s.convert(c, promote(promote(cx.dtype, cy.dtype), z.dtype)));
  const shape = [px!, py!, pz!].reduce<readonly number[]>((m, c) => (c.ndim > m.length ? c.shape : m), []);
  const out = stack([px!, py!, pz!].map((c) => s.broadcastTo(c, shape)), { axis: -1 });
  const axisc = normAxis("np.cross", opts.axis ?? opts.axisc ?? -1, out.ndim);
  return s.moveaxis(out, out.ndim - 1, axisc);
}

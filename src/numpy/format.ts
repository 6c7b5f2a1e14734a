/** @file NumPy-like printing of arrays: `[[1. 2.]\n [3. 4.]]`. */
import type { ConcreteArray } from "../core/ndarray.ts";

function formatFloats(values: number[]): string[] {
  const finite = values.filter(Number.isFinite);
  const allInt = finite.every((v) => Number.isInteger(v));
  const maxAbs = Math.max(0, ...finite.map(Math.abs));
  const minAbs = Math.min(...finite.filter((v) => v !== 0).map(Math.abs));
  const sci = finite.length > 0 && (maxAbs >= 1e16 || (minAbs < 1e-4 && !allInt) || maxAbs / minAbs > 1e8);
  return values.map((v) => {
    if (Number.isNaN(v)) return "nan";
    if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
    if (sci) return v.toExponential(8).replace(/\.?0+e/, "e").replace(/e([+-])(\d)$/, "e$10$2");
    if (allInt) return `${v}.`;
    // NumPy's "maxprec": up to 8 fractional digits, trailing zeros dropped.
    return v.toFixed(8).replace(/0+$/, "");
  });
}

/** Pads fractional parts with spaces so the decimal points line up, as NumPy prints. */
function alignDecimals(strs: string[]): string[] {
  const frac = (s: string) => (s.includes(".") && !s.includes("e") ? s.length - s.indexOf(".") - 1 : 0);
  const most = Math.max(0, ...strs.map(frac));
  return strs.map((s) => (s.includes(".") && !s.includes("e") ? s + " ".repeat(most - frac(s)) : s));
}

/**
 * Complex elements as NumPy prints them, `1.+2.j`, `0.-1.j`: the real parts formatted together
 * and the imaginary parts together (each column aligned), the imaginary part's sign always shown.
 */
function formatComplex(data: ArrayLike<number>): string[] {
  const n = data.length / 2;
  const re: number[] = [];
  const im: number[] = [];
  for (let k = 0; k < n; k++) {
    re.push(data[2 * k]!);
    im.push(data[2 * k + 1]!);
  }
  const res = alignDecimals(formatFloats(re));
  const ims = alignDecimals(formatFloats(im.map(Math.abs)));
  const wr = Math.max(0, ...res.map((s) => s.length));
  return res.map((r, k) => {
    const v = im[k]!;
    const sign = v < 0 || Object.is(v, -0) ? "-" : "+";
    // NaN has no sign to show: NumPy prints it as +nanj.
    return `${r.padStart(wr)}${Number.isNaN(v) ? "+" : sign}${ims[k]!.trimEnd()}j${" ".repeat(ims[k]!.length - ims[k]!.trimEnd().length)}`;
  });
}

/** Formats an array the way NumPy's `str()` does (values aligned, rows nested in brackets). */
export function formatArray(x: ConcreteArray): string {
  const complex = x.dtype === "complex128" || x.dtype === "complex64";
  const vals = complex ? [] : Array.from(x.data as ArrayLike<number>);
  const strs = complex
    ? formatComplex(x.data as ArrayLike<number>)
    : x.dtype === "bool" ? vals.map((v) => (v ? "True" : "False")) : x.dtype === "int32" ? vals.map(String) : alignDecimals(formatFloats(vals));
  if (x.shape.length === 0) return strs[0]!;
  const width = Math.max(...strs.map((s) => s.length), 0);
  const pad = (s: string) => s.padStart(width);
  const build = (dim: number, offset: number, stride: number): string => {
    const n = x.shape[dim]!;
    const inner = n === 0 ? 0 : stride / n;
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      parts.push(dim === x.shape.length - 1 ? pad(strs[offset + i]!) : build(dim + 1, offset + i * inner, inner));
    }
    const sep = dim === x.shape.length - 1 ? " " : "\n".repeat(x.shape.length - 1 - dim) + " ".repeat(dim + 1);
    return `[${parts.join(sep)}]`;
  };
  return build(0, 0, strs.length);
}

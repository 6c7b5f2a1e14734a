/**
 * @file The convolution by its definition, one output element at a time (canonical layout: lhs
 * NC…, rhs OI…, out NC…), for the conv tests: its products taken in order (input channel, then
 * kernel tap) and folded by `add` (plain `+` by default; the float32 tests round each step).
 */
import { convShape, type ConvParams } from "../src/primitives/conv.ts";

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** Each output of the convolution as `add` folds its products; `mags` holds Σ|product| per output. */
export function convByLoops(
  lhs: Float64Array,
  ls: number[],
  rhs: Float64Array,
  rs: number[],
  p: ConvParams,
  add: (acc: number, term: number) => number = (acc, term) => acc + term,
): { out: Float64Array; mags: Float64Array } {
  const os = convShape(ls, rs, p);
  const nsp = ls.length - 2;
  const out = new Float64Array(prod(os));
  const mags = new Float64Array(prod(os));
  const groups = Math.max(p.featureGroupCount, p.batchGroupCount);
  const oPer = rs[0]! / groups;
  const multi = (flat: number, shape: number[]) => {
    const idx = new Array<number>(shape.length);
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = flat % shape[d]!;
      flat = Math.floor(flat / shape[d]!);
    }
    return idx;
  };
  const flatOf = (idx: number[], shape: number[]) => idx.reduce((f, i, d) => f * shape[d]! + i, 0);
  for (let e = 0; e < out.length; e++) {
    const [n, o, ...y] = multi(e, os);
    const q = Math.floor(o! / oPer);
    const image = p.batchGroupCount > 1 ? q * os[0]! + n! : n!;
    let acc = 0;
    let mag = 0;
    for (let c = 0; c < rs[1]!; c++) {
      const cin = p.featureGroupCount > 1 ? q * rs[1]! + c : c;
      for (let t = 0; t < prod(rs.slice(2)); t++) {
        const k = multi(t, rs.slice(2));
        const x: number[] = [];
        for (let d = 0; d < nsp; d++) {
          // Position in the lhs dilated by lhsDilation and padded by padding[d][0] in front.
          const pos = y[d]! * p.strides[d]! + k[d]! * p.rhsDilation[d]! - p.padding[d]![0];
          if (pos < 0 || pos % p.lhsDilation[d]! !== 0 || pos / p.lhsDilation[d]! >= ls[d + 2]!) break;
          x.push(pos / p.lhsDilation[d]!);
        }
        if (x.length < nsp) continue;
        const term = lhs[flatOf([image, cin, ...x], ls)]! * rhs[flatOf([o!, c, ...k], rs)]!;
        acc = add(acc, term);
        mag += Math.abs(term);
      }
    }
    out[e] = acc;
    mags[e] = mag;
  }
  return { out, mags };
}

/** @file Connects `NDArray`'s methods to the numpy functions (kept apart to avoid import cycles). */
import { setMethods, type MethodTable } from "../core/ndarray.ts";
import * as m from "./math.ts";
import * as lg from "./logic.ts";
import * as r from "./reductions.ts";
import * as sh from "./shape.ts";
import * as p from "./products.ts";
import * as r2 from "./reductions.ts";
import * as so from "./sorting.ts";
import { getItem, at } from "./indexing.ts";
import { formatArray } from "./format.ts";
import { asarray } from "./creation.ts";
import { conj, imag, real } from "./complex.ts";

const table: MethodTable = {
  add: m.add,
  subtract: m.subtract,
  multiply: m.multiply,
  divide: m.divide,
  power: m.power,
  negative: m.negative,
  matmul: p.matmul,
  dot: p.dot,
  sum: r.sum,
  prod: r.prod,
  mean: r.mean,
  max: r.max,
  min: r.min,
  argmax: r.argmax,
  argmin: r.argmin,
  reshape: sh.reshape,
  transpose: sh.transpose,
  squeeze: sh.squeeze,
  expandDims: sh.expandDims,
  ravel: sh.ravel,
  astype: (a, dtype) => asarray(a, dtype, "astype"),
  abs: m.abs,
  exp: m.exp,
  log: m.log,
  sqrt: m.sqrt,
  tanh: m.tanh,
  sin: m.sin,
  cos: m.cos,
  equal: lg.equal,
  notEqual: lg.notEqual,
  less: lg.less,
  lessEqual: lg.lessEqual,
  greater: lg.greater,
  greaterEqual: lg.greaterEqual,
  variance: r.variance,
  std: r.std,
  all: r2.all,
  any: r2.any,
  cumsum: r.cumsum,
  cumprod: r2.cumprod,
  sort: so.sort,
  argsort: so.argsort,
  clip: lg.clip,
  round: m.round,
  real,
  imag,
  conj,
  getItem,
  at,
  format: formatArray,
};

setMethods(table);

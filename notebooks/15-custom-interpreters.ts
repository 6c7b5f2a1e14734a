/**
 * @file Notebook 15: custom interpreters with the public interpreter API (`defineTransform`) — a
 * FLOP counter, interval arithmetic, autograd's `print_trace` and `dot_graph` — each composing
 * with `grad`, `vmap` and `jit`. Run: `npx tsx notebooks/15-custom-interpreters.ts [--quick]`.
 */

/*
 * # Writing your own transformation
 *
 * Every transformation in autograd-ts is an interpreter: one level of a stack, whose tracers carry
 * something (a tangent, a batch axis, an abstract shape) and which says what each primitive does
 * to what they carry. `defineTransform` opens that machinery to users: give what a value carries
 * (`pure` for values from outside, `aval` for its shape and dtype) and `processPrimitive`, written
 * with primitives, and the new transformation nests with the built-in ones in either order.
 *
 * - `countFlops(f)` carries the values unchanged and counts floating-point operations per primitive.
 * - `bounds(f, box)` carries intervals `[lo, hi]`: a guaranteed enclosure of f over a box.
 * - `printTrace(f)` logs each primitive with its values as it runs (autograd's `print_trace`).
 * - `dotGraph(f)` builds a Graphviz DOT graph of the computation (autograd's `dot_graph`).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { bind, dataBeneath, defineTransform, grad, jit, vmap, type NDArray, type Primitive } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { main, outDir, type RunOptions } from "./lib/mode.ts";
import { Report } from "./lib/report.ts";

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

// ---------------------------------------------------------------- FLOP counter

/** Primitives that only move or relabel data: no arithmetic. */
const movement = new Set([
  "reshape", "transpose", "broadcastInDim", "slice", "unslice", "concatenate", "convert", "gather",
  "scatter", "select", "stopGradient", "checkpoint_name", "debug_callback",
]);

/**
 * The floating-point operations of one primitive application: 2·K per output element of a
 * `dotGeneral` contracting K elements (a multiply and an add per multiply-add), one per input
 * element of a reduction, none for data movement, one per output element otherwise.
 */
export function primitiveFlops(name: string, inShapes: readonly (readonly number[])[], outShapes: readonly (readonly number[])[], params: unknown): number {
  if (movement.has(name)) return 0;
  if (name === "dotGeneral") {
    const { lhsContract } = params as { lhsContract: readonly number[] };
    return 2 * size(outShapes[0]!) * size(lhsContract.map((a) => inShapes[0]![a]!));
  }
  if (name === "reduceSum" || name === "reduceMax" || name === "reduceMin" || name === "cumsum") return size(inShapes[0]!);
  return outShapes.reduce((n, s) => n + size(s), 0);
}

/** What one FLOP count gathers: the total and the share of each primitive. */
export interface FlopCount {
  total: number;
  readonly byPrimitive: Map<string, number>;
}

const flopCounter = defineTransform<NDArray, FlopCount>({
  name: "countFlops",
  pure: (x) => x,
  aval: (x) => x,
  processPrimitive: (prim, xs, params, count) => {
    const outs = bind(prim, xs, params);
    const n = primitiveFlops(prim.name, xs.map((x) => x.shape), outs.map((o) => o.shape), params);
    count.total += n;
    count.byPrimitive.set(prim.name, (count.byPrimitive.get(prim.name) ?? 0) + n);
    return outs;
  },
});

/**
 * `countFlops(f)(...args)`: the leaves of f's output (`value`, the first) and the floating-point
 * operations it took (forward and backward passes, for `countFlops(grad(f))`).
 */
export const countFlops =
  <A extends NDArray[]>(f: (...args: A) => unknown) =>
  (...args: A): { value: NDArray; leaves: NDArray[]; flops: FlopCount } => {
    const flops: FlopCount = { total: 0, byPrimitive: new Map() };
    const leaves = flopCounter.apply(f as (...xs: NDArray[]) => NDArray, args, flops);
    return { value: leaves[0]!, leaves, flops };
  };

// ---------------------------------------------------------------- interval arithmetic

/** An interval per element: `lo ≤ x ≤ hi`. */
export interface Interval {
  readonly lo: NDArray;
  readonly hi: NDArray;
}

const point = (x: NDArray): Interval => ({ lo: x, hi: x });
const same = (prim: Primitive<unknown>, params: unknown, a: Interval): Interval => ({ lo: bind(prim, [a.lo], params)[0]!, hi: bind(prim, [a.hi], params)[0]! });
const increasing = (f: (x: NDArray) => NDArray, a: Interval): Interval => ({ lo: f(a.lo), hi: f(a.hi) });

/** Whether some `x0 + 2πk` lies in `[lo, hi]` (where sin or cos reaches an extremum). */
const hits = (a: Interval, x0: number): NDArray => np.ceil(a.lo.sub(x0).div(2 * Math.PI)).le(np.floor(a.hi.sub(x0).div(2 * Math.PI)));

/** sin over an interval: the endpoint values, widened to ±1 where a peak or trough lies inside. */
function sinInterval(a: Interval): Interval {
  const [s1, s2] = [np.sin(a.lo), np.sin(a.hi)];
  return { lo: np.where(hits(a, -Math.PI / 2), -1, np.minimum(s1, s2)), hi: np.where(hits(a, Math.PI / 2), 1, np.maximum(s1, s2)) };
}

/** The interval rules: each primitive's image of a box, computed with primitives (so bounds are differentiable and batchable). */
function intervalRule(prim: Primitive<unknown>, xs: Interval[], params: unknown): Interval[] {
  const [a, b] = xs as [Interval, Interval];
  switch (prim.name) {
    case "add":
      return [{ lo: a.lo.add(b.lo), hi: a.hi.add(b.hi) }];
    case "sub":
      return [{ lo: a.lo.sub(b.hi), hi: a.hi.sub(b.lo) }];
    case "neg":
      return [{ lo: np.negative(a.hi), hi: np.negative(a.lo) }];
    case "mul": {
      const ps = [a.lo.mul(b.lo), a.lo.mul(b.hi), a.hi.mul(b.lo), a.hi.mul(b.hi)];
      return [{ lo: ps.reduce((m, p) => np.minimum(m, p)), hi: ps.reduce((m, p) => np.maximum(m, p)) }];
    }
    case "div": {
      // 1/b is decreasing on an interval that excludes 0; one straddling 0 gives (−∞, ∞).
      const straddles = np.logicalAnd(b.lo.le(0), b.hi.ge(0));
      const inv = { lo: np.where(straddles, -Infinity, np.reciprocal(b.hi)), hi: np.where(straddles, Infinity, np.reciprocal(b.lo)) };
      return intervalRule({ ...prim, name: "mul" }, [a, inv], params);
    }
    case "max":
    case "min":
      return [{ lo: bind(prim, [a.lo, b.lo], params)[0]!, hi: bind(prim, [a.hi, b.hi], params)[0]! }];
    case "exp": case "log": case "sqrt": case "tanh": case "expm1": case "log1p": case "arctan": case "arcsinh": case "erf": case "cbrt":
      return [increasing((x) => bind(prim, [x], params)[0]!, a)];
    case "abs": {
      const pos = a.lo.ge(0);
      const neg = a.hi.le(0);
      return [{ lo: np.where(pos, a.lo, np.where(neg, np.negative(a.hi), 0)), hi: np.maximum(np.abs(a.lo), np.abs(a.hi)) }];
    }
    case "sin":
      return [sinInterval(a)];
    case "cos":
      return [sinInterval({ lo: a.lo.add(Math.PI / 2), hi: a.hi.add(Math.PI / 2) })];
    // Structural and monotone linear maps with nonnegative weights act on each end.
    case "reduceSum": case "reduceMax": case "reduceMin": case "cumsum":
    case "reshape": case "transpose": case "broadcastInDim": case "slice": case "convert": case "stopGradient": case "checkpoint_name":
      return [same(prim, params, a)];
    case "concatenate":
      return [{ lo: bind(prim, xs.map((x) => x.lo), params)[0]!, hi: bind(prim, xs.map((x) => x.hi), params)[0]! }];
    case "dotGeneral": {
      // Midpoint–radius product: |a·b − ma·mb| ≤ |ma|·rb + ra·|mb| + ra·rb (elementwise, then contracted).
      const dot = (x: NDArray, y: NDArray) => bind(prim, [x, y], params)[0]!;
      const [ma, ra] = [a.lo.add(a.hi).div(2), a.hi.sub(a.lo).div(2)];
      const [mb, rb] = [b.lo.add(b.hi).div(2), b.hi.sub(b.lo).div(2)];
      const mid = dot(ma, mb);
      const rad = dot(np.abs(ma), rb).add(dot(ra, np.abs(mb))).add(dot(ra, rb));
      return [{ lo: mid.sub(rad), hi: mid.add(rad) }];
    }
    default:
      throw new TypeError(`bounds: no interval rule for the primitive ${prim.name}`);
  }
}

const intervals = defineTransform<Interval, undefined>({
  name: "bounds",
  pure: point,
  aval: (i) => i.lo,
  processPrimitive: (prim, xs, params) => intervalRule(prim, xs, params),
});

/**
 * `bounds(f, box)`: guaranteed bounds `[lo, hi]` of f's (single array) output over the box — one
 * `[lo, hi]` pair per argument of f — by interval arithmetic (sound, not always tight: `x·x` over
 * [−1, 1] gives [−1, 1], not [0, 1], since the two factors are treated as independent).
 */
export function bounds<A extends NDArray[]>(f: (...args: A) => NDArray, box: readonly (readonly [NDArray, NDArray])[]): Interval {
  const [out] = intervals.apply(f as (...xs: NDArray[]) => NDArray, box.map(([lo, hi]) => ({ lo, hi })), undefined);
  return out!;
}

// ---------------------------------------------------------------- print_trace

/** A value as the trace shows it: its numbers when there are any (all batch members under vmap), else its type. */
function showValue(x: NDArray): string {
  const data = dataBeneath(x);
  return data === null ? `${x.dtype}[${x.shape.join(",")}]` : data.toString().replace(/\s+/g, " ");
}

const tracer = defineTransform<NDArray, (line: string) => void>({
  name: "printTrace",
  pure: (x) => x,
  aval: (x) => x,
  processPrimitive: (prim, xs, params, log) => {
    const outs = bind(prim, xs, params);
    log(`${prim.name}(${xs.map(showValue).join(", ")}) -> ${outs.map(showValue).join(", ")}`);
    return outs;
  },
});

/** `printTrace(f, log?)(...args)`: runs f, logging each primitive with its input and output values (autograd's `print_trace`). */
export const printTrace =
  <A extends NDArray[]>(f: (...args: A) => NDArray, log: (line: string) => void = console.log) =>
  (...args: A): NDArray =>
    tracer.apply(f as (...xs: NDArray[]) => NDArray, args, log)[0]!;

// ---------------------------------------------------------------- dot_graph

/** A value and the graph node that made it. */
interface Node {
  readonly value: NDArray;
  readonly id: string;
}

/** The graph being built: node and edge lines, and the node of each constant already seen. */
interface Graph {
  readonly lines: string[];
  readonly constants: Map<NDArray, Node>;
  next: number;
}

const addNode = (g: Graph, label: string, value: NDArray, shape = ""): Node => {
  const id = `n${g.next++}`;
  g.lines.push(`  ${id} [label="${label}\\n${value.dtype}[${value.shape.join(",")}]"${shape}];`);
  return { value, id };
};

const grapher = defineTransform<Node, Graph>({
  name: "dotGraph",
  pure: (x, g) => {
    let n = g.constants.get(x);
    if (n === undefined) g.constants.set(x, (n = addNode(g, x.size === 1 ? `const ${showValue(x)}` : "const", x, " shape=note")));
    return n;
  },
  aval: (n) => n.value,
  processPrimitive: (prim, xs, params, g) => {
    const outs = bind(prim, xs.map((n) => n.value), params);
    const nodes = outs.map((o) => addNode(g, prim.name, o));
    for (const n of nodes) for (const x of xs) g.lines.push(`  ${x.id} -> ${n.id};`);
    return nodes;
  },
});

/**
 * `dotGraph(f)(...args)`: the computation f runs on `args` as a Graphviz DOT graph (autograd's
 * `dot_graph`): a box per input, a node per primitive application (labelled with its name and
 * output type), a note per constant, an edge per data dependence, and a box per output.
 */
export const dotGraph =
  <A extends NDArray[]>(f: (...args: A) => NDArray | NDArray[]) =>
  (...args: A): string => {
    const g: Graph = { lines: [], constants: new Map(), next: 0 };
    const inputs = args.map((a, i) => addNode(g, `input ${i}`, a, " shape=box"));
    const outs = grapher.apply(f as (...xs: NDArray[]) => NDArray, inputs, g);
    outs.forEach((n, i) => {
      const out = addNode(g, `output ${i}`, n.value, " shape=box");
      g.lines.push(`  ${n.id} -> ${out.id};`);
    });
    return `digraph computation {\n${g.lines.join("\n")}\n}\n`;
  };

// ---------------------------------------------------------------- the notebook

/** A two-layer perceptron's squared loss: what the FLOP counts are taken of. */
export const mlpLoss = (W1: NDArray, W2: NDArray, x: NDArray, y: NDArray): NDArray =>
  np.sum(np.square(np.matmul(np.tanh(np.matmul(x, W1)), W2).sub(y)));

export interface InterpretersResult {
  readonly forwardFlops: number;
  readonly gradFlops: number;
  /** max over the sampled points of how far f left its bounds (≤ 0: never). */
  readonly boundsViolation: number;
  readonly traceLines: readonly string[];
  readonly dot: string;
  readonly files: string[];
}

export function run({ quick }: RunOptions): InterpretersResult {
  const dir = outDir({ quick });
  const [n, d, h] = quick ? [8, 4, 6] : [256, 64, 128];
  const W1 = np.full([d, h], 0.1);
  const W2 = np.full([h, 1], 0.2);
  const x = np.linspace(-1, 1, n * d).reshape([n, d]);
  const y = np.zeros([n, 1]);
  const forwardFlops = countFlops(mlpLoss)(W1, W2, x, y).flops.total;
  const gradFlops = countFlops(jit(grad(mlpLoss)))(W1, W2, x, y).flops.total;

  const f = (a: NDArray, b: NDArray) => np.sin(a).mul(np.exp(b.neg())).add(a.mul(b));
  const box = [[np.array(-0.5), np.array(1)], [np.array(0), np.array(2)]] as const;
  const { lo, hi } = bounds(f, box);
  const grid = np.linspace(0, 1, quick ? 21 : 201);
  const as = grid.mul(1.5).sub(0.5).reshape([-1, 1]);
  const bs = grid.mul(2).reshape([1, -1]);
  const values = vmap(vmap(f, { inAxes: [null, 0] }), { inAxes: [0, null] })(as.reshape([-1]), bs.reshape([-1]));
  const boundsViolation = Math.max(np.max(values.sub(hi)).item(), np.max(lo.sub(values)).item());

  const traceLines: string[] = [];
  printTrace((t: NDArray) => np.sum(np.tanh(t).mul(t)), (l) => traceLines.push(l))(np.array([0.5, 1]));
  const dot = dotGraph((t: NDArray) => np.sum(np.tanh(t).mul(t)))(np.array([0.5, 1]));
  const dotFile = join(dir, "15-graph.dot");
  writeFileSync(dotFile, dot);

  const report = new Report("Custom interpreters")
    .text(
      "Four transformations written with `defineTransform`, each a few dozen lines, composing with the built-in ones: " +
        "a FLOP counter (of a two-layer perceptron's loss and of `jit(grad(loss))`), interval bounds (checked against dense sampling), " +
        "autograd's `print_trace` and `dot_graph` (written to `15-graph.dot`).",
    )
    .numbers({
      [`FLOPs of the loss (n=${n}, d=${d}, h=${h})`]: forwardFlops,
      "FLOPs of jit(grad(loss))": gradFlops,
      "gradient / loss FLOP ratio": gradFlops / forwardFlops,
      "interval bounds of sin(a)·exp(−b) + a·b over [−0.5, 1] × [0, 2]": `[${lo.item().toFixed(4)}, ${hi.item().toFixed(4)}]`,
      "sampled range": `[${np.min(values).item().toFixed(4)}, ${np.max(values).item().toFixed(4)}]`,
    })
    .text("print_trace of sum(tanh(t)·t):\n\n```\n" + traceLines.join("\n") + "\n```")
    .write(dir, "15-custom-interpreters");
  console.log(`wrote ${dotFile} and ${report}`);
  return { forwardFlops, gradFlops, boundsViolation, traceLines, dot, files: [dotFile, report] };
}

main(import.meta.url, run);

/**
 * @file Primitives carrying user derivative rules, as closed jaxprs: `customJvpCall` (a function
 * with its own JVP rule, staged when first differentiated), `customVjpCall` (with its own
 * forward/backward pair) and `customVjpLin`, the linear map whose transpose is the user's backward
 * function: reverse mode through a custom VJP is its JVP in partial-eval form (the residuals from
 * `fwd`, known, then `customVjpLin` on the tangents), never a check of which interpreter is running.
 */
import { zerosConcrete, type Aval, type ConcreteArray, type NDArray } from "../core/ndarray.ts";
import { tangentDtype } from "../core/dtype.ts";
import { bind } from "../core/trace.ts";
import { definePrimitive, type Primitive } from "../core/primitive.ts";
import { evalJaxpr, type ClosedJaxpr } from "../core/jaxpr.ts";
import { batchFunction } from "../interpreters/batching.ts";
import { batchJaxpr, tangentAval } from "../interpreters/jaxpr-rules.ts";
import { stageFlat } from "../interpreters/staging.ts";
import { matchBatch } from "../primitives/structural.ts";

type Fn = (xs: NDArray[]) => NDArray[];
const front = (x: NDArray, d: number | null, size: number) => matchBatch(x, d, size, 0);
/** Arguments with their batch axes moved to the front (unbatched ones broadcast). */
const atFront = (args: readonly NDArray[], dims: readonly (number | null)[], size: number) => args.map((a, i) => front(a, dims[i]!, size));
/** `f` vectorized over axis 0 of every argument. */
const batched = (f: Fn, size: number): Fn => (xs) => batchFunction(f, xs, xs.map(() => 0), size, front);
const withBatch = (a: Aval, size: number): Aval => ({ shape: [size, ...a.shape], dtype: a.dtype });

/** Tangents with symbolic zeros made concrete (user rules always get arrays). */
const instantiate = (tangents: readonly (NDArray | null)[], primals: readonly NDArray[]): NDArray[] =>
  tangents.map((t, i) => t ?? zerosConcrete(primals[i]!.shape, tangentDtype(primals[i]!.dtype) ?? "float64"));

/**
 * JAX's rule: a custom rule only says how to differentiate with respect to the explicit inputs, so
 * differentiating with respect to a value the function closed over (a hoisted operand) is an error.
 */
function checkNoHoistedTangent(op: string, tangents: readonly (NDArray | null)[], numHoisted: number): void {
  for (let i = 0; i < numHoisted; i++) {
    if (tangents[i] !== null) {
      throw new TypeError(
        `${op}: the function is differentiated with respect to a value it closes over (not one of its arguments); ` +
          "its custom rule only covers the explicit arguments. Pass that value as an argument instead.",
      );
    }
  }
}

/** Rules staged so far, by rule function and the avals staged at. */
const stagedRules = new WeakMap<Fn, Map<string, ClosedJaxpr>>();
const avalsKey = (avals: readonly Aval[]): string => avals.map((a) => `${a.dtype}[${a.shape.join(",")}]`).join(" ");

/**
 * A user rule staged at `avals` (JAX's `jvp_jaxpr_thunk`: the avals are known only when the rule
 * is first needed), from the cache when staged before. A rule that closed over values of an
 * enclosing transformation takes them as leading inputs (`hoisted`) and is good for this call only.
 */
function stageRule(rule: Fn, avals: readonly Aval[], op: string): { jaxpr: ClosedJaxpr; hoisted: NDArray[] } {
  const key = avalsKey(avals);
  const known = stagedRules.get(rule)?.get(key);
  if (known) return { jaxpr: known, hoisted: [] };
  const staged = stageFlat(rule, avals, op);
  if (staged.hoisted.length === 0) {
    let m = stagedRules.get(rule);
    if (!m) stagedRules.set(rule, (m = new Map()));
    m.set(key, staged.jaxpr);
  }
  return staged;
}

/** Runs a user rule, staged at the avals of `args`. */
function runStagedRule(rule: Fn, args: readonly NDArray[], op: string): NDArray[] {
  const { jaxpr, hoisted } = stageRule(rule, args.map((a) => ({ shape: a.shape, dtype: a.dtype })), op);
  return evalJaxpr(jaxpr, [...hoisted, ...args]);
}

// ---------------------------------------------------------------- customJvpCall

export interface CustomJvpParams {
  readonly name: string;
  /** The function, staged: `[hoisted, args] → outs`. */
  readonly funJaxpr: ClosedJaxpr;
  /** How many leading operands are values the function closed over. */
  readonly numHoisted: number;
  /** The user's rule on flat lists: `[args, tangents] → tangents of the outputs` (checked against the outputs' shapes). */
  readonly jvpRule: Fn;
}

export const customJvpCallP: Primitive<CustomJvpParams> = definePrimitive<CustomJvpParams>({
  name: "custom_jvp_call",
  impl: (args, { funJaxpr }) => evalJaxpr(funJaxpr, args) as ConcreteArray[],
  abstractEval: (_, { funJaxpr }) => funJaxpr.outAvals,
  jvp: (primals, tangents, outs, { name, numHoisted, jvpRule }) => {
    checkNoHoistedTangent(`customJvp(${name})`, tangents, numHoisted);
    const ps = primals.slice(numHoisted);
    const ts = instantiate(tangents.slice(numHoisted), ps);
    const tOut = runStagedRule(jvpRule, [...ps, ...ts], `customJvp(${name}) rule`);
    return tOut.map((t, i) => (tangentDtype(outs[i]!.dtype) === null ? null : t));
  },
  transpose: "nonlinear",
  batch: (args, dims, { name, funJaxpr, numHoisted, jvpRule }, size) => {
    const [bj] = batchJaxpr(funJaxpr, size, args.map(() => true), true);
    const outs = bind(customJvpCallP, atFront(args, dims, size), { name, funJaxpr: bj, numHoisted, jvpRule: batched(jvpRule, size) });
    return [outs, outs.map(() => 0)];
  },
});

// ---------------------------------------------------------------- customVjpCall

export interface CustomVjpParams {
  readonly name: string;
  /** The function, staged: `[its captured values, args] → outs`. */
  readonly funJaxpr: ClosedJaxpr;
  /** The user's `fwd` keeping the residuals: `[its captured values, args] → residuals`. */
  readonly fwdJaxpr: ClosedJaxpr;
  /** The user's `bwd`, staged at the residuals' and cotangents' avals: `[its captured values, residuals, cts] → one cotangent per argument`. */
  readonly bwdJaxpr: ClosedJaxpr;
  /** The operands start with the values each of the three closed over (`fun`, then `fwd`, then `bwd`). */
  readonly numHoisted: readonly [number, number, number];
}

const noForwardMode = (name: string) =>
  new TypeError(
    `customVjp(${name}): a function with a custom VJP has no forward-mode derivative (jvp, jacfwd, hessian's outer jacfwd, ` +
      "linearize's jvpFn). Use customJvp for forward mode, or jacrev/vjp.",
  );

/** The operands of a `customVjpCall`, split: each program's captured values, then the arguments. */
function splitVjpOperands<T>(xs: readonly T[], [nFun, nFwd, nBwd]: readonly [number, number, number]) {
  const nH = nFun + nFwd + nBwd;
  return {
    fun: xs.slice(0, nFun),
    fwd: xs.slice(nFun, nFun + nFwd),
    bwd: xs.slice(nFun + nFwd, nH),
    args: xs.slice(nH),
    nH,
  };
}

export const customVjpCallP: Primitive<CustomVjpParams> = definePrimitive<CustomVjpParams>({
  name: "custom_vjp_call",
  impl: (xs, { funJaxpr, numHoisted }) => {
    const { fun, args } = splitVjpOperands(xs, numHoisted);
    return evalJaxpr(funJaxpr, [...fun, ...args]) as ConcreteArray[];
  },
  abstractEval: (_, { funJaxpr }) => funJaxpr.outAvals,
  // Partial-eval form: the residuals from fwd (known), then the linear map whose transpose is bwd.
  jvp: (primals, tangents, outs, { name, fwdJaxpr, bwdJaxpr, numHoisted }) => {
    const { fwd, bwd, args, nH } = splitVjpOperands(primals, numHoisted);
    checkNoHoistedTangent(`customVjp(${name})`, tangents, nH);
    const res = evalJaxpr(fwdJaxpr, [...fwd, ...args]);
    const ts = instantiate(tangents.slice(nH), args);
    const known = [...bwd, ...res];
    return bind(customVjpLinP, [...known, ...ts], { name, bwd: bwdJaxpr, numKnown: known.length, outAvals: outs.map((o) => tangentAval(o)) });
  },
  transpose: "nonlinear",
  // Every operand and output batched at the front; the three programs batched alike.
  batch: (xs, dims, params, size) => {
    const all = (j: ClosedJaxpr) => batchJaxpr(j, size, j.inAvals.map(() => true), true)[0];
    const outs = bind(customVjpCallP, atFront(xs, dims, size), {
      ...params,
      funJaxpr: all(params.funJaxpr),
      fwdJaxpr: all(params.fwdJaxpr),
      bwdJaxpr: all(params.bwdJaxpr),
    });
    return [outs, outs.map(() => 0)];
  },
});

export interface CustomVjpLinParams {
  readonly name: string;
  /** `[known operands, cotangents] → cotangents of the tangent operands`: the user's `bwd`, staged. */
  readonly bwd: ClosedJaxpr;
  /** The leading operands are known (captured values and residuals); the rest are the tangents. */
  readonly numKnown: number;
  readonly outAvals: readonly Aval[];
}

/**
 * The tangent map of a `customVjpCall`: linear in its tangent operands and known only by its
 * transpose (the user's `bwd`). Applying it forward is forward mode, which a custom VJP does not have.
 */
export const customVjpLinP: Primitive<CustomVjpLinParams> = definePrimitive<CustomVjpLinParams>({
  name: "custom_vjp_lin",
  impl: (_, { name }) => {
    throw noForwardMode(name);
  },
  abstractEval: (_, { outAvals }) => [...outAvals],
  jvp: (_, __, ___, { name }) => {
    throw noForwardMode(name);
  },
  transpose: (cts, args, { bwd, numKnown }) => [
    ...args.slice(0, numKnown).map(() => null),
    ...evalJaxpr(bwd, [...(args.slice(0, numKnown) as NDArray[]), ...cts]),
  ],
  batch: (args, dims, { name, bwd, numKnown, outAvals }, size) => {
    const [bb] = batchJaxpr(bwd, size, bwd.inAvals.map(() => true), true);
    const outs = bind(customVjpLinP, atFront(args, dims, size), { name, bwd: bb, numKnown, outAvals: outAvals.map((a) => withBatch(a, size)) });
    return [outs, outs.map(() => 0)];
  },
});

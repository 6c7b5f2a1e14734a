/**
 * @file Transformations of closed jaxprs, each built by staging a transformed `evalJaxpr` (as in
 * autodidax part 3): the JVP of a jaxpr, its batched form, its linearization (a known part and a
 * part linear in the tangents), and the transpose of a linear jaxpr. Higher-order primitives build
 * their rules from these.
 */
import { zerosConcrete, type Aval, type NDArray } from "../core/ndarray.ts";
import { tangentDtype } from "../core/dtype.ts";
import { isUndefinedPrimal, type LinearArg, type UndefinedPrimal } from "../core/primitive.ts";
import { bind, withMainTrace, type Trace } from "../core/trace.ts";
import { ClosedJaxpr, dceClosed, evalJaxpr, Jaxpr, type JaxprEqn, type JaxprVar } from "../core/jaxpr.ts";
import { matchBatch } from "../primitives/structural.ts";
import { JVPTracer, makeJVPTrace, primalAndTangent } from "./jvp.ts";
import { BatchTracer, makeBatchTrace, valueAndDim, type BatchTrace } from "./batching.ts";
import { stageFlat } from "./staging.ts";
import { addAny } from "./accumulate.ts";

/** The tangent space's abstract value of a primal's (same shape, the tangent dtype). */
export const tangentAval = (a: Aval): Aval => ({ shape: a.shape, dtype: tangentDtype(a.dtype) ?? "float64" });

const flags = (x: boolean | readonly boolean[], n: number): boolean[] => (typeof x === "boolean" ? new Array<boolean>(n).fill(x) : [...x]);

/**
 * Stages `f` for a rule: rules build programs from closed jaxprs and concrete constants only, so
 * nothing can be captured from an outer level (an internal error if something is).
 */
export function stageClosed(f: (xs: NDArray[]) => NDArray[], inAvals: readonly Aval[], op: string): ClosedJaxpr {
  const { jaxpr, hoisted } = stageFlat(f, inAvals, op);
  if (hoisted.length > 0) throw new Error(`internal: ${op} captured ${hoisted.length} traced value(s)`);
  return jaxpr;
}

/**
 * The JVP of a closed jaxpr: a jaxpr over `[primals, tangents of the inputs marked in nonzeros]`
 * returning `[outputs, tangents of the outputs marked in the returned outNonzeros]`. Outputs marked
 * in `instantiate` get a tangent (zeros if need be) when they are floats.
 */
export function jvpJaxpr(closed: ClosedJaxpr, nonzeros: readonly boolean[], instantiate: boolean | readonly boolean[]): [ClosedJaxpr, boolean[]] {
  const inAvals = closed.inAvals;
  const n = inAvals.length;
  const inst = flags(instantiate, closed.jaxpr.outvars.length);
  const tanAvals = inAvals.filter((_, i) => nonzeros[i]).map(tangentAval);
  const outNonzeros: boolean[] = [];
  const jaxpr = stageClosed(
    (xs) =>
      withMainTrace(makeJVPTrace, null, (main) => {
        let k = n;
        const ins = xs.slice(0, n).map((p, i) => new JVPTracer(main.trace as never, p, nonzeros[i] ? xs[k++]! : null));
        const outs = evalJaxpr(closed, ins);
        const primalsOut: NDArray[] = [];
        const tangentsOut: NDArray[] = [];
        outs.forEach((o, i) => {
          const [p, t] = primalAndTangent(main.trace, o);
          primalsOut.push(p);
          const dt = tangentDtype(p.dtype);
          if (t !== null) tangentsOut.push(t);
          else if (inst[i] && dt !== null) tangentsOut.push(zerosConcrete(p.shape, dt));
          outNonzeros[i] = t !== null || (inst[i]! && dt !== null);
        });
        return [...primalsOut, ...tangentsOut];
      }),
    [...inAvals, ...tanAvals],
    "jvpJaxpr",
  );
  return [jaxpr, outNonzeros];
}

/**
 * The batched form of a closed jaxpr: inputs marked in `inBatched` carry a leading batch axis of
 * `axisSize`; outputs carry one where the returned `outBatched` says (always where `forceOutBatched`).
 */
export function batchJaxpr(
  closed: ClosedJaxpr,
  axisSize: number,
  inBatched: readonly boolean[],
  forceOutBatched: boolean | readonly boolean[],
): [ClosedJaxpr, boolean[]] {
  const force = flags(forceOutBatched, closed.jaxpr.outvars.length);
  const outBatched: boolean[] = [];
  const inAvals = closed.inAvals.map((a, i) => (inBatched[i] ? { shape: [axisSize, ...a.shape], dtype: a.dtype } : a));
  const jaxpr = stageClosed(
    (xs) =>
      withMainTrace(makeBatchTrace, axisSize, (main) => {
        const trace = main.trace as BatchTrace;
        const ins = xs.map((x, i) => (inBatched[i] ? new BatchTracer(trace, x, 0) : x));
        return evalJaxpr(closed, ins).map((o, i) => {
          const [v, d] = valueAndDim(trace as Trace, o);
          outBatched[i] = d !== null || force[i]!;
          return outBatched[i] ? matchBatch(v, d, axisSize, 0) : v;
        });
      }),
    inAvals,
    "batchJaxpr",
  );
  return [jaxpr, outBatched];
}

/** A jaxpr split into the part computable from the primals and the part linear in the tangents. */
export interface LinearizedJaxpr {
  /** `primals → [outputs, residuals]`. */
  readonly known: ClosedJaxpr;
  /** `[residuals, tangents of the nonzero inputs] → tangents of the nonzero outputs`. */
  readonly linear: ClosedJaxpr;
  readonly numRes: number;
  readonly outNonzeros: boolean[];
  /** Per residual: the index of the primal input it is a copy of, or `null` for a computed value. */
  readonly resFromInput: (number | null)[];
}

/**
 * Linearizes a closed jaxpr: partial evaluation of its JVP jaxpr, split by dependence on the
 * tangent inputs. Equations that read no tangent form the known jaxpr; the others (linear in the
 * tangents, by the JVP rules' contract) form the linear jaxpr, and the known values they read
 * become residuals that the known jaxpr also returns. `instantiate` as for `jvpJaxpr`; `staged`, the
 * result of that `jvpJaxpr` call when the caller already has it.
 */
export function linearizeJaxpr(
  closed: ClosedJaxpr,
  nonzeros: readonly boolean[],
  instantiate: boolean | readonly boolean[] = false,
  staged?: [ClosedJaxpr, boolean[]],
): LinearizedJaxpr {
  const [jvp, outNonzeros] = staged ?? jvpJaxpr(closed, nonzeros, instantiate);
  const j = jvp.jaxpr;
  const n = closed.jaxpr.invars.length;
  const nOut = closed.jaxpr.outvars.length;
  const unknown = new Uint8Array(j.numVars);
  const primalIns = j.invars.slice(0, n);
  const tangentIns = j.invars.slice(n);
  for (const v of tangentIns) unknown[v.id] = 1;
  const knownEqns: JaxprEqn[] = [];
  const linearEqns: JaxprEqn[] = [];
  for (const e of j.eqns) {
    if (e.inputs.some((v) => unknown[v.id])) {
      for (const v of e.outs) unknown[v.id] = 1;
      linearEqns.push(e);
    } else knownEqns.push(e);
  }
  const primalOuts = j.outvars.slice(0, nOut);
  const tangentOuts = j.outvars.slice(nOut);
  if (primalOuts.some((v) => unknown[v.id])) throw new Error("internal: linearizeJaxpr: a primal output depends on a tangent");
  // Known values the linear part reads: constants stay constants of the linear jaxpr; the rest are residuals.
  const isConst = new Map<JaxprVar, NDArray>(j.constvars.map((v, i) => [v, jvp.consts[i]!]));
  const residuals = new Set<JaxprVar>();
  const linConsts = new Set<JaxprVar>();
  const needKnown = (v: JaxprVar) => {
    if (unknown[v.id]) return;
    if (isConst.has(v)) linConsts.add(v);
    else residuals.add(v);
  };
  for (const e of linearEqns) e.inputs.forEach(needKnown);
  tangentOuts.forEach(needKnown);
  const res = [...residuals];
  const known = dceClosed(new ClosedJaxpr(new Jaxpr(j.constvars, primalIns, knownEqns, [...primalOuts, ...res], j.numVars), jvp.consts)).closed;
  const lc = [...linConsts];
  const linear = dceClosed(
    new ClosedJaxpr(new Jaxpr(lc, [...res, ...tangentIns], linearEqns, tangentOuts, j.numVars), lc.map((v) => isConst.get(v)!)),
  ).closed;
  const resFromInput = res.map((v) => {
    const k = primalIns.indexOf(v);
    return k < 0 ? null : k;
  });
  return { known, linear, numRes: res.length, outNonzeros, resFromInput };
}

/**
 * The transpose of a jaxpr linear in the inputs marked in `linearMask`: a jaxpr over
 * `[the other (known) inputs, cotangents of the outputs]` returning the cotangents of the linear
 * inputs. Equations reading only known values are evaluated forward; the others are transposed
 * from the last, each with its primitive's transpose rule (as `backwardPass` does, but staged).
 */
export function transposeJaxpr(linear: ClosedJaxpr, linearMask: readonly boolean[]): ClosedJaxpr {
  const j = linear.jaxpr;
  const knownAvals = linear.inAvals.filter((_, i) => !linearMask[i]);
  return stageClosed(
    (xs) => {
      const nk = knownAvals.length;
      const cts = xs.slice(nk);
      const env: (NDArray | undefined)[] = new Array(j.numVars);
      const undef: (UndefinedPrimal | undefined)[] = new Array(j.numVars);
      j.constvars.forEach((v, i) => (env[v.id] = linear.consts[i]!));
      let k = 0;
      j.invars.forEach((v, i) => {
        if (linearMask[i]) undef[v.id] = { undefinedPrimal: true, aval: v.aval };
        else env[v.id] = xs[k++]!;
      });
      const linEqns: JaxprEqn[] = [];
      for (const e of j.eqns) {
        if (e.inputs.some((v) => undef[v.id] !== undefined)) {
          for (const v of e.outs) undef[v.id] = { undefinedPrimal: true, aval: v.aval };
          linEqns.push(e);
        } else {
          const outs = bind(e.prim, e.inputs.map((v) => env[v.id]!), e.params);
          e.outs.forEach((v, i) => (env[v.id] = outs[i]!));
        }
      }
      const ctOf: (NDArray | null)[] = new Array(j.numVars).fill(null);
      const acc = (v: JaxprVar, ct: NDArray) => {
        const prev = ctOf[v.id];
        ctOf[v.id] = prev == null ? ct : addAny(prev, ct);
      };
      j.outvars.forEach((v, i) => {
        if (undef[v.id] !== undefined) acc(v, cts[i]!);
      });
      for (let e = linEqns.length - 1; e >= 0; e--) {
        const eqn = linEqns[e]!;
        const ctsOut = eqn.outs.map((v) => ctOf[v.id]);
        if (ctsOut.every((c) => c === null)) continue;
        const rule = eqn.prim.transpose;
        if (rule === "nonlinear") throw new TypeError(`transposeJaxpr: ${eqn.prim.name} is applied to a linear value but is not linear`);
        const args: LinearArg[] = eqn.inputs.map((v) => undef[v.id] ?? env[v.id]!);
        const ctsIn = rule(
          ctsOut.map((c, i) => c ?? zerosConcrete(eqn.outs[i]!.aval.shape, eqn.outs[i]!.aval.dtype)),
          args,
          eqn.params,
        );
        eqn.inputs.forEach((v, i) => {
          const ct = ctsIn[i];
          if (ct != null && isUndefinedPrimal(args[i])) acc(v, ct);
        });
      }
      return j.invars.filter((_, i) => linearMask[i]).map((v) => ctOf[v.id] ?? zerosConcrete(v.aval.shape, v.aval.dtype));
    },
    [...knownAvals, ...j.outvars.map((v) => v.aval)],
    "transposeJaxpr",
  );
}

/**
 * @file The loop higher-order primitives: `scan` (a body jaxpr over consts, a carry and rows of
 * xs, stacking its ys) and `while` (cond and body jaxprs over a carry). Their kernels run the
 * jaxprs in a JS loop; JVP is partial evaluation (a known loop that also emits residuals, then a
 * linear scan over them), so reverse mode transposes only the linear scan — through `while` too,
 * whose residuals go on a stack whose length is known only at run time. With plain-value tangents
 * (forward mode, nothing recorded) the loop of the body's JVP carries them along instead, keeping
 * no residuals.
 */
import { ConcreteArray, zerosConcrete, type Aval, type NDArray } from "../core/ndarray.ts";
import { bind, isTracer } from "../core/trace.ts";
import { definePrimitive, isUndefinedPrimal, type Primitive } from "../core/primitive.ts";
import { ClosedJaxpr, dceClosed, evalJaxpr, Jaxpr } from "../core/jaxpr.ts";
import { batchJaxpr, jvpJaxpr, linearizeJaxpr, stageClosed, tangentAval, transposeJaxpr } from "../interpreters/jaxpr-rules.ts";
import { convert, matchBatch, moveaxis } from "../primitives/structural.ts";
import { add, fullLike } from "../primitives/binary.ts";
import { and, gt, select } from "../primitives/compare.ts";
import { reduceMax } from "../primitives/reduce.ts";
import { broadcastLeading, pick, rowOf, sameFlags, stackRows, TRUE } from "./control.ts";

const stacked = (n: number, a: Aval): Aval => ({ shape: [n, ...a.shape], dtype: a.dtype });
const zerosOf = (a: Aval): NDArray => zerosConcrete(a.shape, a.dtype);

/**
 * Which residuals of a loop body's known part are loop-invariant (they read only the body's
 * consts): those are computed once, before the loop, instead of being stacked per iteration.
 * Returns the flags and the values (computed from `consts`, at the caller's level).
 */
function invariantResiduals(known: ClosedJaxpr, nOut: number, consts: readonly NDArray[]): { invariant: boolean[]; values: NDArray[] } {
  const j = known.jaxpr;
  const varying = new Uint8Array(j.numVars);
  j.invars.forEach((v, i) => {
    if (i >= consts.length) varying[v.id] = 1;
  });
  for (const e of j.eqns) if (e.inputs.some((v) => varying[v.id])) for (const v of e.outs) varying[v.id] = 1;
  const invariant = j.outvars.slice(nOut).map((v) => varying[v.id] === 0);
  if (!invariant.some((x) => x)) return { invariant, values: [] };
  // Computed once before the loop, which still runs the body's effects: they stay out of this slice.
  const once = dceClosed(known, [...new Array<boolean>(nOut).fill(false), ...invariant], false).closed;
  const oj = once.jaxpr;
  const onConsts = new ClosedJaxpr(new Jaxpr(oj.constvars, oj.invars.slice(0, consts.length), oj.eqns, oj.outvars, oj.numVars), once.consts);
  return { invariant, values: evalJaxpr(onConsts, consts) };
}

// ---------------------------------------------------------------- scan

export interface ScanParams {
  /** `[consts, carry, x] → [carry', y]`. */
  readonly jaxpr: ClosedJaxpr;
  /** Number of steps; `-1`: the leading dimension of the xs, known at run time (the linear part of `while`). */
  readonly length: number;
  readonly reverse: boolean;
  readonly numConsts: number;
  readonly numCarry: number;
}

function scanLength(length: number, xs: readonly Aval[]): number {
  if (length >= 0) return length;
  if (xs.length === 0) throw new Error("internal: scan with a run-time length needs an xs operand");
  return xs[0]!.shape[0]!;
}

/** Consts, carry and xs of a scan's operands. */
const splitScan = <T>(args: readonly T[], { numConsts: nC, numCarry: nK }: ScanParams): [T[], T[], T[]] => [
  args.slice(0, nC),
  args.slice(nC, nC + nK),
  args.slice(nC + nK),
];

/**
 * The carry's nonzero tangents: those of the initial carry, plus those the body makes nonzero,
 * until nothing changes (a fixpoint, as the carry feeds itself).
 */
function carryFixpoint(init: boolean[], step: (carry: boolean[]) => boolean[]): boolean[] {
  let carry = init;
  for (;;) {
    const out = step(carry);
    const next = carry.map((c, i) => c || out[i]!);
    if (sameFlags(next, carry)) return carry;
    carry = next;
  }
}

/**
 * The carry's nonzero tangents (`carryFixpoint` through the body's JVP), and the body's JVP
 * staged with exactly those carry tangents when the last step already produced it (so
 * `linearizeJaxpr` need not stage it again).
 */
function jvpFixpoint(body: ClosedJaxpr, before: boolean[], carry: boolean[], after: boolean[]): [boolean[], [ClosedJaxpr, boolean[]] | undefined] {
  let last: [ClosedJaxpr, boolean[]] | undefined;
  let lastIn: boolean[] = [];
  const nK = carry.length;
  const flags = carryFixpoint(carry, (k) => {
    lastIn = k;
    last = jvpJaxpr(body, [...before, ...k, ...after], false);
    return last[1].slice(0, nK);
  });
  const reusable = last !== undefined && sameFlags(lastIn, flags) && sameFlags(last[1].slice(0, nK), flags);
  return [flags, reusable ? last : undefined];
}

/** Whether every tangent is a plain value (forward mode outside any recording): then loops carry tangents along. */
const concreteTangents = (tangents: readonly (NDArray | null)[]): boolean => tangents.every((t) => t === null || !isTracer(t));

/**
 * Forward mode with concrete tangents: one scan of the body's JVP, tangents carried along the
 * primal carry, so no residual is kept (as JAX's scan JVP).
 */
function scanJvpForward(primals: readonly NDArray[], tangents: readonly (NDArray | null)[], params: ScanParams, nz: boolean[][]): [NDArray[], (NDArray | null)[]] {
  const { jaxpr, numCarry: nK } = params;
  const [nzC, nzK, nzX] = nz as [boolean[], boolean[], boolean[]];
  const nOut = jaxpr.jaxpr.outvars.length;
  const [jvp, outNz] = jvpJaxpr(jaxpr, [...nzC, ...nzK, ...nzX], [...nzK, ...new Array<boolean>(nOut - nK).fill(false)]);
  const [cs, ks, xs] = splitScan(primals, params);
  const [tc, tk, tx] = splitScan(tangents, params);
  const [cA, kA, xA] = splitScan(jaxpr.inAvals, params);
  const tcs = pick(tc, nzC) as NDArray[];
  const tks = pick(tk.map((t, i) => t ?? zerosOf(tangentAval(ks[i]!))), nzK);
  const txs = pick(tx, nzX) as NDArray[];
  const sizes = [cs.length, tcs.length, nK, tks.length, xs.length, txs.length];
  // The scan's operand order: consts [cs, tcs], carry [ks, tks], xs [xs, txs]; the JVP jaxpr's: primals, then tangents.
  const body = stageClosed(
    (v) => {
      let o = 0;
      const [c, t1, k, t2, x, t3] = sizes.map((n) => v.slice(o, (o += n)));
      const out = evalJaxpr(jvp, [...c!, ...k!, ...x!, ...t1!, ...t2!, ...t3!]);
      return [...out.slice(0, nK), ...out.slice(nOut, nOut + tks.length), ...out.slice(nK, nOut), ...out.slice(nOut + tks.length)];
    },
    [...cA, ...pick(cA, nzC).map(tangentAval), ...kA, ...pick(kA, nzK).map(tangentAval), ...xA, ...pick(xA, nzX).map(tangentAval)],
    "scan JVP",
  );
  const outs = bind(scanP, [...cs, ...tcs, ...ks, ...tks, ...xs, ...txs], {
    ...params,
    jaxpr: body,
    numConsts: cs.length + tcs.length,
    numCarry: nK + tks.length,
  });
  const nTK = tks.length;
  let k = nK;
  let y = nTK + nOut;
  const tangentsOut = outNz.map((z, i) => (!z ? null : i < nK ? outs[k++]! : outs[y++]!));
  return [[...outs.slice(0, nK), ...outs.slice(nK + nTK, nTK + nOut)], tangentsOut];
}

function scanJvp(primals: readonly NDArray[], tangents: readonly (NDArray | null)[], params: ScanParams): [NDArray[], (NDArray | null)[]] {
  const { jaxpr, numCarry: nK } = params;
  const [cs, ks] = splitScan(primals, params);
  const [tc, tk, tx] = splitScan(tangents, params);
  const nzC = tc.map((t) => t !== null);
  const nzX = tx.map((t) => t !== null);
  const [nzK, staged] = jvpFixpoint(jaxpr, nzC, tk.map((t) => t !== null), nzX);
  if (concreteTangents(tangents)) return scanJvpForward(primals, tangents, params, [nzC, nzK, nzX]);
  const nOut = jaxpr.jaxpr.outvars.length;
  const lin = linearizeJaxpr(jaxpr, [...nzC, ...nzK, ...nzX], [...nzK, ...new Array<boolean>(nOut - nK).fill(false)], staged);
  // Loop-invariant residuals are consts of the linear scan; the others are stacked per step.
  const { invariant: constRes, values: constResVals } = invariantResiduals(lin.known, nOut, cs);
  const known = dceClosed(lin.known, [...new Array<boolean>(nOut).fill(true), ...constRes.map((c) => !c)]).closed;
  const knownOuts = bind(scanP, primals, { ...params, jaxpr: known });
  const resStacks = knownOuts.slice(nOut);
  const tConsts = pick(tc, nzC) as NDArray[];
  const tCarry = pick(tk.map((t, i) => t ?? zerosOf(tangentAval(ks[i]!))), nzK);
  const tXs = pick(tx, nzX) as NDArray[];
  const resAvals = lin.linear.inAvals.slice(0, lin.numRes);
  const tanAvals = lin.linear.inAvals.slice(lin.numRes);
  const nCR = constResVals.length;
  const body = stageClosed(
    (xs) => {
      const cr = xs.slice(0, nCR);
      const rest = xs.slice(nCR, nCR + tanAvals.length);
      const rs = xs.slice(nCR + tanAvals.length);
      let a = 0;
      let b = 0;
      const res = constRes.map((c) => (c ? cr[a++]! : rs[b++]!));
      return evalJaxpr(lin.linear, [...res, ...rest]);
    },
    [...pick(resAvals, constRes), ...tanAvals, ...pick(resAvals, constRes.map((c) => !c))],
    "scan JVP",
  );
  const tOuts = bind(scanP, [...constResVals, ...tConsts, ...tCarry, ...tXs, ...resStacks], {
    jaxpr: body,
    length: params.length,
    reverse: params.reverse,
    numConsts: nCR + tConsts.length,
    numCarry: tCarry.length,
  });
  let k = 0;
  return [knownOuts.slice(0, nOut), lin.outNonzeros.map((z) => (z ? tOuts[k++]! : null))];
}

export const scanP: Primitive<ScanParams> = definePrimitive<ScanParams>({
  name: "scan",
  impl: (args, params) => {
    const { jaxpr, reverse, numCarry: nK } = params;
    const [cs, ks, xs] = splitScan(args, params);
    const n = scanLength(params.length, xs);
    const yAvals = jaxpr.outAvals.slice(nK);
    const ys: NDArray[][] = yAvals.map(() => new Array<NDArray>(n));
    let carry: NDArray[] = ks;
    const ins: NDArray[] = [...cs, ...ks, ...xs];
    const nCK = cs.length + nK;
    for (let k = 0; k < n; k++) {
      const t = reverse ? n - 1 - k : k;
      for (let i = 0; i < nK; i++) ins[cs.length + i] = carry[i]!;
      for (let i = 0; i < xs.length; i++) ins[nCK + i] = rowOf(xs[i]!, t);
      const outs = evalJaxpr(jaxpr, ins);
      carry = outs.slice(0, nK);
      for (let j = 0; j < ys.length; j++) ys[j]![t] = outs[nK + j]!;
    }
    return [...carry, ...ys.map((rows, j) => stackRows(rows, yAvals[j]!))] as ConcreteArray[];
  },
  abstractEval: (avals, params) => {
    const [, ks, xs] = splitScan(avals, params);
    const n = scanLength(params.length, xs);
    return [...ks, ...params.jaxpr.outAvals.slice(params.numCarry).map((a) => stacked(n, a))];
  },
  jvp: (primals, tangents, _, params) => scanJvp(primals, tangents, params)[1],
  jvpWithOutputs: scanJvp,
  // A scan linear in its carry and some consts/xs: the scan of the transposed body in the other
  // direction, carrying the carry's cotangent and the sum of the linear consts' cotangents.
  transpose: (cts, args, params) => {
    const { jaxpr, numConsts: nC, numCarry: nK } = params;
    const [cs, ks, xs] = splitScan(args, params);
    // The body of a linear scan is linear in its carry: every carry is transposed (a known one is a
    // concrete zero tangent whose cotangent nobody asks for).
    const linC = cs.map(isUndefinedPrimal);
    const linX = xs.map(isUndefinedPrimal);
    const tBody = transposeJaxpr(jaxpr, [...linC, ...ks.map(() => true), ...linX]);
    const knownC = cs.filter((c) => !isUndefinedPrimal(c)) as NDArray[];
    const knownX = xs.filter((x) => !isUndefinedPrimal(x)) as NDArray[];
    const avals = jaxpr.inAvals;
    const linCAvals = pick(avals.slice(0, nC), linC);
    const carryAvals = avals.slice(nC, nC + nK);
    const nLC = linCAvals.length;
    const ctYAvals = jaxpr.outAvals.slice(nK);
    const body = stageClosed(
      (vs) => {
        let o = 0;
        const take = (n: number) => vs.slice(o, (o += n));
        const kc = take(knownC.length);
        const acc = take(nLC);
        const ctCarry = take(nK);
        const kx = take(knownX.length);
        const ctY = take(ctYAvals.length);
        const back = evalJaxpr(tBody, [...kc, ...kx, ...ctCarry, ...ctY]);
        return [...acc.map((a, i) => add(a, back[i]!)), ...back.slice(nLC)];
      },
      [...pick(avals.slice(0, nC), linC.map((l) => !l)), ...linCAvals, ...carryAvals, ...pick(avals.slice(nC + nK), linX.map((l) => !l)), ...ctYAvals],
      "scan transpose",
    );
    const outs = bind(scanP, [...knownC, ...linCAvals.map(zerosOf), ...cts.slice(0, nK), ...knownX, ...cts.slice(nK)], {
      jaxpr: body,
      length: params.length,
      reverse: !params.reverse,
      numConsts: knownC.length,
      numCarry: nLC + nK,
    });
    let a = 0;
    let y = nLC + nK;
    return [
      ...linC.map((l) => (l ? outs[a++]! : null)),
      ...ks.map((k, i) => (isUndefinedPrimal(k) ? outs[nLC + i]! : null)),
      ...linX.map((l) => (l ? outs[y++]! : null)),
    ];
  },
  batch: (args, dims, params, size) => {
    const { jaxpr, numCarry: nK } = params;
    const [cs, ks, xs] = splitScan(args, params);
    const [dc, dk, dx] = splitScan(dims, params);
    const bC = dc.map((d) => d !== null);
    const bX = dx.map((d) => d !== null);
    const bK = carryFixpoint(
      dk.map((d) => d !== null),
      (k) => batchJaxpr(jaxpr, size, [...bC, ...k, ...bX], false)[1].slice(0, nK),
    );
    const nY = jaxpr.jaxpr.outvars.length - nK;
    const [body, outB] = batchJaxpr(jaxpr, size, [...bC, ...bK, ...bX], [...bK, ...new Array<boolean>(nY).fill(false)]);
    const outs = bind(
      scanP,
      [
        ...cs.map((c, i) => (dc[i] === null ? c : moveaxis(c, dc[i]!, 0))),
        ...ks.map((k, i) => (bK[i] ? matchBatch(k, dk[i]!, size, 0) : k)),
        // xs keep the scanned axis first; the batch axis goes second
        ...xs.map((x, i) => (dx[i] === null ? x : matchBatch(x, dx[i]!, size, 1))),
      ],
      { ...params, jaxpr: body },
    );
    return [outs, [...bK.map((b) => (b ? 0 : null)), ...outB.slice(nK).map((b) => (b ? 1 : null))]];
  },
});

// ---------------------------------------------------------------- while

export interface WhileParams {
  /** `[cond consts, carry] → [bool scalar]`. */
  readonly condJaxpr: ClosedJaxpr;
  /** `[body consts, carry] → [carry', per-iteration values to stack]`. */
  readonly bodyJaxpr: ClosedJaxpr;
  readonly condNConsts: number;
  readonly bodyNConsts: number;
  /**
   * How many of the body's outputs after the carry are stacked over the iterations (the loop's
   * extra outputs, of run-time length): 0 for a user's loop, residuals for the known part of its JVP.
   */
  readonly numStacked: number;
  /**
   * How many of the stacked outputs (the first ones) are per-iteration "active" flags: `true` where
   * a member's iteration really ran; a loop batched over a predicate that differs between members
   * clears them for members that are done, so the linear scans over the stack leave those alone.
   */
  readonly numFlags: number;
}

const splitWhile = <T>(args: readonly T[], { condNConsts: a, bodyNConsts: b }: WhileParams): [T[], T[], T[]] => [
  args.slice(0, a),
  args.slice(a, a + b),
  args.slice(a + b),
];

/**
 * JVP of `while`: a known loop that also pushes each iteration's active flag and residuals, then a
 * scan over that stack (its length read at run time) applying the linear body where the flag is set.
 */
function whileJvp(primals: readonly NDArray[], tangents: readonly (NDArray | null)[], params: WhileParams): [NDArray[], (NDArray | null)[]] {
  const { bodyJaxpr, numStacked: nS } = params;
  const [, bcs, ks] = splitWhile(primals, params);
  const [, tbc, tk] = splitWhile(tangents, params);
  const nK = ks.length;
  const nzBC = tbc.map((t) => t !== null);
  const [nzK, staged] = jvpFixpoint(bodyJaxpr, nzBC, tk.map((t) => t !== null), []);
  if (concreteTangents(tangents)) return whileJvpForward(primals, tangents, params, nzBC, nzK);
  const nOut = nK + nS;
  const lin = linearizeJaxpr(bodyJaxpr, [...nzBC, ...nzK], [...nzK, ...new Array<boolean>(nS).fill(false)], staged);
  const { invariant: constRes, values: constResVals } = invariantResiduals(lin.known, nOut, bcs);
  const knownDce = dceClosed(lin.known, [...new Array<boolean>(nOut).fill(true), ...constRes.map((c) => !c)]).closed;
  const known = stageClosed(
    (xs) => {
      const o = evalJaxpr(knownDce, xs);
      return [...o.slice(0, nK), TRUE, ...o.slice(nK)];
    },
    knownDce.inAvals,
    "whileLoop JVP",
  );
  const nRes = known.jaxpr.outvars.length - nOut - 1;
  const outsAll = bind(whileP, primals, { ...params, bodyJaxpr: known, numStacked: 1 + nS + nRes, numFlags: params.numFlags + 1 });
  const active = outsAll[nK]!;
  const resStacks = outsAll.slice(nK + 1 + nS);
  const tBC = pick(tbc, nzBC) as NDArray[];
  const tCarry = pick(tk.map((t, i) => t ?? zerosOf(tangentAval(ks[i]!))), nzK);
  const resAvals = lin.linear.inAvals.slice(0, lin.numRes);
  const nCR = constResVals.length;
  const nKz = tCarry.length;
  const body = stageClosed(
    (xs) => {
      let o = 0;
      const take = (n: number) => xs.slice(o, (o += n));
      const cr = take(nCR);
      const t1 = take(tBC.length);
      const t2 = take(nKz);
      const act = take(1)[0]!;
      const rs = take(nRes);
      let a = 0;
      let b = 0;
      const res = constRes.map((c) => (c ? cr[a++]! : rs[b++]!));
      const out = evalJaxpr(lin.linear, [...res, ...t1, ...t2]);
      // t' = linBody(res, t) where this iteration ran for the member, else t.
      return [...out.slice(0, nKz).map((t, i) => select(broadcastLeading(act, t.shape), t, t2[i]!)), ...out.slice(nKz)];
    },
    [...pick(resAvals, constRes), ...lin.linear.inAvals.slice(lin.numRes), { shape: [], dtype: "bool" }, ...pick(resAvals, constRes.map((c) => !c))],
    "whileLoop JVP",
  );
  const tOuts = bind(scanP, [...constResVals, ...tBC, ...tCarry, active, ...resStacks], {
    jaxpr: body,
    length: -1,
    reverse: false,
    numConsts: nCR + tBC.length,
    numCarry: nKz,
  });
  let k = 0;
  return [[...outsAll.slice(0, nK), ...outsAll.slice(nK + 1, nK + 1 + nS)], lin.outNonzeros.map((z) => (z ? tOuts[k++]! : null))];
}

/** Forward mode with concrete tangents: one loop of the body's JVP, tangents carried along (no stack). */
function whileJvpForward(primals: readonly NDArray[], tangents: readonly (NDArray | null)[], params: WhileParams, nzBC: boolean[], nzK: boolean[]): [NDArray[], (NDArray | null)[]] {
  const { condJaxpr, bodyJaxpr, numStacked: nS } = params;
  const [ccs, bcs, ks] = splitWhile(primals, params);
  const [, tbc, tk] = splitWhile(tangents, params);
  const [ccA, bcA, kA] = splitWhile([...condJaxpr.inAvals.slice(0, params.condNConsts), ...bodyJaxpr.inAvals], params);
  const nK = ks.length;
  const [jvp, outNz] = jvpJaxpr(bodyJaxpr, [...nzBC, ...nzK], [...nzK, ...new Array<boolean>(nS).fill(false)]);
  const tbcs = pick(tbc, nzBC) as NDArray[];
  const tks = pick(tk.map((t, i) => t ?? zerosOf(tangentAval(ks[i]!))), nzK);
  const nTK = tks.length;
  const nOut = nK + nS;
  const tkA = pick(kA, nzK).map(tangentAval);
  const cond = stageClosed((v) => evalJaxpr(condJaxpr, v.slice(0, ccs.length + nK)), [...ccA, ...kA, ...tkA], "whileLoop JVP");
  const sizes = [bcs.length, tbcs.length, nK, nTK];
  const body = stageClosed(
    (v) => {
      let o = 0;
      const [b, t1, k, t2] = sizes.map((n) => v.slice(o, (o += n)));
      const out = evalJaxpr(jvp, [...b!, ...k!, ...t1!, ...t2!]);
      // [carry, tangent carry, stacked, stacked tangents]: the flags stay the first stacked outputs.
      return [...out.slice(0, nK), ...out.slice(nOut, nOut + nTK), ...out.slice(nK, nOut), ...out.slice(nOut + nTK)];
    },
    [...bcA, ...pick(bcA, nzBC).map(tangentAval), ...kA, ...tkA],
    "whileLoop JVP",
  );
  const outs = bind(whileP, [...ccs, ...bcs, ...tbcs, ...ks, ...tks], {
    ...params,
    condJaxpr: cond,
    bodyJaxpr: body,
    bodyNConsts: bcs.length + tbcs.length,
    numStacked: nS + outNz.slice(nK).filter((z) => z).length,
  });
  let k = nK;
  let y = nK + nTK + nS;
  const tangentsOut = outNz.map((z, i) => (!z ? null : i < nK ? outs[k++]! : outs[y++]!));
  return [[...outs.slice(0, nK), ...outs.slice(nK + nTK, nK + nTK + nS)], tangentsOut];
}

export const whileP: Primitive<WhileParams> = definePrimitive<WhileParams>({
  name: "while",
  impl: (args, params) => {
    const { condJaxpr, bodyJaxpr } = params;
    const [ccs, bcs, ks] = splitWhile(args, params);
    const nK = ks.length;
    const stackAvals = bodyJaxpr.outAvals.slice(nK);
    const rows: NDArray[][] = stackAvals.map(() => []);
    const condIns: NDArray[] = [...ccs, ...ks];
    const bodyIns: NDArray[] = [...bcs, ...ks];
    for (;;) {
      const pred = evalJaxpr(condJaxpr, condIns)[0] as ConcreteArray;
      if (!pred.data[0]) break;
      const outs = evalJaxpr(bodyJaxpr, bodyIns);
      for (let i = 0; i < nK; i++) condIns[ccs.length + i] = bodyIns[bcs.length + i] = outs[i]!;
      for (let j = 0; j < rows.length; j++) rows[j]!.push(outs[nK + j]!);
    }
    return [...bodyIns.slice(bcs.length), ...rows.map((r, j) => stackRows(r, stackAvals[j]!))] as ConcreteArray[];
  },
  // Stacked outputs have a run-time length (-1 here; their kernels give the real one).
  abstractEval: (avals, params) => [...splitWhile(avals, params)[2], ...params.bodyJaxpr.outAvals.slice(avals.length - params.condNConsts - params.bodyNConsts).map((a) => stacked(-1, a))],
  jvp: (primals, tangents, _, params) => whileJvp(primals, tangents, params)[1],
  jvpWithOutputs: whileJvp,
  // Reverse mode never transposes `while` itself: its JVP's linear part is a scan.
  transpose: "nonlinear",
  batch: (args, dims, params, size) => {
    const { condJaxpr, bodyJaxpr, numStacked: nS, numFlags } = params;
    const [ccs, bcs, ks] = splitWhile(args, params);
    const [dcc, dbc, dk] = splitWhile(dims, params);
    const nK = ks.length;
    const bCC = dcc.map((d) => d !== null);
    const bBC = dbc.map((d) => d !== null);
    const predBatched = (k: boolean[]) => batchJaxpr(condJaxpr, size, [...bCC, ...k], false)[1][0]!;
    // A predicate that differs between members holds some members still while others go on: then
    // every carry is per member.
    const bK = carryFixpoint(
      dk.map((d) => d !== null),
      (k) => (predBatched(k) ? k.map(() => true) : batchJaxpr(bodyJaxpr, size, [...bBC, ...k], false)[1].slice(0, nK)),
    );
    const [cond, [pB]] = batchJaxpr(condJaxpr, size, [...bCC, ...bK], false);
    const [body] = batchJaxpr(bodyJaxpr, size, [...bBC, ...bK], [...bK, ...new Array<boolean>(nS).fill(true)]);
    const ccF = ccs.map((c, i) => (dcc[i] === null ? c : moveaxis(c, dcc[i]!, 0)));
    const bcF = bcs.map((c, i) => (dbc[i] === null ? c : moveaxis(c, dbc[i]!, 0)));
    const kF = ks.map((k, i) => (bK[i] ? matchBatch(k, dk[i]!, size, 0) : k));
    const outDims = [...bK.map((b) => (b ? 0 : null)), ...new Array<number>(nS).fill(1)];
    if (!pB) return [bind(whileP, [...ccF, ...bcF, ...kF], { ...params, condJaxpr: cond, bodyJaxpr: body }), outDims];
    // Run while any member's predicate holds; members that are done keep their carry.
    const avalsOf = (xs: readonly NDArray[]): Aval[] => xs.map((x) => ({ shape: x.shape, dtype: x.dtype }));
    const anyCond = stageClosed(
      (xs) => {
        const p = convert(evalJaxpr(cond, xs)[0]!, "float64");
        const m = reduceMax(p, [0]);
        return [gt(m, fullLike(m, 0))];
      },
      avalsOf([...ccF, ...kF]),
      "whileLoop batching",
    );
    const nCC = ccF.length;
    const masked = stageClosed(
      (xs) => {
        const cc = xs.slice(0, nCC);
        const bc = xs.slice(nCC, nCC + bcF.length);
        const carry = xs.slice(nCC + bcF.length);
        const pred = evalJaxpr(cond, [...cc, ...carry])[0]!;
        const outs = evalJaxpr(body, [...bc, ...carry]);
        return [
          ...outs.slice(0, nK).map((o, i) => select(broadcastLeading(pred, o.shape), o, carry[i]!)),
          ...outs.slice(nK).map((s, j) => (j < numFlags ? and(broadcastLeading(pred, s.shape), s) : s)),
        ];
      },
      avalsOf([...ccF, ...bcF, ...kF]),
      "whileLoop batching",
    );
    const outs = bind(whileP, [...ccF, ...ccF, ...bcF, ...kF], {
      ...params,
      condJaxpr: anyCond,
      bodyJaxpr: masked,
      bodyNConsts: nCC + bcF.length,
    });
    return [outs, [...ks.map(() => 0), ...new Array<number>(nS).fill(1)]];
  },
});

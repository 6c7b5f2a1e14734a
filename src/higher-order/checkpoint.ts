/**
 * @file `checkpoint` (JAX's `remat`): a staged function whose reverse mode saves only what a policy
 * allows and recomputes the rest in the backward pass; `checkpointName`, the identity that tags a
 * value for `saveOnlyTheseNames`; and the policies.
 */
import type { ConcreteArray, NDArray } from "../core/ndarray.ts";
import { bind, bind1 } from "../core/trace.ts";
import { definePrimitive, type Primitive } from "../core/primitive.ts";
import { ClosedJaxpr, dceClosed, evalJaxpr, Jaxpr, type JaxprEqn, type JaxprVar } from "../core/jaxpr.ts";
import { jvpJaxpr } from "../interpreters/jaxpr-rules.ts";
import { batchCall, memoByJaxpr, pjit, plainForwardJvp } from "./pjit.ts";
import { linearJvp } from "../primitives/elementwise.ts";

/** Which intermediate values of a checkpointed function reverse mode may keep (JAX's `checkpoint_policies`). */
export type CheckpointPolicy =
  | { readonly kind: "nothingSaveable" }
  | { readonly kind: "everythingSaveable" }
  | { readonly kind: "dotsSaveable" }
  | { readonly kind: "saveOnlyTheseNames"; readonly names: readonly string[] };

/** Keep only the inputs: recompute everything (the default). */
export const nothingSaveable: CheckpointPolicy = { kind: "nothingSaveable" };
/** Keep every intermediate value (no recomputation: plain reverse mode). */
export const everythingSaveable: CheckpointPolicy = { kind: "everythingSaveable" };
/** Keep the results of matrix products (`dotGeneral`), recompute the cheap elementwise work. */
export const dotsSaveable: CheckpointPolicy = { kind: "dotsSaveable" };
/**
 * Keep the values tagged with `checkpointName(x, name)` for these names.
 * @example
 * const f = checkpoint((x: NDArray) => np.sin(checkpointName(np.cos(x), "c")), { policy: checkpointPolicies.saveOnlyTheseNames("c") });
 * grad(f)(0.5); // -0.30635890918999453
 */
export const saveOnlyTheseNames = (...names: string[]): CheckpointPolicy => ({ kind: "saveOnlyTheseNames", names });

function saveable(policy: CheckpointPolicy, eqn: JaxprEqn): boolean {
  switch (policy.kind) {
    case "nothingSaveable":
      return false;
    case "everythingSaveable":
      return true;
    case "dotsSaveable":
      return eqn.prim.name === "dotGeneral";
    case "saveOnlyTheseNames":
      return eqn.prim === (checkpointNameP as Primitive<unknown>) && policy.names.includes((eqn.params as NameParams).name);
  }
}

export interface CheckpointParams {
  readonly name: string;
  readonly jaxpr: ClosedJaxpr;
  readonly policy: CheckpointPolicy;
}

/** A checkpointed function's JVP, split by the policy. */
interface RematParts {
  /** `primals → saved values` (null when nothing is saved). */
  readonly saved: ClosedJaxpr | null;
  /** `primals → [outputs, saved values]`. */
  readonly outsAndSaved: ClosedJaxpr;
  /** `[saved values, primals, nonzero tangents] → nonzero output tangents`; it recomputes what was not saved. */
  readonly linear: ClosedJaxpr;
  readonly outNonzeros: boolean[];
}

const rematMemo = memoByJaxpr<RematParts>();

/**
 * Partial evaluation under a policy: the equations of the JVP jaxpr that read no tangent are known;
 * the outputs of the known ones the policy saves become inputs of the linear part (computed by the
 * `saved` jaxpr in the forward pass); every other known equation the linear part needs stays in it,
 * so that transposing it recomputes them in the backward pass.
 */
function rematParts(closed: ClosedJaxpr, nonzeros: readonly boolean[], policy: CheckpointPolicy): RematParts {
  const key = `${nonzeros.map((b) => (b ? 1 : 0)).join("")}:${JSON.stringify(policy)}`;
  return rematMemo(closed, key, () => {
    const [jvp, outNonzeros] = jvpJaxpr(closed, nonzeros, false);
    const j = jvp.jaxpr;
    const n = closed.jaxpr.invars.length;
    const nOut = closed.jaxpr.outvars.length;
    const primalIns = j.invars.slice(0, n);
    const tangentIns = j.invars.slice(n);
    const unknown = new Uint8Array(j.numVars);
    for (const v of tangentIns) unknown[v.id] = 1;
    const savedVars: JaxprVar[] = [];
    const rest: JaxprEqn[] = [];
    const known: JaxprEqn[] = [];
    for (const e of j.eqns) {
      if (e.inputs.some((v) => unknown[v.id])) {
        for (const v of e.outs) unknown[v.id] = 1;
        rest.push(e);
      } else {
        known.push(e);
        if (saveable(policy, e)) savedVars.push(...e.outs);
        else rest.push(e);
      }
    }
    const tangentOuts = j.outvars.slice(nOut);
    const lin = dceClosed(new ClosedJaxpr(new Jaxpr(j.constvars, [...savedVars, ...primalIns, ...tangentIns], rest, tangentOuts, j.numVars), jvp.consts));
    // Saved values the linear part does not read are not saved.
    const used = savedVars.filter((_, i) => lin.usedInputs[i]);
    const lj = lin.closed.jaxpr;
    const linear = new ClosedJaxpr(new Jaxpr(lj.constvars, [...used, ...primalIns, ...tangentIns], lj.eqns, lj.outvars, lj.numVars), lin.closed.consts);
    const saved = used.length === 0 ? null : dceClosed(new ClosedJaxpr(new Jaxpr(j.constvars, primalIns, known, used, j.numVars), jvp.consts)).closed;
    const outsAndSaved = dceClosed(new ClosedJaxpr(new Jaxpr(j.constvars, primalIns, known, [...j.outvars.slice(0, nOut), ...used], j.numVars), jvp.consts)).closed;
    return { saved, outsAndSaved, linear, outNonzeros };
  });
}

export const checkpointP: Primitive<CheckpointParams> = definePrimitive<CheckpointParams>({
  name: "checkpoint",
  impl: (args, { jaxpr }) => evalJaxpr(jaxpr, args) as ConcreteArray[],
  abstractEval: (_, { jaxpr }) => jaxpr.outAvals,
  // The saved values from the primals, then a pjit linear in the tangents that recomputes the rest:
  // reverse mode records that pjit and transposing it runs the recomputation in the backward pass.
  jvp: (primals, tangents, _, { name, jaxpr, policy }) => {
    const nonzeros = tangents.map((t) => t !== null);
    const { saved, linear, outNonzeros } = rematParts(jaxpr, nonzeros, policy);
    const savedVals = saved === null ? [] : pjit(saved, primals, `saved(${name})`);
    const ts = pjit(linear, [...savedVals, ...primals, ...(tangents.filter((t) => t !== null) as NDArray[])], `remat(${name})`);
    let k = 0;
    return outNonzeros.map((nz) => (nz ? ts[k++]! : null));
  },
  // The forward pass runs once: in plain forward mode as the JVP, otherwise giving the outputs and
  // the saved values together, the rest recomputed when the linear part is transposed.
  jvpWithOutputs: (primals, tangents, { name, jaxpr, policy }) => {
    // Plain forward mode saves nothing for later: the JVP in one pass.
    const plain = plainForwardJvp(jaxpr, primals, tangents, name);
    if (plain) return plain;
    const nonzeros = tangents.map((t) => t !== null);
    const { outsAndSaved, linear, outNonzeros } = rematParts(jaxpr, nonzeros, policy);
    const nOut = jaxpr.jaxpr.outvars.length;
    const both = pjit(outsAndSaved, primals, name);
    const ts = pjit(linear, [...both.slice(nOut), ...primals, ...(tangents.filter((t) => t !== null) as NDArray[])], `remat(${name})`);
    let k = 0;
    return [both.slice(0, nOut), outNonzeros.map((nz) => (nz ? ts[k++]! : null))];
  },
  transpose: "nonlinear",
  batch: (args, dims, params, size) => batchCall(checkpointP, args, dims, params, size),
});

export interface NameParams {
  readonly name: string;
}

/** The identity, tagging its value with a name that `saveOnlyTheseNames` policies look for. */
export const checkpointNameP: Primitive<NameParams> = definePrimitive<NameParams>({
  name: "checkpoint_name",
  impl: ([x]) => [x!],
  abstractEval: ([x]) => [x!],
  jvp: linearJvp(() => checkpointNameP),
  transpose: ([ct]) => [ct!],
  batch: ([x], [d], params) => [[bind1(checkpointNameP, [x!], params)], [d!]],
});

/**
 * `checkpointName(x, name)`: `x`, tagged so that `checkpoint(f, {policy: saveOnlyTheseNames(name)})`
 * keeps it for the backward pass instead of recomputing it.
 * @example
 * const f = checkpoint((x: NDArray) => np.sin(checkpointName(np.cos(x), "c")), { policy: checkpointPolicies.saveOnlyTheseNames("c") });
 * grad((x: NDArray) => np.sum(f(x)))(np.zeros([1])); // [0]
 */
export const checkpointName = (x: NDArray, name: string): NDArray => bind(checkpointNameP, [x], { name })[0]!;

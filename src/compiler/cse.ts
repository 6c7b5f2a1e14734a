/**
 * @file Common-subexpression elimination: an equation applying the same primitive to the same
 * inputs with structurally equal params as an earlier one is replaced by the earlier one's outputs;
 * small constants with equal contents become one constant.
 */
import { ConcreteArray } from "../core/ndarray.ts";
import type { ClosedJaxpr, JaxprVar } from "../core/jaxpr.ts";
import { addP, mulP } from "../primitives/binary.ts";
import { andP, eqP, neP, orP } from "../primitives/compare.ts";
import { paramsKey, recurse, Rewriter } from "./rewrite.ts";

/** Constants up to this many elements are compared by contents (larger ones by identity). */
const SMALL_CONST = 64;

const constKey = (c: ConcreteArray): string => {
  let s = `${c.dtype}[${c.shape.join(",")}]`;
  for (let i = 0; i < c.data.length; i++) s += Object.is(c.data[i], -0) ? ",-0" : `,${c.data[i]}`;
  return s;
};

const commutative = new Set<unknown>([addP, mulP, eqP, neP, andP, orP]);

const primIds = new WeakMap<object, number>();
let nextPrimId = 0;
const primId = (p: object): number => {
  let id = primIds.get(p);
  if (id === undefined) primIds.set(p, (id = nextPrimId++));
  return id;
};

/**
 * Merges repeated computations (every primitive is a pure function of its inputs and params).
 */
export function cse(closed: ClosedJaxpr): ClosedJaxpr {
  const inner = recurse(closed, cse);
  const rw = new Rewriter(inner);
  const seenConst = new Map<string, JaxprVar>();
  const cv = inner.jaxpr.constvars;
  for (let i = 0; i < cv.length; i++) {
    const c = inner.consts[i];
    if (!(c instanceof ConcreteArray)) continue;
    const same = rw.consts.findIndex((d, j) => j < i && d === c);
    if (same >= 0) {
      rw.replace(cv[i]!, cv[same]!);
      continue;
    }
    if (c.data.length > SMALL_CONST) continue;
    const key = constKey(c);
    const known = seenConst.get(key);
    if (known) rw.replace(cv[i]!, known);
    else seenConst.set(key, cv[i]!);
  }
  const seen = new Map<string, readonly JaxprVar[]>();
  for (const eqn of inner.jaxpr.eqns) {
    const inputs = eqn.inputs.map((v) => rw.get(v));
    // x + y and y + x are the same number (IEEE addition and multiplication commute exactly).
    if (commutative.has(eqn.prim) && inputs[0]!.id > inputs[1]!.id) inputs.reverse();
    const key = `${primId(eqn.prim)}(${inputs.map((v) => v.id).join(",")})${paramsKey(eqn.params)}`;
    const known = seen.get(key);
    if (known) {
      eqn.outs.forEach((o, i) => rw.replace(o, known[i]!));
      continue;
    }
    seen.set(key, eqn.outs);
    rw.keep(eqn);
  }
  return rw.finish();
}

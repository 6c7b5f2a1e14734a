/**
 * @file `jit(f)`: stages `f` once per signature into a jaxpr and replays it on later calls.
 */
import type { NDArray } from "../core/ndarray.ts";
import { flatten, structureKey, type Tree } from "../tree/index.ts";
import { makeJaxpr, type Jaxpr } from "./makeJaxpr.ts";
import type { Args } from "./common.ts";

/**
 * `jit(f, {staticArgnums})`: stages `f` once per signature (the shapes and dtypes of its array
 * arguments, and the values of its static ones) and replays the recorded primitives on later calls,
 * skipping everything `f` does besides them: argument checks, broadcasting, tree handling, and —
 * for `jit(grad(f))` — the whole machinery of reverse mode. As in JAX, `f` must not branch on the
 * values of its array arguments (staging raises if it reads one), values it closes over are frozen
 * at the first call, and results are arrays. It works under every transformation: the replayed
 * primitives dispatch like any others.
 * @example
 * const fastGrad = jit(grad((x: NDArray) => np.sum(np.tanh(x))));
 * fastGrad(np.zeros([2])); // [1, 1]
 */
export function jit<F extends (...args: never[]) => unknown>(f: F, opts: { staticArgnums?: readonly number[] } = {}): (...args: Args<F>) => any {
  const statics = new Set(opts.staticArgnums ?? []);
  const cache = new Map<string, Jaxpr>();
  return (...argsIn) => {
    const args = argsIn as unknown[];
    const dynamic = args.filter((_, i) => !statics.has(i));
    const [leaves, def] = flatten(dynamic as Tree, "jit: argument");
    let key = structureKey(def);
    for (const l of leaves) key += typeof l === "number" ? "|n" : typeof l === "boolean" ? "|b" : `|${(l as NDArray).dtype}[${(l as NDArray).shape.join(",")}]`;
    if (statics.size > 0) key += JSON.stringify(args.map((a, i) => (statics.has(i) ? a : null)));
    let jaxpr = cache.get(key);
    if (!jaxpr) {
      // Stage with the static arguments bound, so the jaxpr's inputs are the dynamic ones.
      const bound = (...dyn: unknown[]) => {
        let k = 0;
        return (f as unknown as (...xs: unknown[]) => unknown)(...args.map((a, i) => (statics.has(i) ? a : dyn[k++])));
      };
      jaxpr = makeJaxpr(bound)(...(dynamic as never[]));
      cache.set(key, jaxpr);
    }
    return jaxpr.evalLeaves(leaves);
  };
}

/**
 * @file `debug.callback` and `debug.print` (JAX's `jax.debug`): look at values while a function
 * runs, under any transformation. Both bind the `debug_callback` primitive, so the call happens
 * with concrete values at run time: per batch member under `vmap`, with the primal values under
 * `grad`/`jvp` (in the forward pass), and at every call of a compiled program under `jit`.
 */
import { NDArray, type ConcreteArray } from "../core/ndarray.ts";
import { activeMainTraces, bind, bindAt, Tracer, type MainTrace } from "../core/trace.ts";
import { StagingTrace } from "../interpreters/staging.ts";
import { debugCallbackP } from "../primitives/debug.ts";
import { flatten, unflatten, type Tree } from "../tree/index.ts";
import { leafToArrayAt } from "./common.ts";

/**
 * The level at which the callback must be bound: the innermost staging level when it is above
 * every tracer among the values (a value-free print inside `jit` is staged, not run while staging),
 * else `null` (plain `bind`: the owner of the values, or the kernel at once).
 */
function stagingLevelAbove(values: readonly NDArray[]): MainTrace | null {
  let top = -1;
  for (const v of values) if (v instanceof Tracer) top = Math.max(top, v.trace.main.level);
  const mains = activeMainTraces();
  for (let l = mains.length - 1; l > top; l--) if (mains[l]!.trace instanceof StagingTrace) return mains[l]!;
  return null;
}

/**
 * `debug.callback(fn, ...values)`: calls `fn` with the concrete values of `values` (trees of arrays
 * and numbers; numbers arrive as 0-d arrays) when the computation runs — at once in eager code,
 * per batch member under `vmap` (one call each, in order; under nested `vmap`s the innermost
 * splits first, so members come inner-index-major), with the primal values under
 * `grad`/`jvp` (once, in the forward pass; tangents and cotangents are not shown), and at every
 * call of the compiled program under `jit` (not while staging), once per iteration inside
 * `lax.scan`/`whileLoop`, only in the branch taken by `lax.cond`. Under `vmap` of a loop or a
 * `cond` whose predicate is batched, every member runs every branch and iteration (the batched
 * program computes them all and selects), so members that are done or not taking the branch are
 * called too, as in JAX. Inside `checkpoint` under `grad` it runs again when the backward pass
 * recomputes the block. Returns nothing; `fn`'s result is ignored.
 * @example
 * const seen: number[] = [];
 * const f = (x: NDArray) => { debug.callback((v: NDArray) => seen.push(v.item()), x); return np.sin(x); };
 * vmap(f)(np.array([1, 2, 3]));
 * seen; // [1, 2, 3]
 */
export function callback<T extends unknown[]>(fn: (...values: T) => void, ...values: T): void {
  if (typeof fn !== "function") throw new TypeError(`debug.callback: the callback must be a function, got ${typeof fn}`);
  const [leaves, def] = flatten(values as Tree, "debug.callback: value");
  const arrays = leaves.map((l, i) => leafToArrayAt(l, "debug.callback", "value leaf", i));
  const params = { callback: (concrete: readonly ConcreteArray[]) => void fn(...(unflatten(def, concrete) as T)) };
  const staging = stagingLevelAbove(arrays);
  if (staging === null) bind(debugCallbackP, arrays, params);
  else bindAt(staging, debugCallbackP, arrays, params);
}

/** One part of a format string: literal text, or a field (`{}` → the next value, `{2}` → value 2, `{x}` → key x of the last value). */
type Part = { readonly text: string } | { readonly field: number | string };

/** Parses Python's `str.format` fields, as `jax.debug.print` takes them (`{{`/`}}` escape braces; no format specs). */
function parseFormat(fmt: string): Part[] {
  const parts: Part[] = [];
  let text = "";
  let next = 0;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i]!;
    if ((c === "{" || c === "}") && fmt[i + 1] === c) {
      text += c;
      i++;
    } else if (c === "{") {
      const end = fmt.indexOf("}", i);
      if (end < 0) throw new TypeError(`debug.print: unclosed "{" at position ${i} of the format string ${JSON.stringify(fmt)}`);
      const name = fmt.slice(i + 1, end).trim();
      if (name.includes(":") || name.includes("!")) {
        throw new TypeError(`debug.print: format specs ("{${name}}") are not supported; format the value in debug.callback instead`);
      }
      if (text !== "") parts.push({ text });
      text = "";
      parts.push({ field: name === "" ? next++ : /^\d+$/.test(name) ? Number(name) : name });
      i = end;
    } else if (c === "}") {
      throw new TypeError(`debug.print: single "}" at position ${i} of the format string ${JSON.stringify(fmt)} (write "}}")`);
    } else text += c;
  }
  if (text !== "") parts.push({ text });
  return parts;
}

/** A value as `debug.print` shows it: arrays in NumPy's form, trees with their structure. */
function show(v: unknown): string {
  if (v instanceof NDArray) return v.toString();
  if (Array.isArray(v)) return `[${v.map(show).join(", ")}]`;
  if (v !== null && typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${k}: ${show(x)}`).join(", ")}}`;
  return String(v);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !(v instanceof NDArray) && !Array.isArray(v);

/**
 * `debug.print(fmt, ...values)`: prints `fmt` (Python's format fields: `{}` the next value, `{1}`
 * value 1, `{x}` key `x` of a last argument that is an object) with the values as they are when
 * the computation runs, through `console.log` — under every transformation, as `debug.callback`
 * (one line per batch member under `vmap`, primal values under `grad`, at every call under `jit`).
 * @example
 * const f = jit((x: NDArray) => { debug.print("x = {}", x); return x.mul(2); });
 * f(np.array(3)); // prints "x = 3." (at this call, not while staging)
 */
export function print(fmt: string, ...values: unknown[]): void {
  if (typeof fmt !== "string") throw new TypeError(`debug.print: the format must be a string, got ${typeof fmt}`);
  const parts = parseFormat(fmt);
  const named = values.length > 0 && isPlainObject(values[values.length - 1]) ? (values[values.length - 1] as Record<string, unknown>) : null;
  for (const p of parts) {
    if (!("field" in p)) continue;
    const f = p.field;
    if (typeof f === "number" && f >= values.length) {
      throw new TypeError(`debug.print: the format ${JSON.stringify(fmt)} reads value ${f}, but ${values.length} value(s) were given`);
    }
    if (typeof f === "string" && (named === null || !(f in named))) {
      throw new TypeError(`debug.print: the format ${JSON.stringify(fmt)} names "{${f}}", but no last argument object has the key "${f}"`);
    }
  }
  callback((...vals: unknown[]) => {
    const last = vals[vals.length - 1] as Record<string, unknown>;
    console.log(parts.map((p) => ("text" in p ? p.text : show(typeof p.field === "number" ? vals[p.field] : last[p.field]))).join(""));
  }, ...(values as Tree[]));
}

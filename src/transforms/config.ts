/**
 * @file `config`: global switches, as JAX's `jax.config`. `debugNans` swaps a checking `bind` in
 * (and out), so the eager fast path carries no check while it is off.
 */
import { ConcreteArray, type NDArray } from "../core/ndarray.ts";
import { bindUnchecked, setBind, type BindFn } from "../core/trace.ts";
import type { Primitive } from "../core/primitive.ts";
import { FloatingPointError, fmtShape } from "../core/errors.ts";

/** The switches and their types. */
export interface ConfigOptions {
  /** Throw a `FloatingPointError` at the first primitive whose output holds a NaN (forward or backward pass). */
  debugNans: boolean;
}

const state: ConfigOptions = { debugNans: false };

/**
 * The library's own source folder: stack frames inside it are skipped when naming the user's line.
 * In a bundle (a browser's script, where `import.meta.url` may be absent) no frame can be told apart
 * by its file, so none is skipped by it.
 */
const libraryRoot = ((): string => {
  try {
    return decodeURIComponent(new URL("..", import.meta.url).pathname);
  } catch {
    return "\0";
  }
})();

const frameFile = (line: string): string => {
  const m = line.match(/\(?((?:file:\/\/)?\/[^()]*?):\d+:\d+\)?\s*$/);
  return m ? decodeURIComponent(m[1]!.replace(/^file:\/\//, "")) : "";
};

/**
 * The first stack frame outside the library (and outside Node's internals and dependencies): the
 * line of user code that called the primitive — for a NaN of a backward pass, the line that ran
 * `grad`/`vjp`. Captured only when a NaN is found.
 */
function userFrame(stack: string): { site: string; backward: boolean } {
  const lines = stack.split("\n").slice(1);
  const backward = lines.some((l) => /\b(backwardPass|transposeJaxpr)\b/.test(l) && frameFile(l).startsWith(libraryRoot));
  for (const l of lines) {
    const file = frameFile(l);
    if (file === "" || file.startsWith(libraryRoot) || file.includes("/node_modules/")) continue;
    return { site: l.trim().replace(/^at /, ""), backward };
  }
  return { site: "(no frame outside autograd-ts on the stack)", backward };
}

/** The flat index of the first NaN in a float array, or -1. */
function firstNaN(x: ConcreteArray): number {
  if (x.dtype !== "float64" && x.dtype !== "float32") return -1;
  const d = x.data;
  for (let i = 0; i < d.length; i++) if (d[i] !== d[i]) return i;
  return -1;
}

function nanError(prim: Primitive<unknown>, out: ConcreteArray, outIndex: number, at: number, args: readonly NDArray[]): FloatingPointError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 200;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = limit;
  const { site, backward } = userFrame(stack);
  const inputNaN = args.some((a) => a instanceof ConcreteArray && firstNaN(a) >= 0);
  return new FloatingPointError(
    `debugNans: ${prim.name} produced a NaN${backward ? " in the backward pass (reverse mode)" : ""} ` +
      `(output ${outIndex}, shape ${fmtShape(out.shape)}, flat index ${at}; ${inputNaN ? "an input already held a NaN" : "its inputs held none"}), ` +
      `called from ${site}`,
  );
}

/** `bind`, then a look at every concrete output for a NaN. */
const checkingBind: BindFn = (prim, args, params) => {
  const outs = bindUnchecked(prim, args, params);
  for (let i = 0; i < outs.length; i++) {
    const o = outs[i];
    if (!(o instanceof ConcreteArray)) continue;
    const at = firstNaN(o);
    if (at >= 0) throw nanError(prim as Primitive<unknown>, o, i, at, args);
  }
  return outs;
};

const knownKeys = Object.keys(state) as (keyof ConfigOptions)[];

/** Whether `debugNans` is on (for `jit`, which then runs its programs equation by equation). */
export const debugNansOn = (): boolean => state.debugNans;

/**
 * Global switches, as JAX's `jax.config`: `config.update(name, value)` sets one, `config.read(name)`
 * reads it. `debugNans` (default off): the first primitive whose output holds a NaN — in eager
 * code, the forward or the backward pass of `grad`, a batch rule of `vmap`, or an equation of a
 * `jit` program — throws a `FloatingPointError` naming the primitive and the line of user code that
 * called it (for a NaN inside `jit`, the jitted function is re-run without `jit` to find that line,
 * as JAX does; for the backward pass, the line that ran `grad`). Off, it costs nothing: the check
 * is a different `bind`, swapped in by `update`.
 * @example
 * config.update("debugNans", true);
 * let caught = "";
 * try { np.log(np.array([-1])); } catch (e) { caught = (e as Error).name; }
 * config.update("debugNans", false);
 * caught; // is "FloatingPointError"
 */
export const config = {
  update<K extends keyof ConfigOptions>(name: K, value: ConfigOptions[K]): void {
    if (!knownKeys.includes(name)) throw new TypeError(`config.update: unknown option "${String(name)}" (known: ${knownKeys.join(", ")})`);
    if (typeof value !== "boolean") throw new TypeError(`config.update: option "${name}" takes a boolean, got ${typeof value}`);
    state[name] = value;
    setBind(state.debugNans ? checkingBind : bindUnchecked);
  },
  read<K extends keyof ConfigOptions>(name: K): ConfigOptions[K] {
    if (!knownKeys.includes(name)) throw new TypeError(`config.read: unknown option "${String(name)}" (known: ${knownKeys.join(", ")})`);
    return state[name];
  },
};

/**
 * @file Argument parsers for the public API — options objects, dtypes, shapes and sizes — written as
 * fp-ts `Either`s: a parser gives `Right(value)` or `Left(what was expected)`, and the boundary turns
 * the `Left` into a `TypeError`/`ShapeError` naming the function, the argument and the value.
 */
import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import { DTYPES, type DType } from "./dtype.ts";
import { fmtShape, ShapeError, TracerConversionError } from "./errors.ts";
import { NDArray, type ArrayLike } from "./ndarray.ts";
import { Tracer } from "./trace.ts";

/** Parses one value: `Right(value)`, or `Left(a phrase saying what was expected)`. */
export type Parser<A> = (u: unknown) => E.Either<string, A>;

/** Describes a JS value for an error message: `"0" (a string)`, `2.5`, `an object {axis}`, `NDArray (2, 3)`. */
export function describe(u: unknown): string {
  if (u === null) return "null";
  if (u === undefined) return "undefined";
  if (typeof u === "string") return `${JSON.stringify(u)} (a string)`;
  if (typeof u === "number") return Object.is(u, -0) ? "-0" : String(u);
  if (typeof u === "boolean") return String(u);
  if (typeof u === "bigint") return `${u}n (a bigint)`;
  if (typeof u === "function") return `a function ${u.name || "(anonymous)"}`;
  if (typeof u === "symbol") return u.toString();
  if (Array.isArray(u)) {
    if (u.length > 8) return `an array of length ${u.length}`;
    const item = (v: unknown): string => (Array.isArray(v) ? "[…]" : typeof v === "object" && v !== null ? "{…}" : describe(v).split(" (")[0]!);
    return `[${u.map(item).join(", ")}]`;
  }
  const o = u as { shape?: unknown; constructor?: { name?: string } };
  const name = o.constructor?.name;
  if (name === undefined || name === "Object") return `an object {${Object.keys(u as object).join(", ")}}`;
  if (Array.isArray(o.shape)) return `${name} of shape ${fmtShape(o.shape as number[])}`;
  return `a ${name}`;
}

/**
 * The error for a traced value where a concrete JS value is needed (a shape, an axis, a count, a
 * non-differentiable option): a `TracerConversionError` rather than a `TypeError`, since the value has
 * the right kind, only not a concrete one.
 */
function tracedError(fn: string, what: string, t: Tracer, expected: string): TracerConversionError {
  return new TracerConversionError(
    `${fn}: ${what} is a traced value (${t.dtype} array of shape ${fmtShape(t.shape)}, under ${t.trace.transformName}), ` +
      `but it must be ${expected}, a concrete JS value. Compute it outside the transformation (or make it a static argument of jit); ` +
      "under grad/jvp, x.item() reads the concrete value.",
  );
}

/** The first traced value in `u` (itself, or an entry of nested arrays), with its path. */
function findTraced(what: string, u: unknown): [string, Tracer] | undefined {
  if (u instanceof Tracer) return [what, u];
  if (!Array.isArray(u)) return undefined;
  for (let i = 0; i < u.length; i++) {
    const found = findTraced(`${what}[${i}]`, u[i]);
    if (found) return found;
  }
  return undefined;
}

/** The error for a value `expected` rejected: a `TracerConversionError` if it is traced, else a `TypeError`. */
function rejection(fn: string, what: string, u: unknown, expected: string, typeError: () => TypeError): Error {
  const traced = findTraced(what, u);
  return traced ? tracedError(fn, traced[0], traced[1], expected) : typeError();
}

/**
 * Throws a `TracerConversionError` naming `fn` and `what` if `u` — a value, or nested arrays of
 * them — holds a traced value (`expected` says what it must be instead: "a shape", "an axis"…).
 * Cheap on the eager path: one `instanceof` per entry.
 */
export function rejectTraced(fn: string, what: string, u: unknown, expected: string): void {
  const traced = findTraced(what, u);
  if (traced) throw tracedError(fn, traced[0], traced[1], expected);
}

// ------------------------------------------------------------------------------------ value parsers

/** A parser from a predicate and the phrase saying what it expects. */
export const check =
  <A>(expected: string, ok: (u: unknown) => boolean): Parser<A> =>
  (u) =>
    ok(u) ? E.right(u as A) : E.left(expected);

const isInt = (u: unknown): u is number => Number.isInteger(u);

/** `true` or `false` (a truthy number is not accepted: `{keepdims: 1}` is a mistake more often than not). */
export const bool: Parser<boolean> = check("true or false", (u) => typeof u === "boolean");
/** A string (its value is checked where it is used). */
export const str: Parser<string> = check("a string", (u) => typeof u === "string");
/** A pair of numbers `[lo, hi]`. */
export const numPair: Parser<readonly [number, number]> = check(
  "a pair of numbers [lo, hi]",
  (u) => Array.isArray(u) && u.length === 2 && u.every((v) => typeof v === "number"),
);
/** Any JS number (NaN and ±∞ included). */
export const num: Parser<number> = check("a number", (u) => typeof u === "number");
/** A number or an array (a parameter one may differentiate with respect to, such as `nn.elu`'s `alpha`). */
export const numOrArray: Parser<number | NDArray> = check("a number or an array", (u) => typeof u === "number" || u instanceof NDArray);
/** A non-negative number (tolerances, step sizes given as bounds). */
export const nonNegNum: Parser<number> = check("a non-negative number", (u) => typeof u === "number" && u >= 0);
/** An integer (`2.5`, `NaN`, `"0"` are not). */
export const int: Parser<number> = check("an integer", isInt);
/** A non-negative integer. */
export const nonNegInt: Parser<number> = check("a non-negative integer", (u) => isInt(u) && u >= 0);
/** A positive integer. */
export const posInt: Parser<number> = check("a positive integer", (u) => isInt(u) && u > 0);
/** A JS function. */
export const func: Parser<(...args: never[]) => unknown> = check("a function", (u) => typeof u === "function");
/** Any value at all (for options whose value is checked where it is used, e.g. an array argument). */
export const unknownValue: Parser<unknown> = E.right;
/** An array-like operand: a number, boolean, array, typed array or NDArray (converted later by `asarray`). */
export const arrayLike: Parser<ArrayLike> = check(
  "an array, a number or a boolean",
  (u) => typeof u === "number" || typeof u === "boolean" || (typeof u === "object" && u !== null),
);
/** An integer array given as JS numbers. */
export const intList: Parser<readonly number[]> = check("an array of integers", (u) => Array.isArray(u) && u.every(isInt));

/** One of the given literal values (`oneOf("left", "right")`). */
export function oneOf<const L extends readonly (string | number | boolean)[]>(...values: L): Parser<L[number]> {
  const expected = values.map((v) => (typeof v === "string" ? JSON.stringify(v) : String(v))).join(", ");
  return check(`one of ${expected}`, (u) => values.includes(u as L[number]));
}

/** `p`, or `null`. */
export const nullable =
  <A>(p: Parser<A>): Parser<A | null> =>
  (u) =>
    u === null ? E.right(null) : pipe(p(u), E.mapLeft((e) => `${e} or null`));

/** The first of several parsers that accepts the value; the `Left` lists what each expected. */
export const union =
  <A, B>(p: Parser<A>, q: Parser<B>): Parser<A | B> =>
  (u) =>
    pipe(
      p(u) as E.Either<string, A | B>,
      E.orElse((e1) => pipe(q(u) as E.Either<string, A | B>, E.mapLeft((e2) => `${e1} or ${e2}`))),
    );

/** An array each of whose elements `p` accepts. */
export const arrayOf =
  <A>(p: Parser<A>, what: string): Parser<readonly A[]> =>
  (u) =>
    Array.isArray(u) && u.every((v) => E.isRight(p(v))) ? E.right(u as A[]) : E.left(what);

/** A single axis (an integer). */
export const axis: Parser<number> = int;
/** A single axis or `null` (the flattened array). */
export const axisOrNull: Parser<number | null> = check("an integer or null", (u) => u === null || isInt(u));
/** NumPy's reduction `axis`: an integer, an array of integers, or `null` (all axes). */
export const axes: Parser<number | readonly number[] | null> = check(
  "an integer, an array of integers or null",
  (u) => u === null || isInt(u) || (Array.isArray(u) && u.every(isInt)),
);
/** A shape option: an integer or an array of integers (sizes are checked by {@link parseShape} where it is used). */
export const shape: Parser<number | readonly number[]> = check(
  "an integer or an array of integers",
  (u) => isInt(u) || (Array.isArray(u) && u.every(isInt)),
);
/** A pair of axes `[a, b]`. */
export const axisPair: Parser<readonly [number, number]> = check(
  "a pair of integers [a, b]",
  (u) => Array.isArray(u) && u.length === 2 && u.every(isInt),
);

// ------------------------------------------------------------------------------------------- dtypes

const SUPPORTED = DTYPES.slice().reverse().join(", ");

/** A supported dtype name. */
export const dtype: Parser<DType> = (u) =>
  typeof u === "string" && (DTYPES as readonly string[]).includes(u)
    ? E.right(u as DType)
    : E.left(`one of the supported dtypes ${SUPPORTED}`);

/** Checks a dtype given positionally (`astype(dtype)`, `init(key, shape, dtype)`); a `TypeError` naming the supported ones. */
export function parseDtype(fn: string, arg: string, u: unknown): DType {
  if (typeof u === "string" && (DTYPES as readonly string[]).includes(u)) return u as DType;
  rejectTraced(fn, arg, u, "a dtype name");
  throw new TypeError(`${fn}: ${arg} ${describe(u)} is not a supported dtype; supported dtypes: ${SUPPORTED}`);
}

// ------------------------------------------------------------------------------------------- shapes

/**
 * The most elements one array may hold: int32 indices (`argmax`, `nonzero`, gather) must reach every
 * element, and a float64 array of this size is already 16 GiB.
 */
export const MAX_SIZE = 2 ** 31 - 1;

/**
 * Parses a shape (a non-negative integer or an array of them) into a fresh `number[]`. A `TypeError`
 * for what is not an integer (`2.5`, `NaN`, `"3"`); a `ShapeError` for a negative dimension or a total
 * size beyond {@link MAX_SIZE}. `minusOne` allows one `-1` dimension (reshape's inferred axis).
 */
export function parseShape(fn: string, u: unknown, arg = "shape", minusOne = false): number[] {
  rejectTraced(fn, arg, u, "a shape");
  const dims = typeof u === "number" ? [u] : Array.isArray(u) || ArrayBuffer.isView(u) ? Array.from(u as Iterable<unknown>) : null;
  if (dims === null) throw new TypeError(`${fn}: ${arg} must be an integer or an array of integers; got ${describe(u)}`);
  let size = 1;
  let inferred = 0;
  for (const d of dims) {
    if (!isInt(d)) throw new TypeError(`${fn}: ${arg} ${describe(u)} must hold integers; ${describe(d)} is not one`);
    if (d === -1 && minusOne) {
      if (++inferred > 1) throw new ShapeError(`${fn}: ${arg} ${describe(u)} can only specify one unknown dimension (-1)`);
      continue;
    }
    if (d < 0) throw new ShapeError(`${fn}: negative dimensions are not allowed: ${arg} ${describe(u)}`);
    size *= d;
  }
  if (size > MAX_SIZE) {
    throw new ShapeError(`${fn}: ${arg} ${describe(u)} asks for ${size} elements, more than the ${MAX_SIZE} an array can hold`);
  }
  return dims as number[];
}

/** Parses a count (`linspace`'s `num`, `eye`'s `N`): a non-negative integer no larger than {@link MAX_SIZE}. */
export function parseCount(fn: string, arg: string, u: unknown): number {
  rejectTraced(fn, arg, u, "a count");
  if (!isInt(u)) throw new TypeError(`${fn}: ${arg}, ${describe(u)}, must be a non-negative integer`);
  if (u < 0) throw new ShapeError(`${fn}: ${arg}, ${u}, must be non-negative`);
  if (u > MAX_SIZE) throw new ShapeError(`${fn}: ${arg}, ${u}, is more than the ${MAX_SIZE} elements an array can hold`);
  return u;
}

/** Parses an integer given positionally (`tril`'s `k`); a `TypeError` naming `fn` and `arg` otherwise. */
export function parseInt(fn: string, arg: string, u: unknown): number {
  rejectTraced(fn, arg, u, "an integer");
  if (!isInt(u)) throw new TypeError(`${fn}: ${arg} must be an integer; got ${describe(u)}`);
  return u;
}

/** Parses an integer or an array of integers given positionally (axes, reps, sections) into an array. */
export function parseInts(fn: string, arg: string, u: unknown): number[] {
  rejectTraced(fn, arg, u, "an integer or an array of integers");
  if (isInt(u)) return [u];
  if (Array.isArray(u) && u.every(isInt)) return [...(u as number[])];
  throw new TypeError(`${fn}: ${arg} must be an integer or an array of integers; got ${describe(u)}`);
}

/** Checks that a result of `n` elements can be held (`eye(n, m)`: n·m); a `ShapeError` naming `what` otherwise. */
export function checkSize(fn: string, n: number, what: string): number {
  if (!(n <= MAX_SIZE)) throw new ShapeError(`${fn}: ${what} has ${n} elements, more than the ${MAX_SIZE} an array can hold`);
  return n;
}

// ------------------------------------------------------------------------------------------ options

/** An option schema: one parser per accepted key. */
export type Schema = Readonly<Record<string, Parser<unknown>>>;

/** The options a schema accepts, each optional (`undefined` counts as absent). */
export type OptionsOf<S extends Schema> = { readonly [K in keyof S]?: S[K] extends Parser<infer A> ? A : never };

/** Damerau–Levenshtein distance (adjacent swaps cost 1), case-insensitive. */
function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[s.length]![t.length]!;
}

/** The valid key closest to a misspelled one, if any is close enough to be a likely typo. */
export function closestKey(key: string, valid: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const v of valid) {
    const dist = editDistance(key, v);
    if (dist < bestD) [best, bestD] = [v, dist];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

const isPlainObject = (u: unknown): u is Record<string, unknown> => {
  if (typeof u !== "object" || u === null) return false;
  const proto = Object.getPrototypeOf(u) as unknown;
  return proto === Object.prototype || proto === null;
};

/** How `options` treats an argument that is not an object. */
export interface OptionsConfig<S extends Schema> {
  /**
   * The option a bare value stands for, where NumPy takes it positionally and the value cannot be
   * mistaken for an options object (`norm(x, 2)` is `norm(x, {ord: 2})`).
   */
  readonly positional?: keyof S & string;
}

/** A declared options parser: `parse` gives an `Either`, calling it throws the `Left`. */
export interface OptionsParser<S extends Schema> {
  (opts: unknown): OptionsOf<S>;
  readonly fn: string;
  readonly schema: S;
  readonly parse: (opts: unknown) => E.Either<Error, OptionsOf<S>>;
}

const NONE = Object.freeze({});

/** Every declared options parser, by function name (tests check that each is exercised). */
export const declaredOptions = new Map<string, OptionsParser<Schema>>();

/**
 * Declares the options of a public function once: `const sumOpts = options("np.sum", {axis: axes,
 * keepdims: bool})`, then `const o = sumOpts(opts)` at the top of `np.sum`. An unknown key (with the
 * closest valid key suggested), a value of the wrong type, or a non-object where an options object
 * belongs, is a `TypeError` naming the function, the option and the value. `undefined` values count
 * as absent. The common case — a small plain object — costs one loop over its keys.
 */
export function options<const S extends Schema>(fn: string, schema: S, config: OptionsConfig<S> = {}): OptionsParser<S> {
  const table: Record<string, Parser<unknown>> = Object.assign(Object.create(null) as object, schema);
  const keys = Object.keys(schema);
  const list = keys.join(", ");
  const { positional } = config;

  const notAnObject = (u: unknown): TypeError => {
    const first = positional ?? keys[0];
    const hint = first !== undefined && u !== null && typeof u !== "object" ? `; write ${fn}(…, {${first}: ${describe(u).split(" (")[0]}})` : "";
    return new TypeError(`${fn}: the options argument must be a plain object with keys among {${list}}; got ${describe(u)}${hint}`);
  };

  const parseObject = (o: Record<string, unknown>): E.Either<Error, OptionsOf<S>> => {
    for (const k in o) {
      const p = table[k];
      const v = o[k];
      if (p === undefined) {
        const near = closestKey(k, keys);
        const suggestion = near !== undefined ? ` did you mean "${near}"?` : "";
        return E.left(new TypeError(`${fn}: unknown option "${k}" (given ${describe(v)});${suggestion} ${fn} takes {${list}}`));
      }
      if (v === undefined) continue;
      const r = p(v);
      if (r._tag === "Left") {
        return E.left(rejection(fn, k, v, r.left, () => new TypeError(`${fn}: option ${k} must be ${r.left}; got ${describe(v)}`)));
      }
    }
    return E.right(o as OptionsOf<S>);
  };

  const parse = (u: unknown): E.Either<Error, OptionsOf<S>> => {
    if (u === undefined) return E.right(NONE as OptionsOf<S>);
    if (isPlainObject(u)) return parseObject(u);
    // Anything but a plain object stands for the positional option, where there is one.
    if (positional !== undefined) {
      return pipe(
        table[positional]!(u),
        E.bimap(
          (e) => rejection(fn, positional, u, e, () => new TypeError(`${fn}: ${positional} (given positionally) must be ${e}; got ${describe(u)}`)),
          (v) => ({ [positional]: v }) as OptionsOf<S>,
        ),
      );
    }
    return E.left(notAnObject(u));
  };

  const run = (u: unknown): OptionsOf<S> => {
    const r = parse(u);
    if (r._tag === "Left") throw r.left;
    return r.right;
  };
  const parser = Object.assign(run, { fn, schema, parse });
  declaredOptions.set(fn, parser as unknown as OptionsParser<Schema>);
  return parser;
}

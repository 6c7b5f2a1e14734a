/**
 * @file `jit(f)`: stages `f` once per signature into a jaxpr and replays it on later calls, with a
 * bounded cache keyed by structure, shapes, dtypes and static arguments (by identity/value).
 */
import { ConcreteArray, type NDArray } from "../core/ndarray.ts";
import { currentLevel } from "../core/trace.ts";
import { flatten, unflatten, structureKey, type Leaf, type Tree, type TreeDef } from "../tree/index.ts";
import { pjit } from "../higher-order/pjit.ts";
import { makeJaxpr, type Jaxpr } from "./makeJaxpr.ts";
import { ClosedJaxpr } from "../core/jaxpr.ts";
import { type Args, leafToArrayAt } from "./common.ts";
import { FloatingPointError } from "../core/errors.ts";
import type { ArrayFn, ArrayTree, Fn, Ret } from "./types.ts";
import { compile as compileReal, optimize as optimizeReal, type Compiled } from "../compiler/index.ts";
import { evalJaxpr, subJaxprs } from "../core/jaxpr.ts";
import { isComplex } from "../core/dtype.ts";
import { jitOpts } from "./options.ts";
import { debugNansOn } from "./config.ts";

/** Whether any value of the program (sub-programs included) is complex. */
function holdsComplex(closed: ClosedJaxpr): boolean {
  const { jaxpr } = closed;
  const complexVar = (v: { aval: { dtype: Parameters<typeof isComplex>[0] } }) => isComplex(v.aval.dtype);
  if (jaxpr.invars.some(complexVar) || jaxpr.constvars.some(complexVar)) return true;
  return jaxpr.eqns.some((e) => e.outs.some(complexVar) || e.inputs.some(complexVar) || subJaxprs(e.params).some(holdsComplex));
}

/**
 * The compiler's passes and generated loops work on one number per element, so a program with
 * complex values is not optimised or compiled: it runs equation by equation through the kernels
 * (each of which handles complex storage), which gives the eager results exactly.
 */
const optimize = (closed: ClosedJaxpr): ClosedJaxpr => (holdsComplex(closed) ? closed : optimizeReal(closed));
function compile(closed: ClosedJaxpr, donated: readonly number[]): Compiled {
  if (!holdsComplex(closed)) return compileReal(closed, donated);
  const interpret = (args: readonly NDArray[]) => evalJaxpr(closed, args);
  return { run: interpret, runTrusted: interpret, runDonating: interpret, runInto: interpret, jaxpr: closed, text: "" };
}

/** Options of `jit`. */
export interface JitOptions {
  /** Arguments that are not traced: the program is staged for their value, compared by `Object.is` (objects and functions by identity). */
  staticArgnums?: number | readonly number[];
  /** Arguments whose arrays the caller gives up: reading them after the call throws; their buffers may be reused for outputs. */
  donateArgnums?: number | readonly number[];
  /** How many staged programs to keep (least recently used dropped); default 64. */
  cacheSize?: number;
}

/** What the cache holds, for inspection (`jitted.cacheInfo()`). */
export interface JitCacheInfo {
  /** Programs staged so far (cache misses). */
  readonly stagings: number;
  /** Calls answered from the cache. */
  readonly hits: number;
  /** The programs held now, least recently used first, with the constants each runs with. */
  readonly programs: readonly { readonly jaxpr: Jaxpr; readonly consts: readonly NDArray[] }[];
  readonly maxSize: number;
}

/** What `jit(f).lower(...args)` gives: the optimised program and the generated code (empty where `new Function` is forbidden). */
export interface Lowered {
  readonly jaxpr: ClosedJaxpr;
  readonly text: string;
}

/** A jitted function: `f`'s parameters, its output as arrays (a staged program returns arrays), plus `cacheInfo()` and `lower()`. */
export type Jitted<F extends Fn> = ArrayFn<F> & { cacheInfo(): JitCacheInfo; lower(...args: Args<F>): Lowered };

const knownOptions = new Set(["staticArgnums", "donateArgnums", "cacheSize"]);

function parseArgnums(name: string, v: unknown): number[] {
  const list = v === undefined ? [] : typeof v === "number" ? [v] : Array.isArray(v) ? v : null;
  if (list === null || list.some((a) => !Number.isInteger(a))) {
    throw new TypeError(`jit: option ${name} must be an integer or a list of integers, got ${String(v)}`);
  }
  return list as number[];
}

function parseOptions(opts: JitOptions): { statics: number[]; donated: number[]; cacheSize: number } {
  jitOpts(opts);
  if (typeof opts !== "object" || opts === null) throw new TypeError(`jit: options must be an object, got ${String(opts)}`);
  for (const k of Object.keys(opts)) {
    if (!knownOptions.has(k)) throw new TypeError(`jit: unknown option "${k}" (known: ${[...knownOptions].join(", ")})`);
  }
  const cacheSize = opts.cacheSize ?? 64;
  if (!Number.isInteger(cacheSize) || cacheSize < 1) throw new TypeError(`jit: option cacheSize must be a positive integer, got ${String(opts.cacheSize)}`);
  return { statics: parseArgnums("staticArgnums", opts.staticArgnums), donated: parseArgnums("donateArgnums", opts.donateArgnums), cacheSize };
}

/** Argument indices normalized against the call's argument count (negative counts from the end). */
function resolve(name: string, nums: readonly number[], nargs: number): Set<number> {
  return new Set(
    nums.map((a) => {
      if (a < -nargs || a >= nargs) throw new RangeError(`jit: ${name} ${a} is out of range for a call with ${nargs} argument(s)`);
      return a < 0 ? a + nargs : a;
    }),
  );
}

/** Identities for objects and functions used as static arguments (ids are never reused, so a collected object cannot alias a new one). */
const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;

/** A static argument as part of a cache key: primitives by value (`Object.is`: NaN is NaN, -0 is not 0), the rest by identity. */
function staticKey(v: unknown): string {
  switch (typeof v) {
    case "number":
      return Object.is(v, -0) ? "n:-0" : `n:${v}`;
    case "string":
      return `s:${JSON.stringify(v)}`;
    case "boolean":
      return `b:${v}`;
    case "bigint":
      return `i:${v}`;
    case "undefined":
      return "u";
    case "symbol":
    case "object":
    case "function": {
      if (v === null) return "null";
      if (typeof v === "symbol") return `y:${String(v)}#${symbolId(v)}`;
      let id = objectIds.get(v as object);
      if (id === undefined) objectIds.set(v as object, (id = nextObjectId++));
      return `o:${id}`;
    }
  }
}

const symbolIds = new Map<symbol, number>();
function symbolId(s: symbol): number {
  let id = symbolIds.get(s);
  if (id === undefined) symbolIds.set(s, (id = symbolIds.size));
  return id;
}

/** The signature of the traced leaves: dtype and shape of arrays, the kind of JS scalars. */
function leafKey(l: Leaf): string {
  if (typeof l === "number") return "|n";
  if (typeof l === "boolean") return "|b";
  const a = l as NDArray;
  return `|${a.dtype}[${a.shape.join(",")}]`;
}

const sameContents = (a: ConcreteArray, b: ConcreteArray): boolean => {
  if (a.dtype !== b.dtype || a.data.length !== b.data.length || a.shape.length !== b.shape.length) return false;
  if (a.shape.some((d, i) => d !== b.shape[i])) return false;
  const x = a.data;
  const y = b.data;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
};

/** Constants at least this large are shared between the programs of one jitted function. */
const SHARED_CONST_SIZE = 64;

/** One cached program: the staged function, the closed jaxpr it runs (constants shared), and its output structure. */
interface Program {
  readonly jaxpr: Jaxpr;
  readonly closed: ClosedJaxpr;
  readonly outDef: TreeDef;
  /** The generated code, made at the first call outside any transformation. */
  compiled?: Compiled;
  /** Positions of the program's inputs that come from donated arguments (their buffers may become outputs'). */
  readonly donated: readonly number[];
  /** The output is a single array (its structure is one leaf), returned as is. */
  readonly singleOut: boolean;
  /** Set when the cache drops the program, so that the fast path stops using it. */
  evicted: boolean;
}

/**
 * The signature of the last call of a given arity whose arguments were all plain leaves (concrete
 * arrays or numbers), with no static or donated arguments: a later call with the same signature
 * reuses the program without building the cache's string key. `shapes[i]` is `null` for a number.
 */
interface FastEntry {
  readonly key: string;
  readonly program: Program;
  readonly dtypes: readonly string[];
  readonly shapes: readonly (readonly number[] | null)[];
}

/** The program of `entry` if every argument matches its signature, else `null`; fills `ins`. */
function matchFast(entry: FastEntry, args: readonly unknown[], ins: NDArray[]): Program | null {
  if (entry.program.evicted) return null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const want = entry.shapes[i]!;
    if (typeof a === "number") {
      if (want !== null) return null;
      ins[i] = new ConcreteArray(Float64Array.of(a), [], "float64");
      continue;
    }
    if (want === null || !(a instanceof ConcreteArray) || a.dtype !== entry.dtypes[i]) return null;
    const shape = a.shape;
    if (shape.length !== want.length) return null;
    for (let d = 0; d < shape.length; d++) if (shape[d] !== want[d]) return null;
    ins[i] = a;
  }
  return entry.program;
}

/** The fast-path signature of `args` for `program`, or `undefined` when some argument is not a plain leaf. */
function fastEntry(key: string, program: Program, args: readonly unknown[]): FastEntry | undefined {
  const dtypes: string[] = [];
  const shapes: (readonly number[] | null)[] = [];
  for (const a of args) {
    if (typeof a === "number") {
      dtypes.push("number");
      shapes.push(null);
    } else if (a instanceof ConcreteArray) {
      dtypes.push(a.dtype);
      shapes.push([...a.shape]);
    } else return undefined;
  }
  return { key, program, dtypes, shapes };
}

/**
 * The constants of `jaxpr`, each large one replaced by an equal one already held by another cached
 * program, so that a constant computed while staging (`W.T` of a closed-over `W`) is kept once, not
 * once per signature.
 */
function sharedConstants(closed: ClosedJaxpr, others: Iterable<Program>): ClosedJaxpr {
  const pool: ConcreteArray[] = [];
  for (const p of others) for (const c of p.closed.consts) if (c instanceof ConcreteArray && c.size >= SHARED_CONST_SIZE) pool.push(c);
  if (pool.length === 0) return closed;
  let changed = false;
  const consts = closed.consts.map((c) => {
    if (!(c instanceof ConcreteArray) || c.size < SHARED_CONST_SIZE) return c;
    const same = pool.find((p) => p === c || sameContents(p, c)) ?? c;
    changed ||= same !== c;
    return same;
  });
  return changed ? new ClosedJaxpr(closed.jaxpr, consts) : closed;
}

/** Makes every array leaf of a donated argument unreadable: its buffer now belongs to jit. */
function donate(arg: unknown, argnum: number, keep: ReadonlySet<NDArray>): void {
  const [leaves] = flatten(arg as Tree, "jit: donated argument ");
  for (const l of leaves) {
    if (!(l instanceof ConcreteArray) || keep.has(l)) continue;
    Object.defineProperty(l, "data", {
      configurable: true,
      enumerable: true,
      get() {
        throw new TypeError(
          `jit: this array (shape [${l.shape.join(",")}]) was donated to a jitted function (argument ${argnum}, donateArgnums) and cannot be read any more; ` +
            "use the function's output instead, or do not donate the argument",
        );
      },
    });
  }
}

/**
 * `jit(f, {staticArgnums?, donateArgnums?, cacheSize?})`: stages `f` once per signature — the tree
 * structure, shapes and dtypes of its array arguments, and the static arguments compared by
 * `Object.is` (numbers, strings, booleans by value; functions and objects by identity) — and replays
 * the staged program on later calls, skipping everything `f` does besides primitives: argument
 * checks, broadcasting, tree handling and, for `jit(grad(f))`, the machinery of reverse mode. At most
 * `cacheSize` programs (default 64) are kept, the least recently used dropped; large constants are
 * shared between them. As in JAX, `f` must not branch on the values of its array arguments (staging
 * raises if it reads one), values it closes over are frozen at the first call, and results are
 * arrays. A donated argument (`donateArgnums`, outside any transformation) cannot be read after the
 * call: its buffer may hold one of the outputs (one of its dtype and size, computed after the
 * program's last read of the argument; arrays sharing its memory, such as its reshapes, see that
 * output too), or be an output itself where the program returns the argument.
 * @example
 * const fastGrad = jit(grad((x: NDArray) => np.sum(np.tanh(x))));
 * fastGrad(np.zeros([2])); // [1, 1]
 */
export function jit<F extends Fn>(f: F, opts: JitOptions = {}): Jitted<F> {
  const { statics: staticNums, donated: donateNums, cacheSize } = parseOptions(opts);
  // A Map iterates in insertion order: re-inserting on a hit keeps the least recently used first.
  const cache = new Map<string, Program>();
  let stagings = 0;
  let hits = 0;
  const name = f.name || "fn";
  /** The key of the most recently used program (a hit on it needs no reordering of the cache). */
  let mruKey = "";
  const touch = (key: string, program: Program): void => {
    if (key === mruKey) return;
    cache.delete(key);
    cache.set(key, program);
    mruKey = key;
  };
  /** Fast-path signatures by arity (only without static or donated arguments). */
  const fast: (FastEntry | undefined)[] = [];
  const plainCalls = staticNums.length === 0 && donateNums.length === 0;
  /** The cached program for `args` (staged on a miss), the arrays it takes, and values hoisted from enclosing transformations. */
  const lookup = (args: readonly unknown[]): { program: Program; ins: NDArray[]; hoisted: readonly NDArray[]; statics: ReadonlySet<number> } => {
    const statics = resolve("staticArgnums", staticNums, args.length);
    const dynamic = args.filter((_, i) => !statics.has(i));
    const [leaves, def] = flatten(dynamic as Tree, "jit: argument");
    let key = structureKey(def);
    for (const l of leaves) key += leafKey(l);
    for (const i of [...statics].sort((a, b) => a - b)) key += `#${i}=${staticKey(args[i])}`;
    let program = cache.get(key);
    let hoisted: readonly NDArray[] = [];
    if (program) {
      hits++;
      touch(key, program);
    } else {
      // Stage with the static arguments bound, so the jaxpr's inputs are the dynamic ones.
      let outDef: TreeDef | null = null;
      const bound = (...dyn: unknown[]) => {
        let k = 0;
        const out = (f as unknown as (...xs: unknown[]) => unknown)(...args.map((a, i) => (statics.has(i) ? a : dyn[k++])));
        outDef = flatten(out as Tree)[1];
        return out;
      };
      const jaxpr = makeJaxpr(bound)(...(dynamic as never[]));
      stagings++;
      const def: TreeDef = outDef!;
      const donated = donatedInputs(args, statics, donateNums.length > 0 ? resolve("donateArgnums", donateNums, args.length) : new Set());
      program = { jaxpr, closed: sharedConstants(optimize(jaxpr.closed), cache.values()), outDef: def, singleOut: def.kind === "leaf", evicted: false, donated };
      // A program that closed over values of an enclosing transformation takes them as leading
      // inputs; it is good for this call only, so it is not cached.
      hoisted = jaxpr.hoisted;
      if (hoisted.length === 0) {
        if (cache.size >= cacheSize) {
          const [oldest, dropped] = cache.entries().next().value!;
          dropped.evicted = true;
          cache.delete(oldest);
        }
        cache.set(key, program);
        mruKey = key;
      }
    }
    if (plainCalls && hoisted.length === 0) fast[args.length] = fastEntry(key, program, args);
    const ins = leaves.map((l, i) => leafToArrayAt(l, "jit", "argument leaf", i));
    return { program, ins, hoisted, statics };
  };
  const jitted = (...argsIn: Args<F>): ArrayTree<Ret<F>> => {
    const args = argsIn as unknown as unknown[];
    // The fast path: the same signature as the last call of this arity, all arguments plain leaves.
    const entry = fast[args.length];
    if (entry !== undefined && currentLevel() === 0 && !debugNansOn()) {
      const ins = new Array<NDArray>(args.length);
      const hit = matchFast(entry, args, ins);
      if (hit !== null) {
        hits++;
        touch(entry.key, hit);
        const flat = compiledOf(hit).runTrusted(ins);
        return (hit.singleOut ? flat[0] : unflatten(hit.outDef, flat)) as ArrayTree<Ret<F>>;
      }
    }
    const { program, ins, hoisted, statics } = lookup(args);
    // With no transformation active, the compiled program runs; inside one, the transformation sees
    // a single `pjit` equation whose rules transform the jaxpr. Under debugNans the equations run
    // one by one through the checking bind (the pjit kernel), so a NaN names its primitive.
    let flat: NDArray[];
    try {
      flat =
        currentLevel() === 0 && hoisted.length === 0 && !debugNansOn()
          ? donateNums.length > 0
            ? compiledOf(program).runDonating(ins)
            : compiledOf(program).run(ins)
          : pjit(program.closed, hoisted.length === 0 ? ins : [...hoisted, ...ins], name);
    } catch (e) {
      // debugNans found a NaN inside the program: re-run `f` without jit to name the user's line.
      if (e instanceof FloatingPointError) rerunForNaN(f, args, name, e);
      throw e;
    }
    const out = unflatten(program.outDef, flat);
    if (donateNums.length > 0 && currentLevel() === 0) return donateArgs(args, resolve("donateArgnums", donateNums, args.length), statics, out) as ArrayTree<Ret<F>>;
    return out as ArrayTree<Ret<F>>;
  };
  return Object.assign(jitted, {
    lower: (...argsIn: Args<F>): Lowered => {
      const { program } = lookup(argsIn as unknown as unknown[]);
      const c = compiledOf(program);
      return { jaxpr: c.jaxpr, text: c.text };
    },
    cacheInfo: (): JitCacheInfo => ({ stagings, hits, programs: [...cache.values()].map((p) => ({ jaxpr: p.jaxpr, consts: p.closed.consts })), maxSize: cacheSize }),
  }) as Jitted<F>;
}

/** The program's generated code (made on first use). */
const compiledOf = (p: Program): Compiled => (p.compiled ??= compile(p.closed, p.donated));

/** Positions among the flattened dynamic arguments' leaves of those coming from `donated` arguments. */
function donatedInputs(args: readonly unknown[], statics: ReadonlySet<number>, donated: ReadonlySet<number>): number[] {
  const out: number[] = [];
  let at = 0;
  args.forEach((a, i) => {
    if (statics.has(i)) return;
    const n = flatten(a as Tree)[0].length;
    if (donated.has(i)) for (let k = 0; k < n; k++) out.push(at + k);
    at += n;
  });
  return out;
}

/**
 * After `debugNans` stopped a jitted program: runs `f` eagerly on the same arguments (JAX's
 * "de-optimized" re-run), whose own check names the line of `f` that made the NaN; throws that
 * error, or returns (the caller rethrows the program's error) if the eager run finds none.
 */
function rerunForNaN(f: (...args: never[]) => unknown, args: readonly unknown[], name: string, original: FloatingPointError): void {
  try {
    (f as unknown as (...xs: unknown[]) => unknown)(...args);
  } catch (e) {
    if (e instanceof FloatingPointError && e !== original) {
      throw new FloatingPointError(`${e.message} (inside jit(${name}), found by re-running it without jit)`);
    }
  }
}

/**
 * Donates the arrays of the donated arguments. An output that is a donated array itself keeps its
 * buffer under a new array object, so only the caller's old handle dies (outputs the program wrote into a
 * donated buffer, see `compile`'s `runDonating`, are new objects already).
 */
function donateArgs(args: readonly unknown[], donated: ReadonlySet<number>, statics: ReadonlySet<number>, out: unknown): unknown {
  const donatedLeaves = new Set<NDArray>();
  for (const i of donated) {
    if (statics.has(i)) throw new TypeError(`jit: argument ${i} is both static (staticArgnums) and donated (donateArgnums)`);
    for (const l of flatten(args[i] as Tree)[0]) if (l instanceof ConcreteArray) donatedLeaves.add(l);
  }
  // Arrays also passed through a non-donated argument stay readable.
  const keep = new Set<NDArray>();
  args.forEach((a, i) => {
    if (!donated.has(i)) for (const l of flatten(a as Tree)[0]) if (l instanceof ConcreteArray) keep.add(l);
  });
  const [outLeaves, outDef] = flatten(out as Tree);
  const fresh = outLeaves.map((l) => (l instanceof ConcreteArray && donatedLeaves.has(l) ? new ConcreteArray(l.data, l.shape, l.dtype) : l));
  for (const i of donated) donate(args[i], i, keep);
  return fresh.some((l, i) => l !== outLeaves[i]) ? unflatten(outDef, fresh) : out;
}

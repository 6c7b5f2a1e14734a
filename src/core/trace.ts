/**
 * @file The interpreter stack: tracers, traces, and `bind`, which sends each primitive to the
 * innermost transformation that owns one of its arguments (or straight to the kernel when none does).
 */
import { ConcreteArray, NDArray, type Aval, type Nested } from "./ndarray.ts";
import type { DType } from "./dtype.ts";
import type { Primitive } from "./primitive.ts";
import { fmtShape, TracerConversionError } from "./errors.ts";

/**
 * One active transformation: its level on the stack (0 = outermost; a transformation started
 * inside another gets the next level) and the `Trace` that interprets its values. Made by
 * `withMainTrace`; `globalData` is what the whole run shares.
 */
export class MainTrace {
  /** The trace object for this level, created once. */
  readonly trace: Trace;
  constructor(
    readonly level: number,
    makeTrace: (main: MainTrace) => Trace,
    /** Data the whole transformation shares (vmap's axis size, the linear program being recorded…). */
    readonly globalData: unknown = null,
  ) {
    this.trace = makeTrace(this);
  }
}

const stack: MainTrace[] = [];

/**
 * Pushes a new transformation level on top of the active ones, runs `body` (which wraps its inputs
 * in tracers of `main.trace` and calls the user's function), and pops the level even if `body`
 * throws. Levels nest by call order, so a transformation started inside another is innermost.
 * @example
 * withMainTrace((main) => new (class extends Trace {
 *   pure(x: NDArray): Tracer { throw new Error("unused"); }
 *   processPrimitive(): NDArray[] { return []; }
 * })(main), null, (main) => main.level); // 0
 */
export function withMainTrace<R>(
  makeTrace: (main: MainTrace) => Trace,
  globalData: unknown,
  body: (main: MainTrace) => R,
): R {
  const main = new MainTrace(stack.length, makeTrace, globalData);
  stack.push(main);
  try {
    return body(main);
  } finally {
    stack.pop();
  }
}

/** One recorded primitive application: of reverse mode's linear program, or of a staged jaxpr. */
export interface RecordedEqn<I extends NDArray = NDArray, O extends NDArray = NDArray> {
  readonly prim: Primitive<unknown>;
  readonly inputs: readonly I[];
  readonly params: unknown;
  readonly outs: readonly O[];
}

/**
 * An interpreter for one level: how it wraps values and processes primitives. The contract a
 * subclass keeps (see `defineTransform` for a higher-level way):
 * - `pure(value)` wraps a value from outside every transformation (a constant) in a tracer of
 *   this level; `lift(value)` wraps a tracer of an outer (lower) level — by default as `pure`.
 * - `processPrimitive(prim, tracers, params)` gets every operand already a tracer of this level
 *   (`bind` raised them) and returns the outputs, one per `prim.abstractEval` output: tracers of
 *   this level, or plain values where this level adds nothing. It computes by calling `bind` on
 *   the values its tracers carry (which belong to lower levels or are concrete), never by reading
 *   numbers, so the levels below keep working. `prim.name` and `params` say what the primitive is.
 */
export abstract class Trace {
  constructor(readonly main: MainTrace) {}
  /** Wraps a value from outside every transformation (a constant). */
  abstract pure(value: NDArray): Tracer;
  /** Wraps a value of an outer level. */
  lift(value: NDArray): Tracer {
    return this.pure(value);
  }
  abstract processPrimitive<P>(prim: Primitive<P>, tracers: Tracer[], params: P): NDArray[];
  /**
   * What `bindAt` does at this level once it has checked the level is live: raises every argument
   * into this level (`fullRaise`), calls `processPrimitive` and lowers the outputs (`fullLower`).
   * A trace may override it to read its own tracers and outer values without wrapping each in a
   * tracer first, as long as it gives the same outputs and the same errors.
   */
  applyPrimitive<P>(prim: Primitive<P>, args: readonly NDArray[], params: P): NDArray[] {
    const n = args.length;
    const tracers = new Array<Tracer>(n);
    for (let i = 0; i < n; i++) tracers[i] = fullRaise(this, args[i]!);
    const outs = this.processPrimitive(prim, tracers, params);
    for (let i = 0; i < outs.length; i++) {
      const o = outs[i]!;
      if (o instanceof Tracer) outs[i] = o.fullLower();
    }
    return outs;
  }
  /** The transformation this level belongs to, as error messages name it ("vmap", "grad/jvp", …). */
  get transformName(): string {
    const name = this.constructor.name.replace(/Trace$/, "").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
    return name === "" ? "a transformation" : name;
  }
}

/** How a JS conversion of a tracer happened, by the hint `Symbol.toPrimitive` receives. */
const conversionKinds: Record<string, string> = {
  number: "converted to a JS number (by JS arithmetic or a comparison such as x * y, x < y or +x, by Math.*, by Number(x), or as a number argument)",
  string: "converted to a string (a template string or String(x))",
  default: "used with a JS operator (x + y, x == y)",
  valueOf: "converted with valueOf()",
};

/**
 * The error for a tracer turned into a JS primitive. JS arithmetic on a traced value would read
 * its primal (or fail per batch member) and silently drop the derivative, so it always throws.
 */
export function tracerConversionError(x: Tracer, how: string): TracerConversionError {
  const kind = conversionKinds[how] ?? conversionKinds["number"]!;
  const debug = how === "string" ? " To look at a value while debugging, console.log(x) (under grad/jvp it shows the numbers)." : "";
  return new TracerConversionError(
    `a traced value (${x.dtype} array of shape ${fmtShape(x.shape)}, under ${x.trace.transformName}) was ${kind}. ` +
      "A traced value is not a number: converting it would silently lose its derivative or its batch. " +
      "TypeScript has no operator overloading, so write the math with array methods and np functions " +
      "(x.mul(x) for x * x, x.add(y), x.lt(y) for x < y, np.sin(x) for Math.sin(x), np.where for a data-dependent choice); " +
      `under grad/jvp, x.item() reads the concrete value on purpose (its derivative is then not tracked).${debug}`,
  );
}

/**
 * A value being traced by a transformation; behaves like an `NDArray` in user code. A subclass
 * gives `trace` (its level's `Trace`) and `aval` (shape and dtype); it may override `item()`
 * (reading a number: an error by default), `peek()` and `fullLower()`.
 */
export abstract class Tracer extends NDArray {
  abstract readonly trace: Trace;
  abstract get aval(): Aval;

  get shape(): readonly number[] {
    return this.aval.shape;
  }
  get dtype(): DType {
    return this.aval.dtype;
  }
  /** The value with this level's wrapping removed when it carries nothing (see batching). */
  fullLower(): NDArray {
    return this;
  }
  /**
   * The value one level down with every batch member in it (a primal, or a batched array with its
   * batch axis), for decisions that must see all members (see `dataBeneath`); `null` where a level
   * holds no value (a staged value, an unknown of the linear program).
   */
  peek(): NDArray | null {
    return null;
  }
  /** What a traced value reads as a JS number: the primal under `grad`/`jvp`; an error otherwise. */
  item(): number {
    throw new TracerConversionError(
      `item() on a traced value ${this.describe()}: it has no single concrete value here. ` +
        "Use np.where for data-dependent choices, or move the conversion outside the transformation.",
    );
  }
  toArray(): Nested {
    throw new TracerConversionError(
      `toArray() on a traced value ${this.describe()}: it has no concrete value here.`,
    );
  }
  describe(): string {
    return `${this.constructor.name}<${this.dtype}${fmtShape(this.shape)}>`;
  }
  override toString(): string {
    return `Traced<${this.dtype}${fmtShape(this.shape)}>`;
  }
  /** Tracers are not numbers: every JS conversion throws, whatever the hint. */
  override [Symbol.toPrimitive](hint: string): never {
    throw tracerConversionError(this, hint);
  }
  override valueOf(): never {
    throw tracerConversionError(this, "valueOf");
  }
}

/**
 * The data under every level of `x`: a concrete array holding every batch member's value (batch
 * axes included), or `null` where a level holds no value (a value being staged by `jit`/`makeJaxpr`,
 * a tangent unknown of reverse mode). For decisions that may use values when they exist: whether a
 * `lax.cond` index is the same at every level, `odeint`'s step-count error under `grad`/`vmap`.
 * @example
 * const seen: unknown[] = [];
 * vmap((x: NDArray) => (seen.push(dataBeneath(x)!.toArray()), x))(np.array([1, 2]));
 * seen[0]; // [1, 2]
 */
export function dataBeneath(x: NDArray): ConcreteArray | null {
  let v: NDArray | null = x;
  while (v instanceof Tracer) v = v.peek();
  return v as ConcreteArray | null;
}

/**
 * `dataBeneath` for code that cannot go on without the data (a random draw's parameters, a Taylor
 * loop's predicate): throws, naming `op`, where a level holds no value.
 */
export function concreteBeneath(x: NDArray, op: string): ConcreteArray {
  const v = dataBeneath(x);
  if (v === null) {
    throw new TracerConversionError(
      `${op}: the value has no data here: it is being staged by makeJaxpr/jit (which follow shapes only), ` +
        "or it is a tangent unknown of reverse mode. Call this outside jit.",
    );
  }
  return v;
}

/** Whether `x` is a tracer (of any level). */
export const isTracer = (x: unknown): x is Tracer => x instanceof Tracer;

/**
 * Applies a primitive. With no tracer among the arguments this is the eager fast path: the kernel
 * runs at once. Otherwise the innermost level owning an argument interprets it.
 */
function bindDirect<P>(prim: Primitive<P>, args: readonly NDArray[], params: P): NDArray[] {
  let top: MainTrace | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a instanceof Tracer) {
      const main = a.trace.main;
      if (top === null || main.level > top.level) top = main;
    }
  }
  if (top === null) return prim.impl(args as ConcreteArray[], params);
  return bindAt(top, prim, args, params);
}

/**
 * Applies a primitive at the level `main` (at least the level of every tracer among `args`): its
 * trace interprets it, the other arguments lifted into it. `bind` calls this with the innermost
 * level owning an argument; a primitive that must be staged even when its arguments are constants
 * (`debug_callback` under `jit`) calls it with the innermost staging level.
 * @example
 * const sqrtP = definePrimitive<{}>({
 *   name: "mySqrt",
 *   impl: ([x]) => [np.sqrt(x!) as ConcreteArray],
 *   abstractEval: ([x]) => [{ shape: x!.shape, dtype: x!.dtype }],
 *   jvp: ([x], [t], [y]) => [t!.div(y!.mul(2))],
 *   transpose: "nonlinear",
 *   batch: ([x], [d]) => [[bind1(sqrtP, [x!], {})], [d!]],
 * });
 * vmap((x: NDArray) => bindAt(activeMainTraces()[0]!, sqrtP, [x], {})[0]!)(np.array([4, 9])); // [2, 3]
 */
export function bindAt<P>(main: MainTrace, prim: Primitive<P>, args: readonly NDArray[], params: P): NDArray[] {
  if (stack[main.level] !== main) {
    throw new TracerConversionError(
      `${prim.name}: an argument is a tracer from a transformation that has already finished ` +
        "(a traced value escaped, e.g. stored in an outer variable). Return it from the function instead.",
    );
  }
  return main.trace.applyPrimitive(prim, args, params);
}

/** The signature of `bind`. */
export type BindFn = <P>(prim: Primitive<P>, args: readonly NDArray[], params: P) => NDArray[];

/**
 * Applies a primitive: with no tracer among `args` the kernel runs at once (the eager fast path);
 * otherwise the innermost transformation owning an argument interprets it (see `Trace`). A live
 * binding: a debugging mode (`config.update("debugNans", true)`) swaps in a checking version with
 * `setBind`, so the fast path carries no check when the mode is off.
 */
export let bind: BindFn = bindDirect;

/** The plain `bind`, without any debugging check (what a checking `bind` delegates to). */
export const bindUnchecked: BindFn = bindDirect;

/** Replaces `bind` (for a debugging mode); `setBind(bindUnchecked)` restores it. */
export function setBind(b: BindFn): void {
  bind = b;
}

/**
 * `bind` for the common single-output primitive.
 * @example
 * const twiceP = definePrimitive<{}>({
 *   name: "twice",
 *   impl: ([x]) => [np.multiply(x!, 2) as ConcreteArray],
 *   abstractEval: ([x]) => [{ shape: x!.shape, dtype: x!.dtype }],
 *   jvp: (_, [t]) => [t!.mul(2)],
 *   transpose: "nonlinear",
 *   batch: ([x], [d]) => [[bind1(twiceP, [x!], {})], [d!]],
 * });
 * bind1(twiceP, [np.array([1, 2])], {}); // [2, 4]
 * grad((x: NDArray) => bind1(twiceP, [x], {}))(3); // 2
 */
export const bind1 = <P>(prim: Primitive<P>, args: readonly NDArray[], params: P): NDArray =>
  bind(prim, args, params)[0]!;

/**
 * Brings `value` into `trace`'s level: `pure` for a non-tracer, `lift` for a tracer of an outer level; a tracer of an inner level is an error.
 * @example
 * const kinds: string[] = [];
 * vmap((x: NDArray) => (kinds.push(fullRaise((x as Tracer).trace, np.array(3)).constructor.name), x))(np.ones([2]));
 * kinds.length; // 1
 */
export function fullRaise(trace: Trace, value: NDArray): Tracer {
  if (!(value instanceof Tracer)) return trace.pure(value);
  const main = value.trace.main;
  if (main === trace.main) return value;
  const level = main.level;
  if (level < trace.main.level) return trace.lift(value);
  throw innerTracerError(level, trace.main.level);
}

/**
 * `fullRaise`'s check, for a trace that reads its arguments itself (`Trace.applyPrimitive`) and has
 * already taken its own tracers: throws the same error for a tracer that `trace` cannot raise (one
 * of another transformation at its level or an inner one); a tracer of an outer level, or a
 * non-tracer, passes. A tracer of `trace`'s level reaching here was not recognised as its own (its
 * trace object is not `main.trace`, which each level makes once): an internal error, thrown rather
 * than taking the tracer as a constant and dropping its tangent.
 */
export function checkRaisable(trace: Trace, value: NDArray): void {
  if (!(value instanceof Tracer)) return;
  const main = value.trace.main;
  if (main === trace.main) throw new TracerConversionError(`internal: a tracer of level ${main.level} not made by its level's trace`);
  if (main.level >= trace.main.level) throw innerTracerError(main.level, trace.main.level);
}

const innerTracerError = (level: number, at: number): TracerConversionError =>
  new TracerConversionError(`internal: a tracer of level ${level} met level ${at} (a transformation's value escaped its scope)`);

/**
 * The stack depth now: used by transformations that must know whether they are nested.
 * @example
 * currentLevel(); // 0
 * const levels: number[] = [];
 * vmap((x: NDArray) => (levels.push(currentLevel()), x))(np.ones([2]));
 * levels; // [1]
 */
export const currentLevel = (): number => stack.length;

/**
 * The active transformations, outermost (level 0) first: a read-only view of the stack.
 * @example
 * activeMainTraces().length; // 0
 * const depth: number[] = [];
 * vmap(vmap((x: NDArray) => (depth.push(activeMainTraces().length), x)))(np.ones([2, 2]));
 * depth; // [2]
 */
export const activeMainTraces = (): readonly MainTrace[] => stack;

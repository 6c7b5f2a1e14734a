/**
 * @file The interpreter stack: tracers, traces, and `bind`, which sends each primitive to the
 * innermost transformation that owns one of its arguments (or straight to the kernel when none does).
 */
import { ConcreteArray, NDArray, type Aval, type Nested } from "./ndarray.ts";
import type { DType } from "./dtype.ts";
import type { Primitive } from "./primitive.ts";
import { fmtShape, TracerConversionError } from "./errors.ts";

/** One active transformation: its level on the stack and the trace class that interprets it. */
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

/** Pushes a new transformation level, runs `body`, and pops the level even if `body` throws. */
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

/** An interpreter for one level: how it wraps values and processes primitives. */
export abstract class Trace {
  constructor(readonly main: MainTrace) {}
  /** Wraps a value from outside every transformation (a constant). */
  abstract pure(value: NDArray): Tracer;
  /** Wraps a value of an outer level. */
  lift(value: NDArray): Tracer {
    return this.pure(value);
  }
  abstract processPrimitive<P>(prim: Primitive<P>, tracers: Tracer[], params: P): NDArray[];
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

/** A value being traced by a transformation; behaves like an `NDArray` in user code. */
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
 */
export function dataBeneath(x: NDArray): ConcreteArray | null {
  let v: NDArray | null = x;
  while (v instanceof Tracer) v = v.peek();
  return v as ConcreteArray | null;
}

/** Whether `x` is a tracer (of any level). */
export const isTracer = (x: unknown): x is Tracer => x instanceof Tracer;

/**
 * Applies a primitive. With no tracer among the arguments this is the eager fast path: the kernel
 * runs at once. Otherwise the innermost level owning an argument interprets it.
 */
export function bind<P>(prim: Primitive<P>, args: readonly NDArray[], params: P): NDArray[] {
  let top: MainTrace | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a instanceof Tracer) {
      const main = a.trace.main;
      if (top === null || main.level > top.level) top = main;
    }
  }
  if (top === null) return prim.impl(args as ConcreteArray[], params);
  if (stack[top.level] !== top) {
    throw new TracerConversionError(
      `${prim.name}: an argument is a tracer from a transformation that has already finished ` +
        "(a traced value escaped, e.g. stored in an outer variable). Return it from the function instead.",
    );
  }
  const trace = top.trace;
  const tracers = args.map((a) => fullRaise(trace, a));
  const outs = trace.processPrimitive(prim, tracers, params);
  for (let i = 0; i < outs.length; i++) {
    const o = outs[i]!;
    if (o instanceof Tracer) outs[i] = o.fullLower();
  }
  return outs;
}

/** `bind` for the common single-output primitive. */
export const bind1 = <P>(prim: Primitive<P>, args: readonly NDArray[], params: P): NDArray =>
  bind(prim, args, params)[0]!;

/** Brings `value` into `trace`'s level. */
export function fullRaise(trace: Trace, value: NDArray): Tracer {
  if (!(value instanceof Tracer)) return trace.pure(value);
  const level = value.trace.main.level;
  if (value.trace.main === trace.main) return value;
  if (level < trace.main.level) return trace.lift(value);
  throw new TracerConversionError(
    `internal: a tracer of level ${level} met level ${trace.main.level} (a transformation's value escaped its scope)`,
  );
}

/** The stack depth now: used by transformations that must know whether they are nested. */
export const currentLevel = (): number => stack.length;

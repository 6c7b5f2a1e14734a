/**
 * @file How a primitive's property-test spec is written: the typed `spec(prim, {...})` record, and
 * the arbitraries that build arguments inside a function's domain (away from kinks and poles).
 *
 * A spec has two stages, so that `vmap` can be checked against a loop over several examples that
 * share shapes and params: `setup` draws everything but the values (shapes, dtypes, params), and
 * `args(setup)` draws argument values. Every file `property-tests/specs*.ts` exports
 * `specs: PrimSpec[]`; the tests load them all and fail for a registered primitive without a spec.
 *
 * @example
 * // property-tests/specs-special.ts
 * export const specs: PrimSpec[] = [
 *   unarySpec(s.erfP, uniform(-3, 3)),
 *   unarySpec(s.gammalnP, uniform(0.2, 5)), // away from the poles at 0, −1, …
 *   spec(g.gatherP, {
 *     setup: shape({ minRank: 1 }).map((x) => ({ params: { axis: 0 }, x: x.map((d) => Math.max(1, d)) })),
 *     args: (s) => fc.tuple(floats(s.x), ints([3], 0, s.x[0]! - 1)).map((a): ConcreteArray[] => a),
 *     linearIn: [[0]], // gather is linear in the operand, not in the indices
 *   }),
 * ];
 */
import fc from "fast-check";
import { ConcreteArray } from "../src/core/ndarray.ts";
import { allocate, type DType } from "../src/core/dtype.ts";
import type { Primitive } from "../src/core/primitive.ts";

/** What `setup` draws: the params, plus whatever `args` needs (shapes, dtypes…). */
export interface SetupBase<P> {
  readonly params: P;
}

/** The typed body of a spec; `P` comes from the primitive, so params are checked by `tsc`. */
export interface SpecBody<P, S extends SetupBase<P>> {
  /** Shapes, dtypes and params: everything but the argument values. */
  readonly setup: fc.Arbitrary<S>;
  /** Argument values for a setup, inside the function's domain (float64 for differentiated ones). */
  readonly args: (s: S) => fc.Arbitrary<ConcreteArray[]>;
  /**
   * `false` for primitives whose derivative is defined to be zero although the function is not
   * locally constant (`stopGradient`), or with no float output (comparisons, `argmax`): then the
   * tests check that the JVP and VJP are zero instead of comparing with finite differences.
   */
  readonly differentiable?: boolean;
  /**
   * `true` for primitives with a reverse-mode derivative only (`custom_vjp_call`, as in JAX): forward
   * mode must raise, and the VJP is checked against central differences instead of against the JVP.
   */
  readonly reverseOnly?: boolean;
  /** Which arguments are differentiated (default: every float64 argument); the rest are held fixed. */
  readonly wrt?: readonly number[] | ((s: S) => readonly number[]);
  /**
   * Sets of arguments the primitive is linear in, jointly, with the other arguments fixed at their
   * drawn values: `[[0, 1]]` for `add`, `[[0], [1]]` for `mul`, `[[0]]` for `div`. Required exactly
   * when the primitive has a transpose rule; each set gets the check ⟨ct, L(x)⟩ = ⟨Lᵀ(ct), x⟩.
   */
  readonly linearIn?: readonly (readonly number[])[] | ((s: S) => readonly (readonly number[])[]);
  /**
   * An independent simple implementation (plain loops), for kernels with fast paths that the
   * derivative checks would not notice being wrong in the same way twice (blocked matmul…).
   */
  readonly reference?: (args: readonly ConcreteArray[], params: P) => ConcreteArray[];
  /**
   * For params that depend on the arguments' float dtype (the closed jaxprs of control-flow
   * primitives are typed, as in JAX): the same setup for arguments of `dtype`, which the float32
   * check uses. Default: params do not depend on the dtype.
   */
  readonly retype?: (s: S, dtype: "float32") => S;
}

/** A spec with its types erased, as the tests see it. */
export interface PrimSpec {
  readonly name: string;
  readonly prim: Primitive<unknown>;
  readonly setup: fc.Arbitrary<SetupBase<unknown>>;
  readonly args: (s: SetupBase<unknown>) => fc.Arbitrary<ConcreteArray[]>;
  readonly differentiable: boolean;
  readonly reverseOnly: boolean;
  readonly wrt: ((s: SetupBase<unknown>) => readonly number[]) | null;
  readonly linearIn: ((s: SetupBase<unknown>) => readonly (readonly number[])[]) | null;
  readonly reference: ((args: readonly ConcreteArray[], params: unknown) => ConcreteArray[]) | null;
  readonly retype: ((s: SetupBase<unknown>, dtype: "float32") => SetupBase<unknown>) | null;
}

/** Declares the spec of one primitive. */
export function spec<P, S extends SetupBase<P>>(prim: Primitive<P>, body: SpecBody<P, S>): PrimSpec {
  const { wrt, linearIn } = body;
  return {
    name: prim.name,
    prim: prim as unknown as Primitive<unknown>,
    setup: body.setup as unknown as fc.Arbitrary<SetupBase<unknown>>,
    args: body.args as unknown as PrimSpec["args"],
    differentiable: body.differentiable ?? true,
    reverseOnly: body.reverseOnly ?? false,
    wrt: wrt === undefined ? null : typeof wrt === "function" ? (wrt as PrimSpec["wrt"]) : () => wrt,
    linearIn:
      linearIn === undefined ? null : typeof linearIn === "function" ? (linearIn as PrimSpec["linearIn"]) : () => linearIn,
    reference: (body.reference as PrimSpec["reference"]) ?? null,
    retype: (body.retype as unknown as PrimSpec["retype"]) ?? null,
  };
}

// ---------------------------------------------------------------- shapes

export interface ShapeOptions {
  readonly minRank?: number;
  readonly maxRank?: number;
  /** Smallest size of a dimension (default 0: empty arrays appear, rarely). */
  readonly minDim?: number;
  readonly maxDim?: number;
}

/** A dimension in `[min, max]`: 1 often (broadcasting, squeezing edge cases), 0 rarely, else 2..max. */
export function dim(min = 0, max = 4): fc.Arbitrary<number> {
  const options: fc.WeightedArbitrary<number>[] = [];
  if (min <= 1 && max >= 1) options.push({ weight: 2, arbitrary: fc.constant(1) });
  if (max >= 2) options.push({ weight: 7, arbitrary: fc.integer({ min: Math.max(min, 2), max }) });
  if (min <= 0) options.push({ weight: 1, arbitrary: fc.constant(0) });
  return fc.oneof(...options);
}

/** A shape of rank `minRank..maxRank` (default 0..3), 0-d included. */
export const shape = (o: ShapeOptions = {}): fc.Arbitrary<number[]> =>
  fc.array(dim(o.minDim ?? 0, o.maxDim ?? 4), { minLength: o.minRank ?? 0, maxLength: o.maxRank ?? 3 });

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

// ---------------------------------------------------------------- scalars inside a domain

/**
 * A float in `[lo, hi]` (fast-check leans towards the ends, which are inside the domain). Values
 * below 1e-6 in magnitude (subnormals…) become 0: at x ≪ ε, x ± εv rounds x away and central
 * differences lose it; such values test underflow, not derivatives.
 */
export const uniform = (lo: number, hi: number): fc.Arbitrary<number> =>
  fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }).map((x) => (Math.abs(x) < 1e-6 ? 0 : x));

/** ±[lo, hi]: away from 0 (for `abs`, `sign`, divisors…). */
export const magnitude = (lo: number, hi: number): fc.Arbitrary<number> =>
  fc.tuple(fc.boolean(), uniform(lo, hi)).map(([neg, m]) => (neg ? -m : m));

/** `k + f` with an integer `k` in `[kmin, kmax]` and a fraction `f` in one of `fracs` (away from jumps). */
export const offInteger = (kmin: number, kmax: number, ...fracs: readonly (readonly [number, number])[]): fc.Arbitrary<number> =>
  fc.tuple(fc.integer({ min: kmin, max: kmax }), fc.oneof(...fracs.map(([a, b]) => uniform(a, b)))).map(([k, f]) => k + f);

/** A small integer-valued float, so ties and equalities actually happen. */
export const smallInt = (lo = -2, hi = 2): fc.Arbitrary<number> => fc.integer({ min: lo, max: hi });

// ---------------------------------------------------------------- arrays

/** A concrete array from flat values. */
export function concrete(values: ArrayLike<number>, shape: readonly number[], dtype: DType = "float64"): ConcreteArray {
  const data = allocate(dtype, values.length);
  for (let i = 0; i < values.length; i++) data[i] = values[i]!;
  return new ConcreteArray(data, shape, dtype);
}

/** An array of `shape` with elements from `elem`. */
export const array = (shp: readonly number[], elem: fc.Arbitrary<number>, dtype: DType = "float64"): fc.Arbitrary<ConcreteArray> => {
  const n = sizeOf(shp);
  return fc.array(elem, { minLength: n, maxLength: n }).map((v) => concrete(v, shp, dtype));
};

/** Standard float64 values in [-2, 2] (for functions defined everywhere). */
export const floats = (shp: readonly number[], lo = -2, hi = 2): fc.Arbitrary<ConcreteArray> => array(shp, uniform(lo, hi));

/**
 * A complex128 array of `shape` whose elements are `re + i·im`, the parts drawn from `re` and `im`
 * (by default both from [-2, 2]).
 */
export const complexes = (shp: readonly number[], re: fc.Arbitrary<number> = uniform(-2, 2), im: fc.Arbitrary<number> = re): fc.Arbitrary<ConcreteArray> => {
  const n = sizeOf(shp);
  return fc.array(fc.tuple(re, im), { minLength: n, maxLength: n }).map((ps) => new ConcreteArray(Float64Array.from(ps.flat()), shp, "complex128"));
};

export const bools = (shp: readonly number[]): fc.Arbitrary<ConcreteArray> => array(shp, fc.integer({ min: 0, max: 1 }), "bool");

export const ints = (shp: readonly number[], lo: number, hi: number): fc.Arbitrary<ConcreteArray> =>
  array(shp, fc.integer({ min: lo, max: hi }), "int32");

/**
 * Several arrays of one shape whose elements are drawn jointly: `tuple` gives one element of each
 * array (so `(x, y)` pairs can keep `x/y` off integers, `|x − y|` off 0…).
 */
export function zipped(shp: readonly number[], tuple: fc.Arbitrary<readonly number[]>, dtypes: readonly DType[]): fc.Arbitrary<ConcreteArray[]> {
  const n = sizeOf(shp);
  return fc.array(tuple, { minLength: n, maxLength: n }).map((rows) =>
    dtypes.map((dt, k) => concrete(rows.map((r) => r[k]!), shp, dt)),
  );
}

/**
 * Float64 values that are pairwise at least `gap` apart (no ties: for max/min reductions and
 * sorting, whose derivatives jump where two elements meet).
 */
export function distinct(shp: readonly number[], gap = 0.1): fc.Arbitrary<ConcreteArray> {
  const n = sizeOf(shp);
  return fc
    .tuple(
      fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
      fc.array(uniform(0, gap / 2), { minLength: n, maxLength: n }),
      uniform(-1, 1),
    )
    .map(([perm, jitter, offset]) => concrete(perm.map((p, i) => offset + (p - n / 2) * gap * 2 + jitter[i]!), shp));
}

// ---------------------------------------------------------------- family helpers

type Empty = Record<string, never>;
const NO_PARAMS = {} as Empty;

/** The spec of an elementwise primitive of one float64 argument, with elements from `elem`. */
export function unarySpec(
  prim: Primitive<Empty>,
  elem: fc.Arbitrary<number>,
  opts: Pick<SpecBody<Empty, SetupBase<Empty>>, "differentiable" | "linearIn"> = {},
): PrimSpec {
  return spec(prim, {
    setup: shape().map((s) => ({ params: NO_PARAMS, shape: s })),
    args: (s) => array(s.shape, elem).map((x) => [x]),
    ...opts,
  });
}

/**
 * The spec of an elementwise primitive of several arguments of one shape (lax does no
 * broadcasting), with each element tuple drawn from `tuple`.
 */
export function elementwiseSpec(
  prim: Primitive<Empty>,
  tuple: fc.Arbitrary<readonly number[]>,
  dtypes: readonly DType[],
  opts: Pick<SpecBody<Empty, SetupBase<Empty>>, "differentiable" | "linearIn" | "wrt"> = {},
): PrimSpec {
  return spec(prim, {
    setup: shape().map((s) => ({ params: NO_PARAMS, shape: s })),
    args: (s) => zipped(s.shape, tuple, dtypes),
    ...opts,
  });
}

/** `elementwiseSpec` for two float64 arguments. */
export const binarySpec = (
  prim: Primitive<Empty>,
  pair: fc.Arbitrary<readonly [number, number]>,
  opts: Pick<SpecBody<Empty, SetupBase<Empty>>, "differentiable" | "linearIn" | "wrt"> = {},
): PrimSpec => elementwiseSpec(prim, pair, ["float64", "float64"], opts);

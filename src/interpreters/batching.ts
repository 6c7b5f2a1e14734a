/**
 * @file Batching (`vmap`): each tracer carries a value with one extra axis, the batch axis, or
 * none (`null`) when it is the same for every batch member; primitives use their batching rules.
 */
import type { NDArray, Aval, Nested } from "../core/ndarray.ts";
import type { Primitive } from "../core/primitive.ts";
import { bind, MainTrace, Trace, Tracer, withMainTrace } from "../core/trace.ts";
import { TracerConversionError } from "../core/errors.ts";

export class BatchTracer extends Tracer {
  constructor(
    readonly trace: BatchTrace,
    readonly val: NDArray,
    readonly batchDim: number | null,
  ) {
    super();
  }
  get aval(): Aval {
    const { val, batchDim } = this;
    if (batchDim === null) return val;
    const shape = val.shape.slice();
    shape.splice(batchDim, 1);
    return { shape, dtype: val.dtype };
  }
  override fullLower(): NDArray {
    return this.batchDim === null ? this.val : this;
  }
  override peek(): NDArray {
    return this.val;
  }
  override item(): number {
    throw new TracerConversionError(
      `item() on a value batched by vmap (${this.describe()}, batch size ${this.val.shape[this.batchDim!]}): ` +
        "each batch member has its own value, so there is no single JS number. " +
        "Use np.where or lax.cond instead of a JS if, lax.whileLoop instead of a JS while, or call the function without vmap.",
    );
  }
  override toArray(): Nested {
    throw new TracerConversionError(`toArray() on a value batched by vmap (${this.describe()})`);
  }
}

export class BatchTrace extends Trace {
  override get transformName(): string {
    return "vmap";
  }
  get axisSize(): number {
    return this.main.globalData as number;
  }
  pure(value: NDArray): BatchTracer {
    return new BatchTracer(this, value, null);
  }
  processPrimitive<P>(prim: Primitive<P>, tracers: Tracer[], params: P): NDArray[] {
    const vals = tracers.map((t) => (t as BatchTracer).val);
    const dims = tracers.map((t) => (t as BatchTracer).batchDim);
    if (dims.every((d) => d === null)) return bind(prim, vals, params);
    const [outs, outDims] = prim.batch(vals, dims, params, this.axisSize);
    return outs.map((o, i) => new BatchTracer(this, o, outDims[i]!));
  }
}

export const makeBatchTrace = (main: MainTrace): Trace => new BatchTrace(main);

/** Reads value and batch axis of `x` at `trace`'s level (other values are unbatched). */
export function valueAndDim(trace: Trace, x: NDArray): [NDArray, number | null] {
  if (x instanceof BatchTracer && x.trace === trace) return [x.val, x.batchDim];
  return [x, null];
}

/**
 * Runs `f` vectorized over `args` (batch axes `dims`, `null` for unbatched) and returns its outputs
 * with the batch axis at 0: the building block of batching rules that batch a whole function.
 */
export function batchFunction(
  f: (xs: NDArray[]) => NDArray[],
  args: readonly NDArray[],
  dims: readonly (number | null)[],
  size: number,
  toFront: (x: NDArray, d: number | null, size: number) => NDArray,
): NDArray[] {
  return withMainTrace(makeBatchTrace, size, (main) => {
    const ins = args.map((a, i) => (dims[i] === null ? a : new BatchTracer(main.trace as BatchTrace, a, dims[i]!)));
    return f(ins).map((o) => {
      const [v, d] = valueAndDim(main.trace, o);
      return toFront(v, d, size);
    });
  });
}

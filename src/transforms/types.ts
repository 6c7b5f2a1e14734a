/**
 * @file The types that carry through the transformations: what a gradient, a tangent, a batched
 * output or a Jacobian looks like for values of a given type (type-level only, no runtime code).
 */
import type { NDArray, NestedLike } from "../core/ndarray.ts";
import type { Args } from "./common.ts";
import type { Tree } from "../tree/index.ts";

/**
 * Any function a transformation accepts. (Its parameters are `any[]` because this is only a
 * constraint: with `never[]`, TypeScript infers `never` parameters for a transformed function passed
 * straight into another transformation, as in `jvp(vmap(g), …)`.)
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Fn = (...args: any[]) => unknown;

/**
 * Whether `T` is as wide as any tree (`Tree`, `unknown`, `any`) or any nested JS array of numbers
 * (`ArrayLike`): then nothing more is known about its leaves, and the mapped types below leave it
 * as it is instead of unfolding a recursive type forever.
 */
type Wide<T> = [Tree] extends [T] ? true : [readonly NestedLike[]] extends [T] ? true : false;

/**
 * A function `grad` accepts: it returns a tree (a scalar), or `[output, aux]` with `hasAux`. The
 * tuple in the return type makes TypeScript type an inline `(x) => [loss, aux]` as a pair.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ScalarFn = (...args: any[]) => Tree | readonly [unknown, unknown];

/** What `f` returns. */
export type Ret<F> = F extends (...args: never[]) => infer R ? R : never;

/**
 * The type of a derivative (gradient, tangent, cotangent) of a value of type `T`: a `number` gives a
 * `number`, an `NDArray` an `NDArray`, and a tree the same tree with its leaves mapped;
 * `null`/`undefined` pass through.
 * @example
 * type P = { w: NDArray; b: number };
 * const g: GradOf<P> = { w: np.ones([2]), b: 0 }; // P's shape, leaf for leaf
 */
export type GradOf<T> = Wide<T> extends true ? T : GradOfLeaf<T>;
type GradOfLeaf<T> = T extends number
  ? number
  : T extends NDArray | boolean | ArrayBufferView
    ? NDArray
    : T extends null | undefined
      ? T
      : T extends (...args: never[]) => unknown
        ? never
        : T extends object
          ? { -readonly [K in keyof T]: GradOf<T[K]> }
          : T;

/**
 * A tree of type `T` with every leaf an `NDArray`: what `vmap`, `jit` and reverse mode return,
 * since their outputs are arrays even where the function returned a number.
 * @example
 * const ys: ArrayTree<{ loss: number }> = { loss: np.zeros([3]) };
 */
export type ArrayTree<T> = Wide<T> extends true ? T : ArrayTreeOf<T>;
type ArrayTreeOf<T> = T extends number | boolean | NDArray | ArrayBufferView
  ? NDArray
  : T extends null | undefined
    ? T
    : T extends (...args: never[]) => unknown
      ? never
      : T extends object
        ? { -readonly [K in keyof T]: ArrayTree<T[K]> }
        : T;

/**
 * A value accepted where a tree of type `T` is expected: any array leaf may also be given as a
 * `number` (tangents, cotangents, rule results).
 * @example
 * const ct: LeafLike<{ w: NDArray }> = { w: 1 };
 */
export type LeafLike<T> = Wide<T> extends true ? T : LeafLikeOf<T>;
type LeafLikeOf<T> = T extends number | NDArray
  ? NDArray | number
  : T extends boolean | null | undefined
    ? T
    : T extends (...args: never[]) => unknown
      ? never
      : T extends object
        ? { readonly [K in keyof T]: LeafLike<T[K]> }
        : T;

/** One gradient per element of the tuple `P` (what `vjp`'s function returns). */
export type GradsOf<P extends readonly unknown[]> = { -readonly [K in keyof P]: GradOf<P[K]> };

/** The element of `A` that `argnums` entry `N` names (a negative index counts from the end; then the union). */
type At<A extends readonly unknown[], N> = N extends number ? (`${N}` extends `-${string}` ? A[number] : A[N]) : A[number];

/**
 * The argument(s) an `argnums` option selects from the argument tuple `A`: one argument for a
 * number (or for no option: argument 0), a tuple of them for a list.
 */
export type Selected<A extends readonly unknown[], N> = [N] extends [undefined]
  ? A[0]
  : N extends number
    ? At<A, N>
    : N extends readonly number[]
      ? { -readonly [K in keyof N]: At<A, N[K]> }
      : A[number];

/** The `argnums` an options type names (`undefined` for none). */
export type ArgnumsOf<O> = "argnums" extends keyof O ? O["argnums" & keyof O] : undefined;

/** The auxiliary value of a function that returns `[output, aux]` (`hasAux`). */
export type AuxOf<F> = Ret<F> extends readonly [unknown, infer X] ? X : Ret<F> extends readonly (infer E)[] ? E : unknown;

/** The output of a function that returns `[output, aux]` (`hasAux`). */
export type OutOf<F> = Ret<F> extends readonly [infer R, unknown] ? R : Ret<F> extends readonly (infer E)[] ? E : unknown;

/** Whether an options type turns `hasAux` on. */
type WithAux<O> = O extends { readonly hasAux: true } ? true : false;

/**
 * The function `grad(f, opts)` returns: it takes `f`'s arguments and gives the derivative with
 * respect to the selected one(s), typed like them (`[gradient, aux]` with `hasAux`).
 */
export type GradFn<F extends Fn, O> = <A extends Args<F>>(
  ...args: A
) => WithAux<O> extends true ? [GradOf<Selected<A, ArgnumsOf<O>>>, AuxOf<F>] : GradOf<Selected<A, ArgnumsOf<O>>>;

/** The function `valueAndGrad(f, opts)` returns: `[value, gradient]` (`[[value, aux], gradient]` with `hasAux`). */
export type ValueAndGradFn<F extends Fn, O> = <A extends Args<F>>(...args: A) => [Ret<F>, GradOf<Selected<A, ArgnumsOf<O>>>];

/** A Jacobian block for one output leaf of type `L` against the input tree `I`: a number only for number against number. */
type JacBlocks<L, I> = Wide<I> extends true ? I : JacBlocksOf<L, I>;
type JacBlocksOf<L, I> = I extends number
  ? L extends number
    ? number
    : NDArray
  : I extends NDArray | boolean | ArrayBufferView
    ? NDArray
    : I extends null | undefined
      ? I
      : I extends object
        ? { -readonly [K in keyof I]: JacBlocks<L, I[K]> }
        : I;

/**
 * The Jacobian of an output of type `O` with respect to an input of type `I`, in JAX's layout: a
 * tree shaped like the output whose leaves are trees shaped like the input, each block an `NDArray`
 * of shape `out.shape + in.shape`.
 * @example
 * const J: Jacobian<NDArray, { a: NDArray; b: NDArray }> = { a: np.eye(2), b: np.eye(2) };
 */
export type Jacobian<O, I> = Wide<O> extends true ? O : JacobianOf<O, I>;
type JacobianOf<O, I> = O extends number | NDArray | boolean | ArrayBufferView
  ? JacBlocks<O, I>
  : O extends null | undefined
    ? O
    : O extends (...args: never[]) => unknown
      ? never
      : O extends object
        ? { -readonly [K in keyof O]: Jacobian<O[K], I> }
        : O;

/** The function `jacfwd`/`jacrev`/`jacobian(f, opts)` returns. */
export type JacobianFn<F extends Fn, O> = <A extends Args<F>>(...args: A) => Jacobian<Ret<F>, Selected<A, ArgnumsOf<O>>>;

/** The function `hessian(f, opts)` returns: the Jacobian of the Jacobian. */
export type HessianFn<F extends Fn, O> = <A extends Args<F>>(
  ...args: A
) => Jacobian<Jacobian<Ret<F>, Selected<A, ArgnumsOf<O>>>, Selected<A, ArgnumsOf<O>>>;

/** A transformed function that keeps `f`'s parameters and returns its output as arrays (`vmap`, `jit`). */
export type ArrayFn<F extends Fn> = (...args: Args<F>) => ArrayTree<Ret<F>>;

/**
 * @file Type tests for every public transformation: checked by `tsc` (`npm run typecheck`, part of
 * `npm test`), never run. An `expectTypeOf` that does not hold, or a `@ts-expect-error` line that
 * stops being an error, fails the typecheck.
 */
import { expectTypeOf } from "vitest";
import {
  grad, valueAndGrad, elementwiseGrad, jvp, vjp, linearize, deriv, vmap, jit, jacfwd, jacrev, jacobian, hessian, hvp,
  checkpoint, customJvp, customVjp, stopGradient, flatten, makeJaxpr, lax, Jaxpr,
} from "autograd-ts";
import * as np from "autograd-ts/numpy";
import type { NDArray } from "autograd-ts/numpy";

interface Params {
  w: NDArray;
  b: NDArray;
}
declare const p: Params;
declare const x: NDArray;
const loss = (q: Params, xs: NDArray): NDArray => np.sum(np.tanh(xs.matmul(q.w).add(q.b)));

// grad: the gradient has the differentiated argument's type.
expectTypeOf(grad(loss)).toEqualTypeOf<ReturnType<typeof grad<typeof loss>>>();
expectTypeOf(grad(loss)(p, x)).toEqualTypeOf<{ w: NDArray; b: NDArray }>();
expectTypeOf(grad(loss)(p, x).w).toEqualTypeOf<NDArray>();
// @ts-expect-error a gradient of Params has no field c
grad(loss)(p, x).c;
// @ts-expect-error a field of the gradient is an NDArray, not a string
const s: string = grad(loss)(p, x).w;
expectTypeOf(grad(loss, { argnums: 1 })(p, x)).toEqualTypeOf<NDArray>();
expectTypeOf(grad(loss, { argnums: [0, 1] })(p, x)).toEqualTypeOf<[{ w: NDArray; b: NDArray }, NDArray]>();
expectTypeOf(grad(loss, { argnums: [1, 0] })(p, x)).toEqualTypeOf<[NDArray, { w: NDArray; b: NDArray }]>();
// @ts-expect-error the wrong argument type is refused
grad(loss)(x, x);
// @ts-expect-error too few arguments
grad(loss)(p);

// number in, number out; NDArray in, NDArray out; trees map leaf by leaf.
expectTypeOf(grad(np.sin)(1.0)).toEqualTypeOf<number>();
expectTypeOf(grad(grad(np.sin))(1.0)).toEqualTypeOf<number>();
expectTypeOf(grad(grad(grad(np.sin)))(1.0)).toEqualTypeOf<number>();
expectTypeOf(grad(np.sin)(x)).toEqualTypeOf<NDArray>();
const f = (v: NDArray) => np.sum(v.mul(v));
expectTypeOf(grad(f)(3)).toEqualTypeOf<number>();
expectTypeOf(grad(f)(x)).toEqualTypeOf<NDArray>();
const treeLoss = (t: { a: NDArray; b: [NDArray, NDArray]; n: number }) => np.sum(t.a).add(t.b[0]).add(t.n);
expectTypeOf(grad(treeLoss)({ a: x, b: [x, x], n: 1 })).toEqualTypeOf<{ a: NDArray; b: [NDArray, NDArray]; n: number }>();

// hasAux: [gradient, aux]; valueAndGrad: [value, gradient] and [[value, aux], gradient].
const withAux = (q: Params, xs: NDArray) => [loss(q, xs), { count: 3 }] as const;
expectTypeOf(grad(withAux, { hasAux: true })(p, x)).toEqualTypeOf<[{ w: NDArray; b: NDArray }, { readonly count: 3 }]>();
expectTypeOf(grad((v: NDArray) => [np.sum(v), v.shape], { hasAux: true })(x)).toEqualTypeOf<[NDArray, readonly number[]]>();
expectTypeOf(valueAndGrad(loss)(p, x)).toEqualTypeOf<[NDArray, { w: NDArray; b: NDArray }]>();
expectTypeOf(valueAndGrad(withAux, { hasAux: true })(p, x)).toEqualTypeOf<
  [readonly [NDArray, { readonly count: 3 }], { w: NDArray; b: NDArray }]
>();
expectTypeOf(valueAndGrad(f)(2)).toEqualTypeOf<[NDArray, number]>();
expectTypeOf(elementwiseGrad(np.tanh)(x)).toEqualTypeOf<NDArray>();
expectTypeOf(elementwiseGrad((a: NDArray, b: NDArray) => a.mul(b), { argnums: [0, 1] })(x, 2)).toEqualTypeOf<[NDArray, number]>();

// vmap and jit keep the parameters; their outputs are arrays.
const perExample = vmap(grad(loss), { inAxes: [null, 0] });
expectTypeOf(perExample(p, x)).toEqualTypeOf<{ w: NDArray; b: NDArray }>();
expectTypeOf(vmap(f)(x)).toEqualTypeOf<NDArray>();
expectTypeOf(vmap((a: NDArray) => ({ s: np.sum(a), n: 1 }))(x)).toEqualTypeOf<{ s: NDArray; n: NDArray }>();
// @ts-expect-error vmap keeps the parameter types
vmap(f)("x");
const fast = jit(loss);
expectTypeOf(fast(p, x)).toEqualTypeOf<NDArray>();
expectTypeOf(fast.cacheInfo().stagings).toEqualTypeOf<number>();
expectTypeOf(jit(grad(loss))(p, x)).toEqualTypeOf<{ w: NDArray; b: NDArray }>();
// @ts-expect-error jit keeps the parameter types
fast(p);
expectTypeOf(makeJaxpr(loss)(p, x)).toEqualTypeOf<Jaxpr>();

// Forward and reverse mode.
expectTypeOf(jvp(np.sin, [0.5], [1.0])).toEqualTypeOf<[NDArray, NDArray]>();
expectTypeOf(jvp((a: NDArray) => ({ y: a.mul(2) }), [x], [x])).toEqualTypeOf<[{ y: NDArray }, { y: NDArray }]>();
expectTypeOf(jvp(loss, [p, x], [p, x])[1]).toEqualTypeOf<NDArray>();
// @ts-expect-error the tangents must have the primals' structure
jvp(loss, [p, x], [x, x]);
const [out, back] = vjp(loss, p, x);
expectTypeOf(out).toEqualTypeOf<NDArray>();
expectTypeOf(back(1)).toEqualTypeOf<[{ w: NDArray; b: NDArray }, NDArray]>();
// @ts-expect-error the cotangent has the output's structure
back({ w: x });
const [y, push] = linearize((a: NDArray, b: NDArray) => ({ s: a.mul(b) }), x, x);
expectTypeOf(y).toEqualTypeOf<{ s: NDArray }>();
expectTypeOf(push(x, 1)).toEqualTypeOf<{ s: NDArray }>();
expectTypeOf(deriv(np.sin)(0.5)).toEqualTypeOf<NDArray>();

// Jacobians: a tree shaped like the output whose leaves are shaped like the input.
expectTypeOf(jacfwd(np.sin)(x)).toEqualTypeOf<NDArray>();
expectTypeOf(jacrev(loss)(p, x)).toEqualTypeOf<{ w: NDArray; b: NDArray }>();
expectTypeOf(jacobian((a: NDArray) => ({ u: a, v: [a, a] as [NDArray, NDArray] }))(x)).toEqualTypeOf<{ u: NDArray; v: [NDArray, NDArray] }>();
expectTypeOf(jacobian(loss, { argnums: [0, 1] })(p, x)).toEqualTypeOf<[{ w: NDArray; b: NDArray }, NDArray]>();
expectTypeOf(hessian(f)(x)).toEqualTypeOf<NDArray>();
expectTypeOf(hessian(loss)(p, x)).toEqualTypeOf<{ w: { w: NDArray; b: NDArray }; b: { w: NDArray; b: NDArray } }>();
expectTypeOf(hvp(f)(x, x)).toEqualTypeOf<NDArray>();
expectTypeOf(hvp((q: Params) => loss(q, x))(p, p)).toEqualTypeOf<{ w: NDArray; b: NDArray }>();

// Custom rules and checkpointing keep the function's type; the rules are typed by it.
const safeLog = customJvp((a: NDArray) => np.log(a), ([a], [t]) => {
  expectTypeOf(a).toEqualTypeOf<NDArray>();
  return [np.log(a), t.div(a)];
});
expectTypeOf(safeLog).toEqualTypeOf<(a: NDArray) => NDArray>();
const clip = customVjp(
  (a: NDArray) => a,
  (a) => [a, { scale: a }],
  (res, ct) => {
    expectTypeOf(res).toEqualTypeOf<{ scale: NDArray }>();
    return [np.clip(ct, -1, 1)];
  },
);
expectTypeOf(clip).toEqualTypeOf<(a: NDArray) => NDArray>();
expectTypeOf(checkpoint(loss)).toEqualTypeOf<typeof loss>();
expectTypeOf(stopGradient(p)).toEqualTypeOf<Params>();
const [flat, unflatten] = flatten({ w: x, b: 0.5 });
expectTypeOf(flat).toEqualTypeOf<NDArray>();
expectTypeOf(unflatten(flat)).toEqualTypeOf<{ w: NDArray; b: number }>();

// Control flow keeps the carried value's type.
expectTypeOf(lax.foriLoop(0, 3, (_i, c: { a: NDArray }) => c, { a: x })).toEqualTypeOf<{ a: NDArray }>();
expectTypeOf(lax.cond(true, (a: NDArray) => a, (a: NDArray) => a.neg(), x)).toEqualTypeOf<NDArray>();

// No transformation returns `any`: an `any` would be assignable to `never`.
const isAny = <T>(_: T): 0 extends 1 & T ? true : false => null as never;
expectTypeOf(isAny(grad(loss)(p, x))).toEqualTypeOf<false>();
expectTypeOf(isAny(vmap(f)(x))).toEqualTypeOf<false>();
expectTypeOf(isAny(jit(f)(x))).toEqualTypeOf<false>();
expectTypeOf(isAny(jacobian(f)(x))).toEqualTypeOf<false>();
expectTypeOf(isAny(hessian(f)(x))).toEqualTypeOf<false>();
expectTypeOf(isAny(hvp(f)(x, x))).toEqualTypeOf<false>();
expectTypeOf(isAny(deriv(np.sin)(1))).toEqualTypeOf<false>();

/**
 * @file The `autograd-ts` entry point: transformations, tree utilities, `checkGrads`, and the
 * extension API (`definePrimitive`, `bind`).
 * @module autograd-ts
 */
import "./numpy/methods.ts";

export { grad, valueAndGrad, elementwiseGrad, holomorphicGrad, vjp, linearize, type GradOptions } from "./transforms/vjp.ts";
export { jvp, deriv } from "./transforms/jvp.ts";
export { jet, type SeriesOf } from "./jet/jet.ts";
export { vmap, type VmapOptions } from "./transforms/vmap.ts";
export { jacfwd, jacrev, jacobian, hessian, hvp, type JacOptions } from "./transforms/jacobian.ts";
export { checkGrads, type CheckGradsOptions } from "./transforms/checkGrads.ts";
export { stopGradient } from "./transforms/stopGradient.ts";
export { customJvp, customVjp, checkpoint, type CheckpointOptions } from "./transforms/custom.ts";
export { checkpointName, type CheckpointPolicy } from "./higher-order/checkpoint.ts";
export * as checkpointPolicies from "./transforms/checkpoint-policies.ts";
export { flatten } from "./transforms/flatten.ts";
export { fixedPoint, type FixedPointOptions } from "./transforms/implicit.ts";
export * as lax from "./transforms/control.ts";
export { makeJaxpr, Jaxpr } from "./transforms/makeJaxpr.ts";
export { jit, type JitOptions, type JitCacheInfo, type Jitted } from "./transforms/jit.ts";
export * as nn from "./nn/index.ts";
export * as tree from "./tree/index.ts";
export type { Tree, Leaf, TreeDef } from "./tree/index.ts";
export { definePrimitive, type Primitive, type JvpRule, type TransposeRule, type BatchRule } from "./core/primitive.ts";
export { bind, bind1, bindAt, fullRaise, withMainTrace, currentLevel, activeMainTraces, dataBeneath, MainTrace, Trace, Tracer, type BindFn } from "./core/trace.ts";
export { defineTransform, type TransformSpec, type Transform } from "./transforms/define-transform.ts";
export * as debug from "./transforms/debug.ts";
export { config, type ConfigOptions } from "./transforms/config.ts";
export { NDArray, ConcreteArray, type Aval } from "./core/ndarray.ts";
export * from "./core/errors.ts";
export type { Fn, ScalarFn, GradOf, ArrayTree, LeafLike, Jacobian, GradFn, ValueAndGradFn, JacobianFn, HessianFn, ArrayFn } from "./transforms/types.ts";

/**
 * @file JAX's `checkpoint_policies`: which intermediate values `checkpoint` may keep for the backward pass.
 */
export { nothingSaveable, everythingSaveable, dotsSaveable, saveOnlyTheseNames } from "../higher-order/checkpoint.ts";

/**
 * @file Trees of values: numbers, booleans and `NDArray`s are leaves; JS arrays (tuples), plain
 * objects (in sorted key order, as in JAX) and instances of registered classes (`registerNode`,
 * JAX's `register_pytree_node`) are nodes; `null`/`undefined` pass through.
 */
import { NDArray } from "../core/ndarray.ts";
import type { Applicative } from "fp-ts/lib/Applicative.js";
import type { Foldable1 } from "fp-ts/lib/Foldable.js";
import type { Functor1 } from "fp-ts/lib/Functor.js";
import type { HKT } from "fp-ts/HKT.js";
import type { Monoid } from "fp-ts/lib/Monoid.js";
import type { Option } from "fp-ts/lib/Option.js";
import type { Traversable1 } from "fp-ts/lib/Traversable.js";

/** A leaf of a tree: an `NDArray`, a number or a boolean. */
export type Leaf = NDArray | number | boolean;
/**
 * A tree. Plain objects are typed as `object` so that values declared with a TypeScript
 * `interface` (which has no index signature) are accepted; `flatten` checks the shape at run time.
 */
export type Tree = Leaf | null | undefined | readonly Tree[] | { readonly [key: string]: Tree } | object;

/** The structure of a tree without its leaves. */
export type TreeDef =
  | { readonly kind: "leaf" }
  | { readonly kind: "none"; readonly value: null | undefined }
  | { readonly kind: "array"; readonly children: readonly TreeDef[] }
  | { readonly kind: "object"; readonly keys: readonly string[]; readonly children: readonly TreeDef[] }
  | { readonly kind: "node"; readonly type: string; readonly children: readonly TreeDef[] };

/** How a registered class splits into child trees and is rebuilt from them. */
interface NodeType {
  readonly name: string;
  readonly children: (x: object) => readonly Tree[];
  readonly build: (children: unknown[]) => object;
}
const nodeTypesByClass = new Map<unknown, NodeType>();
const nodeTypesByName = new Map<string, NodeType>();

/**
 * Makes instances of a class tree nodes (JAX's `register_pytree_node`): `children` lists the child
 * trees of an instance, `build` makes an instance from them (transformations call it with traced
 * or transformed children). `name` identifies the class in tree structures.
 * @example
 * class Pair { constructor(readonly a: number, readonly b: number) {} }
 * tree.registerNode(Pair, "Pair", (p) => [p.a, p.b], ([a, b]) => new Pair(a as number, b as number));
 * tree.leaves(new Pair(1, 2)); // [1, 2]
 */
export function registerNode<T extends object>(
  cls: abstract new (...args: never[]) => T,
  name: string,
  children: (x: T) => readonly Tree[],
  build: (children: unknown[]) => T,
): void {
  const type: NodeType = { name, children: children as (x: object) => readonly Tree[], build };
  nodeTypesByClass.set(cls, type);
  nodeTypesByName.set(name, type);
}

const LEAF: TreeDef = { kind: "leaf" };

/**
 * Whether `x` is a leaf (an `NDArray`, a number or a boolean).
 * @example
 * tree.isLeaf(3); // true
 */
export const isLeaf = (x: unknown): x is Leaf => x instanceof NDArray || typeof x === "number" || typeof x === "boolean";

const isPlainObject = (x: unknown): x is Record<string, Tree> =>
  typeof x === "object" && x !== null && (Object.getPrototypeOf(x) === Object.prototype || Object.getPrototypeOf(x) === null);

/** Trees nested deeper than this are refused (a clear error instead of a stack overflow). */
export const MAX_DEPTH = 1000;

/**
 * Splits a tree into its leaves (depth-first, objects by sorted key) and its structure. `what` names
 * the value in error messages (e.g. "grad: argument"). A cycle, or nesting deeper than `MAX_DEPTH`,
 * raises a `TypeError` naming `what` and the path.
 * @example
 * const [ls, def] = tree.flatten({ b: [1, 2], a: 3 });
 * ls; // [3, 1, 2]
 * tree.unflatten(def, [30, 10, 20]).b; // [10, 20]
 */
export function flatten<L = Leaf>(t: Tree, what = "tree: the value", leafTest: (x: unknown) => boolean = isLeaf): [L[], TreeDef] {
  const leaves: L[] = [];
  // The nodes on the way down from the root (a node met again among them is a cycle), and the
  // steps to them (an array index i ≥ 0, a registered node's child −1 − i, or an object key),
  // which become a path string only for an error message.
  const ancestors: unknown[] = [];
  const steps: (number | string)[] = [];
  const pathOf = (): string => {
    const p = steps.map((k) => (typeof k === "string" ? `.${k}` : k >= 0 ? `[${k}]` : `<${-1 - k}>`)).join("");
    return p.length > 200 ? `${p.slice(0, 200)}…` : p;
  };
  const children = (xs: readonly unknown[], node: boolean): TreeDef[] => {
    const out = new Array<TreeDef>(xs.length);
    for (let i = 0; i < xs.length; i++) {
      steps.push(node ? -1 - i : i);
      out[i] = go(xs[i]);
      steps.pop();
    }
    return out;
  };
  const go = (x: unknown): TreeDef => {
    if (leafTest(x)) {
      leaves.push(x as L);
      return LEAF;
    }
    if (x === null || x === undefined) return { kind: "none", value: x };
    if (ancestors.length >= MAX_DEPTH) {
      throw new TypeError(`${what}${pathOf()}: the tree is nested deeper than ${MAX_DEPTH} levels (a linked structure rather than a tree?)`);
    }
    if (ancestors.includes(x)) throw new TypeError(`${what}${pathOf()} is a cycle: it contains itself, and a tree cannot`);
    ancestors.push(x);
    let def: TreeDef;
    if (Array.isArray(x)) def = { kind: "array", children: children(x, false) };
    else if (isPlainObject(x)) {
      const keys = Object.keys(x).sort();
      const out = new Array<TreeDef>(keys.length);
      for (let i = 0; i < keys.length; i++) {
        steps.push(keys[i]!);
        out[i] = go(x[keys[i]!]);
        steps.pop();
      }
      def = { kind: "object", keys, children: out };
    } else {
      const type = typeof x === "object" ? nodeTypesByClass.get((x as object).constructor) : undefined;
      if (!type) {
        throw new TypeError(
          `${what}${pathOf()} is ${typeof x === "object" ? (x as object).constructor?.name ?? "an object" : typeof x}; ` +
            "trees hold numbers, booleans, NDArrays, JS arrays, plain objects, registered classes (tree.registerNode), null and undefined",
        );
      }
      def = { kind: "node", type: type.name, children: children(type.children(x as object), true) };
    }
    ancestors.pop();
    return def;
  };
  const def = go(t);
  return [leaves, def];
}

/** Sets an own, enumerable key: a key `"__proto__"` (as `JSON.parse` makes) stays a key, never a prototype. */
function setKey(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === "__proto__") Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/**
 * Rebuilds a tree of structure `def` from `leaves` (in `flatten`'s order).
 * @example
 * const [, def] = tree.flatten({ w: 1, b: [2, 3] });
 * // leaves in sorted key order: b's two, then w
 * tree.unflatten(def, [7, 8, 9]).b; // [7, 8]
 */
export function unflatten<T = Tree>(def: TreeDef, leaves: readonly unknown[]): T {
  let i = 0;
  const go = (d: TreeDef): unknown => {
    switch (d.kind) {
      case "leaf":
        if (i >= leaves.length) throw new TypeError(`tree.unflatten: too few leaves (${leaves.length})`);
        return leaves[i++];
      case "none":
        return d.value;
      case "array":
        return d.children.map(go);
      case "object": {
        const o: Record<string, unknown> = {};
        d.keys.forEach((k, j) => setKey(o, k, go(d.children[j]!)));
        return o;
      }
      case "node":
        return nodeTypesByName.get(d.type)!.build(d.children.map(go));
    }
  };
  const out = go(def);
  if (i !== leaves.length) throw new TypeError(`tree.unflatten: ${leaves.length} leaves given, the structure has ${i}`);
  return out as T;
}

/**
 * The leaves of a tree.
 * @example
 * tree.leaves([1, { y: [3], x: 2 }]); // [1, 2, 3]
 */
export const leaves = (t: Tree): Leaf[] => flatten(t)[0];

/**
 * Number of leaves in a structure.
 * @example
 * tree.numLeaves(tree.flatten({ a: [1, 2], b: 3 })[1]); // 3
 */
export const numLeaves = (def: TreeDef): number =>
  def.kind === "leaf" ? 1 : def.kind === "none" ? 0 : def.children.reduce((s, c) => s + numLeaves(c), 0);

/**
 * A string naming a structure: equal strings for equal structures (a cache key, as `jit` uses).
 * @example
 * tree.structureKey(tree.flatten({ a: 1, b: 2 })[1]) === tree.structureKey(tree.flatten({ b: 5, a: 6 })[1]); // true
 */
export function structureKey(def: TreeDef): string {
  switch (def.kind) {
    case "leaf":
      return "*";
    case "none":
      return def.value === null ? "n" : "u";
    case "array":
      return `[${def.children.map(structureKey).join(",")}]`;
    case "object":
      return `{${def.keys.map((k, i) => `${JSON.stringify(k)}:${structureKey(def.children[i]!)}`).join(",")}}`;
    case "node":
      return `${def.type}(${def.children.map(structureKey).join(",")})`;
  }
}

/**
 * Whether two structures are the same.
 * @example
 * tree.sameStructure(tree.flatten([1, [2]])[1], tree.flatten([3, [4]])[1]); // true
 * tree.sameStructure(tree.flatten([1, [2]])[1], tree.flatten([3, 4])[1]); // false
 */
export const sameStructure = (a: TreeDef, b: TreeDef): boolean => structureKey(a) === structureKey(b);

/**
 * Applies `f` leafwise to one or more trees of the same structure: `tree.map(f, t, ...rest)`; with
 * `f` alone, the pipeable form `tree.map(f)(t)` (for fp-ts' `pipe`), over leaves of any type.
 * @example
 * tree.leaves(tree.map((x) => (x as number) * 2, { a: 1, b: [2, 3] })); // [2, 4, 6]
 * const inc = tree.map((x: number) => x + 1); // pipeable: pipe(t, tree.map(f))
 * tree.leaves(inc({ a: 1, b: [2, 3] })); // [2, 3, 4]
 */
export function map<A, B>(f: (a: A) => B): <T extends TreeOf<A> | object>(t: T) => MapLeaves<T, A, B>;
export function map(f: (...xs: Leaf[]) => Leaf, t: Tree, ...rest: Tree[]): Tree;
export function map(f: (...xs: never[]) => unknown, ...trees: Tree[]): unknown {
  if (trees.length === 0) return (t: object) => mapAny(t as TreeOf<unknown>, f as (a: unknown) => unknown);
  return mapLeaves(f as (...xs: Leaf[]) => Leaf, trees[0]!, ...trees.slice(1));
}

function mapLeaves(f: (...xs: Leaf[]) => Leaf, t: Tree, ...rest: Tree[]): Tree {
  const [ls, def] = flatten(t);
  const others = rest.map((r, k) => {
    const [l, d] = flatten(r);
    if (!sameStructure(def, d)) throw new TypeError(`tree.map: tree ${k + 2} does not have the structure of the first`);
    return l;
  });
  return unflatten(def, ls.map((x, i) => f(x, ...others.map((o) => o[i]!))));
}

/**
 * Expands a prefix tree (such as vmap's `inAxes`) to one value per leaf of `full`: a prefix leaf
 * applies to the whole subtree below it.
 * @example
 * tree.broadcastPrefix([0, 1], [np.ones([2]), { a: 1, b: 2 }], (x) => typeof x === "number", "inAxes"); // [0, 1, 1]
 */
export function broadcastPrefix<V>(prefix: unknown, full: Tree, isPrefixLeaf: (x: unknown) => boolean, what: string): V[] {
  const out: V[] = [];
  const go = (p: unknown, x: unknown, path: string): void => {
    if (isPrefixLeaf(p)) {
      const n = numLeaves(flatten(x as Tree)[1]);
      for (let i = 0; i < n; i++) out.push(p as V);
      return;
    }
    if (Array.isArray(p) && Array.isArray(x) && p.length === x.length) {
      p.forEach((c, i) => go(c, x[i], `${path}[${i}]`));
      return;
    }
    if (isPlainObject(p) && isPlainObject(x)) {
      const keys = Object.keys(x).sort();
      const pk = Object.keys(p).sort();
      if (keys.join() === pk.join()) {
        keys.forEach((k) => go(p[k], x[k], `${path}.${k}`));
        return;
      }
    }
    throw new TypeError(`${what}${path}: its structure does not match the argument's`);
  };
  go(prefix, full, "");
  return out;
}

// ---------------------------------------------------------------- fp-ts instances

/**
 * The tree `T` with its leaves of type `A` replaced by `B` (what the pipeable `tree.map(f)` gives;
 * unlike `TreeOf`, it keeps the field names of an `interface`).
 */
export type MapLeaves<T, A, B> = T extends A
  ? B
  : T extends null | undefined
    ? T
    : T extends object
      ? { -readonly [K in keyof T]: MapLeaves<T[K], A, B> }
      : T;

/**
 * A tree whose leaves have type `A`: JS arrays and plain objects are its nodes, `null`/`undefined`
 * are empty. What the fp-ts instances (`tree.Functor`, `tree.Foldable`, `tree.Traversable`) act on.
 */
export type TreeOf<A> = A | null | undefined | readonly TreeOf<A>[] | { readonly [key: string]: TreeOf<A> };

/** The fp-ts URI of trees (`Kind<"autograd-ts/Tree", A>` is `TreeOf<A>`). */
export const URI = "autograd-ts/Tree";
/** The fp-ts URI of trees. */
export type URI = typeof URI;

declare module "fp-ts/HKT.js" {
  interface URItoKind<A> {
    readonly "autograd-ts/Tree": TreeOf<A>;
  }
}

/**
 * A leaf for the fp-ts instances: anything that is not a node (JS array, plain object, registered
 * class) and not `null`/`undefined`. A plain object with a string `_tag` (an fp-ts value such as
 * an `Option` or an `Either`) is a leaf too, so trees of them can be sequenced.
 */
function isAnyLeaf(x: unknown): boolean {
  if (x === null || x === undefined || Array.isArray(x)) return false;
  if (isPlainObject(x)) return typeof (x as { _tag?: unknown })._tag === "string";
  if (typeof x === "object" && nodeTypesByClass.has((x as object).constructor)) return false;
  return true;
}

const flattenAny = <A>(t: TreeOf<A>): [A[], TreeDef] => flatten<A>(t as Tree, "tree: the value", isAnyLeaf);

function mapAny<A, B>(t: TreeOf<A>, f: (a: A) => B): TreeOf<B> {
  const [ls, def] = flattenAny(t);
  return unflatten<TreeOf<B>>(def, ls.map((x) => f(x)));
}

/**
 * Trees as an fp-ts `Functor`: `tree.Functor.map(t, f)` maps every leaf, keeping the structure.
 * @example
 * tree.leaves(tree.Functor.map({ w: 1, b: [2] }, (x: number) => x * 10)); // [20, 10]
 */
export const Functor: Functor1<URI> = { URI, map: mapAny };

/**
 * Trees as an fp-ts `Foldable`: leaves are visited in `flatten`'s order (depth first, objects by
 * sorted key).
 * @example
 * tree.Foldable.reduce({ b: 2, a: [1, 3] }, 0, (s: number, x: number) => s + x); // 6
 */
export const Foldable: Foldable1<URI> = {
  URI,
  reduce: <A, B>(t: TreeOf<A>, b: B, f: (b: B, a: A) => B): B => flattenAny(t)[0].reduce(f, b),
  foldMap:
    <M>(M: Monoid<M>) =>
    <A>(t: TreeOf<A>, f: (a: A) => M): M =>
      flattenAny(t)[0].reduce((m, a) => M.concat(m, f(a)), M.empty),
  reduceRight: <A, B>(t: TreeOf<A>, b: B, f: (a: A, b: B) => B): B => flattenAny(t)[0].reduceRight((acc, a) => f(a, acc), b),
};

/** Runs `f` over the leaves in order inside the applicative `F` and rebuilds the tree from the results. */
function traverseAny<F>(F: Applicative<F>) {
  return <A, B>(t: TreeOf<A>, f: (a: A) => HKT<F, B>): HKT<F, TreeOf<B>> => {
    const [ls, def] = flattenAny(t);
    const collected = ls.reduce(
      (acc: HKT<F, B[]>, a) => F.ap(F.map(acc, (bs: B[]) => (b: B) => [...bs, b]), f(a)),
      F.of<B[]>([]),
    );
    return F.map(collected, (bs) => unflatten<TreeOf<B>>(def, bs));
  };
}

/**
 * Trees as an fp-ts `Traversable`: `tree.Traversable.traverse(O.Applicative)(t, f)` runs an
 * effectful `f` on every leaf and gives the effect of the whole tree (`None` if any leaf gave
 * `None`); `sequence` turns a tree of effects into an effect of a tree.
 * @example
 * const half = (x: number) => (x % 2 === 0 ? { _tag: "Some", value: x / 2 } : { _tag: "None" });
 * const ofOption = { URI: "Option", map: (o, f) => (o._tag === "Some" ? { _tag: "Some", value: f(o.value) } : o), of: (value) => ({ _tag: "Some", value }), ap: (ff, fa) => (ff._tag === "Some" && fa._tag === "Some" ? { _tag: "Some", value: ff.value(fa.value) } : { _tag: "None" }) };
 * tree.leaves(tree.Traversable.traverse(ofOption)({ a: 2, b: [4] }, half).value); // [1, 2]
 */
export const Traversable: Traversable1<URI> = {
  ...Functor,
  ...Foldable,
  traverse: traverseAny as Traversable1<URI>["traverse"],
  sequence: (<F>(F: Applicative<F>) => <A>(t: TreeOf<HKT<F, A>>) => traverseAny(F)(t, (x: HKT<F, A>) => x)) as Traversable1<URI>["sequence"],
};

/**
 * The subtree at `path` (object keys and array indices), as an fp-ts `Option`: `some(subtree)`
 * if every step exists, `none` otherwise.
 * @example
 * tree.lookup(["layers", 0, "w"])({ layers: [{ w: 1 }] }).value; // 1
 * const missing = tree.lookup(["layers", 3])({ layers: [] }); // { _tag: "None" }
 */
export function lookup(path: readonly (string | number)[]): (t: Tree) => Option<Tree> {
  return (t: Tree): Option<Tree> => {
    let node: unknown = t;
    for (const step of path) {
      if (Array.isArray(node) && typeof step === "number" && Number.isInteger(step) && step >= 0 && step < node.length) node = node[step];
      else if (isPlainObject(node) && typeof step === "string" && Object.prototype.hasOwnProperty.call(node, step)) node = node[step];
      else return { _tag: "None" };
    }
    return { _tag: "Some", value: node as Tree };
  };
}

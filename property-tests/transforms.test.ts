/**
 * @file The transformations on random programs: compositions of smooth NumPy functions of a
 * vector x, reduced to a scalar. The gradient agrees with central differences and with `jacfwd`
 * and `jacrev`; the four ways to nest them give one symmetric Hessian, which `hvp` applies;
 * `vmap` of `grad` agrees with a loop and `grad` of `vmap` with the sum of the gradients;
 * `valueAndGrad`, `elementwiseGrad` and `checkGrads` agree with the rest; and wrapping the program
 * in `customJvp`/`customVjp` (with its own derivative as the rule) or `checkpoint` changes nothing.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { checkGrads, checkpoint, customJvp, customVjp, elementwiseGrad, grad, hessian, hvp, jacfwd, jacrev, jvp, valueAndGrad, vjp, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { ConcreteArray, type NDArray } from "../src/core/ndarray.ts";
import { checkJvpVsFd, checkVjpVsJvp, Rng, stack } from "./check.ts";
import { property } from "./harness.ts";
import { floats } from "./spec.ts";

/** A vector-to-vector program (shape [n] → [n]) and how it reads. */
interface Prog {
  readonly text: string;
  readonly run: (x: NDArray) => NDArray;
}

/** A fixed n×n matrix with entries in [-1/n, 1/n] (a mixing step that couples the elements). */
const mixing = (n: number): NDArray =>
  np.array(Float64Array.from({ length: n * n }, (_, k) => Math.sin(1 + 3 * k) / n)).reshape([n, n]);

const UNARY: readonly [string, (x: NDArray) => NDArray][] = [
  ["sin", np.sin],
  ["cos", np.cos],
  ["tanh", np.tanh],
  ["arctan", np.arctan],
  ["x·tanh x", (x) => x.mul(np.tanh(x))],
  ["exp∘tanh", (x) => np.exp(np.tanh(x))],
  ["log1p(x²)", (x) => np.log1p(np.square(x))],
  ["hypot(x, 1)", (x) => np.hypot(x, 1)],
  ["cumsum", (x) => np.cumsum(x)],
  ["flip", (x) => np.flip(x)],
  ["roll 1", (x) => np.roll(x, 1)],
  ["x[::-1] twice", (x) => x.get("::-1").get("::-1")],
  ["M @ x", (x) => np.matmul(mixing(x.shape[0]!), x)],
  ["x / sqrt(1 + Σx²)", (x) => x.div(np.sqrt(np.sum(np.square(x)).add(1)))],
];

const BINARY: readonly [string, (a: NDArray, b: NDArray) => NDArray][] = [
  ["+", np.add],
  ["−", np.subtract],
  ["·", np.multiply],
  ["a / (1 + b²)", (a, b) => np.divide(a, np.square(b).add(1))],
  ["logaddexp", np.logaddexp],
  ["outer(a, b) @ 1/n", (a, b) => np.matmul(np.outer(a, b), np.ones([b.shape[0]!]).div(b.shape[0]!))],
];

/** A program that fast-check prints as its text. */
const program = (text: string, run: (x: NDArray) => NDArray): Prog =>
  Object.defineProperty({ text, run }, fc.toStringMethod, { value: () => text });

const X: Prog = program("x", (x) => x);

const programs: fc.Arbitrary<Prog> = fc.letrec<{ prog: Prog; unary: Prog; binary: Prog }>((tie) => ({
  prog: fc.oneof({ maxDepth: 4, depthSize: "small" }, fc.constant(X), tie("unary"), tie("binary")),
  unary: fc.tuple(fc.constantFrom(...UNARY), tie("prog")).map(([[name, f], p]) => program(`${name}(${p.text})`, (x) => f(p.run(x)))),
  binary: fc
    .tuple(fc.constantFrom(...BINARY), tie("prog"), tie("prog"))
    .map(([[name, f], p, q]) => program(`${name}(${p.text}, ${q.text})`, (x) => f(p.run(x), q.run(x)))),
})).prog;

interface ProgCase {
  readonly prog: Prog;
  readonly x: ConcreteArray;
  readonly seed: number;
}

/** A program, a point x of 1 to 4 elements, and a seed; reads as the program and the point. */
const progCases: fc.Arbitrary<ProgCase> = fc
  .tuple(programs, fc.integer({ min: 1, max: 4 }).chain((n) => floats([n])), fc.integer())
  .map(([prog, x, seed]) =>
    Object.defineProperty({ prog, x, seed }, fc.toStringMethod, { value: () => `${prog.text} at x = ${JSON.stringify(x.toArray())}, seed ${seed}` }),
  );

/** The scalar objective: Σ wᵢ·prog(x)ᵢ with fixed weights. */
const objective = (prog: Prog) => (x: NDArray): NDArray => {
  const n = x.shape[x.ndim - 1]!;
  const w = np.array(Float64Array.from({ length: n }, (_, i) => Math.cos(i + 1)));
  return np.sum(prog.run(x).mul(w));
};

/**
 * Agreement of two results of the same math in different orders: 1e-9 of the largest element, or
 * of 1 (the programs are unit-scale, and terms of that size can cancel to exactly 0 one way and to
 * ~1e-16 the other).
 */
function close(what: string, got: NDArray, want: NDArray): void {
  const g = (got as ConcreteArray).data;
  const w = (want as ConcreteArray).data;
  if (got.shape.join() !== want.shape.join()) throw new Error(`${what}: shape (${got.shape}), expected (${want.shape})`);
  const scale = Math.max(1, ...Array.from(w, Math.abs));
  for (let i = 0; i < w.length; i++) {
    if (!(Math.abs(g[i]! - w[i]!) <= 1e-9 * scale)) throw new Error(`${what}: element ${i} is ${g[i]}, expected ${w[i]}`);
  }
}

const asArray = (x: unknown): NDArray => x as NDArray;

describe("transformations on random programs", () => {
  it("grad ≈ central differences, and jacfwd, jacrev, vjp, valueAndGrad agree with it", () => {
    property(progCases, 100, ({ prog, x, seed }) => {
      const rng = new Rng(seed);
      const f = objective(prog);
      const F = (y: NDArray) => [f(y)];
      const v = rng.like(x);
      const u = [rng.like({ shape: [], dtype: "float64" })];
      checkJvpVsFd(F, [x], [v], u);
      checkVjpVsJvp(F, [x], [v], u);
      const g = asArray(grad(f)(x));
      close("jacfwd", asArray(jacfwd(f)(x)), g);
      close("jacrev", asArray(jacrev(f)(x)), g);
      const [value, g2] = valueAndGrad(f)(x) as [NDArray, NDArray];
      close("valueAndGrad value", value, f(x));
      close("valueAndGrad gradient", g2, g);
      // elementwiseGrad of the vector program is its VJP with ones.
      const ones = np.ones(x.shape);
      close("elementwiseGrad", asArray(elementwiseGrad(prog.run)(x)), asArray((vjp(prog.run, x)[1](ones) as NDArray[])[0]));
    });
  });

  it("hessian = jacfwd∘jacfwd = jacrev∘jacrev = jacrev∘jacfwd, symmetric, and hvp applies it", () => {
    property(progCases, 50, ({ prog, x, seed }) => {
      const f = objective(prog);
      const h = asArray(hessian(f)(x));
      close("jacfwd(jacfwd)", asArray(jacfwd(jacfwd(f))(x)), h);
      close("jacrev(jacrev)", asArray(jacrev(jacrev(f))(x)), h);
      close("jacrev(jacfwd)", asArray(jacrev(jacfwd(f))(x)), h);
      close("symmetry", h.T, h);
      const v = new Rng(seed).like(x);
      close("hvp", asArray(hvp(f)(x, v)), np.matmul(h, v));
    });
  });

  it("checkGrads passes to order 2", () => {
    property(progCases, 30, ({ prog, x }) => checkGrads(objective(prog), [x], { order: 2 }));
  });

  it("nested derivatives of closures (no perturbation confusion): jvp ≈ central differences, vjp and vmap agree", () => {
    // F(x) = Σ w·p(x ⊙ tanh ∇_y[Σ w·q(y ⊙ x)](y = x)): the inner gradient closes over the outer x.
    // (tanh keeps p's argument at unit scale: x ⊙ ∇ grows like a polynomial of high degree, and
    // p of it can curve so fast that central differences no longer resolve the derivative.)
    const nested = fc.tuple(programs, programs, fc.integer({ min: 1, max: 4 }).chain((n) => fc.array(floats([n]), { minLength: 2, maxLength: 2 })), fc.integer());
    property(nested, 50, ([p, q, [x, x2], seed]) => {
      const rng = new Rng(seed);
      const F = (z: NDArray) => {
        const inner = asArray(grad((y: NDArray) => objective(q)(y.mul(z)))(z));
        return [objective(p)(z.mul(np.tanh(inner)))];
      };
      const v = rng.like(x!);
      const u = [rng.like({ shape: [], dtype: "float64" })];
      checkJvpVsFd(F, [x!], [v], u);
      checkVjpVsJvp(F, [x!], [v], u);
      close("vmap", asArray(vmap((z: NDArray) => F(z)[0]!)(stack([x!, x2!], 0))), stack([F(x!)[0]!, F(x2!)[0]!], 0));
    });
  });

  /** Wrappers that change how derivatives are computed but not what they are. */
  const WRAPPERS: readonly { name: string; wrap: (g: (x: NDArray) => NDArray) => (x: NDArray) => NDArray; forward: boolean }[] = [
    { name: "customJvp (rule: the jvp)", wrap: (g) => customJvp(g, ([x], [t]) => jvp(g, [x], [t]) as [NDArray, NDArray]), forward: true },
    {
      name: "customVjp (fwd/bwd: the vjp)",
      wrap: (g) => customVjp(g, (x: NDArray) => [g(x), x], (x: NDArray, ct: NDArray) => vjp(g, x)[1](ct)),
      forward: false, // as in JAX, a custom VJP has no forward mode
    },
    { name: "checkpoint", wrap: (g) => checkpoint(g), forward: true },
  ];

  for (const { name, wrap, forward } of WRAPPERS) {
    it(`${name} changes no derivative: grad, jacrev∘jacrev${forward ? ", hessian" : ""}, vmap(grad), grad(Σ vmap)`, () => {
      const batches = fc.tuple(programs, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 })).chain(([prog, b, n]) =>
        fc.tuple(fc.constant(prog), fc.array(floats([n]), { minLength: b, maxLength: b })),
      );
      property(batches, 40, ([prog, xs]) => {
        const f = objective(prog);
        const fw = objective({ text: "", run: wrap(prog.run) });
        const x = xs[0]!;
        close("grad", asArray(grad(fw)(x)), asArray(grad(f)(x)));
        close("jacrev(jacrev)", asArray(jacrev(jacrev(fw))(x)), asArray(hessian(f)(x)));
        if (forward) close("hessian", asArray(hessian(fw)(x)), asArray(hessian(f)(x)));
        const X = stack(xs, 0);
        const loop = stack(xs.map((y) => asArray(grad(f)(y))), 0);
        close("vmap(grad)", asArray(vmap(grad(fw))(X)), loop);
        close("grad(Σ vmap)", asArray(grad((Y: NDArray) => np.sum(vmap(fw)(Y) as NDArray))(X)), loop);
      });
    });
  }

  it("vmap(grad f) agrees with a loop, and grad of Σ vmap(f) with the sum of the gradients", () => {
    const batches = fc.tuple(programs, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 })).chain(([prog, b, n]) =>
      fc.tuple(fc.constant(prog), fc.array(floats([n]), { minLength: b, maxLength: b })),
    );
    property(batches, 50, ([prog, xs]) => {
      const f = objective(prog);
      const loop = stack(xs.map((x) => asArray(grad(f)(x))), 0);
      const X = stack(xs, 0);
      close("vmap(grad(f))", asArray(vmap(grad(f))(X)), loop);
      close("grad(Σ vmap(f))", asArray(grad((Y: NDArray) => np.sum(vmap(f)(Y) as NDArray))(X)), loop);
    });
  });
});

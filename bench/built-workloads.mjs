/**
 * @file The data, the MLP loss and the W7 RNN that the benches of the built package (`eager.mjs`,
 * `w7-eager.mjs`) share, written against a build's `ag` (index) and `np` (numpy) modules as
 * `bench/workloads.ts` writes them against the sources.
 */

/** `size` deterministic values `scale · sin(0.7 i + seed)`. */
export function data(size, seed, scale = 1) {
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = scale * Math.sin(0.7 * i + seed);
  return out;
}

/** An [r, c] matrix of `data` in the build's numpy. */
export const matrixOf = (np) => (r, c, seed, scale = 1) => np.array(data(r * c, seed, scale)).reshape(r, c);

/** W7: `grad` of the sum of squares of a 100-step tanh RNN's last state (hidden 128, input 64, batch 32), and its parameters. */
export function rnnGrad(ag, np) {
  const matrix = matrixOf(np);
  const [batch, hidden, input, steps] = [32, 128, 64, 100];
  const params = { wx: matrix(input, hidden, 9, 1 / Math.sqrt(input)), wh: matrix(hidden, hidden, 10, 1 / Math.sqrt(hidden)), b: np.array(data(hidden, 11, 0.1)) };
  const xs = Array.from({ length: steps }, (_, t) => matrix(batch, input, 100 + t));
  const loss = (p) => {
    let h = np.zeros([batch, hidden]);
    for (const x of xs) h = np.tanh(x.matmul(p.wx).add(h.matmul(p.wh)).add(p.b));
    return np.sum(h.mul(h));
  };
  return { grad: ag.grad(loss), params };
}

/** The MLP loss of W3 and W4 (tanh layers, softmax cross-entropy against one-hot `y`) in the build's numpy. */
export const mlpLossOf = (np) => (params, x, y) => {
  let h = x;
  params.forEach(({ w, b }, l) => {
    h = h.matmul(w).add(b);
    if (l + 1 < params.length) h = np.tanh(h);
  });
  const z = h.sub(np.max(h, { axis: -1, keepdims: true }));
  const logp = z.sub(np.log(np.sum(np.exp(z), { axis: -1, keepdims: true })));
  return np.mean(np.sum(logp.mul(y), { axis: -1 })).neg();
};

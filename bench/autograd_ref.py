"""Reference timings: the workloads of bench/workloads.ts, run in HIPS autograd.

bench/peers.py (run by `npm run bench`) imports its SETUPS, time_call and checksum. Run alone as
`PYTHONPATH=<autograd checkout> python3 bench/autograd_ref.py`, it prints one JSON object mapping
each workload key to its number, in the unit of the TypeScript table (µs, ms or GFLOP/s). The data come from the same formula as the TypeScript side: scale * sin(0.7 * i + seed).
"""

import json
import statistics
import sys
import time

import autograd.numpy as np
from autograd import grad, hessian, value_and_grad

QUICK = "--quick" in sys.argv
SAMPLES, MIN_SAMPLE_S, WARMUP_S = (3, 0.010, 0.050) if QUICK else (9, 0.050, 1.0)


def time_call(fn):
    """Median time of one call of fn, in ms (warm-up, then samples of calibrated repetitions)."""
    start = time.perf_counter()
    calls = 0
    while calls < 2 or time.perf_counter() - start < WARMUP_S:
        fn()
        calls += 1
    per_call = (time.perf_counter() - start) / calls
    reps = max(1, int(-(-MIN_SAMPLE_S // max(per_call, 1e-9))))
    times = []
    for _ in range(SAMPLES):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        times.append((time.perf_counter() - t0) / reps)
    return statistics.median(times) * 1e3


def data(size, seed, scale=1.0):
    return scale * np.sin(0.7 * np.arange(size) + seed)


def matrix(rows, cols, seed, scale=1.0):
    return data(rows * cols, seed, scale).reshape(rows, cols)


def one_hot(count, classes):
    out = np.zeros((count, classes))
    out[np.arange(count), np.arange(count) % classes] = 1.0
    return out


def tanh_via_exp(x):
    e = np.exp(-x)
    return (1.0 - e) / (1.0 + e)


def mlp_params(sizes, seed):
    return [
        (matrix(n_in, n_out, seed + l, 1.0 / np.sqrt(n_in)), data(n_out, seed + l + 0.5, 0.1))
        for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]))
    ]


def log_softmax(z):
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def mlp_loss(params, x, y):
    h = x
    for l, (w, b) in enumerate(params):
        h = np.matmul(h, w) + b
        if l + 1 < len(params):
            h = np.tanh(h)
    return -np.mean(np.sum(log_softmax(h) * y, axis=-1))


def rnn_loss(params, xs, batch, hidden):
    wx, wh, b = params["wx"], params["wh"], params["b"]
    h = np.zeros((batch, hidden))
    for x in xs:
        h = np.tanh(np.matmul(x, wx) + np.matmul(h, wh) + b)
    return np.sum(h * h)


def setup_tanh_grad():
    df = grad(tanh_via_exp)
    return lambda: df(1.0)


def setup_tanh_grad6():
    f = tanh_via_exp
    for _ in range(6):
        f = grad(f)
    return lambda: f(1.0)


def setup_mlp_step():
    params = mlp_params([784, 512, 512, 10], 1)
    x = matrix(256, 784, 2)
    y = one_hot(256, 10)
    step = value_and_grad(mlp_loss)
    return lambda: step(params, x, y)


def setup_per_example_loop():
    params = mlp_params([784, 128, 10], 3)
    xs = matrix(64, 784, 4)
    ys = one_hot(64, 10)
    rows = [(xs[i], ys[i]) for i in range(64)]
    g = grad(mlp_loss)
    return lambda: [g(params, x, y) for x, y in rows]


def setup_hessian():
    A = matrix(100, 100, 5, 0.1)
    x = data(100, 6)
    H = hessian(lambda v: np.sum(np.tanh(np.matmul(A, v))))
    return lambda: H(x)


def setup_matmul():
    a = matrix(512, 512, 7)
    b = matrix(512, 512, 8)
    return lambda: np.matmul(a, b)


def setup_rnn_grad():
    batch, hidden, n_input, steps = 32, 128, 64, 100
    params = {
        "wx": matrix(n_input, hidden, 9, 1.0 / np.sqrt(n_input)),
        "wh": matrix(hidden, hidden, 10, 1.0 / np.sqrt(hidden)),
        "b": data(hidden, 11, 0.1),
    }
    xs = [matrix(batch, n_input, 100 + t) for t in range(steps)]
    g = grad(lambda p: rnn_loss(p, xs, batch, hidden))
    return lambda: g(params)


def checksum(result):
    """Sum of |x| over every element of a result (nested tuples, lists, dicts, arrays, numbers)."""
    if isinstance(result, dict):
        return sum(checksum(v) for v in result.values())
    if isinstance(result, (list, tuple)):
        return sum(checksum(v) for v in result)
    return float(np.sum(np.abs(result)))


SETUPS = {
    "tanh_grad": setup_tanh_grad,
    "tanh_grad6": setup_tanh_grad6,
    "mlp_step": setup_mlp_step,
    "per_example_loop": setup_per_example_loop,
    "hessian": setup_hessian,
    "matmul": setup_matmul,
    "rnn_grad": setup_rnn_grad,
}


def main():
    results, checksums = {}, {}
    for key, setup in SETUPS.items():
        call = setup()
        checksums[key] = checksum(call())
        ms = time_call(call)
        if key == "tanh_grad":
            results[key] = ms * 1e3  # µs
        elif key == "matmul":
            results[key] = 2 * 512**3 / (ms * 1e6)  # GFLOP/s
        else:
            results[key] = ms
    print(json.dumps({"results": results, "checksums": checksums}))


if __name__ == "__main__":
    main()

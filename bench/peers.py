"""Peers on the workloads of bench/workloads.ts: HIPS autograd (eager) and JAX on CPU (jax.jit).

Run by `npm run bench` (bench/run.ts), or by hand:
    PYTHONPATH=<HIPS autograd checkout> <python with numpy, and jax for the JAX column> bench/peers.py [--quick]
Prints one JSON object {"hips": {...}, "jax": {...}}, each {"ms": {key: median ms per call},
"checksums": {key: sum of |x| over the result}}; a peer that cannot be imported is null. JAX runs
in float64 on one thread (XLA's Eigen pool and intra-op parallelism off, one BLAS thread), as
autograd-ts is single-threaded. The data come from the same formula as the TypeScript side.
"""

import json
import os
import sys

# One thread everywhere, before numpy or jax load their thread pools.
for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(var, "1")
os.environ["XLA_FLAGS"] = (
    os.environ.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
).strip()
os.environ.setdefault("JAX_PLATFORMS", "cpu")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def run_all(setups):
    from autograd_ref import checksum, time_call

    ms, sums = {}, {}
    for key, setup in setups.items():
        call = setup()
        sums[key] = checksum(call())
        ms[key] = time_call(call)
    return {"ms": ms, "checksums": sums}


def hips():
    try:
        import autograd_ref
    except ImportError as e:
        print(f"(HIPS autograd unavailable: {e})", file=sys.stderr)
        return None
    import autograd.numpy as anp

    def setup_chain20():
        x = autograd_ref.data(1_000_000, 12)

        def chain(y):
            for i in range(10):
                y = (anp.sin if i % 2 == 0 else anp.tanh)(y * 1.1)
            return y

        return lambda: chain(x)

    return run_all({**autograd_ref.SETUPS, "chain20": setup_chain20})


def jax_peer():
    try:
        import jax
    except ImportError as e:
        print(f"(JAX unavailable: {e})", file=sys.stderr)
        return None
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    import numpy

    def data(size, seed, scale=1.0):
        return jnp.asarray(scale * numpy.sin(0.7 * numpy.arange(size) + seed))

    def matrix(rows, cols, seed, scale=1.0):
        return data(rows * cols, seed, scale).reshape(rows, cols)

    def one_hot(count, classes):
        out = numpy.zeros((count, classes))
        out[numpy.arange(count), numpy.arange(count) % classes] = 1.0
        return jnp.asarray(out)

    def tanh_via_exp(x):
        e = jnp.exp(-x)
        return (1.0 - e) / (1.0 + e)

    def mlp_params(sizes, seed):
        return [
            (matrix(n_in, n_out, seed + l, 1.0 / numpy.sqrt(n_in)), data(n_out, seed + l + 0.5, 0.1))
            for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]))
        ]

    def mlp_loss(params, x, y):
        h = x
        for l, (w, b) in enumerate(params):
            h = h @ w + b
            if l + 1 < len(params):
                h = jnp.tanh(h)
        shifted = h - jnp.max(h, axis=-1, keepdims=True)
        logp = shifted - jnp.log(jnp.sum(jnp.exp(shifted), axis=-1, keepdims=True))
        return -jnp.mean(jnp.sum(logp * y, axis=-1))

    def block(f):
        """Waits for JAX's asynchronous dispatch, so that a call is timed to its end."""
        return lambda: jax.block_until_ready(f())

    def tanh_grad():
        df = jax.jit(jax.grad(tanh_via_exp))
        return block(lambda: df(1.0))

    def tanh_grad6():
        f = tanh_via_exp
        for _ in range(6):
            f = jax.grad(f)
        jf = jax.jit(f)
        return block(lambda: jf(1.0))

    def mlp_step():
        params, x, y = mlp_params([784, 512, 512, 10], 1), matrix(256, 784, 2), one_hot(256, 10)
        step = jax.jit(jax.value_and_grad(mlp_loss))
        return block(lambda: step(params, x, y))

    def per_example_vmap():
        params, xs, ys = mlp_params([784, 128, 10], 3), matrix(64, 784, 4), one_hot(64, 10)
        per = jax.jit(jax.vmap(jax.grad(mlp_loss), in_axes=(None, 0, 0)))
        return block(lambda: per(params, xs, ys))

    def hessian():
        A, x = matrix(100, 100, 5, 0.1), data(100, 6)
        H = jax.jit(jax.hessian(lambda v: jnp.sum(jnp.tanh(A @ v))))
        return block(lambda: H(x))

    def matmul():
        a, b = matrix(512, 512, 7), matrix(512, 512, 8)
        mm = jax.jit(jnp.matmul)
        return block(lambda: mm(a, b))

    def rnn_grad():
        batch, hidden, n_input, steps = 32, 128, 64, 100
        params = {
            "wx": matrix(n_input, hidden, 9, 1.0 / numpy.sqrt(n_input)),
            "wh": matrix(hidden, hidden, 10, 1.0 / numpy.sqrt(hidden)),
            "b": data(hidden, 11, 0.1),
        }
        xs = [matrix(batch, n_input, 100 + t) for t in range(steps)]

        def loss(p):
            h = jnp.zeros((batch, hidden))
            for x in xs:
                h = jnp.tanh(x @ p["wx"] + h @ p["wh"] + p["b"])
            return jnp.sum(h * h)

        g = jax.jit(jax.grad(loss))
        return block(lambda: g(params))

    def chain20():
        x = data(1_000_000, 12)

        def chain(y):
            for i in range(10):
                y = (jnp.sin if i % 2 == 0 else jnp.tanh)(y * 1.1)
            return y

        jc = jax.jit(chain)
        return block(lambda: jc(x))

    setups = {
        "tanh_grad": tanh_grad,
        "tanh_grad6": tanh_grad6,
        "mlp_step": mlp_step,
        "per_example_vmap": per_example_vmap,
        "hessian": hessian,
        "matmul": matmul,
        "rnn_grad": rnn_grad,
        "chain20": chain20,
    }
    out = run_all(setups)
    out["version"] = jax.__version__
    return out


def main():
    print(json.dumps({"hips": hips(), "jax": jax_peer()}))


if __name__ == "__main__":
    main()

/**
 * @file Discrete Fourier transform kernels on interleaved complex storage (re, im, …) along one axis
 * of a C-contiguous array: complex-to-complex, real-to-half-spectrum (rfft) and back (irfft), the
 * building blocks of every `np.fft` function.
 *
 * Each line along the axis is copied into a double-precision scratch buffer, transformed and copied
 * back scaled (complex64 data is rounded once, at the end). Lengths that are powers of two take an
 * iterative radix-2 transform; other lengths up to `DIRECT_MAX` a direct O(n²) sum with exact root
 * indices; longer ones Bluestein's chirp-z algorithm over a power-of-two convolution. Roots of unity
 * are computed from the first octant (as pocketfft does), so quarter turns are exact and the error
 * grows like ε·log n.
 */

type Data = Float64Array | Float32Array;

/** Lengths up to this that are not powers of two use the direct sum; longer ones Bluestein's algorithm. */
const DIRECT_MAX = 64;

/**
 * e^{2πik/n} as [cos, sin], reduced to the first octant first, so that quarter turns are exact
 * (cos(π/2) is 0, not 6e-17) and the error stays within an ulp or two.
 */
export function unitRoot(k: number, n: number): [number, number] {
  const r = ((k % n) + n) % n;
  const quadrant = Math.floor((4 * r) / n);
  let rem = 4 * r - quadrant * n; // the angle within the quadrant is (π/2)·rem/n
  let c: number;
  let s: number;
  if (2 * rem <= n) {
    const a = (Math.PI / 2) * (rem / n);
    [c, s] = [Math.cos(a), Math.sin(a)];
  } else {
    rem = n - rem;
    const a = (Math.PI / 2) * (rem / n);
    [c, s] = [Math.sin(a), Math.cos(a)];
  }
  if (quadrant === 1) return [-s, c];
  if (quadrant === 2) return [-c, -s];
  if (quadrant === 3) return [s, -c];
  return [c, s];
}

const isPowerOfTwo = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

/** Tables kept per length: at most this many of each kind, the least recently used dropped first. */
const CACHE_ENTRIES = 32;
function cached<K, V>(cache: Map<K, V>, key: K, make: () => V): V {
  let v = cache.get(key);
  if (v === undefined) {
    v = make();
    if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value as K);
  } else {
    cache.delete(key); // re-inserted below: Map order is insertion order, so it becomes the newest
  }
  cache.set(key, v);
  return v;
}

/** The n roots e^{2πik/n}, interleaved; the transform's sign is applied where they are used. */
const rootTables = new Map<number, Float64Array>();
function roots(n: number): Float64Array {
  return cached(rootTables, n, () => {
    const t = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) [t[2 * k], t[2 * k + 1]] = unitRoot(k, n);
    return t;
  });
}

/** In place: the unscaled transform Σⱼ xⱼ e^{sign·2πijk/n} of n = 2^p interleaved values. */
function radix2(buf: Float64Array, n: number, sign: number): void {
  // Bit-reversal permutation.
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const [tr, ti] = [buf[2 * i]!, buf[2 * i + 1]!];
      buf[2 * i] = buf[2 * j]!;
      buf[2 * i + 1] = buf[2 * j + 1]!;
      buf[2 * j] = tr;
      buf[2 * j + 1] = ti;
    }
  }
  const w = roots(n);
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = w[2 * k * step]!;
        const wi = sign * w[2 * k * step + 1]!;
        const a = 2 * (start + k);
        const b = a + size;
        const br = buf[b]! * wr - buf[b + 1]! * wi;
        const bi = buf[b]! * wi + buf[b + 1]! * wr;
        buf[b] = buf[a]! - br;
        buf[b + 1] = buf[a + 1]! - bi;
        buf[a] = buf[a]! + br;
        buf[a + 1] = buf[a + 1]! + bi;
      }
    }
  }
}

/** The unscaled transform by the direct sum, root indices jk reduced mod n (exact). */
function direct(buf: Float64Array, n: number, sign: number, scratch: Float64Array): void {
  const w = roots(n);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0, idx = 0; j < n; j++, idx = (idx + k) % n) {
      const wr = w[2 * idx]!;
      const wi = sign * w[2 * idx + 1]!;
      sr += buf[2 * j]! * wr - buf[2 * j + 1]! * wi;
      si += buf[2 * j]! * wi + buf[2 * j + 1]! * wr;
    }
    scratch[2 * k] = sr;
    scratch[2 * k + 1] = si;
  }
  buf.set(scratch.subarray(0, 2 * n));
}

/** Bluestein's tables for one length and sign: the chirp cⱼ = e^{sign·πij²/n} and the transform of the filter conj(c). */
interface Chirp {
  m: number;
  chirp: Float64Array;
  filter: Float64Array;
}
const chirps = new Map<string, Chirp>();
function chirpFor(n: number, sign: number): Chirp {
  return cached(chirps, `${n}:${sign}`, () => {
    let m = 1;
    while (m < 2 * n - 1) m *= 2;
    const chirp = new Float64Array(2 * n);
    for (let j = 0; j < n; j++) {
      const [cr, ci] = unitRoot((j * j) % (2 * n), 2 * n); // j² mod 2n keeps the angle exact
      chirp[2 * j] = cr;
      chirp[2 * j + 1] = sign * ci;
    }
    const filter = new Float64Array(2 * m);
    for (let j = 0; j < n; j++) {
      filter[2 * j] = chirp[2 * j]!;
      filter[2 * j + 1] = -chirp[2 * j + 1]!;
      if (j > 0) {
        filter[2 * (m - j)] = chirp[2 * j]!;
        filter[2 * (m - j) + 1] = -chirp[2 * j + 1]!;
      }
    }
    radix2(filter, m, -1);
    return { m, chirp, filter };
  });
}

/**
 * Bluestein: jk = (j² + k² − (k − j)²)/2 gives Xₖ = cₖ Σⱼ (xⱼ cⱼ) conj(c_{k−j}), a convolution,
 * done with power-of-two transforms of length m ≥ 2n − 1.
 */
function bluestein(buf: Float64Array, n: number, sign: number): void {
  const { m, chirp, filter } = chirpFor(n, sign);
  const a = new Float64Array(2 * m);
  for (let j = 0; j < n; j++) {
    const [xr, xi, cr, ci] = [buf[2 * j]!, buf[2 * j + 1]!, chirp[2 * j]!, chirp[2 * j + 1]!];
    a[2 * j] = xr * cr - xi * ci;
    a[2 * j + 1] = xr * ci + xi * cr;
  }
  radix2(a, m, -1);
  for (let k = 0; k < m; k++) {
    const [ar, ai, fr, fi] = [a[2 * k]!, a[2 * k + 1]!, filter[2 * k]!, filter[2 * k + 1]!];
    a[2 * k] = ar * fr - ai * fi;
    a[2 * k + 1] = ar * fi + ai * fr;
  }
  radix2(a, m, 1);
  for (let k = 0; k < n; k++) {
    const [vr, vi, cr, ci] = [a[2 * k]! / m, a[2 * k + 1]! / m, chirp[2 * k]!, chirp[2 * k + 1]!];
    buf[2 * k] = vr * cr - vi * ci;
    buf[2 * k + 1] = vr * ci + vi * cr;
  }
}

/** In place: the unscaled transform of n interleaved values, sign −1 (forward) or +1 (inverse). */
export function dft(buf: Float64Array, n: number, sign: number): void {
  if (n <= 1) return;
  if (isPowerOfTwo(n)) radix2(buf, n, sign);
  else if (n <= DIRECT_MAX) direct(buf, n, sign, new Float64Array(2 * n));
  else bluestein(buf, n, sign);
}

/** How a transform along an axis is set up: the length n (input cut or zero-padded to it), direction and scale. */
export interface AxisTransform {
  /** Length of the transform; the input axis is cut or zero-padded to it (NumPy's `n`). */
  n: number;
  /** Sign +1 (inverse, e^{+2πijk/n}) rather than −1. */
  inverse: boolean;
  /** Every output element is multiplied by this (1/n, 1/√n or 1, from NumPy's `norm`). */
  scale: number;
}

/** The sizes before, along and after `axis` of a C-contiguous shape. */
function split(shape: readonly number[], axis: number): [number, number, number] {
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  return [outer, shape[axis]!, inner];
}

const like = (x: Data, length: number): Data => (x instanceof Float32Array ? new Float32Array(length) : new Float64Array(length));

/**
 * The complex transform along `axis` of interleaved complex data of `shape`: a new interleaved
 * array whose shape is `shape` with `shape[axis] = t.n`, of the input's precision.
 */
export function fftAxis(x: Data, shape: readonly number[], axis: number, t: AxisTransform): Data {
  const [outer, len, inner] = split(shape, axis);
  const n = t.n;
  const out = like(x, 2 * outer * n * inner);
  const buf = new Float64Array(2 * n);
  const sign = t.inverse ? 1 : -1;
  const copy = Math.min(len, n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      buf.fill(0);
      for (let j = 0; j < copy; j++) {
        const src = 2 * ((o * len + j) * inner + i);
        buf[2 * j] = x[src]!;
        buf[2 * j + 1] = x[src + 1]!;
      }
      dft(buf, n, sign);
      for (let k = 0; k < n; k++) {
        const dst = 2 * ((o * n + k) * inner + i);
        out[dst] = buf[2 * k]! * t.scale;
        out[dst + 1] = buf[2 * k + 1]! * t.scale;
      }
    }
  }
  return out;
}

/**
 * The transform along `axis` of real data of `shape`, terms 0 … ⌊n/2⌋ (the others are their
 * conjugates): interleaved complex with `shape[axis] = ⌊n/2⌋ + 1`. `conjugate` conjugates the
 * result (for `ihfft`).
 */
export function rfftAxis(x: Data, shape: readonly number[], axis: number, t: AxisTransform, conjugate = false): Data {
  const [outer, len, inner] = split(shape, axis);
  const n = t.n;
  const half = Math.floor(n / 2) + 1;
  const out = like(x, 2 * outer * half * inner);
  const buf = new Float64Array(2 * n);
  const sign = t.inverse ? 1 : -1;
  const imSign = conjugate ? -1 : 1;
  const copy = Math.min(len, n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      buf.fill(0);
      for (let j = 0; j < copy; j++) buf[2 * j] = x[(o * len + j) * inner + i]!;
      dft(buf, n, sign);
      for (let k = 0; k < half; k++) {
        const dst = 2 * ((o * half + k) * inner + i);
        out[dst] = buf[2 * k]! * t.scale;
        out[dst + 1] = imSign * buf[2 * k + 1]! * t.scale;
      }
    }
  }
  return out;
}

/**
 * The real array of length n along `axis` whose half spectrum is the interleaved complex `x`: the
 * first ⌊n/2⌋ + 1 terms are taken (cut or zero-padded), the rest filled in by Hermitian symmetry,
 * as NumPy does (so the imaginary parts of the zero and, for even n, Nyquist terms are ignored).
 * `conjugate` conjugates the input first (for `hfft`).
 */
export function irfftAxis(x: Data, shape: readonly number[], axis: number, t: AxisTransform, conjugate = false): Data {
  const [outer, len, inner] = split(shape, axis);
  const n = t.n;
  const half = Math.floor(n / 2) + 1;
  const out = like(x, outer * n * inner);
  const buf = new Float64Array(2 * n);
  const sign = t.inverse ? 1 : -1;
  const imSign = conjugate ? -1 : 1;
  const copy = Math.min(len, half);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      buf.fill(0);
      for (let k = 0; k < copy; k++) {
        const src = 2 * ((o * len + k) * inner + i);
        buf[2 * k] = x[src]!;
        buf[2 * k + 1] = imSign * x[src + 1]!;
      }
      buf[1] = 0;
      if (n % 2 === 0) buf[2 * (half - 1) + 1] = 0;
      for (let k = half; k < n; k++) {
        buf[2 * k] = buf[2 * (n - k)]!;
        buf[2 * k + 1] = -buf[2 * (n - k) + 1]!;
      }
      dft(buf, n, sign);
      for (let j = 0; j < n; j++) out[(o * n + j) * inner + i] = buf[2 * j]! * t.scale;
    }
  }
  return out;
}

/**
 * @file Truncated Taylor arithmetic in two variables, for kernels that need derivatives of a
 * series or continued fraction with respect to its parameters: evaluating the expansion on Taylor
 * numbers gives every mixed partial derivative up to the chosen orders, to the expansion's own
 * relative accuracy (no finite differences, no cancellation between branches).
 */
import gammaln from "@stdlib/math-base-special-gammaln";
import digamma from "@stdlib/math-base-special-digamma";
import polygamma from "@stdlib/math-base-special-polygamma";

/**
 * Σᵢⱼ c[i·n2 + j] εᵢ εⱼ with i < n1, j < n2: the coefficients (derivative / (i! j!)) of a function of
 * (u + ε₁, v + ε₂) around (u, v).
 */
export class Taylor {
  constructor(
    readonly n1: number,
    readonly n2: number,
    readonly c: Float64Array = new Float64Array(n1 * n2),
  ) {}

  get value(): number {
    return this.c[0]!;
  }

  /** ∂ᵢ/∂uᵢ ∂ʲ/∂vʲ of the function at the expansion point. */
  derivative(i: number, j: number): number {
    return this.c[i * this.n2 + j]! * factorial(i) * factorial(j);
  }

  static constant(n1: number, n2: number, v: number): Taylor {
    const t = new Taylor(n1, n2);
    t.c[0] = v;
    return t;
  }

  /** v + s₁ε₁ + s₂ε₂: an affine function of the two variables. */
  static affine(n1: number, n2: number, v: number, s1: number, s2: number): Taylor {
    const t = Taylor.constant(n1, n2, v);
    if (n1 > 1) t.c[n2] = s1;
    if (n2 > 1) t.c[1] = s2;
    return t;
  }

  add(o: Taylor): Taylor {
    const out = new Taylor(this.n1, this.n2);
    for (let k = 0; k < out.c.length; k++) out.c[k] = this.c[k]! + o.c[k]!;
    return out;
  }

  scale(s: number): Taylor {
    const out = new Taylor(this.n1, this.n2);
    for (let k = 0; k < out.c.length; k++) out.c[k] = this.c[k]! * s;
    return out;
  }

  mul(o: Taylor): Taylor {
    const { n1, n2 } = this;
    const out = new Taylor(n1, n2);
    for (let i = 0; i < n1; i++) {
      for (let j = 0; j < n2; j++) {
        let s = 0;
        for (let p = 0; p <= i; p++) for (let q = 0; q <= j; q++) s += this.c[p * n2 + q]! * o.c[(i - p) * n2 + (j - q)]!;
        out.c[i * n2 + j] = s;
      }
    }
    return out;
  }

  /** 1/this, from this·r = 1 solved coefficient by coefficient. */
  recip(): Taylor {
    const { n1, n2 } = this;
    const r = new Taylor(n1, n2);
    const b0 = this.c[0]!;
    for (let i = 0; i < n1; i++) {
      for (let j = 0; j < n2; j++) {
        if (i === 0 && j === 0) {
          r.c[0] = 1 / b0;
          continue;
        }
        let s = 0;
        for (let p = 0; p <= i; p++) {
          for (let q = 0; q <= j; q++) if (p + q > 0) s += this.c[p * n2 + q]! * r.c[(i - p) * n2 + (j - q)]!;
        }
        r.c[i * n2 + j] = -s / b0;
      }
    }
    return r;
  }

  div(o: Taylor): Taylor {
    return this.mul(o.recip());
  }

  /** exp(this), from E′ = t′E along each variable. */
  exp(): Taylor {
    const { n1, n2 } = this;
    const e = new Taylor(n1, n2);
    e.c[0] = Math.exp(this.c[0]!);
    for (let j = 1; j < n2; j++) {
      let s = 0;
      for (let q = 1; q <= j; q++) s += q * this.c[q]! * e.c[j - q]!;
      e.c[j] = s / j;
    }
    for (let i = 1; i < n1; i++) {
      for (let j = 0; j < n2; j++) {
        let s = 0;
        for (let p = 1; p <= i; p++) for (let q = 0; q <= j; q++) s += p * this.c[p * n2 + q]! * e.c[(i - p) * n2 + (j - q)]!;
        e.c[i * n2 + j] = s / i;
      }
    }
    return e;
  }

  /** Largest |coefficient| other than the constant term (a convergence measure). */
  maxSlope(): number {
    let m = 0;
    for (let k = 1; k < this.c.length; k++) m = Math.max(m, Math.abs(this.c[k]!));
    return m;
  }
}

const FACTORIALS = [1, 1, 2, 6, 24, 120, 720, 5040, 40320, 362880, 3628800];
export const factorial = (n: number): number => {
  let f = FACTORIALS[Math.min(n, 10)]!;
  for (let k = 11; k <= n; k++) f *= k;
  return f;
};

/** ψ⁽ᵏ⁾(x): digamma for k = 0. */
const psi = (k: number, x: number): number => (k === 0 ? digamma(x) : polygamma(k, x));

/**
 * log Γ(v + s₁ε₁ + s₂ε₂) for s₁, s₂ ∈ {0, 1}: with δ = s₁ε₁ + s₂ε₂, the coefficient of δᵏ is
 * ψ⁽ᵏ⁻¹⁾(v)/k!, and δᵏ expands binomially.
 */
export function lgammaTaylor(n1: number, n2: number, v: number, s1: 0 | 1, s2: 0 | 1): Taylor {
  const t = new Taylor(n1, n2);
  t.c[0] = gammaln(v);
  for (let i = 0; i < n1; i++) {
    for (let j = 0; j < n2; j++) {
      const k = i + j;
      if (k === 0 || (i > 0 && s1 === 0) || (j > 0 && s2 === 0)) continue;
      // δᵏ/k! = Σ εᵢ^i εⱼ^j / (i! j!)
      t.c[i * n2 + j] = psi(k - 1, v) / (factorial(i) * factorial(j));
    }
  }
  return t;
}

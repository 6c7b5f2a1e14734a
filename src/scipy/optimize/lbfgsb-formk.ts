/**
 * @file The inner products behind L-BFGS-B's subspace matrix K, kept the way the reference code
 * keeps them (its `formk` work array): updated only in the iterations that form K, by the newest
 * pair and by the variables that entered or left the free set since the previous iteration.
 *
 * Why not recompute K from S and Y each time: the reference code (and so SciPy, Fortran through
 * 1.14 and its C translation since) skips forming K in an iteration with no free variable at the
 * Cauchy point, yet the next iteration still updates the cached products only by that iteration's
 * changes. The cache then misses a pair and a change of the free set, K is not positive definite,
 * and the code refreshes its memory and restarts with a steepest-descent step. SciPy's run on the
 * bounded Beale problem does exactly this (its iprint=101 trace: iteration 5 has "0 variables are
 * free at GCP", iteration 6 "Nonpositive definiteness in Cholesky factorization in formk; refresh
 * the lbfgs memory"); with K recomputed, that iteration took one trial where SciPy takes two.
 */

/** Sums a·b over the listed variables. */
const dotOver = (a: Float64Array, b: Float64Array, vars: readonly number[]): number => {
  let s = 0;
  for (const i of vars) s += a[i]! * b[i]!;
  return s;
};

const dotAll = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/** The cached blocks, indexed by memory position (oldest pair first), lower triangles. */
export class FormkCache {
  /** Y'ZZ'Y: products of y pairs over the free variables. */
  private readonly yzzy: number[][];
  /** S'AA'S: products of s pairs over the active variables. */
  private readonly saas: number[][];
  /** Row i, column j: s_i·y_j over the active variables below the diagonal (L_a), over the free ones on and above it (R_z). */
  private readonly mixed: number[][];

  constructor(private readonly m: number) {
    const square = () => Array.from({ length: m }, () => new Array<number>(m).fill(0));
    this.yzzy = square();
    this.saas = square();
    this.mixed = square();
  }

  /**
   * Brings the cache to this iteration: with a new pair (`added`), drops the oldest row when the
   * memory was already full (`shifted`) and computes the newest row over the current sets; then
   * corrects the older rows for the variables that `entered` or `left` the free set.
   */
  update(S: readonly Float64Array[], Y: readonly Float64Array[], free: readonly number[], active: readonly number[], entered: readonly number[], left: readonly number[], added: boolean, shifted: boolean): void {
    const col = S.length;
    if (added && shifted) for (const block of [this.yzzy, this.saas, this.mixed]) this.dropOldest(block);
    if (added) {
      const last = col - 1;
      for (let j = 0; j < col; j++) {
        this.yzzy[last]![j] = dotOver(Y[last]!, Y[j]!, free);
        this.saas[last]![j] = dotOver(S[last]!, S[j]!, active);
        this.mixed[last]![j] = dotOver(S[last]!, Y[j]!, active);
      }
      for (let i = 0; i < col; i++) this.mixed[i]![last] = dotOver(S[i]!, Y[last]!, free);
    }
    const old = added ? col - 1 : col;
    for (let i = 0; i < old; i++) {
      for (let j = 0; j <= i; j++) {
        this.yzzy[i]![j] = this.yzzy[i]![j]! + dotOver(Y[i]!, Y[j]!, entered) - dotOver(Y[i]!, Y[j]!, left);
        this.saas[i]![j] = this.saas[i]![j]! - dotOver(S[i]!, S[j]!, entered) + dotOver(S[i]!, S[j]!, left);
      }
      for (let j = 0; j < old; j++) {
        // R_z (on and above the diagonal) gains the entering variables; L_a loses them.
        const change = dotOver(S[i]!, Y[j]!, entered) - dotOver(S[i]!, Y[j]!, left);
        this.mixed[i]![j] = this.mixed[i]![j]! + (i <= j ? change : -change);
      }
    }
  }

  /**
   * K = [[−D − Y'ZZ'Y/θ, L_a' − R_z'], [L_a − R_z, θ·S'AA'S]] from the cache (D the diagonal of
   * S'Y, computed afresh as the reference code keeps it exactly).
   */
  matrix(S: readonly Float64Array[], Y: readonly Float64Array[], theta: number): number[][] {
    const col = S.length;
    const K: number[][] = Array.from({ length: 2 * col }, () => new Array<number>(2 * col).fill(0));
    for (let i = 0; i < col; i++) {
      for (let j = 0; j < col; j++) {
        const [hi, lo] = i >= j ? [i, j] : [j, i];
        K[i]![j] = -this.yzzy[hi]![lo]! / theta - (i === j ? dotAll(S[i]!, Y[i]!) : 0);
        K[col + i]![col + j] = theta * this.saas[hi]![lo]!;
        const v = i > j ? this.mixed[i]![j]! : -this.mixed[i]![j]!;
        K[col + i]![j] = v;
        K[j]![col + i] = v;
      }
    }
    return K;
  }

  private dropOldest(block: number[][]): void {
    for (let i = 0; i < this.m - 1; i++) for (let j = 0; j < this.m - 1; j++) block[i]![j] = block[i + 1]![j + 1]!;
  }
}

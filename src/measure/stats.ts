import { P999_MIN_SAMPLES } from '../constants';
import type { Interval, Summary } from '../types';

/** Samples known to be sorted ascending: only these may reach a quantile. */
export type Sorted = readonly number[] & { readonly __sorted: unique symbol };

export function sortSamples(samples: readonly number[]): Sorted {
  return Float64Array.from(samples).sort() as unknown as number[] as unknown as Sorted;
}

/** Quantile by linear interpolation between order statistics (R's type 7, numpy's default). */
export function quantile(sorted: Sorted, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (n === 1) return sorted[0];
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Mean and sample standard deviation by Welford's method (stable for large, close values),
 * on the data shifted by its first value: the running mean then stays small, so its rounding
 * does not accumulate at the offset's scale (1e9 + small: 2e-6 drift unshifted, ~1e-7 shifted).
 */
export function meanSd(samples: ArrayLike<number>): { mean: number; sd: number } {
  const n = samples.length;
  if (n === 0) return { mean: NaN, sd: 0 };
  const shift = samples[0];
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const x = samples[i] - shift;
    const d = x - mean;
    mean += d / (i + 1);
    m2 += d * (x - mean);
  }
  return { mean: shift + mean, sd: n > 1 ? Math.sqrt(m2 / (n - 1)) : 0 };
}

/** Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** Cornish–Fisher expansion of the t quantile around the normal one (A&S 26.7.5). */
function cornishFisherT(p: number, df: number): number {
  const z = normalQuantile(p);
  const z2 = z * z;
  const g1 = ((z2 + 1) * z) / 4;
  const g2 = (((5 * z2 + 16) * z2 + 3) * z) / 96;
  const g3 = ((((3 * z2 + 19) * z2 + 17) * z2 - 15) * z) / 384;
  const g4 = (((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/**
 * From this many degrees of freedom on, Cornish–Fisher alone is within 1.2e-9 relative of the
 * exact quantile at p ≤ 0.9995 (8e-10 at df 100; beyond, the normal quantile's own 1.15e-9
 * dominates). Below it its error grows fast (1.2e-3 at df 3, p 0.975; 7.9e-3 at p 0.995), so
 * there the expansion only seeds Newton steps on the exact CDF.
 */
const CORNISH_FISHER_MIN_DF = 100;
/** Newton steps on the exact CDF converge in 2–4; the cap only guards against a bad starting point. */
const NEWTON_MAX_STEPS = 20;
const NEWTON_TOLERANCE = 1e-14;

/**
 * Student-t quantile for `df` degrees of freedom. Exact formulas for df 1 and 2; below
 * CORNISH_FISHER_MIN_DF, Newton's method on the exact CDF (incomplete beta) from the
 * Cornish–Fisher starting point, within ~1e-14 relative of R's qt(); above it, Cornish–Fisher (< 1.2e-9).
 */
export function tQuantile(p: number, df: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  let t = cornishFisherT(p, df);
  if (df >= CORNISH_FISHER_MIN_DF) return t;
  for (let i = 0; i < NEWTON_MAX_STEPS; i++) {
    const step = (tCdf(t, df) - p) / tDensity(t, df);
    // A step past zero would cross to the other tail; halving keeps t on the upper side.
    t = step >= t ? t / 2 : t - step;
    if (Math.abs(step) <= NEWTON_TOLERANCE * Math.abs(t)) break;
  }
  return t;
}

/** Density of Student's t with `df` degrees of freedom. */
export function tDensity(t: number, df: number): number {
  const logC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logC - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom, through the incomplete beta. */
export function tCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** Regularized incomplete beta I_x(a, b), by its continued fraction (Numerical Recipes 6.4). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  // The fraction converges fast on this side of the mean; use the symmetry on the other.
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}

/** Lentz's evaluation of the incomplete beta's continued fraction. */
const BETA_CF_MAX_TERMS = 1000;
const BETA_CF_EPS = 1e-16;
const BETA_CF_TINY = 1e-300;
function betaFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < BETA_CF_TINY) d = BETA_CF_TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= BETA_CF_MAX_TERMS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < BETA_CF_TINY) d = BETA_CF_TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < BETA_CF_TINY) c = BETA_CF_TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < BETA_CF_TINY) d = BETA_CF_TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < BETA_CF_TINY) c = BETA_CF_TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < BETA_CF_EPS) break;
  }
  return h;
}

/** Confidence interval for the mean: mean ± t·sd/√n. */
export function meanInterval(samples: ArrayLike<number>, confidence: number): Interval {
  const { mean, sd } = meanSd(samples);
  const n = samples.length;
  if (n < 2) return { low: -Infinity, estimate: mean, high: Infinity };
  const half = tQuantile(1 - (1 - confidence) / 2, n - 1) * (sd / Math.sqrt(n));
  return { low: mean - half, estimate: mean, high: mean + half };
}

/** ln Γ(x) by the Lanczos approximation (g = 7), accurate to ~1e-15 relative. */
export function logGamma(x: number): number {
  const g = 7;
  const coef = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const xx = x - 1;
  let a = coef[0];
  const t = xx + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += coef[i] / (xx + i);
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * P(B ≤ i) for i = 0..n, B ~ Bin(n, p), in one pass: log pmf(i+1) = log pmf(i) + log((n−i)/(i+1))
 * + log(p/(1−p)), from log pmf(0) = n·log(1−p). Terms below e^-745 underflow to 0 harmlessly.
 */
function binomialCdfTable(n: number, p: number): Float64Array {
  const out = new Float64Array(n + 1);
  const logOdds = Math.log(p) - Math.log1p(-p);
  let logPmf = n * Math.log1p(-p);
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    sum += Math.exp(logPmf);
    out[i] = Math.min(1, sum);
    logPmf += Math.log(n - i) - Math.log(i + 1) + logOdds;
  }
  return out;
}

/**
 * Up to this many samples the ranks come from the exact binomial distribution (one O(n) pass);
 * a measurement keeps at most MAX_SAMPLES (8,192), so in practice ranks are always exact.
 * Beyond it, the normal approximation to the binomial, which is off by a rank or two.
 */
const EXACT_RANKS_MAX_N = 1 << 20;

/**
 * Ranks j < k (1-based) of the order statistics bounding the p-quantile with
 * P(x(j) ≤ Q_p ≤ x(k)) ≥ confidence, equal tails. j = 0 or k = n + 1 means that side is
 * unbounded at this sample size.
 */
export function quantileRanks(n: number, p: number, confidence: number): { j: number; k: number } {
  const alpha = 1 - confidence;
  if (p <= 0) return { j: 0, k: 1 };
  if (p >= 1) return { j: n, k: n + 1 };
  if (n > EXACT_RANKS_MAX_N) {
    const z = normalQuantile(1 - alpha / 2);
    const sd = Math.sqrt(n * p * (1 - p));
    return { j: Math.max(0, Math.floor(n * p - z * sd)), k: Math.min(n + 1, Math.ceil(n * p + z * sd) + 1) };
  }
  // Largest j with P(x(j) > Q_p) = P(B ≤ j − 1) ≤ α/2, smallest k with P(x(k) < Q_p) = P(B ≥ k) ≤ α/2.
  const cdf = binomialCdfTable(n, p);
  let j = 0;
  while (j < n && cdf[j] <= alpha / 2) j++;
  let k = n + 1;
  while (k > 1 && 1 - cdf[k - 2] <= alpha / 2) k--;
  return { j, k };
}

/**
 * Distribution-free interval for the p-quantile from order statistics (see quantileRanks).
 * A rank past either end means that side is unbounded at this sample size (±Infinity) — more
 * samples are needed before that side can be claimed.
 */
export function quantileInterval(sorted: Sorted, p: number, confidence: number): Interval {
  const n = sorted.length;
  const estimate = quantile(sorted, p);
  if (n === 0) return { low: -Infinity, estimate, high: Infinity };
  const { j, k } = quantileRanks(n, p, confidence);
  const low = j >= 1 ? sorted[j - 1] : -Infinity;
  const high = k <= n ? sorted[k - 1] : Infinity;
  return { low: Math.min(low, estimate), estimate, high: Math.max(high, estimate) };
}

/** The statistics a latency assertion may name. */
export type Stat = 'p50' | 'mean' | 'p75' | 'p99' | 'p999' | 'min' | 'max';
export const STATS: readonly Stat[] = ['p50', 'mean', 'p75', 'p99', 'p999', 'min', 'max'];

const QUANTILE_OF: Partial<Record<Stat, number>> = { p50: 0.5, p75: 0.75, p99: 0.99, p999: 0.999 };

/**
 * Interval for a named statistic. Quantiles use order statistics, the mean uses Student's t.
 * `min` and `max` are extremes with no distribution-free interval: their estimate is the sample
 * extreme and the interval reaches to the nearest percentile (p1 for min, p99 for max).
 */
export function statInterval(sorted: Sorted, stat: Stat, confidence: number): Interval {
  if (stat === 'mean') return meanInterval(sorted, confidence);
  const n = sorted.length;
  if (stat === 'min') {
    const e = n ? sorted[0] : NaN;
    return { low: e, estimate: e, high: n ? quantile(sorted, 0.01) : Infinity };
  }
  if (stat === 'max') {
    const e = n ? sorted[n - 1] : NaN;
    return { low: n ? quantile(sorted, 0.99) : -Infinity, estimate: e, high: e };
  }
  return quantileInterval(sorted, QUANTILE_OF[stat] as number, confidence);
}

/** Descriptive statistics of sorted samples. */
export function summarize(sorted: Sorted): Summary {
  const { mean, sd } = meanSd(sorted);
  const n = sorted.length;
  const s: Summary = {
    min: sorted[0],
    max: sorted[n - 1],
    mean,
    sd,
    p50: quantile(sorted, 0.5),
    p75: quantile(sorted, 0.75),
    p99: quantile(sorted, 0.99),
  };
  if (n >= P999_MIN_SAMPLES) s.p999 = quantile(sorted, 0.999);
  return s;
}

/** Relative margin of error: half the interval's width over the estimate (0 for a 0 estimate). */
export function relativeMargin(iv: Interval): number {
  if (!Number.isFinite(iv.low) || !Number.isFinite(iv.high)) return 1;
  if (iv.estimate === 0) return 0;
  return Math.abs((iv.high - iv.low) / 2 / iv.estimate);
}

/**
 * Keeps a uniform random subset of at most `capacity` values from a stream of any length
 * (Vitter's algorithm R), so a measurement's memory is bounded whatever its call count.
 */
export class Reservoir {
  readonly values: number[] = [];
  seen = 0;
  constructor(readonly capacity: number, private rand: () => number = Math.random) {}
  push(x: number): void {
    this.seen++;
    if (this.values.length < this.capacity) this.values.push(x);
    else {
      const j = Math.floor(this.rand() * this.seen);
      if (j < this.capacity) this.values[j] = x;
    }
  }
}

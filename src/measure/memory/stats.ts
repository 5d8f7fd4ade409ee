/** Memory: statistics over runs and rounds (robust location and slope, with intervals). */
import { CONFIDENCE } from '../../constants';
import type { Interval } from '../../types';
import { quantile, quantileInterval, sortSamples, tQuantile } from '../stats';

export interface LineFit {
  /** Slope with its interval (±Infinity ends when the points are too few). */
  slope: Interval;
  intercept: number;
  /** Points fitted. */
  n: number;
}

/** Least-squares slope with a Student-t interval from its standard error (reported beside the robust figure). */
export function leastSquares(xs: readonly number[], ys: readonly number[], confidence = CONFIDENCE): LineFit {
  const n = xs.length;
  if (n < 3) return { slope: { low: -Infinity, estimate: n === 2 ? (ys[1] - ys[0]) / (xs[1] - xs[0]) : 0, high: Infinity }, intercept: n ? ys[0] : 0, n };
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  const b = sxy / sxx;
  const a = my - b * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i] - a - b * xs[i]) ** 2;
  const se = Math.sqrt(sse / (n - 2) / sxx);
  const half = tQuantile(1 - (1 - confidence) / 2, n - 2) * se;
  return { slope: { low: b - half, estimate: b, high: b + half }, intercept: a, n };
}

/**
 * Median of n values with its order-statistic interval. Below the size at which [min, max]
 * reaches the confidence (6 values for 95%), [min, max] is returned with its true coverage,
 * 1 − 2^(1−n), so that a short run still says what it can.
 */
export function medianInterval(values: readonly number[], confidence = CONFIDENCE): { interval: Interval; coverage: number } {
  const sorted = sortSamples(values);
  const n = sorted.length;
  const iv = quantileInterval(sorted, 0.5, confidence);
  if (Number.isFinite(iv.low) && Number.isFinite(iv.high)) return { interval: iv, coverage: confidence };
  return { interval: { low: sorted[0], estimate: iv.estimate, high: sorted[n - 1] }, coverage: n > 1 ? 1 - 2 ** (1 - n) : 0 };
}

/**
 * The lower envelope of consecutive values: min(v[i], v[i + 1]). The engine's own transients
 * are always extra memory held at one snapshot and gone at the next (128–216 KB in old space,
 * measured in a ts-jest worker, alone or on every other snapshot: a period-2 pattern that a
 * running median keeps); the envelope drops them. For a monotone series (any leak) it is the
 * series itself, shifted by one point, so a slope is unchanged.
 */
export function lowerEnvelope(values: readonly number[]): number[] {
  return values.slice(0, -1).map((v, i) => Math.min(v, values[i + 1]));
}

/** Share trimmed from each end for the trimmed mean (Wilcox's usual 20%: two of 11 readings per side). */
export const TRIM = 0.2;

/**
 * Trimmed mean with Yuen's interval: drop the ⌊trim·n⌋ smallest and largest values, average the
 * rest, and take the Student-t interval (h − 1 degrees of freedom, h values kept) from the
 * winsorized variance: d = (n − 1)·s_w² / (h·(h − 1)), mean ± t·√d. It estimates the mean, so
 * growth that comes every few rounds still counts, while the most extreme reading on each side
 * (a release of memory that is not the function's) does not.
 */
export function trimmedMeanInterval(values: readonly number[], trim = TRIM, confidence = CONFIDENCE): Interval {
  const x = sortSamples(values);
  const n = x.length;
  if (n === 0) return { low: -Infinity, estimate: 0, high: Infinity };
  const g = Math.floor(trim * n);
  const h = n - 2 * g;
  let sum = 0;
  for (let i = g; i < n - g; i++) sum += x[i];
  const estimate = sum / h;
  if (h < 2) return { low: -Infinity, estimate, high: Infinity };
  const w = Array.from(x, (v, i) => (i < g ? x[g] : i >= n - g ? x[n - g - 1] : v));
  const wm = w.reduce((a, b) => a + b, 0) / n;
  const s2 = w.reduce((a, b) => a + (b - wm) ** 2, 0) / (n - 1);
  const half = tQuantile(1 - (1 - confidence) / 2, h - 1) * Math.sqrt(((n - 1) * s2) / (h * (h - 1)));
  return { low: estimate - half, estimate, high: estimate + half };
}

/** Median of the differences between consecutive values: a step that one odd value cannot set. */
export function medianStep(values: readonly number[]): number {
  const steps = values.slice(1).map((v, i) => v - values[i]);
  return steps.length ? quantile(sortSamples(steps), 0.5) : 0;
}

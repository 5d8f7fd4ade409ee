/**
 * Comparison statistics for two functions measured interleaved in one run: the speedup of one
 * over the other (a ratio) and the overhead of one over the other (a difference, or a ratio − 1).
 *
 * Method: combined order-statistic bounds (Bonferroni). Each side gets its own interval for the
 * statistic at confidence 1 − α/2 — for a quantile the distribution-free order-statistic interval
 * (`quantileInterval`), for the mean Student's t — and the two are combined by interval arithmetic:
 *
 *   ratio  a / b :  [a.low / b.high,  a.high / b.low]
 *   diff   a − b :  [a.low − b.high,  a.high − b.low]
 *
 * Coverage: the combined interval contains the true ratio (difference) whenever both per-side
 * intervals contain their true statistic. By the union bound that happens with probability at
 * least 1 − α/2 − α/2 = 1 − α, whatever the distributions and whether or not the two sides are
 * independent. For quantiles the per-side guarantee holds for independent, identically distributed samples of a
 * continuous distribution; for the mean it is as good as the t approximation. It is conservative:
 * for independent sides the true coverage is above 1 − α — a seeded simulation in
 * tests/unit/compare.test.ts measures 99.8–99.95% for a nominal 95% (log-normal timings, 10 to
 * 100 samples a side) — and a difference's width is the sum of the two widths, not their
 * root-sum-square (≈ √2 wider than an independence-based interval: a little slower to decide).
 * The sides' samples are batch means, interleaved in rounds, so machine drift spreads over both
 * sides alike; a steady order effect (the side measured first in each round) is not cancelled:
 * the same 20 µs work against itself measured differences of tens of nanoseconds (~0.2%).
 *
 * Why not a bootstrap: the slow side of a comparison (a 40 ms call) may have only ~10 samples, where
 * a bootstrap of the median is coarse and its coverage unknown; order statistics are exact at any
 * n, need no resampling inside the stopping loop, and say plainly when n is too small (±Infinity).
 */
import { CONFIDENCE } from '../constants';
import type { Interval } from '../types';
import { formatDuration, formatDurationInterval } from '../units/duration';
import { runInterleaved, Subject, type Measured, type RunResult } from './engine';
import { quantileInterval, statInterval, summarize, type Sorted } from './stats';

/** The statistics a comparison may be made on. */
export type CompareStat = 'p50' | 'mean';
export const COMPARE_STATS: readonly CompareStat[] = ['p50', 'mean'];

/**
 * Per-call times below a tenth of a nanosecond (well under one CPU cycle) cannot be told apart
 * from the empty loop that was subtracted; a denominator is floored here so ratios stay finite.
 */
export const MIN_RESOLVABLE_NS = 0.1;

/** Confidence each side's interval needs so that the combined interval has `confidence`. */
export function sideConfidence(confidence: number): number {
  return 1 - (1 - confidence) / 2;
}

/** The interval of one side's statistic at the per-side level for a combined `confidence`. */
export function sideInterval(sorted: Sorted, stat: CompareStat, confidence: number = CONFIDENCE): Interval {
  return statInterval(sorted, stat, sideConfidence(confidence));
}

/**
 * Fewest samples for which one side's bounds are finite at a combined `confidence`: below it the
 * order-statistic interval of the median reaches ±Infinity and no comparison can be concluded.
 * (9 at the 99% stopping level, 7 at 95%.) The mean uses the median's count too: a t interval is
 * finite from 2 samples, but that few samples of a skewed timing distribution mislead.
 */
export function minSamplesForBounds(confidence: number): number {
  const level = sideConfidence(confidence);
  for (let n = 1; ; n++) {
    const probe = Float64Array.from({ length: n }, (_, i) => i + 1) as unknown as Sorted;
    const iv = quantileInterval(probe, 0.5, level);
    if (Number.isFinite(iv.low) && Number.isFinite(iv.high)) return n;
  }
}

function floorAt(x: number, floor: number): number {
  return Math.max(x, floor);
}

/**
 * a / b by interval arithmetic on non-negative quantities. `b` is floored at MIN_RESOLVABLE_NS so
 * a ratio stays finite; an unbounded side of `b` (too few samples) leaves that side of the ratio
 * unbounded rather than resting on the floor.
 */
export function ratioInterval(a: Interval, b: Interval): Interval {
  // Times are never negative: a t interval's negative lower bound carries no information.
  const aLow = Math.max(0, a.low);
  return {
    low: aLow / floorAt(b.high, MIN_RESOLVABLE_NS),
    estimate: Math.max(0, a.estimate) / floorAt(b.estimate, MIN_RESOLVABLE_NS),
    high: Number.isFinite(b.low) ? a.high / floorAt(b.low, MIN_RESOLVABLE_NS) : Infinity,
  };
}

/** a − b by interval arithmetic. */
export function differenceInterval(a: Interval, b: Interval): Interval {
  return { low: a.low - b.high, estimate: a.estimate - b.estimate, high: a.high - b.low };
}

/** Both sides' intervals and the combined one. */
export interface Comparison {
  /** The combined interval (speedup in x, overhead in ns or percent). */
  interval: Interval;
  ours: Interval;
  other: Interval;
  /** True when a denominator was at or below MIN_RESOLVABLE_NS, so a bound rests on the floor. */
  floored: boolean;
}

function touchesFloor(iv: Interval): boolean {
  return Number.isFinite(iv.low) && iv.low <= MIN_RESOLVABLE_NS;
}

/** Speedup of ours over other: other's statistic ÷ ours, with its interval. */
export function speedup(ours: Sorted, other: Sorted, stat: CompareStat, confidence: number = CONFIDENCE): Comparison {
  const o = sideInterval(ours, stat, confidence);
  const t = sideInterval(other, stat, confidence);
  return { interval: ratioInterval(t, o), ours: o, other: t, floored: touchesFloor(o) };
}

export type OverheadKind = 'duration' | 'percent';

/**
 * Overhead of ours over the baseline: ours − baseline in ns (`duration`), or
 * (ours ÷ baseline − 1) × 100 in percent (`percent`), with its interval.
 */
export function overhead(ours: Sorted, baseline: Sorted, stat: CompareStat, kind: OverheadKind, confidence: number = CONFIDENCE): Comparison {
  const o = sideInterval(ours, stat, confidence);
  const b = sideInterval(baseline, stat, confidence);
  if (kind === 'duration') return { interval: differenceInterval(o, b), ours: o, other: b, floored: false };
  const r = ratioInterval(o, b);
  const pct = (x: number): number => (x - 1) * 100;
  return { interval: { low: pct(r.low), estimate: pct(r.estimate), high: pct(r.high) }, ours: o, other: b, floored: touchesFloor(b) };
}

/** The method, in words, for a record's details. */
export function methodOf(stat: CompareStat, confidence: number = CONFIDENCE): string {
  const side = `${+(sideConfidence(confidence) * 100).toFixed(2)}%`;
  const per = stat === 'mean' ? `Student-t interval of each side's mean at ${side}` : `order-statistic interval of each side's ${stat} at ${side}`;
  return `${per}, combined by interval arithmetic (Bonferroni: ≥ ${+(confidence * 100).toFixed(2)}% coverage)`;
}

/** One side's facts for a record's details and a message: plain JSON. */
export interface SideReport {
  stat: CompareStat;
  /** The side's statistic with its per-side interval at the combined 95% level (ns). */
  estimate: number;
  low: number | null;
  high: number | null;
  /** Confidence of that per-side interval (97.5% for a combined 95%). */
  confidence: number;
  samples: number;
  batch: number;
  async: boolean;
  /** Empty-loop cost subtracted from each call (ns). */
  baselineNs: number;
  summary: ReturnType<typeof summarize>;
}

/** The minimal view of a measured Subject a side report needs. */
export interface SideSource {
  samples: number;
  batch: number;
  isAsync: boolean;
  baselineNs: number;
  sorted(): Sorted;
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** An interval as plain JSON: an unbounded side (too few samples) is null, not a made-up number. */
export function jsonInterval(iv: Interval): { low: number | null; estimate: number; high: number | null } {
  return { low: finiteOrNull(iv.low), estimate: iv.estimate, high: finiteOrNull(iv.high) };
}

export function sideReport(s: SideSource, stat: CompareStat, iv: Interval, confidence: number = CONFIDENCE): SideReport {
  return {
    stat,
    estimate: iv.estimate,
    low: finiteOrNull(iv.low),
    high: finiteOrNull(iv.high),
    confidence: sideConfidence(confidence),
    samples: s.samples,
    batch: s.batch,
    async: s.isAsync,
    baselineNs: s.baselineNs,
    summary: summarize(s.sorted()),
  };
}

export interface PairOptions {
  /** Fewest samples per side, when the user gave one (applies to both sides). */
  minSamples?: number;
  maxTimeMs?: number;
  warmupMs?: number;
  /** Bound on one call, warm-up batch or sampling round of either side, in ms. */
  timeoutMs?: number;
}

export interface PairRun {
  ours: Subject;
  other: Subject;
  run: RunResult;
}

/**
 * Measures two functions interleaved in one run (ours, other, ours, other, …), each with its own
 * warm-up, batch size and empty-loop subtraction, until both have their minimum samples and
 * `decided` (asked with each side's sorted samples) says the question is answered, or time runs
 * out. Without an explicit minSamples each Subject sizes its own minimum to its call's cost, so a
 * slow side (a 40 ms call) needs only about 10 samples — enough for finite bounds at the stopping
 * level (minSamplesForBounds(STOP_CONFIDENCE) = 9) — while a fast side takes its usual 30.
 */
export async function measurePair(
  oursFn: Measured,
  otherFn: Measured,
  decided: (ours: Sorted, other: Sorted) => boolean,
  opts: PairOptions = {},
): Promise<PairRun> {
  const subjectOpts = { minSamples: opts.minSamples, warmupMs: opts.warmupMs };
  const ours = new Subject(oursFn, subjectOpts);
  const other = new Subject(otherFn, subjectOpts);
  const run = await runInterleaved([ours, other], () => decided(ours.sorted(), other.sorted()), { maxTimeMs: opts.maxTimeMs, timeoutMs: opts.timeoutMs });
  return { ours, other, run };
}

/** One side for a message: `name p50 [low est high] (97.5% CI), 412 samples × 20 calls`. */
export function sideLine(name: string, s: Pick<Subject, 'samples' | 'batch'>, stat: CompareStat, iv: Interval, confidence: number = CONFIDENCE): string {
  const level = `${+(sideConfidence(confidence) * 100).toFixed(2)}% CI`;
  const part = (x: number): string => (Number.isFinite(x) ? formatDuration(x) : x > 0 ? '∞' : '-∞');
  const range =
    Number.isFinite(iv.low) && Number.isFinite(iv.high) ? formatDurationInterval(iv.low, iv.estimate, iv.high) : `[${part(iv.low)} ${part(iv.estimate)} ${part(iv.high)}]`;
  return `${name} ${stat} ${range} (${level}), ${s.samples} samples × ${s.batch} call${s.batch === 1 ? '' : 's'}`;
}

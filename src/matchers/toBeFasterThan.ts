import type { MatcherContext } from 'expect';
import { CONFIDENCE, DEFAULT_MAX_TIME_MS, DEFAULT_WARMUP_MS, STOP_CONFIDENCE } from '../constants';
import { COMPARE_STATS, measurePair, jsonInterval, methodOf, MIN_RESOLVABLE_NS, sideLine, sideReport, speedup, type CompareStat, type PairRun } from '../measure/compare';
import type { Measured } from '../measure/engine';
import { checks, checkWith, nameOf, samplingBudget } from '../units/args';
import type { Duration } from '../units/duration';
import { parseFactor, type Factor } from '../units/limit';
import { classify } from '../verdict';
import { conclude, recordError } from './conclude';
import { claim, ROW_OPTION_CHECKS, type RowOptions } from './row';

export interface FasterThanOptions extends RowOptions {
  /** Speedup the received function must have over `other`, at least: `10` or `'10x'` (default: the SLO's declared target, else 1: merely faster). */
  by?: Factor;
  /** Hard NO-GO limit: a speedup below it is FAIL; between it and `by` is WARN. At most `by` (default: `by`). */
  noGo?: Factor;
  /** The statistic of one call's time compared on both sides (default `'p50'`). */
  stat?: CompareStat;
  /**
   * Sampling budget for both sides together, counted from the first sampled round, minimum
   * samples included (default 2 s). When it runs out undecided, the verdict is inconclusive.
   */
  maxTime?: Duration;
  /** Fewest samples per side (default 30; a slow side takes fewer: about 150 ms of calls, never under 10). */
  minSamples?: number;
  /** Warm-up budget of each side (default 25 ms). */
  warmup?: Duration;
  /** Longest one call of either side may take before it counts as hung: an ERROR record (default: maxTime + warmup, at least 1 s). */
  timeout?: Duration;
}

const MATCHER = 'toBeFasterThan';

/** Without `by` (or a declared target), the claim is merely "faster": a speedup of at least 1. */
const DEFAULT_BY = 1;

const SPEC = {
  ...ROW_OPTION_CHECKS,
  by: checkWith(parseFactor),
  noGo: checkWith(parseFactor),
  stat: checks.oneOf(COMPARE_STATS),
  maxTime: checks.duration,
  minSamples: checks.positiveInt,
  warmup: checks.duration,
  timeout: checks.positiveDuration,
};

/**
 * Passes when the received function is at least `by` times faster than `other`: the speedup
 * (other's statistic ÷ ours, p50 by default) has a 95% interval whose lower end is ≥ `by`.
 * Both are measured interleaved in one run; a slow `other` needs only a few samples.
 *
 * @example
 * await expect(globalRuntime).toBeFasterThan(naivePerCall, { by: 1000 });
 */
export async function toBeFasterThan(this: MatcherContext, received: unknown, other: unknown, options?: unknown) {
  const { opts, row, lines } = claim<FasterThanOptions>(this.isNot === true, {
    matcher: MATCHER,
    callee: toBeFasterThan,
    functions: { 'received value': received, other },
    options,
    spec: SPEC,
    target: { option: 'by', fallback: { value: DEFAULT_BY, text: `${DEFAULT_BY}x` }, parse: parseFactor },
    text: factorText,
    targetName: 'by',
    unit: 'x',
    direction: 'higher',
    stat: (o) => `speedup(${(o.stat as CompareStat | undefined) ?? 'p50'})`,
    notClaim: '"not at least `by` times faster"',
  });
  const stat: CompareStat = opts.stat ?? 'p50';
  let pair: PairRun;
  try {
    pair = await measurePair(received as Measured, other as Measured, (o, t) => classify(speedup(o, t, stat, STOP_CONFIDENCE).interval, lines).conclusive, {
      minSamples: opts.minSamples,
      ...samplingBudget(opts, DEFAULT_MAX_TIME_MS, DEFAULT_WARMUP_MS),
    });
  } catch (error) {
    recordError(row, error);
  }
  const { ours, other: them, run } = pair;
  const cmp = speedup(ours.sorted(), them.sorted(), stat, CONFIDENCE);
  const notes: string[] = [];
  if (cmp.floored) {
    notes.push(`the received function's ${stat} is indistinguishable from the empty loop (its lower bound is ≤ ${MIN_RESOLVABLE_NS}ns); the speedup's upper end rests on that floor`);
  }
  if (!Number.isFinite(cmp.interval.low) || !Number.isFinite(cmp.interval.high)) {
    notes.push(`too few samples for a bounded 95% interval (received ${ours.samples}, other ${them.samples}); raise maxTime`);
  }
  const oursName = nameOf(received, 'received');
  const otherName = nameOf(other, 'other');
  return conclude(this, {
    hintArgs: 'other',
    ...row,
    interval: cmp.interval,
    samples: ours.samples,
    batch: ours.batch,
    notes,
    extra: [`Ours:     ${sideLine(oursName, ours, stat, cmp.ours)}`, `Other:    ${sideLine(otherName, them, stat, cmp.other)}`],
    details: {
      method: methodOf(stat),
      speedup: jsonInterval(cmp.interval),
      ours: { name: oursName, ...sideReport(ours, stat, cmp.ours) },
      other: { name: otherName, ...sideReport(them, stat, cmp.other) },
      minSamples: { ours: ours.minSamples, other: them.minSamples },
      floored: cmp.floored,
      wallMs: run.wallMs,
      rounds: run.rounds,
      stoppedBy: run.stoppedBy,
    },
  });
}

/** A factor as the user wrote it; a bare number reads as `'10x'`. */
function factorText(value: unknown): string {
  return typeof value === 'number' ? `${value}x` : String(value);
}

import type { MatcherContext } from 'expect';
import { CONFIDENCE, DEFAULT_MAX_TIME_MS, DEFAULT_WARMUP_MS, STOP_CONFIDENCE } from '../constants';
import { COMPARE_STATS, measurePair, jsonInterval, methodOf, MIN_RESOLVABLE_NS, overhead, sideLine, sideReport, type CompareStat, type PairRun } from '../measure/compare';
import type { Measured } from '../measure/engine';
import { checks, checkWith, nameOf, samplingBudget } from '../units/args';
import { formatDuration, type Duration } from '../units/duration';
import { parseLimit, parseLimitOfKind, type LimitKind, type OverheadLimit } from '../units/limit';
import { classify } from '../verdict';
import { conclude, recordError } from './conclude';
import { claim, ROW_OPTION_CHECKS, type RowOptions } from './row';

export interface OverheadOptions extends RowOptions {
  /** Hard NO-GO limit, of the same kind as the limit and at least it (default: the limit). Over the limit but within it: WARN. */
  noGo?: OverheadLimit;
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

const MATCHER = 'toHaveOverheadUnder';

const SPEC = {
  ...ROW_OPTION_CHECKS,
  noGo: checkWith(parseLimit),
  stat: checks.oneOf(COMPARE_STATS),
  maxTime: checks.duration,
  minSamples: checks.positiveInt,
  warmup: checks.duration,
  timeout: checks.positiveDuration,
};

/**
 * Passes when the received function costs at most `limit` more than `baseline`: ours − baseline
 * (a duration limit, `'5ns'`) or ours ÷ baseline − 1 (a percentage, `'1%'`), on the p50 by
 * default, with a 95% interval whose upper end is within the limit. Both are measured
 * interleaved in one run.
 *
 * @example
 * await expect(errorPath).toHaveOverheadUnder(successPath, '5ns');
 * await expect(() => execute(work)).toHaveOverheadUnder(work, '1%');
 */
export async function toHaveOverheadUnder(this: MatcherContext, received: unknown, baseline: unknown, limit: unknown, options?: unknown) {
  // The limit's kind (duration or percentage) decides how noGo and a declared value are read.
  let kind: LimitKind = 'duration';
  const { opts, row, lines } = claim<OverheadOptions>(this.isNot === true, {
    matcher: MATCHER,
    callee: toHaveOverheadUnder,
    functions: { 'received value': received, baseline },
    options,
    spec: SPEC,
    target: {
      arg: limit,
      name: 'limit',
      parse: (v, what) => {
        const parsed = parseLimit(v, what);
        kind = parsed.kind;
        return parsed.value;
      },
    },
    parse: (v, what) => parseLimitOfKind(v, kind, what),
    targetName: 'the limit',
    unit: () => (kind === 'duration' ? 'ns' : 'percent'),
    direction: 'lower',
    stat: (o) => `overhead(${(o.stat as CompareStat | undefined) ?? 'p50'})`,
    notClaim: '"the overhead is not under the limit"',
  });
  const stat: CompareStat = opts.stat ?? 'p50';
  let pair: PairRun;
  try {
    pair = await measurePair(received as Measured, baseline as Measured, (o, b) => classify(overhead(o, b, stat, kind, STOP_CONFIDENCE).interval, lines).conclusive, {
      minSamples: opts.minSamples,
      ...samplingBudget(opts, DEFAULT_MAX_TIME_MS, DEFAULT_WARMUP_MS),
    });
  } catch (error) {
    recordError(row, error);
  }
  const { ours, other: base, run } = pair;
  const cmp = overhead(ours.sorted(), base.sorted(), stat, kind, CONFIDENCE);
  const iv = cmp.interval;
  const notes: string[] = [];
  const half = (iv.high - iv.low) / 2;
  if (Number.isFinite(half) && Math.abs(iv.estimate) <= half) {
    const shown = kind === 'duration' ? formatDuration(half) : `${+half.toPrecision(3)}%`;
    notes.push(`the overhead is within its own noise (±${shown}): a relative margin around a near-zero estimate says little; judge by the interval`);
  }
  if (cmp.floored) {
    notes.push(`the baseline's ${stat} is indistinguishable from the empty loop (its lower bound is ≤ ${MIN_RESOLVABLE_NS}ns): a percentage of it is unbounded; use a duration limit`);
  }
  if (!Number.isFinite(iv.low) || !Number.isFinite(iv.high)) {
    notes.push(`too few samples for a bounded 95% interval (received ${ours.samples}, baseline ${base.samples}); raise maxTime`);
  }
  const oursName = nameOf(received, 'received');
  const baseName = nameOf(baseline, 'baseline');
  return conclude(this, {
    hintArgs: 'baseline, limit',
    ...row,
    interval: iv,
    samples: ours.samples,
    batch: ours.batch,
    notes,
    extra: [`Ours:     ${sideLine(oursName, ours, stat, cmp.ours)}`, `Baseline: ${sideLine(baseName, base, stat, cmp.other)}`],
    details: {
      method: methodOf(stat),
      overhead: jsonInterval(iv),
      kind,
      ours: { name: oursName, ...sideReport(ours, stat, cmp.ours) },
      baseline: { name: baseName, ...sideReport(base, stat, cmp.other) },
      minSamples: { ours: ours.minSamples, baseline: base.minSamples },
      floored: cmp.floored,
      wallMs: run.wallMs,
      rounds: run.rounds,
      stoppedBy: run.stoppedBy,
    },
  });
}


import type { MatcherContext } from 'expect';
import { CONFIDENCE, DEFAULT_MAX_TIME_MS, STOP_CONFIDENCE } from '../constants';
import { epochNow } from '../measure/clock';
import { COMPARE_STATS, measurePair, jsonInterval, methodOf, MIN_RESOLVABLE_NS, overhead, sideLine, sideReport, type CompareStat, type PairRun } from '../measure/compare';
import type { Measured } from '../measure/engine';
import { formatDuration, parseDuration, type Duration } from '../units/duration';
import { parseLimit, parseLimitOfKind, type OverheadLimit } from '../units/limit';
import { classify } from '../verdict';
import { checkOptions, checks, claimLines, conclude, recordError, requireFunction, resolveRow, ROW_OPTION_CHECKS, SloArgumentError, type RowOptions, parseArgument, nameOf } from './shared';

export interface OverheadOptions extends RowOptions {
  /** Hard NO-GO limit, of the same kind as the limit and at least it (default: the limit). Over the limit but within it: WARN. */
  noGo?: OverheadLimit;
  /** The statistic of one call's time compared on both sides (default `'p50'`). */
  stat?: CompareStat;
  /** Time budget for sampling both sides together (default 2 s). */
  maxTime?: Duration;
  /** Fewest samples per side (default 30; a slow side takes fewer: about 150 ms of calls, never under 10). */
  minSamples?: number;
}

const MATCHER = 'toHaveOverheadUnder';

function limitCheck(v: unknown): string | undefined {
  try {
    parseLimit(v, 'value');
    return undefined;
  } catch (e) {
    return (e as Error).message.replace('value must be', 'must be');
  }
}

const SPEC = {
  ...ROW_OPTION_CHECKS,
  noGo: limitCheck,
  stat: checks.oneOf(COMPARE_STATS),
  maxTime: checks.duration,
  minSamples: checks.positiveInt,
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
  const negated = this.isNot === true;
  requireFunction(MATCHER, received, 'received value', toHaveOverheadUnder);
  requireFunction(MATCHER, baseline, 'baseline', toHaveOverheadUnder);
  const parsed = parseArgument(MATCHER, toHaveOverheadUnder, () => parseLimit(limit, 'limit'));
  const opts = checkOptions<OverheadOptions>(MATCHER, options, SPEC, toHaveOverheadUnder);
  if (negated && opts.noGo !== undefined) {
    throw new SloArgumentError(MATCHER, 'option noGo has no meaning with .not.toHaveOverheadUnder: the claim is only "the overhead is not under the limit"', toHaveOverheadUnder);
  }
  const kind = parsed.kind;
  const targetText = String(limit);
  const parseSameKind = (v: unknown, what: string): number => parseArgument(MATCHER, toHaveOverheadUnder, () => parseLimitOfKind(v, kind, what));
  const { slo, tier, noGo, noGoText } = resolveRow(
    MATCHER,
    {
      slo: opts.slo,
      tier: opts.tier,
      target: parsed.value,
      targetText,
      noGo: opts.noGo === undefined ? undefined : parseSameKind(opts.noGo, 'option noGo'),
      noGoText: opts.noGo === undefined ? undefined : String(opts.noGo),
    },
    parseSameKind,
    toHaveOverheadUnder,
  );
  if (noGo < parsed.value) {
    throw new SloArgumentError(MATCHER, `noGo (${noGoText}) must be at least the limit (${targetText}): it is the hard limit beyond the target`, toHaveOverheadUnder);
  }
  const stat: CompareStat = opts.stat ?? 'p50';
  const unit = kind === 'duration' ? ('ns' as const) : ('percent' as const);
  const row = {
    matcher: MATCHER,
    negated,
    slo,
    tier,
    unit,
    direction: 'lower' as const,
    target: parsed.value,
    noGo,
    targetText,
    noGoText,
    stat: `overhead(${stat})`,
    startedAt: epochNow(),
  };
  const lines = claimLines(row);
  let pair: PairRun;
  try {
    pair = await measurePair(received as Measured, baseline as Measured, (o, b) => classify(overhead(o, b, stat, kind, STOP_CONFIDENCE).interval, lines).conclusive, {
      minSamples: opts.minSamples,
      maxTimeMs: opts.maxTime === undefined ? DEFAULT_MAX_TIME_MS : parseDuration(opts.maxTime) / 1e6,
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
    budgetExhausted: run.stoppedBy !== 'decided',
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


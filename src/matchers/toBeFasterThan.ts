import type { MatcherContext } from 'expect';
import { CONFIDENCE, DEFAULT_MAX_TIME_MS, STOP_CONFIDENCE } from '../constants';
import { declared } from '../declarations';
import { epochNow } from '../measure/clock';
import { COMPARE_STATS, measurePair, jsonInterval, methodOf, MIN_RESOLVABLE_NS, sideLine, sideReport, speedup, type CompareStat, type PairRun } from '../measure/compare';
import type { Measured } from '../measure/engine';
import { parseDuration, type Duration } from '../units/duration';
import { parseFactor } from '../units/limit';
import { classify } from '../verdict';
import { checkOptions, checks, claimLines, conclude, recordError, requireFunction, resolveRow, ROW_OPTION_CHECKS, SloArgumentError, type RowOptions, parseArgument, nameOf } from './shared';

export interface FasterThanOptions extends RowOptions {
  /** Speedup the received function must have over `other`, at least (default: the SLO's declared target, else 1: merely faster). */
  by?: number;
  /** Hard NO-GO limit: a speedup below it is FAIL; between it and `by` is WARN. At most `by` (default: `by`). */
  noGo?: number;
  /** The statistic of one call's time compared on both sides (default `'p50'`). */
  stat?: CompareStat;
  /** Time budget for sampling both sides together (default 2 s). */
  maxTime?: Duration;
  /** Fewest samples per side (default 30; a slow side takes fewer: about 150 ms of calls, never under 10). */
  minSamples?: number;
}

const MATCHER = 'toBeFasterThan';

/** Without `by` (or a declared target), the claim is merely "faster": a speedup of at least 1. */
const DEFAULT_BY = 1;

const SPEC = {
  ...ROW_OPTION_CHECKS,
  by: checks.positive,
  noGo: checks.positive,
  stat: checks.oneOf(COMPARE_STATS),
  maxTime: checks.duration,
  minSamples: checks.positiveInt,
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
  const negated = this.isNot === true;
  requireFunction(MATCHER, received, 'received value', toBeFasterThan);
  requireFunction(MATCHER, other, 'other', toBeFasterThan);
  const opts = checkOptions<FasterThanOptions>(MATCHER, options, SPEC, toBeFasterThan);
  if (negated && opts.noGo !== undefined) {
    throw new SloArgumentError(MATCHER, 'option noGo has no meaning with .not.toBeFasterThan: the claim is only "not at least `by` times faster"', toBeFasterThan);
  }
  // Without `by`, the target declared for this SLO in the reporter's slos option, if any.
  const sloName = opts.slo ?? this.currentTestName ?? '';
  const declaredTarget = opts.by === undefined ? declared(sloName)?.target : undefined;
  const by = opts.by ?? (declaredTarget === undefined ? DEFAULT_BY : parseArgument(MATCHER, toBeFasterThan, () => parseFactor(declaredTarget, `declared target of SLO ${JSON.stringify(sloName)}`)));
  const targetText = `${by}x`;
  const { slo, tier, noGo, noGoText } = resolveRow(
    MATCHER,
    { slo: opts.slo, tier: opts.tier, target: by, targetText, noGo: opts.noGo, noGoText: opts.noGo === undefined ? undefined : `${opts.noGo}x` },
    (v, what) => parseArgument(MATCHER, toBeFasterThan, () => parseFactor(v, what)),
    toBeFasterThan,
  );
  if (noGo > by) {
    throw new SloArgumentError(MATCHER, `noGo (${noGoText}) must be at most by (${targetText}): it is the hard limit below the target speedup`, toBeFasterThan);
  }
  const stat: CompareStat = opts.stat ?? 'p50';
  const row = {
    matcher: MATCHER,
    negated,
    slo,
    tier,
    unit: 'x' as const,
    direction: 'higher' as const,
    target: by,
    noGo,
    targetText,
    noGoText,
    stat: `speedup(${stat})`,
    startedAt: epochNow(),
  };
  const lines = claimLines(row);
  let pair: PairRun;
  try {
    pair = await measurePair(received as Measured, other as Measured, (o, t) => classify(speedup(o, t, stat, STOP_CONFIDENCE).interval, lines).conclusive, {
      minSamples: opts.minSamples,
      maxTimeMs: opts.maxTime === undefined ? DEFAULT_MAX_TIME_MS : parseDuration(opts.maxTime) / 1e6,
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
    budgetExhausted: run.stoppedBy !== 'decided',
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


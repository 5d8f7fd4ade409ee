import type { MatcherContext } from 'expect';
import { BATCH_THRESHOLD_NS, DEFAULT_MAX_TIME_MS, P999_MIN_SAMPLES, STOP_CONFIDENCE } from '../constants';
import { epochNow } from '../measure/clock';
import { measure, type Measured } from '../measure/engine';
import { STATS, type Stat } from '../measure/stats';
import { formatDuration, parseDuration, type Duration } from '../units/duration';
import { classify } from '../verdict';
import { checkOptions, checks, claimLines, conclude, recordError, requireFunction, resolveRow, ROW_OPTION_CHECKS, SloArgumentError, type RowOptions, parseArgument } from './shared';

export interface RunUnderOptions extends RowOptions {
  /** The statistic of one call's time that must be under the target (default `'p50'`). */
  stat?: Stat;
  /** Hard NO-GO limit, at least the target (default: the target). Over target but within it: WARN. */
  noGo?: Duration;
  /** Time budget for sampling (default 2 s). */
  maxTime?: Duration;
  /** Fewest samples before a verdict (default 30; 1,000 for p999). */
  minSamples?: number;
  /** Warm-up budget (default 25 ms). */
  warmup?: Duration;
}

const MATCHER = 'toRunUnder';

/** Statistics of the distribution's tail, which batching distorts. */
const TAIL_STATS: readonly Stat[] = ['p99', 'p999', 'max'];

const SPEC = {
  ...ROW_OPTION_CHECKS,
  stat: checks.oneOf(STATS),
  noGo: checks.duration,
  maxTime: checks.duration,
  minSamples: checks.positiveInt,
  warmup: checks.duration,
};

/**
 * Passes when the chosen statistic of one call's time (p50 by default) is under `target`,
 * judged on a 95% confidence interval. Sync and async functions; a returned promise is awaited.
 *
 * @example
 * await expect(() => execute(task)).toRunUnder('10us');
 * await expect(fetchUser).toRunUnder('5ms', { stat: 'p99', noGo: '20ms', tier: 'should' });
 */
export async function toRunUnder(this: MatcherContext, received: unknown, target: unknown, options?: unknown) {
  const negated = this.isNot === true;
  requireFunction(MATCHER, received, 'received value', toRunUnder);
  const targetNs = parseArgument(MATCHER, toRunUnder, () => parseDuration(target, 'target'));
  const opts = checkOptions<RunUnderOptions>(MATCHER, options, SPEC, toRunUnder);
  if (negated && opts.noGo !== undefined) {
    throw new SloArgumentError(MATCHER, 'option noGo has no meaning with .not.toRunUnder: the claim is only "slower than target"', toRunUnder);
  }
  const { slo, tier, noGo: noGoNs, noGoText } = resolveRow(
    MATCHER,
    { slo: opts.slo, tier: opts.tier, target: targetNs, targetText: durationText(target), noGo: opts.noGo === undefined ? undefined : parseDuration(opts.noGo, 'noGo'), noGoText: opts.noGo === undefined ? undefined : durationText(opts.noGo) },
    parseDuration,
    toRunUnder,
  );
  if (noGoNs < targetNs) {
    throw new SloArgumentError(MATCHER, `noGo (${noGoText}) must be at least the target (${String(target)}): it is the hard limit beyond the target`, toRunUnder);
  }
  const stat: Stat = opts.stat ?? 'p50';
  // Left undefined unless needed, so the engine can adapt the minimum to slow calls.
  const minSamples = stat === 'p999' ? Math.max(opts.minSamples ?? 0, P999_MIN_SAMPLES) : opts.minSamples;
  const row = {
    matcher: MATCHER,
    negated,
    slo,
    tier,
    unit: 'ns' as const,
    direction: 'lower' as const,
    target: targetNs,
    noGo: noGoNs,
    targetText: durationText(target),
    noGoText,
    stat,
    startedAt: epochNow(),
  };
  const lines = claimLines(row);
  let result;
  try {
    result = await measure(received as Measured, (s) => classify(s.interval(stat, STOP_CONFIDENCE), lines).conclusive, {
      minSamples,
      maxTimeMs: opts.maxTime === undefined ? DEFAULT_MAX_TIME_MS : parseDuration(opts.maxTime) / 1e6,
      warmupMs: opts.warmup === undefined ? undefined : parseDuration(opts.warmup) / 1e6,
    });
  } catch (error) {
    recordError(row, error);
  }
  const { subject, run } = result;
  const notes: string[] = [];
  if (subject.batch > 1 && TAIL_STATS.includes(stat)) {
    // A batched sample is the mean of k calls: its tail is narrower than single calls' tail.
    notes.push(`${stat} describes samples of ${subject.batch} calls each (calls under ${formatDuration(BATCH_THRESHOLD_NS)} are batched), not single calls`);
  }
  return conclude(this, {
    notes,
    ...row,
    interval: subject.interval(stat),
    samples: subject.samples,
    batch: subject.batch,
    budgetExhausted: run.stoppedBy !== 'decided',
    summary: subject.summary(),
    details: { async: subject.isAsync, baselineNs: subject.baselineNs, warmupCalls: subject.warmupCalls, wallMs: run.wallMs, rounds: run.rounds, stoppedBy: run.stoppedBy },
  });
}

/** The user's spelling of a duration; a bare number is milliseconds, so say so. */
function durationText(value: unknown): string {
  return typeof value === 'number' ? `${value}ms` : String(value);
}


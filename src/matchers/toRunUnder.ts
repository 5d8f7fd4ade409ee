import type { MatcherContext } from 'expect';
import { BATCH_THRESHOLD_NS, DEFAULT_MAX_TIME_MS, DEFAULT_WARMUP_MS, P999_MIN_SAMPLES, STOP_CONFIDENCE } from '../constants';
import { measure, type Measured } from '../measure/engine';
import { STATS, type Stat } from '../measure/stats';
import { checks, durationText, samplingBudget } from '../units/args';
import { formatDuration, parseDuration, type Duration } from '../units/duration';
import { classify } from '../verdict';
import { conclude, recordError } from './conclude';
import { claim, ROW_OPTION_CHECKS, type RowOptions } from './row';

export interface RunUnderOptions extends RowOptions {
  /** The statistic of one call's time that must be under the target (default `'p50'`). */
  stat?: Stat;
  /** Hard NO-GO limit, at least the target (default: the target). Over target but within it: WARN. */
  noGo?: Duration;
  /**
   * Sampling budget, counted from the first sampled round, minimum samples included (default
   * 2 s). When it runs out with the interval still straddling a line, the verdict is inconclusive.
   */
  maxTime?: Duration;
  /** Fewest samples before a verdict (default 30; 1,000 for p999). */
  minSamples?: number;
  /** Warm-up budget (default 25 ms). */
  warmup?: Duration;
  /**
   * Longest one call (or one warm-up batch, or one sampling round beyond its planned length) may
   * take before it counts as hung: the measurement ends with an ERROR record naming the call
   * (default: maxTime + warmup, at least 1 s).
   */
  timeout?: Duration;
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
  timeout: checks.positiveDuration,
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
  const { opts, row, lines } = claim<RunUnderOptions>(this.isNot === true, {
    matcher: MATCHER,
    callee: toRunUnder,
    functions: { 'received value': received },
    options,
    spec: SPEC,
    target: { arg: target, name: 'target', parse: parseDuration },
    text: durationText,
    targetName: 'the target',
    unit: 'ns',
    direction: 'lower',
    stat: (o) => (o.stat as Stat | undefined) ?? 'p50',
    notClaim: '"slower than target"',
  });
  const stat = row.stat as Stat;
  // Left undefined unless needed, so the engine can adapt the minimum to slow calls.
  const minSamples = stat === 'p999' ? Math.max(opts.minSamples ?? 0, P999_MIN_SAMPLES) : opts.minSamples;
  let result;
  try {
    result = await measure(received as Measured, (s) => classify(s.interval(stat, STOP_CONFIDENCE), lines).conclusive, {
      minSamples,
      ...samplingBudget(opts, DEFAULT_MAX_TIME_MS, DEFAULT_WARMUP_MS),
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
    summary: subject.summary(),
    details: { async: subject.isAsync, baselineNs: subject.baselineNs, warmupCalls: subject.warmupCalls, wallMs: run.wallMs, rounds: run.rounds, stoppedBy: run.stoppedBy },
  });
}

import type { MatcherContext } from 'expect';
import { CONFIDENCE, TARGET_SAMPLE_NS } from '../constants';
import { epochNow } from '../measure/clock';
import { quantileInterval, sortSamples, summarize } from '../measure/stats';
import { IsolateFailure, type Isolation } from '../threads/spawn';
import { coldStart, type StartupRun } from '../threads/startup';
import { isStartupTask, isThreadTask, type StartupTask } from '../threads/task';
import type { Interval } from '../types';
import { formatDuration, formatDurationInterval, parseDuration, type Duration } from '../units/duration';
import { classify } from '../verdict';
import { checkOptions, checks, conclude, recordError, resolveRow, ROW_OPTION_CHECKS, show, SloArgumentError, type RowOptions } from './shared';

export interface StartUnderOptions extends RowOptions {
  /** Hard NO-GO limit for the cold start, at least the target (the seed: startup > 500ms is NO-GO). */
  noGo?: Duration;
  /** Cold starts to sample, each in a fresh isolate (default 7; 6 or more bound the median's 95% interval). */
  runs?: number;
  /** `'thread'` (default): a new worker thread per run. `'process'`: a new Node process per run. */
  isolate?: Isolation;
  /**
   * Budget for the warm path: p50 of one call after the first (the cached path), measured inside
   * each isolate with batching. Missing it fails the claim (the seed: "subsequent access <1ns").
   */
  thenUnder?: Duration;
  /** Sampling budget of the warm path per run (default 20 ms). */
  warmTime?: Duration;
  /** Longest a single run may take before it counts as hung (default 30 s). */
  timeout?: Duration;
}

const MATCHER = 'toStartUnder';

/** Seven fresh isolates: the smallest odd count whose order-statistic interval for the median is bounded (≥ 6), with one to spare. */
const DEFAULT_RUNS = 7;
/** Each run is a whole isolate (tens of ms): more than this is a typo, not a test. */
const MAX_RUNS = 1000;
/** Thousands of batched samples of a cached accessor, yet 7 runs add only ~0.15 s. */
const DEFAULT_WARM_MS = 20;
/** A module's first call that takes this long is hung, not slow. */
const DEFAULT_TIMEOUT_MS = 30_000;
const ISOLATIONS: readonly Isolation[] = ['thread', 'process'];

function positiveDurationCheck(v: unknown, name: string): string | undefined {
  return checks.duration(v, name) ?? (parseDuration(v) > 0 ? undefined : `must be longer than 0; received ${show(v)}`);
}

const SPEC = {
  ...ROW_OPTION_CHECKS,
  noGo: checks.duration,
  runs: (v: unknown, n: string) => checks.positiveInt(v, n) ?? ((v as number) <= MAX_RUNS ? undefined : `must be at most ${MAX_RUNS}; received ${show(v)}`),
  isolate: checks.oneOf(ISOLATIONS),
  thenUnder: positiveDurationCheck,
  warmTime: positiveDurationCheck,
  timeout: positiveDurationCheck,
};

/**
 * Passes when a module's cold start — from a fresh isolate to the first completed call of its
 * export, module load included — is under `limit` (p50 of `runs` fresh isolates, judged on the
 * median's order-statistic 95% interval). With `thenUnder`, the warm (cached) path must also be
 * under that budget.
 *
 * @example
 * await expect(startup(require.resolve('./runtime'), 'getRuntime')).toStartUnder('100ms', { noGo: '500ms', thenUnder: '1us' });
 */
export async function toStartUnder(this: MatcherContext, received: unknown, limit: unknown, options?: unknown) {
  const negated = this.isNot === true;
  if (!isStartupTask(received)) {
    const hint = isThreadTask(received) ? ' (inThreads(...) names a thread task for toScaleLinearly; use startup(modulePath, exportName) here)' : '';
    throw new SloArgumentError(MATCHER, `received value must be a startup task from startup(modulePath, exportName, { args })${hint}; received ${show(received)}`, toStartUnder);
  }
  let targetNs: number;
  try {
    targetNs = parseDuration(limit, 'limit');
  } catch (e) {
    throw new SloArgumentError(MATCHER, (e as Error).message, toStartUnder);
  }
  const opts = checkOptions<StartUnderOptions>(MATCHER, options, SPEC, toStartUnder);
  if (negated && (opts.noGo !== undefined || opts.thenUnder !== undefined)) {
    throw new SloArgumentError(MATCHER, `option ${opts.noGo !== undefined ? 'noGo' : 'thenUnder'} has no meaning with .not.toStartUnder: the claim is only "starts slower than the limit"`, toStartUnder);
  }
  const targetText = String(limit);
  const row0 = resolveRow(
    MATCHER,
    { slo: opts.slo, tier: opts.tier, target: targetNs, targetText, noGo: opts.noGo === undefined ? undefined : parseDuration(opts.noGo), noGoText: opts.noGo === undefined ? undefined : String(opts.noGo) },
    parseDuration,
    toStartUnder,
  );
  if (row0.noGo < targetNs) {
    throw new SloArgumentError(MATCHER, `noGo (${row0.noGoText}) must be at least the limit (${targetText}): it is the hard limit beyond the target`, toStartUnder);
  }
  const runs = opts.runs ?? DEFAULT_RUNS;
  const isolation = opts.isolate ?? 'thread';
  const thenUnderNs = opts.thenUnder === undefined ? undefined : parseDuration(opts.thenUnder);
  const warmMs = thenUnderNs === undefined ? 0 : opts.warmTime === undefined ? DEFAULT_WARM_MS : parseDuration(opts.warmTime) / 1e6;
  const timeoutMs = opts.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDuration(opts.timeout) / 1e6;
  const row = {
    matcher: MATCHER,
    negated,
    slo: row0.slo,
    tier: row0.tier,
    unit: 'ns' as const,
    direction: 'lower' as const,
    target: targetNs,
    noGo: row0.noGo,
    targetText,
    noGoText: row0.noGoText,
    stat: 'p50',
    startedAt: epochNow(),
  };

  const results: StartupRun[] = [];
  try {
    // One at a time: concurrent isolates would slow each other's start.
    for (let i = 0; i < runs; i++) results.push(await coldStart(received as StartupTask, { isolation, warmMs, targetBatchNs: TARGET_SAMPLE_NS, timeoutMs }));
  } catch (error) {
    if (error instanceof IsolateFailure && (error.phase === 'load' || error.phase === 'export')) {
      throw new SloArgumentError(MATCHER, `startup task ${error.message}`, toStartUnder);
    }
    recordError(row, error instanceof IsolateFailure ? new Error(`${MATCHER}: ${error.message}`) : error);
  }

  const cold = results.map((r) => r.loadNs + r.firstCallNs);
  const sorted = sortSamples(cold);
  const interval = quantileInterval(sorted, 0.5, CONFIDENCE);
  const notes: string[] = [];
  if (!Number.isFinite(interval.low) || !Number.isFinite(interval.high)) {
    notes.push(`few samples: with ${runs} run${runs === 1 ? '' : 's'} the median's 95% interval is unbounded (it needs at least 6); the verdict follows the point estimate`);
  }
  if (results[0]?.typescript) notes.push('TypeScript module: transpiled in the isolate before timing (TypeScript files it imports are transpiled during the cold start)');

  let forceVerdict: 'FAIL' | undefined;
  let warm: Record<string, unknown> | null = null;
  const extra: string[] = [
    `Isolate:  ${isolation === 'thread' ? 'a new worker thread' : 'a new Node process'} per run; load ${formatDuration(median(results.map((r) => r.loadNs)))} + first call ${formatDuration(median(results.map((r) => r.firstCallNs)))} (medians); creating the isolate and our bootstrap took ${formatDuration(median(results.map((r) => r.isolateNs - r.loadNs - r.firstCallNs - (r.warmNs ?? 0))))} more (not counted)`,
    `Runs:     ${cold.map((x) => formatDuration(x)).join(', ')}`,
  ];
  if (thenUnderNs !== undefined) {
    const samples = results.flatMap((r) => Array.from(r.warm?.samples ?? []));
    const ws = sortSamples(samples);
    const wi: Interval = quantileInterval(ws, 0.5, CONFIDENCE);
    const cls = classify(wi, { target: thenUnderNs, noGo: thenUnderNs, direction: 'lower' });
    if (cls.verdict !== 'PASS') forceVerdict = 'FAIL';
    const batch = results[0]?.warm?.batch ?? 1;
    extra.push(`Warm:     p50 ${formatDurationInterval(wi.low, wi.estimate, wi.high)} per call after the first (${samples.length} samples × ${batch} call${batch === 1 ? '' : 's'}), budget ${String(opts.thenUnder)}: ${cls.verdict}${cls.conclusive ? '' : ' (inconclusive)'}`);
    notes.push(
      `warm path ${cls.verdict}: p50 ${formatDuration(wi.estimate)} per call after the first, budget ${String(opts.thenUnder)}${cls.verdict === 'PASS' ? '' : ': the claim fails whatever the cold start'}${cls.conclusive ? '' : ' (inconclusive: the interval straddles the budget)'}`,
    );
    warm = {
      thenUnderNs,
      thenUnderText: String(opts.thenUnder),
      p50: finiteInterval(wi),
      summary: samples.length ? summarize(ws) : null,
      samples: samples.length,
      batch,
      baselineNs: results[0]?.warm?.baselineNs ?? 0,
      verdict: cls.verdict,
      conclusive: cls.conclusive,
    };
  }

  const result = conclude(this, {
    hintArgs: 'limit',
    ...row,
    interval,
    samples: cold.length,
    batch: 1,
    budgetExhausted: false,
    summary: summarize(sorted),
    notes,
    forceVerdict,
    extra,
    details: {
      isolate: isolation,
      runs,
      coldNs: cold,
      loadNs: results.map((r) => r.loadNs),
      firstCallNs: results.map((r) => r.firstCallNs),
      isolateNs: results.map((r) => r.isolateNs),
      typescript: results[0]?.typescript ?? false,
      async: results[0]?.isAsync ?? false,
      module: (received as StartupTask).module,
      export: (received as StartupTask).export,
      warm,
    },
  });
  return { pass: result.pass, message: result.message };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (!n) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

function finiteInterval(iv: Interval): { low: number | null; estimate: number | null; high: number | null } {
  const f = (x: number): number | null => (Number.isFinite(x) ? x : null);
  return { low: f(iv.low), estimate: f(iv.estimate), high: f(iv.high) };
}

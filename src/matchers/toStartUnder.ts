import type { MatcherContext } from 'expect';
import { CONFIDENCE, TARGET_SAMPLE_NS } from '../constants';
import { quantileInterval, sortSamples, summarize } from '../measure/stats';
import { IsolateFailure, type Isolation } from '../threads/spawn';
import { coldStart, type StartupRun } from '../threads/startup';
import { isStartupTask, isThreadTask, type StartupTask } from '../threads/task';
import type { Interval } from '../types';
import { checks, durationMs, SloArgumentError } from '../units/args';
import { formatDuration, formatDurationInterval, parseDuration, type Duration } from '../units/duration';
import { show } from '../units/format';
import { classify } from '../verdict';
import { conclude, recordError } from './conclude';
import { claim, ROW_OPTION_CHECKS, type RowOptions } from './row';

export interface StartUnderOptions extends RowOptions {
  /** Hard NO-GO limit for the cold start, at least the target (e.g. the global-runtime benchmark plan: startup > 500ms is NO-GO). */
  noGo?: Duration;
  /** Cold starts to sample, each in a fresh isolate (default 7; 6 or more bound the median's 95% interval). */
  runs?: number;
  /** `'thread'` (default): a new worker thread per run. `'process'`: a new Node process per run. */
  isolate?: Isolation;
  /**
   * Budget for the warm path: p50 of one call after the first (the cached path), measured inside
   * each isolate with batching. Missing it fails the claim (e.g. the global-runtime benchmark
   * plan's "subsequent access <1ns").
   */
  perCallUnder?: Duration;
  /** Sampling budget of the warm path per run, with `perCallUnder` (default 20 ms). */
  maxTime?: Duration;
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

const SPEC = {
  ...ROW_OPTION_CHECKS,
  noGo: checks.duration,
  runs: (v: unknown, n: string) => checks.positiveInt(v, n) ?? ((v as number) <= MAX_RUNS ? undefined : `must be at most ${MAX_RUNS}; received ${show(v)}`),
  isolate: checks.oneOf(ISOLATIONS),
  perCallUnder: checks.positiveDuration,
  maxTime: checks.positiveDuration,
  timeout: checks.positiveDuration,
};

/**
 * Passes when a module's cold start — from a fresh isolate to the first completed call of its
 * export, module load included — is under `limit` (p50 of `runs` fresh isolates, judged on the
 * median's order-statistic 95% interval). With `perCallUnder`, the warm (cached) path must also be
 * under that budget.
 *
 * @example
 * await expect(startup(require.resolve('./runtime'), 'getRuntime')).toStartUnder('100ms', { noGo: '500ms', perCallUnder: '1us' });
 */
export async function toStartUnder(this: MatcherContext, received: unknown, limit: unknown, options?: unknown) {
  if (!isStartupTask(received)) {
    const hint = isThreadTask(received) ? ' (inThreads(...) names a thread task for toScaleLinearly; use startup(modulePath, exportName) here)' : '';
    throw new SloArgumentError(MATCHER, `received value must be a startup task from startup(modulePath, exportName, { args })${hint}; received ${show(received)}`, toStartUnder);
  }
  const { opts, row } = claim<StartUnderOptions>(this.isNot === true, {
    matcher: MATCHER,
    callee: toStartUnder,
    options,
    spec: SPEC,
    target: { arg: limit, name: 'limit', parse: parseDuration },
    targetName: 'the limit',
    unit: 'ns',
    direction: 'lower',
    stat: 'p50',
    notClaim: '"starts slower than the limit"',
    notOptions: ['perCallUnder'],
  });
  const runs = opts.runs ?? DEFAULT_RUNS;
  const isolation = opts.isolate ?? 'thread';
  const perCallUnderNs = opts.perCallUnder === undefined ? undefined : parseDuration(opts.perCallUnder);
  const warmMs = perCallUnderNs === undefined ? 0 : durationMs(opts.maxTime, DEFAULT_WARM_MS);
  const timeoutMs = durationMs(opts.timeout, DEFAULT_TIMEOUT_MS);

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
  if (perCallUnderNs !== undefined) {
    const samples = results.flatMap((r) => Array.from(r.warm?.samples ?? []));
    const ws = sortSamples(samples);
    const wi: Interval = quantileInterval(ws, 0.5, CONFIDENCE);
    const cls = classify(wi, { target: perCallUnderNs, noGo: perCallUnderNs, direction: 'lower' });
    if (cls.verdict !== 'PASS') forceVerdict = 'FAIL';
    const batch = results[0]?.warm?.batch ?? 1;
    extra.push(`Warm:     p50 ${formatDurationInterval(wi.low, wi.estimate, wi.high)} per call after the first (${samples.length} samples × ${batch} call${batch === 1 ? '' : 's'}), budget ${String(opts.perCallUnder)}: ${cls.verdict}${cls.conclusive ? '' : ' (inconclusive)'}`);
    notes.push(
      `warm path ${cls.verdict}: p50 ${formatDuration(wi.estimate)} per call after the first, budget ${String(opts.perCallUnder)}${cls.verdict === 'PASS' ? '' : ': the claim fails whatever the cold start'}${cls.conclusive ? '' : ' (inconclusive: the interval straddles the budget)'}`,
    );
    warm = {
      perCallUnderNs,
      perCallUnderText: String(opts.perCallUnder),
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

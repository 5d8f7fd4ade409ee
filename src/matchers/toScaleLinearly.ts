import os from 'node:os';
import type { MatcherContext } from 'expect';
import { CONFIDENCE, DEFAULT_WARMUP_MS, STOP_CONFIDENCE, TARGET_SAMPLE_NS } from '../constants';
import { now } from '../measure/clock';
import { EventLoopRunner, NotAsyncError } from '../threads/event-loop';
import { ThreadPool } from '../threads/pool';
import { LOADED_FRACTION, levelStats, runScaling, worstEfficiency, type LevelRunner, type LevelStats, type ScalingRun } from '../threads/scaling';
import { IsolateFailure } from '../threads/spawn';
import { isThreadTask, type ThreadTask } from '../threads/task';
import type { Interval } from '../types';
import { checks, checkWith, durationMs, SloArgumentError } from '../units/args';
import { formatDuration, parseDuration, type Duration } from '../units/duration';
import { formatRate, formatRateInterval, formatValue, show } from '../units/format';
import { parseFraction, type Fraction } from '../units/limit';
import { fitWidths, renderTable, type Column } from '../units/table';
import { classify, type Classification } from '../verdict';
import { conclude, recordError } from './conclude';
import { claim, ROW_OPTION_CHECKS, type RowOptions } from './row';

export interface ScaleLinearlyOptions extends RowOptions {
  /**
   * Fraction of linear scaling each level must reach: throughput(n) ≥ efficiency × min(n,
   * capacity) × throughput(1); `0.75` or `'75%'` (default: the SLO's declared target, else 0.75).
   */
  efficiency?: Fraction;
  /**
   * How many calls can truly run at once: beyond it, levels are capacity-bound and expected to
   * reach only `capacity` × level 1. Default `os.availableParallelism()` for threads, `Infinity`
   * (unbounded) for async functions.
   */
  capacity?: number;
  /** Hard NO-GO efficiency, at most `efficiency` (`0.5` or `'50%'`): below efficiency but above noGo is WARN. */
  noGo?: Fraction;
  /** Budget for the p50 time of one call at the largest level (e.g. the global-runtime benchmark plan's "<100ns per call with 10 threads"). */
  perCallUnder?: Duration;
  /** Length of one timed window at one level (default 25 ms). */
  window?: Duration;
  /** Rounds (one window per level each) before a verdict may be drawn (default 5, at least 2). */
  minRounds?: number;
  /**
   * Sampling budget, counted from the first sampled round, minRounds included (default 1 s per
   * level, level 1 included). When it runs out undecided, the verdict is inconclusive.
   */
  maxTime?: Duration;
  /** Warm-up per thread, or of the async function (default 25 ms). */
  warmup?: Duration;
  /** How long a window may overrun before the threads are declared hung (deadlock): default 10 s. */
  timeout?: Duration;
  /**
   * Thread form, Linux: expect the speedup of the cores the threads were actually offered
   * (each thread's CPU wait from /proc/thread-self/schedstat), so other load on the machine does
   * not fail the claim; a lock still does. Default true; false judges min(n, capacity) as is.
   */
  adjustForLoad?: boolean;
}

const MATCHER = 'toScaleLinearly';

/** The issue's default: 3/4 of linear is "near-linear" and still catches a serializing lock (≤ 1/2 at 2 threads). */
const DEFAULT_EFFICIENCY = 0.75;
/** Hundreds of 20 µs batches per window, yet 5 rounds of a level take ~125 ms. */
const DEFAULT_WINDOW_MS = 25;
/** Below 5 rounds a Student-t interval of the per-round ratios is too wide to decide anything. */
const DEFAULT_MIN_ROUNDS = 5;
/** An interval needs two rounds. */
const MIN_ROUNDS_FLOOR = 2;
/** Unclear cases get up to a second of sampling per level (minRounds included); clear ones stop after minRounds. */
const MAX_TIME_PER_LEVEL_MS = 1000;
/** A real deadlock should not hold CI for long; a healthy window overruns by milliseconds. */
const DEFAULT_HANG_TIMEOUT_MS = 10_000;
/** Loading a TypeScript task costs ~0.3 s of CPU per thread; 2 loaded cores and many threads need room. */
const THREAD_INIT_TIMEOUT_MS = 60_000;
/** Latency samples a thread returns per window: enough for p99, small to post. */
const MAX_SAMPLES_PER_WINDOW = 1024;
/** Each thread is a V8 isolate (~10 MB): more than this is a typo, not a test. */
const MAX_THREADS = 256;
/** Idle 1 ms waits keep the loop ~10% busy; at half busy, the calls' own CPU cost caps concurrency. */
const SATURATED_LOOP = 0.5;
/** Calls in flight on one event loop. */
const MAX_ASYNC_LEVEL = 100_000;

const capacityCheck = (v: unknown): string | undefined =>
  v === Infinity || (Number.isInteger(v) && (v as number) > 0) ? undefined : `must be a positive integer or Infinity (unbounded); received ${show(v)}`;

const SPEC = {
  ...ROW_OPTION_CHECKS,
  efficiency: checkWith(parseFraction),
  capacity: capacityCheck,
  noGo: checkWith(parseFraction),
  perCallUnder: checks.positiveDuration,
  window: checks.positiveDuration,
  minRounds: (v: unknown, n: string) => checks.positiveInt(v, n) ?? ((v as number) >= MIN_ROUNDS_FLOOR ? undefined : `must be at least ${MIN_ROUNDS_FLOOR}; received ${show(v)}`),
  maxTime: checks.duration,
  warmup: checks.duration,
  timeout: checks.positiveDuration,
  adjustForLoad: checks.boolean,
};

/** Levels to measure, ascending, starting with the reference level 1. */
export function parseLevels(threads: unknown, max: number, callee: (...args: never[]) => unknown): number[] {
  const forms = `a number N ≥ 2 (levels 1, 2, 4, … up to N) or an array of distinct positive integers (e.g. [2, 4, 8, 10, 16])`;
  let levels: number[];
  if (typeof threads === 'number') {
    if (!Number.isInteger(threads) || threads < 2) throw new SloArgumentError(MATCHER, `threads must be ${forms}; received ${show(threads)}`, callee);
    levels = [];
    for (let n = 1; n < threads; n *= 2) levels.push(n);
    levels.push(threads);
  } else if (Array.isArray(threads)) {
    for (const n of threads) {
      if (!Number.isInteger(n) || n < 1) throw new SloArgumentError(MATCHER, `threads must be ${forms}; level ${show(n)} in ${show(threads)} is not a positive integer`, callee);
    }
    if (new Set(threads).size !== threads.length) throw new SloArgumentError(MATCHER, `threads must be ${forms}; ${show(threads)} repeats a level`, callee);
    levels = [...new Set([1, ...(threads as number[])])].sort((a, b) => a - b);
    if (levels.length < 2) throw new SloArgumentError(MATCHER, `threads must be ${forms}; ${show(threads)} has no level above the reference 1`, callee);
  } else {
    throw new SloArgumentError(MATCHER, `threads must be ${forms}; received ${show(threads)}`, callee);
  }
  const top = levels[levels.length - 1];
  if (top > max) throw new SloArgumentError(MATCHER, `threads: level ${top} is more than the ${max} this form accepts`, callee);
  return levels;
}

/**
 * Passes when aggregate throughput grows near-linearly with concurrency: at every level n,
 * throughput(n) ≥ efficiency × min(n, capacity) × throughput(1), judged on a 95% interval.
 * Received: an async function (n calls in flight on the event loop) or `inThreads(...)`
 * (n worker threads). A task whose `verify` finds shared state inconsistent fails whatever its speed.
 *
 * @example
 * await expect(inThreads(require.resolve('./task'), 'run', { shared })).toScaleLinearly([2, 4, 8, 10, 16], { perCallUnder: '100ns' });
 * await expect(() => fetchWithPool()).toScaleLinearly(16, { efficiency: '80%' });
 */
export async function toScaleLinearly(this: MatcherContext, received: unknown, threads: unknown, options?: unknown) {
  const form = isThreadTask(received) ? 'threads' : typeof received === 'function' ? 'async' : undefined;
  if (form === undefined) {
    throw new SloArgumentError(
      MATCHER,
      `received value must be an async function (calls in flight on the event loop) or a thread task from inThreads(modulePath, exportName, options); received ${show(received)}`,
      toScaleLinearly,
    );
  }
  const levels = parseLevels(threads, form === 'threads' ? MAX_THREADS : MAX_ASYNC_LEVEL, toScaleLinearly);
  const { opts, row, lines } = claim<ScaleLinearlyOptions>(this.isNot === true, {
    matcher: MATCHER,
    callee: toScaleLinearly,
    options,
    spec: SPEC,
    target: { option: 'efficiency', fallback: { value: DEFAULT_EFFICIENCY, text: String(DEFAULT_EFFICIENCY) }, parse: parseFraction },
    targetName: 'the efficiency',
    unit: 'ratio',
    direction: 'higher',
    stat: 'efficiency',
    notClaim: '"does not reach the efficiency"',
    notOptions: ['perCallUnder'],
  });
  const efficiency = row.target;
  const capacity = opts.capacity ?? (form === 'threads' ? os.availableParallelism() : Infinity);
  const windowMs = durationMs(opts.window, DEFAULT_WINDOW_MS);
  const minRounds = opts.minRounds ?? DEFAULT_MIN_ROUNDS;
  const maxTimeMs = durationMs(opts.maxTime, MAX_TIME_PER_LEVEL_MS * levels.length);
  const warmupMs = durationMs(opts.warmup, DEFAULT_WARMUP_MS);
  const hangTimeoutMs = durationMs(opts.timeout, DEFAULT_HANG_TIMEOUT_MS);
  const perCallUnderNs = opts.perCallUnder === undefined ? undefined : parseDuration(opts.perCallUnder);

  const adjust = form === 'threads' && opts.adjustForLoad !== false;
  // Decided once the data settle the question; more rounds would not lift a load-bound level.
  const decided = (data: Parameters<typeof levelStats>[0]['levels']): boolean =>
    classify(worstEfficiency(levelStats({ levels: data }, capacity, STOP_CONFIDENCE, adjust), 'efficiency').interval, lines).conclusive;

  const setupStart = now();
  let runner: LevelRunner;
  let pool: ThreadPool | undefined;
  let run: ScalingRun;
  let setupMs: number;
  let batch = 1;
  let usedWindowMs = windowMs;
  try {
    if (form === 'threads') {
      pool = await startPool(received as ThreadTask, levels[levels.length - 1], { warmupMs, targetBatchNs: TARGET_SAMPLE_NS, initTimeoutMs: THREAD_INIT_TIMEOUT_MS, hangTimeoutMs, maxSamplesPerWindow: MAX_SAMPLES_PER_WINDOW });
      runner = pool;
      batch = pool.ready[0].batch;
    } else {
      const loop = new EventLoopRunner(received as () => unknown);
      try {
        await loop.warmup(warmupMs);
      } catch (e) {
        if (e instanceof NotAsyncError) {
          throw new SloArgumentError(
            MATCHER,
            'received function returned no promise: a synchronous function cannot have several calls in flight on one event loop. Return a promise, or run CPU work in threads with inThreads(modulePath, exportName)',
            toScaleLinearly,
          );
        }
        throw e;
      }
      usedWindowMs = loop.windowFor(windowMs);
      runner = loop;
    }
    setupMs = now() - setupStart;
    run = await runScaling(runner, levels, { windowMs, minRounds, maxTimeMs, decided: (d) => decided(d), verifyAfterWarmup: form === 'threads' && levels[levels.length - 1] > 1 });
  } catch (error) {
    await pool?.close();
    if (error instanceof SloArgumentError) throw error;
    recordError(row, error instanceof IsolateFailure ? new Error(`${MATCHER}: ${error.message}`) : error);
  }
  await pool?.close();

  const stats = levelStats(run, capacity, CONFIDENCE, adjust);
  const measured = stats.filter((s) => s.rounds > 0);
  const worst = measured.length >= 2 && measured[0].level === 1 ? worstEfficiency(measured) : undefined;
  const interval: Interval = worst?.interval ?? { low: 0, estimate: 0, high: 0 };
  const notes: string[] = [];
  let forceVerdict: 'FAIL' | undefined;

  const bound = stats.filter((s) => s.capacityBound).map((s) => s.level);
  if (bound.length) {
    notes.push(
      `capacity-bound: level${bound.length > 1 ? 's' : ''} ${bound.join(', ')} exceed${bound.length > 1 ? '' : 's'} the capacity of ${capacity} (${opts.capacity === undefined ? 'os.availableParallelism()' : 'option capacity'}); ${bound.length > 1 ? 'they are' : 'it is'} expected to reach only ${capacity}× level 1, not linear scaling`,
    );
  }
  const adjusted = adjust && measured.every((s) => s.offeredCores !== undefined);
  if (adjust && !adjusted) notes.push('load adjustment unavailable (no /proc/thread-self/schedstat): expectations are min(n, capacity) × level 1 as is');
  const short = measured.filter((s) => s.level > 1 && s.offeredCores !== undefined && s.offeredCores < LOADED_FRACTION * s.factor);
  if (short.length) {
    notes.push(
      adjusted
        ? `load-bound: the machine (other load) offered the threads fewer cores than the claim needs (${short.map((s) => `level ${s.level}: ${(s.offeredCores as number).toFixed(2)} of ${s.factor}`).join(', ')}); expectations follow the cores offered, and such a level can fail but not pass conclusively, since a serialized task could look as good there`
        : `load: the machine offered the threads fewer cores than the claim needs (${short.map((s) => `level ${s.level}: ${(s.offeredCores as number).toFixed(2)} of ${s.factor}`).join(', ')}); part of any shortfall is the load's (adjustForLoad is off)`,
    );
  }
  const saturated = measured.filter((s) => s.loopBusy !== undefined && s.loopBusy >= SATURATED_LOOP);
  if (saturated.length) {
    notes.push(
      `event loop busy: ${saturated.map((s) => `${Math.round((s.loopBusy as number) * 100)}% at level ${s.level}`).join(', ')}; the calls cost CPU on this one thread (their own work, or instrumentation such as --detectOpenHandles), which caps what more of them in flight can add`,
    );
  }
  if (!run.correctness.ok) {
    forceVerdict = 'FAIL';
    const where = run.correctness.after === 'warm-up' ? `after warm-up (all ${levels[levels.length - 1]} threads at once)` : `after the window at level ${run.correctness.level} (round ${run.correctness.round})`;
    notes.push(`correctness FAIL: verify found shared state inconsistent ${where}: ${run.correctness.message ?? 'verify returned false'}. A race loses the claim whatever the speed`);
  }
  if (run.hang) {
    forceVerdict = 'FAIL';
    notes.push(`hang FAIL at level ${run.hang.level}: ${run.hang.message} (deadlock, or a call that never returns); the threads were terminated`);
  }
  let perCall: { level: number; limitNs: number; p50: Interval; verdict: Classification } | undefined;
  if (perCallUnderNs !== undefined) {
    const top = measured[measured.length - 1];
    if (top && Number.isFinite(top.p50.estimate)) {
      const verdict = classify(top.p50, { target: perCallUnderNs, noGo: perCallUnderNs, direction: 'lower' });
      perCall = { level: top.level, limitNs: perCallUnderNs, p50: top.p50, verdict };
      if (verdict.verdict !== 'PASS') forceVerdict = 'FAIL';
      notes.push(
        `perCallUnder ${verdict.verdict}: p50 per call at level ${top.level} is ${formatDuration(top.p50.estimate)} [${formatDuration(top.p50.low)} ${formatDuration(top.p50.high)}], budget ${String(opts.perCallUnder)}${verdict.conclusive ? '' : ' (inconclusive: the interval straddles the budget; the verdict follows the estimate)'}`,
      );
    }
  }
  if (worst && !forceVerdict && measured.length > 1) notes.push(`worst level: ${worst.level}`);

  const result = conclude(this, {
    hintArgs: 'threads',
    ...row,
    interval,
    samples: run.rounds,
    batch,
    notes,
    forceVerdict,
    details: {
      form,
      capacity: Number.isFinite(capacity) ? capacity : null,
      capacityText: Number.isFinite(capacity) ? String(capacity) : 'unbounded',
      efficiency,
      adjustedForLoad: adjusted,
      levels: stats.map((s) => levelJson(s, efficiency)),
      worstLevel: worst?.level ?? null,
      rounds: run.rounds,
      windowMs: usedWindowMs,
      setupMs,
      wallMs: run.wallMs,
      stoppedBy: run.stoppedBy,
      correctness: { ...run.correctness },
      hang: run.hang ?? null,
      perCallUnder: perCall ? { level: perCall.level, limitNs: perCall.limitNs, p50: finiteInterval(perCall.p50), verdict: perCall.verdict.verdict, conclusive: perCall.verdict.conclusive } : null,
      threads: pool?.size ?? null,
    },
    extra: [
      `Rounds:   ${run.rounds} × one ${formatDuration(usedWindowMs * 1e6)} window per level, ${form === 'threads' ? `batches of ${batch} call${batch === 1 ? '' : 's'} per timing` : 'each call timed'}, stopped by ${run.stoppedBy}`,
      '',
      'Levels:',
      ...levelTable(stats, efficiency, form).map((l) => `  ${l}`),
    ],
  });
  return { pass: result.pass, message: result.message };
}

async function startPool(task: ThreadTask, size: number, opts: Parameters<typeof ThreadPool.start>[2]): Promise<ThreadPool> {
  try {
    return await ThreadPool.start(task, size, opts);
  } catch (e) {
    // A module that does not load or lacks the export is a bad argument, not a measurement.
    if (e instanceof IsolateFailure && (e.phase === 'load' || e.phase === 'export')) throw new SloArgumentError(MATCHER, `thread task ${e.message}`, toScaleLinearly);
    throw e;
  }
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function finiteInterval(iv: Interval): { low: number | null; estimate: number | null; high: number | null } {
  return { low: finite(iv.low), estimate: finite(iv.estimate), high: finite(iv.high) };
}

function levelJson(s: LevelStats, efficiency: number): Record<string, unknown> {
  return {
    level: s.level,
    capacityBound: s.capacityBound,
    loadBound: s.loadBound,
    factor: s.factor,
    expectedFactor: s.expectedFactor,
    offeredCores: s.offeredCores ?? null,
    loopBusy: s.loopBusy ?? null,
    loopCpuWait: s.loopCpuWait ?? null,
    throughput: finiteInterval(s.throughput),
    efficiency: s.efficiency ? finiteInterval(s.efficiency) : null,
    passes: s.judged ? s.judged.low >= efficiency : null,
    p50Ns: finiteInterval(s.p50),
    p99Ns: finiteInterval(s.p99),
    calls: s.calls,
    rounds: s.rounds,
  };
}

/** Columns of the level table. Threads: cores the machine offered them. Async: how busy the event loop was. */
function levelColumns(form: 'threads' | 'async'): Column[] {
  return ['level', 'throughput [95% CI]', form === 'threads' ? 'cores' : 'loop busy', 'expected ≥', 'efficiency [95% CI]', 'p50/call', 'p99/call', ''].map((header) => ({ header }));
}

/** The table of levels printed in the message: natural widths (a message does not wrap). */
function levelTable(stats: readonly LevelStats[], efficiency: number, form: 'threads' | 'async'): string[] {
  const ref = stats[0];
  // Levels align right, like numbers in a column.
  const levelWidth = Math.max('level'.length, ...stats.map((s) => String(s.level).length));
  const cells = stats.map((s) => {
    const e = s.efficiency;
    const verdict = e ? (e.high < efficiency ? 'BELOW' : s.loadBound ? 'load-bound' : e.low >= efficiency ? 'ok' : 'unclear') : '';
    const mark = s.rounds === 0 ? 'not measured' : [verdict, s.capacityBound ? `capacity-bound (×${s.factor} expected)` : ''].filter(Boolean).join(', ');
    return [
      String(s.level).padStart(levelWidth),
      s.rounds ? formatRateInterval(s.throughput) : '—',
      form === 'async' ? (s.loopBusy === undefined ? '—' : `${Math.round(s.loopBusy * 100)}%${s.loopCpuWait === undefined ? '' : ` (wait ${Math.round(s.loopCpuWait * 100)}%)`}`) : s.offeredCores === undefined ? '—' : s.offeredCores.toFixed(2),
      s.level === 1 ? 'reference' : s.rounds ? `${formatRate(efficiency * s.expectedFactor * ref.throughput.estimate)}/s` : '—',
      e && s.rounds ? `${formatValue(e.estimate, 'ratio')} [${formatValue(finiteOr(e.low, 0), 'ratio')} ${formatRatioHigh(e.high)}]` : s.level === 1 ? '1' : '—',
      s.rounds ? formatDuration(s.p50.estimate) : '—',
      s.rounds ? formatDuration(s.p99.estimate) : '—',
      mark,
    ];
  });
  const columns = levelColumns(form);
  const widths = fitWidths(columns, cells, Infinity);
  return renderTable(columns, cells.map((row) => row.map((text) => ({ text }))), widths, (h) => h).split('\n');
}

function formatRatioHigh(x: number): string {
  return Number.isFinite(x) ? formatValue(x, 'ratio') : '∞';
}

function finiteOr(x: number, fallback: number): number {
  return Number.isFinite(x) ? x : fallback;
}

import { DEFAULT_MIN_SAMPLES, DEFAULT_WARMUP_MS } from '../constants';
import type { Interval, Summary } from '../types';
import { checkOptions, checks, requireFunction, samplingBudget } from '../units/args';
import type { Duration } from '../units/duration';
import { Subject, runInterleaved, type Measured } from './engine';
import { STATS, type Stat } from './stats';

export interface BenchmarkOptions {
  /** Sampling budget, counted from the first sampled round (default 500 ms): there is no line to stop at, so it is all used. */
  maxTime?: Duration;
  /** Warm-up budget (default 25 ms). */
  warmup?: Duration;
  /**
   * Longest one call (or one warm-up batch, or one sampling round beyond its planned length)
   * may take before the measurement fails as hung (default: maxTime + warmup, at least 1 s).
   */
  timeout?: Duration;
  /** Fewest samples (default 30). */
  minSamples?: number;
  /** The statistic whose interval is returned (default 'p50'). */
  stat?: Stat;
}

export interface BenchmarkResult {
  /** Per-call statistics in nanoseconds. */
  summary: Summary;
  /** 95% interval of `stat`, in nanoseconds per call. */
  interval: Interval;
  stat: Stat;
  samples: number;
  batch: number;
  async: boolean;
  /** Wall time of the whole measurement, warm-up included (ms). */
  wallMs: number;
}

/** Where to read about `benchmark()`. */
const BENCHMARK_DOCS = 'https://www.npmjs.com/package/rt-slo-reporter#benchmark';

/** Default sampling time of `benchmark()`: long enough for a stable p50 on a noisy machine. */
const DEFAULT_BENCHMARK_MS = 500;

const SPEC = {
  maxTime: checks.duration,
  warmup: checks.duration,
  timeout: checks.positiveDuration,
  minSamples: checks.positiveInt,
  stat: checks.oneOf(STATS),
};

/**
 * Measures a function with the same engine as the matchers, without asserting anything:
 * for exploring a number before writing the SLO that guards it. Options are checked as the
 * matchers check theirs: an unknown or malformed option is a TypeError naming it.
 *
 * @example
 * const { summary, interval } = await benchmark(() => JSON.parse(text), { maxTime: '200ms' });
 */
export async function benchmark(fn: Measured, options?: BenchmarkOptions): Promise<BenchmarkResult> {
  requireFunction('benchmark', fn, 'fn', benchmark, BENCHMARK_DOCS);
  const opts = checkOptions<BenchmarkOptions>('benchmark', options, SPEC, benchmark, BENCHMARK_DOCS);
  const stat = opts.stat ?? 'p50';
  const { maxTimeMs, warmupMs, timeoutMs } = samplingBudget(opts, DEFAULT_BENCHMARK_MS, DEFAULT_WARMUP_MS);
  const subject = new Subject(fn, { warmupMs, minSamples: opts.minSamples ?? DEFAULT_MIN_SAMPLES });
  const run = await runInterleaved([subject], () => false, { maxTimeMs, timeoutMs });
  return {
    summary: subject.summary(),
    interval: subject.interval(stat),
    stat,
    samples: subject.samples,
    batch: subject.batch,
    async: subject.isAsync,
    wallMs: run.wallMs,
  };
}

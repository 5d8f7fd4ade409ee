import { DEFAULT_MIN_SAMPLES } from '../constants';
import type { Interval, Summary } from '../types';
import { Subject, runInterleaved, type Measured } from './engine';
import type { Stat } from './stats';

export interface BenchmarkOptions {
  /** Sampling time after warm-up, in ms (default 500): there is no line to stop at. */
  time?: number;
  /** Warm-up budget in ms. */
  warmup?: number;
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

/** Default sampling time of `benchmark()`: long enough for a stable p50 on a noisy machine. */
const DEFAULT_BENCHMARK_MS = 500;

/**
 * Measures a function with the same engine as the matchers, without asserting anything:
 * for exploring a number before writing the SLO that guards it.
 *
 * @example
 * const { summary, interval } = await benchmark(() => JSON.parse(text));
 */
export async function benchmark(fn: Measured, options: BenchmarkOptions = {}): Promise<BenchmarkResult> {
  const stat = options.stat ?? 'p50';
  const subject = new Subject(fn, { warmupMs: options.warmup, minSamples: options.minSamples ?? DEFAULT_MIN_SAMPLES });
  const run = await runInterleaved([subject], () => false, { maxTimeMs: options.time ?? DEFAULT_BENCHMARK_MS });
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

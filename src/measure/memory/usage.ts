/** Memory, toUseMemoryUnder: what running fn leaves held, and its peak. */
import { now } from '../clock';
import { profiledRun, quietBaseline, settle, withoutBytecodeFlushing, type Held, type MemoryMeasured } from './gc';
import { medianStep } from './stats';

export interface UsageOptions {
  runs: number;
  /** Calls per run. */
  calls: number;
}

export interface UsageRun {
  /** Held after the run and its GCs, above the measurement's starting point (C_k). */
  held: number;
  /** The run's high-water mark above the starting point. */
  peak: number;
  /** `held` less the steady growth of the runs before this one: what one run leaves. */
  retained: number;
  /** `peak` less the same steady growth: the high-water mark one run reaches. */
  peakOfRun: number;
  gcsDuringRun: number;
}

export interface UsageResult {
  runs: UsageRun[];
  /** Steady growth per run: median of the run-to-run differences of `held`; 0 with one run. */
  growthPerRun: number;
  baseline: Held;
  /** Snapshots taken before the baseline was quiet, and whether it was. */
  baselineSnapshots: number;
  baselineQuiet: boolean;
  /** The last snapshot above the baseline, split: V8 heap, external, and the ArrayBuffer part of external. */
  heapDelta: number;
  externalDelta: number;
  arrayBuffersDelta: number;
  isAsync: boolean;
  wallMs: number;
  gcMs: number;
}

/**
 * Runs `fn` (`calls` calls per run) `runs` times with forced GCs around every run. After run k
 * the process holds C_k above the starting point. A function that keeps what it allocates
 * raises C_k by the same step each run; one that builds a cache or a singleton once raises it
 * once and then stays flat. Both mean "one run leaves this much", so run k is read as
 * C_k − (k − 1)·b, where b is the steady step: the median of C_k − C_(k−1), so that one odd
 * run, or a one-off release of memory that is not the function's (V8 dropping the bytecode of
 * Jest's idle code after a few GCs: 1–3 MB in a ts-jest worker), cannot set it. The peak is read
 * the same way.
 */
export function measureUsage(fn: MemoryMeasured, opts: UsageOptions): Promise<UsageResult> {
  return withoutBytecodeFlushing(() => usage(fn, opts));
}

async function usage(fn: MemoryMeasured, opts: UsageOptions): Promise<UsageResult> {
  const wall0 = now();
  const base = await quietBaseline();
  let gcMs = base.ms;
  const raw: Array<{ held: number; peak: number; gcs: number }> = [];
  let last = base.held;
  let isAsync = false;
  for (let k = 0; k < opts.runs; k++) {
    const run = await profiledRun(fn, opts.calls);
    isAsync ||= run.sawPromise;
    const after = await settle();
    gcMs += after.ms;
    last = after.held;
    raw.push({ held: after.held.total - base.held.total, peak: run.peak - base.held.total, gcs: run.gcs });
  }
  const b = raw.length >= 2 ? medianStep(raw.map((r) => r.held)) : 0;
  return {
    runs: raw.map((r, i) => ({ held: r.held, peak: r.peak, retained: r.held - i * b, peakOfRun: r.peak - i * b, gcsDuringRun: r.gcs })),
    growthPerRun: b,
    baseline: base.held,
    baselineSnapshots: base.snapshots,
    baselineQuiet: base.quiet,
    heapDelta: last.heapUsed - base.held.heapUsed,
    externalDelta: last.external - base.held.external,
    arrayBuffersDelta: last.arrayBuffers - base.held.arrayBuffers,
    isAsync,
    wallMs: now() - wall0,
    gcMs,
  };
}

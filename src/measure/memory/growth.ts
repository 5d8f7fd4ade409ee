/** Memory, toLeakMemory: growth of retained memory per call. */
import type { Interval } from '../../types';
import { now } from '../clock';
import { quantile, sortSamples } from '../stats';
import { GCProfiler, held, quietBaseline, release, runCalls, settle, withoutBytecodeFlushing, type MemoryMeasured } from './gc';
import { leastSquares, lowerEnvelope, trimmedMeanInterval, type LineFit } from './stats';

/**
 * Each round aims at this much of the function's own time when `calls` is not given: small next
 * to a round's full GC (70–300 ms), large enough that a round's ~10 KB snapshot noise is spread
 * over many calls.
 */
export const ROUND_TARGET_MS = 50;
/** Calibration runs at least this many batches for at least this long, and stops at the cap. */
const CALIBRATE_MIN_BATCHES = 4;
const CALIBRATE_MS = 5;
const CALIBRATE_MAX_MS = 200;
/** Bounds on automatic calls per round: at least one; at most 2,000, which spreads ~10 KB of snapshot noise to ~5 B/call. */
export const MIN_AUTO_CALLS = 1;
export const MAX_AUTO_CALLS = 2000;

export interface GrowthOptions {
  rounds: number;
  /** Calls per round; chosen from the call's cost when undefined. */
  calls?: number;
  /** Calls before the baseline, to fill caches and warm the JIT; default one round's worth. */
  warmupCalls?: number;
}

export interface GrowthResult {
  /** Bytes per call: 20% trimmed mean of the readings, with Yuen's 95% interval. */
  growth: Interval;
  /** Growth per call of each step of the lower envelope (rounds − 1 readings). */
  readings: number[];
  /** Least-squares slope of held memory over cumulative calls, with its t interval, for comparison. */
  leastSquares: LineFit;
  calls: number;
  rounds: number;
  warmupCalls: number;
  /** Cumulative calls and held memory above the baseline at each snapshot (the baseline first). */
  xs: number[];
  ys: number[];
  /** Lower envelope of `ys` (one point fewer): what the readings use. */
  levels: number[];
  /** Held memory growth over the whole run (last snapshot − baseline). */
  totalGrowth: number;
  /** What one call allocates (freed or not), from single calls with no GC in between. */
  allocatedPerCall: number;
  baselineSnapshots: number;
  baselineQuiet: boolean;
  perCallMs: number;
  isAsync: boolean;
  wallMs: number;
  gcMs: number;
}

/** Single-call probes of what a call allocates; the median of those no GC interrupted is kept. */
const ALLOCATION_PROBES = 5;

/**
 * Held memory just before and just after one call, less the same for a no-op call (the reads
 * and the promise themselves allocate). Undefined when a GC ran in between: the difference
 * would then be allocation minus whatever that GC freed.
 */
async function allocationOfOneCall(fn: MemoryMeasured): Promise<number | undefined> {
  const one = async (f: MemoryMeasured): Promise<number | undefined> => {
    const profiler = GCProfiler ? new GCProfiler() : undefined;
    profiler?.start();
    const before = held().total;
    try {
      await runCalls(f, 1);
    } finally {
      release();
    }
    const after = held().total;
    const gcs = profiler?.stop()?.statistics.length ?? 0;
    return gcs === 0 ? after - before : undefined;
  };
  const empty = await one(() => undefined);
  const call = await one(fn);
  return empty === undefined || call === undefined ? undefined : Math.max(0, call - empty);
}

/**
 * Warm-up, a baseline snapshot, then `rounds` rounds of `calls` calls with a snapshot after
 * each. One-snapshot transients are dropped (`lowerEnvelope`); then each step of the envelope,
 * divided by the calls of a round, is one reading of the growth per call (rounds − 1 readings),
 * and the verdict uses their 20% trimmed mean with Yuen's interval. A one-off release of memory
 * that is not the function's (V8 dropping idle bytecode after a few GCs: 0.2–2.7 MB, measured)
 * spoils one reading, which the trimming drops, where it would tilt a fitted line.
 */
export function measureGrowth(fn: MemoryMeasured, opts: GrowthOptions): Promise<GrowthResult> {
  return withoutBytecodeFlushing(() => growthOf(fn, opts));
}

async function growthOf(fn: MemoryMeasured, opts: GrowthOptions): Promise<GrowthResult> {
  const wall0 = now();
  // The first call may be a cold start: calibrate on the calls after it, in doubling batches,
  // and keep the cheapest per-call time: a GC landing in one batch (a 300 ms full GC under load,
  // set off by the function's own allocation) must not inflate the cost, so several batches run.
  let isAsync = await runCalls(fn, 1);
  let perCallMs = Infinity;
  const t0 = now();
  for (let k = 1, batches = 1; ; batches++) {
    const t = now();
    isAsync = (await runCalls(fn, k)) || isAsync;
    const dt = now() - t;
    perCallMs = Math.min(perCallMs, dt / k);
    const elapsed = now() - t0;
    if (elapsed >= CALIBRATE_MAX_MS || (batches >= CALIBRATE_MIN_BATCHES && elapsed >= CALIBRATE_MS)) break;
    if (dt < CALIBRATE_MS) k = Math.min(k * 2, MAX_AUTO_CALLS);
  }
  release();
  const probes: number[] = [];
  for (let i = 0; i < ALLOCATION_PROBES; i++) {
    const a = await allocationOfOneCall(fn);
    if (a !== undefined) probes.push(a);
  }
  const allocatedPerCall = probes.length ? quantile(sortSamples(probes), 0.5) : 0;
  const calls = opts.calls ?? Math.max(MIN_AUTO_CALLS, Math.min(MAX_AUTO_CALLS, Math.floor(ROUND_TARGET_MS / Math.max(perCallMs, Number.EPSILON))));
  const warmupCalls = opts.warmupCalls ?? calls;
  if (warmupCalls > 0) await runCalls(fn, warmupCalls);
  release();
  const base = await quietBaseline();
  let gcMs = base.ms;
  const xs = [0];
  const ys = [0];
  for (let r = 1; r <= opts.rounds; r++) {
    await runCalls(fn, calls);
    release();
    const after = await settle();
    gcMs += after.ms;
    xs.push(r * calls);
    ys.push(after.held.total - base.held.total);
  }
  const levels = lowerEnvelope(ys);
  const perCall = levels.slice(1).map((y, i) => (y - levels[i]) / calls);
  const interval = trimmedMeanInterval(perCall);
  return {
    growth: interval,
    readings: perCall,
    leastSquares: leastSquares(xs, ys),
    calls,
    rounds: opts.rounds,
    warmupCalls,
    xs,
    ys,
    levels,
    totalGrowth: ys[ys.length - 1],
    allocatedPerCall,
    baselineSnapshots: base.snapshots,
    baselineQuiet: base.quiet,
    perCallMs,
    isAsync,
    wallMs: now() - wall0,
    gcMs,
  };
}

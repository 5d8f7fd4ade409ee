/**
 * Where memory is measured: forced garbage collection inside Jest, snapshots of what the
 * process holds, the high-water mark of a run, and the growth of retained memory per call.
 *
 * "Held" memory is V8's heap in use plus memory outside the heap that V8 is told about
 * (`process.memoryUsage().external`, which already includes every ArrayBuffer and Buffer:
 * `arrayBuffers` is a part of `external`, not an addition to it, so it is reported, not summed),
 * less V8's code spaces: optimized machine code is installed on tier-up and dropped by full GCs,
 * so it comes and goes between snapshots (±20–120 KB, measured) and is the engine's, not the program's.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { CONFIDENCE } from '../constants';
import type { Interval } from '../types';
import { now } from './clock';
import { blackhole } from './sink';
import { quantile, quantileInterval, sortSamples, tQuantile } from './stats';

/** A function under measurement; a returned promise is awaited as part of the call. */
export type MemoryMeasured = () => unknown;

/**
 * The real process.nextTick. Jest hands each test file a copy of `process` and fake timers
 * replace nextTick on that copy; the main context's `process` (reached through
 * vm.runInThisContext) is never faked.
 */
const realNextTick: (cb: () => void) => void = (() => {
  const outer = vm.runInThisContext('process') as NodeJS.Process;
  return outer.nextTick.bind(outer);
})();

/**
 * Full GCs per snapshot. One full GC finds every unreachable object, but ArrayBuffer backing
 * stores it frees are only taken off the books by the next GC (measured: 40 MB of dropped
 * Uint8Arrays still counted after one full GC, gone after a following minor GC, ~3 ms); so a
 * snapshot is one full GC then one minor GC. What a second full GC would still free is 5–20 KB.
 */
export const FULL_GCS_PER_SNAPSHOT = 1;
/** With `precise`, more full GCs until two snapshots agree within SETTLED_BYTES, at most this many. */
export const MAX_GC_PASSES = 6;
/** Snapshots closer than this count as settled (consecutive full GCs measured within ~1 KB). */
export const SETTLED_BYTES = 1024;

/** Memory the process holds, in bytes. */
export interface Held {
  heapUsed: number;
  /** Part of heapUsed: V8's code spaces (JIT code), left out of `total`. */
  code: number;
  /** Outside V8's heap; includes `arrayBuffers`. */
  external: number;
  arrayBuffers: number;
  /** heapUsed − code + external: the figure every memory SLO is judged on. */
  total: number;
}

/** V8's heap spaces that hold machine code (`code_space`, `code_large_object_space`). */
const isCodeSpace = (name: string): boolean => name.startsWith('code_');

export function held(): Held {
  const m = process.memoryUsage();
  let code = 0;
  for (const s of v8.getHeapSpaceStatistics()) if (isCodeSpace(s.space_name)) code += s.space_used_size;
  return { heapUsed: m.heapUsed, code, external: m.external, arrayBuffers: m.arrayBuffers, total: m.heapUsed - code + m.external };
}

/** V8's gc(): a full GC, or a minor one with `{ type: 'minor' }`. */
export type GcFunction = (options?: { type: 'major' | 'minor' }) => void;

let gcFn: GcFunction | undefined;

/**
 * A working `gc()` without `--expose-gc` (DESIGN.md: "GC inside Jest"). The flag only affects
 * contexts created after it is set, so a fresh context yields `gc`; the flag is then turned off
 * again so that later test files do not find a `gc` global they did not ask for.
 */
export function forcedGc(): GcFunction {
  if (gcFn) return gcFn;
  const already = vm.runInNewContext('typeof gc') === 'function';
  if (!already) v8.setFlagsFromString('--expose-gc');
  try {
    const g = vm.runInNewContext('gc') as unknown;
    if (typeof g !== 'function') throw new Error('rt-slo-reporter: V8 did not expose gc() after --expose-gc; memory cannot be measured here');
    gcFn = g as GcFunction;
  } finally {
    if (!already) v8.setFlagsFromString('--no-expose-gc');
  }
  return gcFn;
}

/** Whether this process was started with bytecode flushing off (then it is never touched). */
const FLUSHING_OFF_AT_START = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => a === '--no-flush-bytecode' || a === '--no_flush_bytecode');

/**
 * Runs a measurement with V8's bytecode flushing off, then turns it back on. V8 drops the bytecode
 * of functions that have not run for five full GCs; a measurement's own GCs age Jest's and
 * TypeScript's idle code past that, and its release (−2.7 MB in two or three steps in a ts-jest
 * worker, measured with v8.getHeapCodeStatistics) would read as the function freeing memory.
 * With flushing off the release shrinks to one step of about −0.9 MB, which the statistics drop.
 * The function's own bytecode is in use and never flushed either way.
 */
export async function withoutBytecodeFlushing<T>(run: () => Promise<T>): Promise<T> {
  if (FLUSHING_OFF_AT_START) return run();
  v8.setFlagsFromString('--no-flush-bytecode');
  try {
    return await run();
  } finally {
    v8.setFlagsFromString('--flush-bytecode');
  }
}

/**
 * Lets the current job end without entering the event loop. A WeakRef's target stays alive
 * until the job that created or read it ends (V8 clears its kept objects when a microtask
 * checkpoint completes); a whole synchronous measurement is one job, so without this, every
 * WeakRef target the function made would count as retained. A nextTick callback runs right after
 * the checkpoint, before any timer or I/O: a macrotask (setImmediate) would also run Jest's own
 * in-band work and add ~7 KB of wobble to each snapshot (measured). FinalizationRegistry
 * callbacks need a macrotask and are not awaited: memory they alone release counts as held.
 */
function turn(): Promise<void> {
  return new Promise<void>((resolve) => {
    realNextTick(resolve);
  });
}

export interface Settled {
  held: Held;
  /** Full GCs it took. */
  passes: number;
  ms: number;
}

/**
 * Collects garbage and reads what is still held: the end of the current job, then a full GC and
 * a minor GC. `precise` repeats until two snapshots agree within SETTLED_BYTES (unit tests, and
 * callers that can afford the extra full GCs: 70–300 ms each in a ts-jest worker's 120 MB heap).
 */
export async function settle(precise = false): Promise<Settled> {
  const gc = forcedGc();
  const t0 = now();
  await turn();
  let passes = 0;
  let prev = Number.NaN;
  let snap: Held;
  for (;;) {
    gc();
    gc({ type: 'minor' });
    passes++;
    snap = held();
    if (passes >= FULL_GCS_PER_SNAPSHOT && (!precise || Math.abs(snap.total - prev) <= SETTLED_BYTES || passes >= MAX_GC_PASSES)) break;
    prev = snap.total;
  }
  return { held: snap, passes, ms: now() - t0 };
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}

/**
 * Calls `fn` `calls` times, awaiting returned promises. Results are dropped: only what `fn`
 * keeps reachable elsewhere survives. This frame must have returned before any GC that is
 * meant to free the results (V8's interpreter keeps dead temporaries in registers until reused).
 * The last synchronous result is parked in the sink so the optimizer cannot delete the work;
 * `release()` empties it.
 */
async function runCalls(fn: MemoryMeasured, calls: number): Promise<boolean> {
  let sawPromise = false;
  for (let i = 0; i < calls; i++) {
    const r = fn();
    if (isThenable(r)) {
      sawPromise = true;
      await r;
    } else blackhole.value = r;
  }
  return sawPromise;
}

function release(): void {
  blackhole.value = undefined;
}

interface GcHeap {
  heapStatistics: { usedHeapSize: number; externalMemory: number };
  heapSpaceStatistics: Array<{ spaceName: string; spaceUsedSize: number }>;
}
/** v8.GCProfiler (Node ≥ 18.15): the heap just before and just after every GC, read synchronously. */
interface GcProfilerLike {
  start(): void;
  stop(): { statistics: Array<{ gcType: string; beforeGC: GcHeap; afterGC: GcHeap }> } | undefined;
}
type GcProfilerCtor = new () => GcProfilerLike;
const GCProfiler = (v8 as unknown as { GCProfiler?: GcProfilerCtor }).GCProfiler;

/** Whether the peak includes the moments just before every GC, not only the end of the run. */
export const PEAK_SEES_GCS = typeof GCProfiler === 'function';

export interface ProfiledRun {
  /** Highest heap + external held during the run. */
  peak: number;
  /** Held at the end of the run, before any collection. */
  end: number;
  /** What the GCs V8 ran during the run freed. */
  freed: number;
  /** GCs V8 ran during the run. */
  gcs: number;
  sawPromise: boolean;
}

/** The same figure as Held.total, from a GC profile's heap statistics. */
const total = (h: GcHeap): number => {
  let code = 0;
  for (const s of h.heapSpaceStatistics) if (isCodeSpace(s.spaceName)) code += s.spaceUsedSize;
  return h.heapStatistics.usedHeapSize - code + h.heapStatistics.externalMemory;
};

/**
 * Runs `calls` calls and reports the run's high-water mark of held memory. Between GCs memory
 * only grows (allocation frees nothing), so the maximum is reached either just before a GC or
 * at the end: v8.GCProfiler reports the heap at every GC's start, and the end is sampled here.
 * Nothing samples between calls, so nothing is added to what is measured. Native memory freed
 * without a GC (rare) is the one thing this can miss.
 */
async function profiledRun(fn: MemoryMeasured, calls: number): Promise<ProfiledRun> {
  const profiler = GCProfiler ? new GCProfiler() : undefined;
  profiler?.start();
  let sawPromise = false;
  let end = 0;
  let stats: ReturnType<GcProfilerLike['stop']>;
  try {
    sawPromise = await runCalls(fn, calls);
    end = held().total;
  } finally {
    stats = profiler?.stop();
    release();
  }
  let peak = end;
  let freed = 0;
  const gcs = stats?.statistics ?? [];
  for (const s of gcs) {
    peak = Math.max(peak, total(s.beforeGC));
    freed += Math.max(0, total(s.beforeGC) - total(s.afterGC));
  }
  return { peak, end, freed, gcs: gcs.length, sawPromise };
}

/** Snapshots before a baseline must agree within this (normal snapshot-to-snapshot wobble is ≤ 20 KB). */
export const QUIET_BYTES = 64 * 1024;
/** Most snapshots spent waiting for quiet before a baseline is taken anyway. */
export const MAX_QUIET_SNAPSHOTS = 6;

/** The note a matcher adds when the baseline never became quiet. */
export const QUIET_NOTE = (snapshots: number): string =>
  `the process did not settle before the baseline (${snapshots} snapshots kept moving by more than ${QUIET_BYTES / 1024} KB): something else in this process was allocating or freeing, and may be counted`;

export const nativeContexts = (): number => v8.getHeapStatistics().number_of_native_contexts;

export interface Baseline extends Settled {
  /** Snapshots it took, the baseline included (2 when the process was already quiet). */
  snapshots: number;
  /** Whether two consecutive snapshots agreed before MAX_QUIET_SNAPSHOTS ran out. */
  quiet: boolean;
}

/**
 * Runs the measuring machinery once on no-ops (its own first-time costs must fall before any
 * baseline), then takes snapshots until two in a row agree within QUIET_BYTES with no native
 * context collected in between; the last is the baseline. In the second and later test files
 * that Jest runs in one process, the previous file's vm context (~3.3 MB, measured) is still
 * alive when the file starts and only goes after two or three full GCs: a baseline taken
 * earlier would see it vanish during the measurement.
 */
export async function quietBaseline(): Promise<Baseline> {
  await profiledRun(() => undefined, 1);
  await profiledRun(async () => undefined, 1);
  let prev = await settle();
  let contexts = nativeContexts();
  let ms = prev.ms;
  for (let n = 2; ; n++) {
    const s = await settle();
    ms += s.ms;
    const c = nativeContexts();
    const quiet = c >= contexts && Math.abs(s.held.total - prev.held.total) <= QUIET_BYTES;
    if (quiet || n >= MAX_QUIET_SNAPSHOTS) return { ...s, ms, snapshots: n, quiet };
    prev = s;
    contexts = c;
  }
}

// ---------------------------------------------------------------------------------------------
// Statistics over runs and rounds.

export interface LineFit {
  /** Slope with its interval (±Infinity ends when the points are too few). */
  slope: Interval;
  intercept: number;
  /** Points fitted. */
  n: number;
}

/** Least-squares slope with a Student-t interval from its standard error (reported beside the robust figure). */
export function leastSquares(xs: readonly number[], ys: readonly number[], confidence = CONFIDENCE): LineFit {
  const n = xs.length;
  if (n < 3) return { slope: { low: -Infinity, estimate: n === 2 ? (ys[1] - ys[0]) / (xs[1] - xs[0]) : 0, high: Infinity }, intercept: n ? ys[0] : 0, n };
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  const b = sxy / sxx;
  const a = my - b * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i] - a - b * xs[i]) ** 2;
  const se = Math.sqrt(sse / (n - 2) / sxx);
  const half = tQuantile(1 - (1 - confidence) / 2, n - 2) * se;
  return { slope: { low: b - half, estimate: b, high: b + half }, intercept: a, n };
}

/**
 * Median of n values with its order-statistic interval. Below the size at which [min, max]
 * reaches the confidence (6 values for 95%), [min, max] is returned with its true coverage,
 * 1 − 2^(1−n), so that a short run still says what it can.
 */
export function medianInterval(values: readonly number[], confidence = CONFIDENCE): { interval: Interval; coverage: number } {
  const sorted = sortSamples(values);
  const n = sorted.length;
  const iv = quantileInterval(sorted, 0.5, confidence);
  if (Number.isFinite(iv.low) && Number.isFinite(iv.high)) return { interval: iv, coverage: confidence };
  return { interval: { low: sorted[0], estimate: iv.estimate, high: sorted[n - 1] }, coverage: n > 1 ? 1 - 2 ** (1 - n) : 0 };
}

/**
 * The lower envelope of consecutive values: min(v[i], v[i + 1]). The engine's own transients
 * are always extra memory held at one snapshot and gone at the next (128–216 KB in old space,
 * measured in a ts-jest worker, alone or on every other snapshot: a period-2 pattern that a
 * running median keeps); the envelope drops them. For a monotone series (any leak) it is the
 * series itself, shifted by one point, so a slope is unchanged.
 */
export function lowerEnvelope(values: readonly number[]): number[] {
  return values.slice(0, -1).map((v, i) => Math.min(v, values[i + 1]));
}

/** Share trimmed from each end for the trimmed mean (Wilcox's usual 20%: two of 11 readings per side). */
export const TRIM = 0.2;

/**
 * Trimmed mean with Yuen's interval: drop the ⌊trim·n⌋ smallest and largest values, average the
 * rest, and take the Student-t interval (h − 1 degrees of freedom, h values kept) from the
 * winsorized variance: d = (n − 1)·s_w² / (h·(h − 1)), mean ± t·√d. It estimates the mean, so
 * growth that comes every few rounds still counts, while the most extreme reading on each side
 * (a release of memory that is not the function's) does not.
 */
export function trimmedMeanInterval(values: readonly number[], trim = TRIM, confidence = CONFIDENCE): Interval {
  const x = sortSamples(values);
  const n = x.length;
  if (n === 0) return { low: -Infinity, estimate: 0, high: Infinity };
  const g = Math.floor(trim * n);
  const h = n - 2 * g;
  let sum = 0;
  for (let i = g; i < n - g; i++) sum += x[i];
  const estimate = sum / h;
  if (h < 2) return { low: -Infinity, estimate, high: Infinity };
  const w = Array.from(x, (v, i) => (i < g ? x[g] : i >= n - g ? x[n - g - 1] : v));
  const wm = w.reduce((a, b) => a + b, 0) / n;
  const s2 = w.reduce((a, b) => a + (b - wm) ** 2, 0) / (n - 1);
  const half = tQuantile(1 - (1 - confidence) / 2, h - 1) * Math.sqrt(((n - 1) * s2) / (h * (h - 1)));
  return { low: estimate - half, estimate, high: estimate + half };
}

/** Median of the differences between consecutive values: a step that one odd value cannot set. */
export function medianStep(values: readonly number[]): number {
  const steps = values.slice(1).map((v, i) => v - values[i]);
  return steps.length ? quantile(sortSamples(steps), 0.5) : 0;
}

// ---------------------------------------------------------------------------------------------
// toUseMemoryUnder: what running fn leaves held, and its peak.

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

// ---------------------------------------------------------------------------------------------
// toLeakMemory: growth of retained memory per call.

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

/**
 * Memory: forced garbage collection inside Jest, snapshots of what the process holds, the
 * high-water mark of a run (GC profile), and a quiet baseline to measure from.
 *
 * "Held" memory is V8's heap in use plus memory outside the heap that V8 is told about
 * (`process.memoryUsage().external`, which already includes every ArrayBuffer and Buffer:
 * `arrayBuffers` is a part of `external`, not an addition to it, so it is reported, not summed),
 * less V8's code spaces: optimized machine code is installed on tier-up and dropped by full GCs,
 * so it comes and goes between snapshots (±20–120 KB, measured) and is the engine's, not the program's.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { now } from '../clock';
import { blackhole } from '../sink';

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
 * A working `gc()` without `--expose-gc` (docs/design-notes.md: "GC inside Jest"). The flag only affects
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
export async function runCalls(fn: MemoryMeasured, calls: number): Promise<boolean> {
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

/** Empties the sink `runCalls` parks results in. */
export function release(): void {
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
export const GCProfiler = (v8 as unknown as { GCProfiler?: GcProfilerCtor }).GCProfiler;

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
export async function profiledRun(fn: MemoryMeasured, calls: number): Promise<ProfiledRun> {
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

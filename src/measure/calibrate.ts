/**
 * The one calibration rule, shared by the main-thread engine, the thread form's isolates and the
 * event-loop form: first call (detects a promise), time-bounded warm-up through the compiled
 * loop with a doubling batch, then the batch size that makes one timed sample last about
 * TARGET_SAMPLE_NS, and the cost of the empty loop of that size.
 *
 * No tinybench and no formatting here: this module is bundled into the thread worker, which
 * times its own loop, so the timeout arrives as a function (`bound`) rather than as timeout.ts.
 */
import { BATCH_THRESHOLD_NS, MAX_BATCH, TARGET_SAMPLE_NS } from '../constants';
import { now } from './clock';
import { compileBatch, compileEmptyBatch, type Batch } from './loop';
import { blackhole } from './sink';
import type { TimeoutPhase } from './timeout';

export function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}

export interface CalibrateOptions {
  /** Warm-up budget in ms (time-bounded, never call-bounded). */
  warmupMs: number;
  /** Force calls per sample (skips the batch rule). */
  batch?: number;
  /** Each timed sample should last about this long (ns). */
  targetSampleNs?: number;
  /** Bounds the first call and each warm-up batch of an async function (e.g. timeout.ts's withTimeout); none when absent. */
  bound?: Bound;
  /** Called once the first call settled; may throw to stop before the warm-up (e.g. "not async"). */
  afterFirstCall?: (isAsync: boolean) => void;
}

/** Waits for `work`, or rejects once it has been pending too long. */
export type Bound = (work: PromiseLike<unknown>, phase: TimeoutPhase, detail: () => string) => PromiseLike<unknown>;

const unbounded: Bound = (work) => work;

export interface Calibration {
  isAsync: boolean;
  /** One call's cost: the fastest per-call time among warm-up batches long enough to time well (ns). */
  perCallNs: number;
  /** Calls per timed sample. */
  batch: number;
  /** The warm-up's compiled loop, now of `batch` calls, with its own sink (see loop.ts). */
  loop: Batch;
  /** Calls made while calibrating (the first call included), and their time (ms). */
  calls: number;
  warmupMs: number;
}

/** Calls per timed sample for a call of `perCallNs`: one for slow calls, else enough to last `targetNs`. */
export function batchFor(perCallNs: number, targetNs: number = TARGET_SAMPLE_NS): number {
  if (perCallNs >= BATCH_THRESHOLD_NS) return 1;
  return Math.max(1, Math.min(MAX_BATCH, Math.ceil(targetNs / Math.max(perCallNs, 0.1))));
}

export async function calibrate(fn: () => unknown, opts: CalibrateOptions): Promise<Calibration> {
  const target = opts.targetSampleNs ?? TARGET_SAMPLE_NS;
  const bound = opts.bound ?? unbounded;
  const start = now();
  const first = fn();
  const isAsync = isThenable(first);
  blackhole.value = isAsync ? await bound(first, 'first call', () => 'its first call never settled') : first;
  opts.afterFirstCall?.(isAsync);
  let perCallNs = (now() - start) * 1e6;
  // The smallest per-call time among warm-up batches long enough to time well: preemption and
  // GC pauses only ever add time, so one unlucky last batch cannot shrink the batch size 100×.
  let bestPerCallNs = Infinity;
  let calls = 1;
  let k = 1;
  const loop = compileBatch(fn, k, isAsync);
  let lastDt = Infinity;
  // Doubling batches: the JIT sees the loop hot, and we learn the cost of one call. Past the
  // budget, a doubling still under way finishes (a few batches under target / 2, so < 0.2 ms):
  // when optimized code arrives late (a loaded machine starves V8's background compiler), the
  // loop turns 30× faster near the end and batches short again; stopping there kept the
  // unoptimized per-call time and a batch 30× too small (968 calls instead of ~35 000).
  while (now() - start < opts.warmupMs || (lastDt < target / 2 && k < MAX_BATCH)) {
    const t0 = now();
    const r = loop();
    if (isAsync) await bound(r as PromiseLike<unknown>, 'warm-up', () => `a warm-up batch of ${k} call${k === 1 ? '' : 's'} never settled`);
    const dt = (now() - t0) * 1e6;
    lastDt = dt;
    calls += k;
    perCallNs = dt / k;
    if (dt >= target / 2 || k >= MAX_BATCH) bestPerCallNs = Math.min(bestPerCallNs, perCallNs);
    if (dt < target && k < MAX_BATCH) loop.resize((k = Math.min(MAX_BATCH, k * 2)));
  }
  if (Number.isFinite(bestPerCallNs)) perCallNs = bestPerCallNs;
  const batch = opts.batch ?? batchFor(perCallNs, target);
  // The loop the warm-up trained, not a fresh (cold) one.
  loop.resize(batch);
  return { isAsync, perCallNs, batch, loop, calls, warmupMs: now() - start };
}

/**
 * The empty loop may not read slower than this multiple of the task loop's per-call cost: it does
 * the same work minus the call under test, so a slower reading means it is still cold.
 */
const BASELINE_CEILING = 1.5;
/**
 * How long a cold empty loop is re-timed before its best reading is taken anyway. Only spent
 * when a reading fails the ceiling, which a warm loop never does.
 */
const BASELINE_SETTLE_MS = 100;

/**
 * Per-iteration cost of the empty loop of `k` iterations (ns), by the median of its timed runs.
 * `time` must time the loop exactly as the caller times its samples (same clock, same harness),
 * so the subtraction removes what the samples carry: it warms the loop, then returns each timed
 * run's duration in ns.
 *
 * The empty loop is compiled fresh, and V8 optimizes it on a background thread: on a loaded
 * machine that thread may get no CPU for several ms, so a short warm-up can leave the loop
 * unoptimized (~17 ns an iteration instead of ~0.6 ns; measured under load average 5-8 on 2
 * cores) or in its on-stack-replaced code (~0.9 ns), and a time-bounded round of a loop 30×
 * slower holds one to three runs, a preempted one among them. Such a baseline (read 5-90 ns)
 * wipes out every batched figure. The task loop bounds it from above:
 * `taskPerCallNs` is its fastest per-call time (calibration's, or the discarded round's once
 * warm, whichever is lower). A reading over BASELINE_CEILING × that is cold, and is re-timed
 * (each time warming again) for up to BASELINE_SETTLE_MS. The lowest median wins: being cold
 * and being preempted only ever add time.
 */
export async function emptyLoopCost(
  k: number,
  time: (loop: Batch) => readonly number[] | Promise<readonly number[]>,
  taskPerCallNs: number = Infinity,
  mainContext = false,
): Promise<number> {
  const loop = compileEmptyBatch(k, mainContext);
  const ceiling = taskPerCallNs * BASELINE_CEILING;
  const start = now();
  let best = Infinity;
  do {
    const durations = await time(loop);
    if (!durations.length) continue;
    const perCall = Float64Array.from(durations, (d) => d / k).sort();
    best = Math.min(best, perCall[Math.floor(perCall.length / 2)]);
  } while (!(best <= ceiling) && now() - start < BASELINE_SETTLE_MS);
  return Number.isFinite(best) ? best : 0;
}

/**
 * The async form of `toScaleLinearly`: level n keeps n calls of an async function in flight at
 * once on this event loop (Promise.all of n calls, repeated for the window). Aggregate
 * throughput is calls completed / window time; each call's own latency is timed start → settle.
 */
import { performance } from 'node:perf_hooks';
import { calibrate, isThenable } from '../measure/calibrate';
import { now } from '../measure/clock';
import type { LevelRunner } from './scaling';
import type { VerifyResult } from './pool';
import { readSchedstat } from './schedstat';

type AsyncFn = () => unknown;

/** A window must hold at least this many rounds of calls, however slow one call is. */
const MIN_ITERATIONS_PER_WINDOW = 5;

export class NotAsyncError extends Error {}

export class EventLoopRunner implements LevelRunner {
  /** One call's time at the end of warm-up (ms). */
  perCallMs = 0;
  warmupCalls = 0;

  constructor(private readonly fn: AsyncFn) {}

  /**
   * The engine's calibration (calibrate.ts): the first call must return a promise, then
   * time-bounded warm-up batches through the compiled loop; one call's cost is the fastest
   * per-call time among batches long enough to time well (one slow turn of a loaded loop must
   * not stretch every window).
   */
  async warmup(ms: number): Promise<void> {
    const cal = await calibrate(this.fn, {
      warmupMs: ms,
      afterFirstCall: (isAsync) => {
        if (!isAsync) throw new NotAsyncError('the function returned no promise');
      },
    });
    this.perCallMs = cal.perCallNs / 1e6;
    this.warmupCalls = cal.calls;
  }

  /** Window length actually used: the asked length, or enough for a few rounds of slow calls. */
  windowFor(windowMs: number): number {
    return Math.max(windowMs, MIN_ITERATIONS_PER_WINDOW * this.perCallMs);
  }

  async window(level: number, windowMs: number): Promise<{ calls: number; seconds: number; samples: number[][]; loopBusy: number; cpuWait?: number }> {
    const fn = this.fn;
    const latencies: number[] = [];
    const length = this.windowFor(windowMs);
    // One call per round of `level`, picked at random, is timed: unbiased latency samples
    // without adding a callback to every call, which would be overhead growing with the level.
    const timed = (): PromiseLike<void> => {
      const t0 = now();
      const p = fn();
      return (isThenable(p) ? p : Promise.resolve(p)).then(() => {
        latencies.push((now() - t0) * 1e6);
      });
    };
    const elu = performance.eventLoopUtilization();
    const sched0 = readSchedstat()?.waitNs;
    const start = now();
    let calls = 0;
    let t = start;
    do {
      const inFlight: unknown[] = new Array(level);
      const sampled = Math.floor(Math.random() * level);
      for (let i = 0; i < level; i++) inFlight[i] = i === sampled ? timed() : fn();
      await Promise.all(inFlight);
      calls += level;
      t = now();
    } while (t - start < length);
    // Share of the window the loop spent running JavaScript rather than waiting: near 1, the
    // calls are CPU-bound on this thread and more of them in flight cannot help.
    const loopBusy = performance.eventLoopUtilization(elu).utilization;
    const sched1 = readSchedstat()?.waitNs;
    const cpuWait = sched0 !== undefined && sched1 !== undefined ? Math.min(1, Math.max(0, (sched1 - sched0) / ((t - start) * 1e6))) : undefined;
    return { calls, seconds: (t - start) / 1e3, samples: [latencies], loopBusy, cpuWait };
  }

  /** Nothing is shared across threads here: correctness is the function's own business. */
  async verify(): Promise<VerifyResult> {
    return { checked: false, ok: true };
  }
}

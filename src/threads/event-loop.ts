/**
 * The async form of `toScaleLinearly`: level n keeps n calls of an async function in flight at
 * once on this event loop (Promise.all of n calls, repeated for the window). Aggregate
 * throughput is calls completed / window time; each call's own latency is timed start → settle.
 */
import { now } from '../measure/clock';
import type { LevelRunner } from './scaling';
import type { VerifyResult } from './pool';

type AsyncFn = () => unknown;

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}

/** A window must hold at least this many rounds of calls, however slow one call is. */
const MIN_ITERATIONS_PER_WINDOW = 5;

export class NotAsyncError extends Error {}

export class EventLoopRunner implements LevelRunner {
  /** One call's time at the end of warm-up (ms). */
  perCallMs = 0;
  warmupCalls = 0;

  constructor(private readonly fn: AsyncFn) {}

  /** First call must return a promise; then calls one at a time for `ms`. */
  async warmup(ms: number): Promise<void> {
    const start = now();
    const first = this.fn();
    if (!isThenable(first)) throw new NotAsyncError('the function returned no promise');
    await first;
    this.warmupCalls = 1;
    let t = now();
    this.perCallMs = t - start;
    while (t - start < ms) {
      const t0 = now();
      await this.fn();
      t = now();
      this.perCallMs = t - t0;
      this.warmupCalls++;
    }
  }

  /** Window length actually used: the asked length, or enough for a few rounds of slow calls. */
  windowFor(windowMs: number): number {
    return Math.max(windowMs, MIN_ITERATIONS_PER_WINDOW * this.perCallMs);
  }

  async window(level: number, windowMs: number): Promise<{ calls: number; seconds: number; samples: number[][] }> {
    const fn = this.fn;
    const latencies: number[] = [];
    const length = this.windowFor(windowMs);
    const timed = (): Promise<void> => {
      const t0 = now();
      return Promise.resolve(fn()).then(() => {
        latencies.push((now() - t0) * 1e6);
      });
    };
    const start = now();
    let calls = 0;
    let t = start;
    do {
      const inFlight: Promise<void>[] = new Array(level);
      for (let i = 0; i < level; i++) inFlight[i] = timed();
      await Promise.all(inFlight);
      calls += level;
      t = now();
    } while (t - start < length);
    return { calls, seconds: (t - start) / 1e3, samples: [latencies] };
  }

  /** Nothing is shared across threads here: correctness is the function's own business. */
  async verify(): Promise<VerifyResult> {
    return { checked: false, ok: true };
  }
}

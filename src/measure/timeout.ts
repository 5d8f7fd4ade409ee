/**
 * Bounds on how long one call, one warm-up batch or one sampling round may stay unsettled.
 *
 * The timers are node:timers' own, captured when this module loads: `jest.useFakeTimers()`
 * replaces the global setTimeout, and a faked timer would never fire (the same reason the
 * clock is captured in clock.ts).
 */
import { clearTimeout as realClearTimeout, setTimeout as realSetTimeout } from 'node:timers';
import { formatDuration } from '../units/duration';

const setTimer = realSetTimeout;
const clearTimer = realClearTimeout;

/** What was still pending when the bound ran out. */
export type TimeoutPhase = 'first call' | 'warm-up' | 'sampling';

/**
 * The measured function did not settle in time: it hangs, or waits on something that never
 * comes. Thrown by `measure()` / `runInterleaved()` when `timeoutMs` is given.
 */
export class CallTimeoutError extends Error {
  constructor(
    /** The bound that ran out, in ms (a sampling round's planned length included). */
    readonly timeoutMs: number,
    readonly phase: TimeoutPhase,
    detail: string,
  ) {
    super(`the measured function did not settle within ${formatDuration(timeoutMs * 1e6)} (timeout); ${detail}`);
    this.name = 'CallTimeoutError';
  }
}

/**
 * `work`, or a rejection with CallTimeoutError once `ms` have passed without it settling.
 * Without a bound (`ms` undefined or infinite) `work` is returned as is: no timer at all.
 * The timer is unref'd (a pending bound never keeps the process alive) and cleared on settle.
 * The abandoned work is not cancelled: JavaScript cannot stop a promise, only stop waiting.
 */
export function withTimeout<T>(work: PromiseLike<T>, ms: number | undefined, phase: TimeoutPhase, detail: () => string): Promise<T> {
  if (ms === undefined || !Number.isFinite(ms)) return Promise.resolve(work);
  return new Promise<T>((resolve, reject) => {
    const timer = setTimer(() => reject(new CallTimeoutError(ms, phase, detail())), Math.max(0, ms));
    timer.unref();
    work.then(
      (v) => {
        clearTimer(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimer(timer);
        reject(e);
      },
    );
  });
}

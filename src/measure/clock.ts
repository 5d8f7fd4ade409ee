import { performance } from 'node:perf_hooks';

/**
 * The real monotonic clock, in milliseconds, captured when this module loads.
 * `jest.useFakeTimers()` freezes `performance.now()` and `process.hrtime` inside tests; a
 * reference taken from `node:perf_hooks` before any test runs keeps ticking (DESIGN.md).
 */
export const now: () => number = performance.now.bind(performance);

/** Wall-clock epoch milliseconds, captured for the same reason (`Date.now` is faked too). */
export const epochNow: () => number = Date.now.bind(Date);

/**
 * A promise that resolves on the next microtask turn without touching any timer API:
 * fake timers replace setTimeout, setImmediate, process.nextTick and queueMicrotask.
 */
export const resolved: Promise<void> = Promise.resolve();

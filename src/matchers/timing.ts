/** Time options shared by the matchers that sample calls: their defaults and their spelling. */
import { durationMs } from '../units/args';

/** The shortest default bound on one call: a healthy call on a loaded CI machine stays far under it. */
export const MIN_DEFAULT_TIMEOUT_MS = 1000;

/**
 * The bound on one call, warm-up batch or sampling round, in ms: the `timeout` option, or
 * maxTime + warmup (at least 1 s). A call that outlasts the whole budget cannot be sampled anyway.
 */
export function callTimeoutMs(timeout: unknown, maxTimeMs: number, warmupMs: number): number {
  return durationMs(timeout, Math.max(MIN_DEFAULT_TIMEOUT_MS, maxTimeMs + warmupMs));
}

/** The user's spelling of a duration; a bare number is milliseconds, so say so. */
export function durationText(value: unknown): string {
  return typeof value === 'number' ? `${value}ms` : String(value);
}

/**
 * Limits of comparisons: an overhead limit is a duration (`'5ns'`) or a percentage (`'1%'`);
 * a speedup factor is a positive number (`1000`, or `'1000x'` in a declaration).
 */
import { parseDuration, type Duration } from './duration';
import { show } from './show';

/** A percentage: `<number>%` with at most one space (`'1%'`, `'0.5 %'`). */
export type Percentage = `${number}%` | `${number} %`;

/**
 * An overhead limit. A bare number is refused: as a duration it would mean milliseconds, and
 * `0.01` is too easily meant as 1%; the unit must be written.
 */
export type OverheadLimit = Exclude<Duration, number> | Percentage;

export type LimitKind = 'duration' | 'percent';

/** A parsed limit: nanoseconds for a duration, percent points for a percentage (`'1%'` → 1). */
export interface ParsedLimit {
  kind: LimitKind;
  value: number;
}

const PERCENT_RE = /^(\d+(?:\.\d+)?|\.\d+) ?%$/;

export const LIMIT_FORMS =
  "a duration string '<number><unit>' with unit ns, us, µs, μs, ms or s (e.g. '5ns', '10us') or a percentage string '<number>%' (e.g. '1%', '0.5 %'); a bare number is refused as ambiguous (write '5ms' or '5%')";

/** Parses `'1%'` into 1. Throws a TypeError naming `what` on anything else. */
export function parsePercent(value: unknown, what = 'percentage'): number {
  if (typeof value === 'string') {
    const m = PERCENT_RE.exec(value);
    if (m) return Number(m[1]);
  }
  throw new TypeError(`${what} must be a percentage string '<number>%' (e.g. '1%', '0.5 %'); received ${show(value)}`);
}

/** Parses an overhead limit into its kind and value. Throws a TypeError naming `what`. */
export function parseLimit(value: unknown, what = 'limit'): ParsedLimit {
  if (typeof value === 'string') {
    if (PERCENT_RE.test(value)) return { kind: 'percent', value: parsePercent(value, what) };
    try {
      return { kind: 'duration', value: parseDuration(value, what) };
    } catch {
      // fall through to the combined message
    }
  }
  throw new TypeError(`${what} must be ${LIMIT_FORMS}; received ${show(value)}`);
}

/** Parses a limit that must be of a given kind (a noGo beside its target, a declared value). */
export function parseLimitOfKind(value: unknown, kind: LimitKind, what = 'limit'): number {
  const parsed = parseLimit(value, what);
  if (parsed.kind !== kind) {
    throw new TypeError(`${what} must be a ${kind === 'duration' ? 'duration' : 'percentage'} like the limit it goes with; received ${show(value)}`);
  }
  return parsed.value;
}

const FACTOR_RE = /^(\d+(?:\.\d+)?|\.\d+) ?x?$/;

/** Parses a speedup factor: a positive finite number, or `'1000x'` / `'1000'`. */
export function parseFactor(value: unknown, what = 'factor'): number {
  let n = NaN;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && FACTOR_RE.test(value)) n = Number(FACTOR_RE.exec(value)?.[1]);
  if (Number.isFinite(n) && n > 0) return n;
  throw new TypeError(`${what} must be a positive finite number (a factor, e.g. 4 or 1000); received ${show(value)}`);
}

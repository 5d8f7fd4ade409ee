/**
 * Limits of comparisons: an overhead limit is a duration (`'5ns'`) or a percentage (`'1%'`);
 * a speedup factor is a positive number (`1000` or `'1000x'`); an efficiency is a fraction of
 * linear scaling (`0.75` or `'75%'`). Matcher options and the reporter's declarations read them
 * with these parsers.
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

/** `'<number>%'`; shared with the reporter's reading of declared values (src/declarations.ts). */
export const PERCENT_RE = /^(\d+(?:\.\d+)?|\.\d+) ?%$/;

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

/** A speedup factor: a number, or `'<number>x'` (`'1000x'`). */
export type Factor = number | `${number}x` | `${number} x`;

const FACTOR_RE = /^(\d+(?:\.\d+)?|\.\d+) ?x?$/;
/** `'<number>x'` with its unit written: how a declaration says it is a factor (a bare `'1000'` says nothing). */
export const FACTOR_TEXT_RE = /^(\d+(?:\.\d+)?|\.\d+) ?x$/;

export const FACTOR_FORMS = "a positive finite number or a string '<number>x' (e.g. 4, 1000 or '1000x')";

/** Parses a speedup factor: a positive finite number, or `'1000x'` / `'1000'`. */
export function parseFactor(value: unknown, what = 'factor'): number {
  let n = NaN;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && FACTOR_RE.test(value)) n = Number(FACTOR_RE.exec(value)?.[1]);
  if (Number.isFinite(n) && n > 0) return n;
  throw new TypeError(`${what} must be ${FACTOR_FORMS}; received ${show(value)}`);
}

/** A fraction of an ideal: a number in (0, 1], or a percentage up to `'100%'`. */
export type Fraction = number | Percentage;

export const FRACTION_FORMS = "a number in (0, 1] or a percentage string '<number>%' up to '100%' (e.g. 0.75 or '75%')";

/** Parses a fraction such as an efficiency: `0.75`, `'0.75'` or `'75%'` → 0.75. */
export function parseFraction(value: unknown, what = 'fraction'): number {
  let x: unknown = value;
  if (typeof value === 'string') {
    const m = PERCENT_RE.exec(value);
    x = m ? Number(m[1]) / 100 : /^(\d+(?:\.\d+)?|\.\d+)$/.test(value) ? Number(value) : NaN;
  }
  if (typeof x === 'number' && x > 0 && x <= 1) return x;
  throw new TypeError(`${what} must be ${FRACTION_FORMS}; received ${show(value)}`);
}

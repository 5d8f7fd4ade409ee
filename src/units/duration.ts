import prettyMs from 'pretty-ms';
import { show } from './show';

// Existing importers read `show` from here; its home is ./show (no cycle with ./format).
export { show };

/** Units a duration string may carry. `µs` (micro sign) and `μs` (Greek mu) are both accepted. */
export type DurationUnit = 'ns' | 'us' | 'µs' | 'μs' | 'ms' | 's';

/**
 * A duration: milliseconds as a number, or `<number><unit>` with at most one space
 * (`'10us'`, `'1.5 ms'`). The template-literal type turns `'10xs'` into a compile error.
 */
export type Duration = number | `${number}${DurationUnit}` | `${number} ${DurationUnit}`;

const NS_PER_UNIT: Record<DurationUnit, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
};

const DURATION_RE = /^(\d+(?:\.\d+)?|\.\d+)(?: ?)(ns|us|µs|μs|ms|s)$/;

export const DURATION_FORMS =
  "a number of milliseconds (e.g. 2.5) or a string '<number><unit>' with unit ns, us, µs, μs, ms or s and at most one space (e.g. '10us', '1.5 ms')";

/**
 * Parses a duration into nanoseconds. Throws a TypeError naming `what` (the argument) and
 * the value when the input is not a non-negative finite duration.
 */
export function parseDuration(value: unknown, what = 'duration'): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value * 1e6;
  } else if (typeof value === 'string') {
    const m = DURATION_RE.exec(value.trim() === value ? value : '');
    if (m) {
      const ns = Number(m[1]) * NS_PER_UNIT[m[2] as DurationUnit];
      if (Number.isFinite(ns)) return ns;
    }
  }
  throw new TypeError(`${what} must be ${DURATION_FORMS}; received ${show(value)}`);
}

/** Whether `value` parses as a duration, without throwing. */
export function isDuration(value: unknown): value is Duration {
  try {
    parseDuration(value);
    return true;
  } catch {
    return false;
  }
}

type Scale = { unit: 'ns' | 'µs' | 'ms' | 's'; div: number };
const SCALES: readonly Scale[] = [
  { unit: 'ns', div: 1 },
  { unit: 'µs', div: 1e3 },
  { unit: 'ms', div: 1e6 },
  { unit: 's', div: 1e9 },
];

/** A value that rounds to this many of its unit is shown in the next unit up (999.7ns → 1µs). */
const NEXT_UNIT_AT = 1000;

/** The most decimals added to keep an interval's three numbers apart. */
const MAX_INTERVAL_DECIMALS = 6;

/** Decimals that give about three significant digits for a value in its unit (8.52, 85.2, 852). */
function decimalsFor(scaled: number): number {
  const a = Math.abs(scaled);
  if (a === 0 || a >= 100) return 0;
  if (a >= 10) return 1;
  return 2;
}

/** The unit for `ns` and its decimals, chosen after rounding: 999.7ns shows as 1µs, not 1000ns. */
function scaleFor(ns: number): { scale: Scale; decimals: number } {
  const a = Math.abs(ns);
  let i = a < 1e3 ? 0 : a < 1e6 ? 1 : a < 1e9 ? 2 : 3;
  let decimals = decimalsFor(ns / SCALES[i].div);
  while (i < SCALES.length - 1 && Math.abs(round(ns / SCALES[i].div, decimals)) >= NEXT_UNIT_AT) {
    i++;
    decimals = decimalsFor(ns / SCALES[i].div);
  }
  return { scale: SCALES[i], decimals };
}

/** `x` rounded to `decimals` decimals; negative decimals round to tens, hundreds, … */
function round(x: number, decimals: number): number {
  if (decimals < 0) {
    const step = 10 ** -decimals;
    return Math.round(x / step) * step;
  }
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/** Drops trailing zeros of the last number before the unit: '1.50s' → '1.5s', '2.00ms' → '2ms'. */
function trimZeros(s: string): string {
  return s.replace(/\.(\d*?)0+([a-zµ]+)$/, (_m, kept: string, unit: string) => (kept ? `.${kept}${unit}` : unit));
}

function nonFinite(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  return x > 0 ? '∞' : '-∞';
}

/**
 * `ns` in `scale` with `decimals` decimals of that unit. Milliseconds and above go through
 * pretty-ms, which also spells minutes and hours ('1m 1.5s'). Below a millisecond pretty-ms
 * cannot help: it shows a sub-millisecond value as a whole millisecond ('0.4ms' → '1ms'), so
 * ns and µs are formatted here. pretty-ms floors seconds ('1.999s' → '1.99s') and caps
 * milliseconds at 999, so the value is rounded to the shown precision before it is handed over.
 */
function formatIn(ns: number, scale: Scale, decimals: number): string {
  if (!Number.isFinite(ns)) return nonFinite(ns);
  if (scale.unit === 'ns' || scale.unit === 'µs') return trimZeros(`${(ns / scale.div).toFixed(decimals)}${scale.unit}`);
  // Decimals of a millisecond that give the same absolute precision whatever pretty-ms picks.
  const msDecimals = scale.unit === 'ms' ? decimals : Math.max(0, decimals - 3);
  const ms = round(ns / 1e6, scale.unit === 'ms' ? decimals : decimals - 3);
  const text = prettyMs(ms, { millisecondsDecimalDigits: msDecimals, secondsDecimalDigits: msDecimals + 3 });
  return trimZeros(text);
}

/**
 * Formats nanoseconds for people: `8.5ns`, `152µs`, `1.05ms`, `1.5s`, `1m 1.5s`, with about
 * three significant digits. Milliseconds and above go through pretty-ms (see `formatIn`).
 */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return nonFinite(ns);
  const { scale, decimals } = scaleFor(ns);
  return formatIn(ns, scale, decimals);
}

/**
 * Formats `[low estimate high]` in the estimate's unit, adding decimals until the three numbers
 * differ whenever the values themselves differ (so `[8.2ns 8.5ns 8.8ns]` never prints as
 * `[8ns 8ns 8ns]`). Spaces inside one value ('1m 1.5s') are dropped so the three stay apart.
 */
export function formatDurationInterval(low: number, estimate: number, high: number): string {
  const values = [low, estimate, high];
  if (!Number.isFinite(estimate)) return `[${values.map(formatDuration).join(' ')}]`;
  const { scale, decimals: start } = scaleFor(estimate);
  const distinct = new Set(values).size;
  let decimals = start;
  let parts = values.map((v) => formatIn(v, scale, decimals));
  while (new Set(parts).size < distinct && decimals < MAX_INTERVAL_DECIMALS) {
    decimals++;
    parts = values.map((v) => formatIn(v, scale, decimals));
  }
  return `[${parts.map((p) => p.replace(/ /g, '')).join(' ')}]`;
}

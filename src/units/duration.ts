import prettyMs from 'pretty-ms';

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

/** Renders any value for an error message: strings quoted, objects as JSON where possible. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return `[Function ${value.name || 'anonymous'}]`;
  if (typeof value === 'number' || value === null || value === undefined) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

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

type Scale = { unit: string; div: number };
const SCALES: Scale[] = [
  { unit: 'ns', div: 1 },
  { unit: 'µs', div: 1e3 },
  { unit: 'ms', div: 1e6 },
  { unit: 's', div: 1e9 },
];

function scaleFor(ns: number): Scale {
  const a = Math.abs(ns);
  if (a < 1e3) return SCALES[0];
  if (a < 1e6) return SCALES[1];
  if (a < 1e9) return SCALES[2];
  return SCALES[3];
}

/** Decimals that give about three significant digits for a value in its unit (8.52, 85.2, 852). */
function decimalsFor(scaled: number): number {
  const a = Math.abs(scaled);
  if (a === 0 || a >= 100) return 0;
  if (a >= 10) return 1;
  return 2;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function formatIn(ns: number, scale: Scale, decimals: number): string {
  const scaled = ns / scale.div;
  if (scale.unit === 'ms') return prettyMs(scaled, { millisecondsDecimalDigits: decimals });
  if (scale.unit === 's') {
    // pretty-ms renders minutes and hours for long spans ('1m 1.5s').
    return prettyMs(ns / 1e6, { secondsDecimalDigits: decimals, keepDecimalsOnWholeSeconds: decimals > 0 });
  }
  return `${trimZeros(scaled.toFixed(decimals))}${scale.unit}`;
}

/**
 * Formats nanoseconds for people: `8.5ns`, `152µs`, `1.05ms`, `1.5s`. Milliseconds and seconds
 * go through pretty-ms; below a millisecond pretty-ms keeps only whole units, so those are ours.
 */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return String(ns);
  const scale = scaleFor(ns);
  const decimals = decimalsFor(ns / scale.div);
  const text = formatIn(ns, scale, decimals);
  return scale.unit === 'ms' ? trimMsZeros(text) : text;
}

function trimMsZeros(text: string): string {
  return text.replace(/^(\d+\.\d*?)0+ms$/, '$1ms').replace(/\.ms$/, 'ms');
}

/**
 * Formats `[low estimate high]` in one unit, adding decimals until the three numbers differ
 * whenever the values themselves differ (so `[8.2ns 8.5ns 8.8ns]` never prints as `[8ns 8ns 8ns]`).
 */
export function formatDurationInterval(low: number, estimate: number, high: number): string {
  const scale = scaleFor(estimate);
  let decimals = decimalsFor(estimate / scale.div);
  const distinct = new Set([low, estimate, high]).size;
  let parts = [low, estimate, high].map((v) => formatIn(v, scale, decimals));
  while (new Set(parts).size < distinct && decimals < 6) {
    decimals++;
    parts = [low, estimate, high].map((v) => formatIn(v, scale, decimals));
  }
  return `[${parts.join(' ')}]`;
}

/**
 * Numbers for people, in a record's unit: what the matchers' messages and the reporter's matrix
 * both print, so the two never disagree on how a value reads.
 */
import type { Interval, Unit } from '../types';
import { formatBytes } from './bytes';
import { formatDuration, formatDurationInterval } from './duration';

export { show } from './show';

/** Significant digits of a rate (Criterion prints 113.6 Melem/s). */
const RATE_DIGITS = 4;

/** A plain number with about three significant digits and thousands separators. */
export function formatNumber(x: number): string {
  const a = Math.abs(x);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  const out = x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return out === '-0' ? '0' : out; // a tiny negative rounds to '-0'
}

/** Formats a value in a record's unit. */
export function formatValue(value: number, unit: Unit): string {
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '-∞';
  switch (unit) {
    case 'ns':
      return formatDuration(value);
    case 'bytes':
      return formatBytes(value);
    case 'bytes/call':
      return `${formatBytes(value)}/call`;
    case 'x':
      return `${formatNumber(value)}x`;
    case 'ratio':
      return formatNumber(value);
    case 'percent':
      return `${formatNumber(value)}%`;
  }
}

/** `[low estimate high]` in a unit, with enough digits that distinct values stay distinct. */
export function formatInterval(iv: Interval, unit: Unit): string {
  if (unit === 'ns' && Number.isFinite(iv.low) && Number.isFinite(iv.high)) return formatDurationInterval(iv.low, iv.estimate, iv.high);
  return `[${formatValue(iv.low, unit)} ${formatValue(iv.estimate, unit)} ${formatValue(iv.high, unit)}]`;
}

/** `117.6M`: a rate (per second) with SI prefixes and four significant digits; `—` when not positive. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '—';
  const prefixes = ['', 'K', 'M', 'G', 'T'];
  let i = 0;
  let v = perSecond;
  // Round first, so 999.99M shows as 1G rather than 1000M.
  while (Number(v.toPrecision(RATE_DIGITS)) >= 1000 && i < prefixes.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Number(v.toPrecision(RATE_DIGITS))}${prefixes[i]}`;
}

/** `117.6M/s [112.3M 121.9M]`: a rate's estimate with its interval. */
export function formatRateInterval(iv: Interval): string {
  return `${formatRate(iv.estimate)}/s [${formatRate(iv.low)} ${formatRate(iv.high)}]`;
}

/**
 * Where a verdict is made. A measurement's interval is compared with two lines: the target
 * (PASS at or better) and the hard NO-GO limit (FAIL beyond). Every matcher uses these rules.
 */
import type { Direction, Interval, Tier, Verdict } from './types';

export interface Lines {
  target: number;
  /** Hard limit; equal to target when none was given. Never better than the target. */
  noGo: number;
  direction: Direction;
}

export interface Classification {
  verdict: Exclude<Verdict, 'ERROR'>;
  /** True when the whole interval lies on one side of the lines that decide the verdict. */
  conclusive: boolean;
}

/** `a` is at or better than `b` in the given direction. */
function atOrBetter(a: number, b: number, direction: Direction): boolean {
  return direction === 'lower' ? a <= b : a >= b;
}

/** Verdict of a point value. */
export function verdictOf(value: number, lines: Lines): Exclude<Verdict, 'ERROR'> {
  if (atOrBetter(value, lines.target, lines.direction)) return 'PASS';
  if (atOrBetter(value, lines.noGo, lines.direction)) return 'WARN';
  return 'FAIL';
}

/**
 * Classifies an interval. Conclusive when every point of the interval has the same verdict:
 * wholly within target (PASS), wholly beyond the limit (FAIL), or wholly between them (WARN).
 * Otherwise the verdict is the point estimate's, marked inconclusive.
 */
export function classify(iv: Interval, lines: Lines): Classification {
  const best = lines.direction === 'lower' ? iv.low : iv.high;
  const worst = lines.direction === 'lower' ? iv.high : iv.low;
  const a = verdictOf(best, lines);
  const b = verdictOf(worst, lines);
  if (a === b) return { verdict: a, conclusive: true };
  return { verdict: verdictOf(iv.estimate, lines), conclusive: false };
}

/**
 * Whether a claim holds, so its test goes on. A `must` row fails its test on FAIL (or ERROR);
 * `should` and `nice` rows never fail a test, they only flag their row. A `.not` assertion is
 * recorded as its own claim (the direction flipped), so this never needs to know about `.not`.
 */
export function claimHolds(verdict: Verdict, tier: Tier): boolean {
  if (verdict === 'ERROR') return false;
  return tier !== 'must' || verdict !== 'FAIL';
}

/** The `pass` a Jest matcher must return: Jest inverts it for `.not`, so invert it first. */
export function jestPass(holds: boolean, negated: boolean): boolean {
  return negated ? !holds : holds;
}

/** The opposite direction: a `.not` claim is the same measurement judged the other way. */
export function flip(direction: Direction): Direction {
  return direction === 'lower' ? 'higher' : 'lower';
}

/**
 * Where a verdict is made, the one home of the verdict rules. A measurement's interval is
 * compared with two lines: the target (PASS at or better) and the hard NO-GO limit (FAIL
 * beyond); `.not` flips the claim; a tier says whether a FAIL stops the test; a record becomes a
 * row verdict in the matrix (an inconclusive PASS → WARN); MUST rows decide the
 * run. Matchers (conclude) and the reporter (rows, decide) both call these.
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

/** A claim's lines as written, before `.not`. */
export interface Claim {
  negated: boolean;
  direction: Direction;
  target: number;
  noGo: number;
  /**
   * The NO-GO line of the `.not` claim, for a matcher whose usual form is negated
   * (`.not.toLeakMemory()`); without it a `.not` claim is judged against the target alone.
   */
  negatedNoGo?: number;
}

/** The lines of a claim, with `.not` applied: the same measurement judged the other way. */
export function claimLines(c: Claim): Lines {
  if (!c.negated) return { target: c.target, noGo: c.noGo, direction: c.direction };
  return { target: c.target, noGo: c.negatedNoGo ?? c.target, direction: flip(c.direction) };
}

/** A measurement's verdict, and whether its interval settled it. */
export interface Judgement {
  verdict: Exclude<Verdict, 'ERROR'>;
  /** The interval straddles a line: the verdict is the point estimate's. */
  inconclusive: boolean;
}

/**
 * Judges an interval against a claim's lines. A forced verdict (a correctness failure, a hang,
 * a missed per-call budget) stands whatever the numbers and is never inconclusive.
 */
export function judge(iv: Interval, lines: Lines, forced?: Exclude<Verdict, 'ERROR'>): Judgement {
  if (forced) return { verdict: forced, inconclusive: false };
  const c = classify(iv, lines);
  return { verdict: c.verdict, inconclusive: !c.conclusive };
}

/**
 * A row's verdict in the matrix. ERROR: a measurement was attempted and could not be made
 * (the function threw or hung, a thread died), or the row mixes matchers or units.
 */
export type RowVerdict = 'PASS' | 'WARN' | 'FAIL' | 'MISSING' | 'ERROR';

/**
 * Worst last. When a row is measured more than once, the worst verdict decides. FAIL outranks
 * ERROR and MISSING: a measured failure is the stronger, more useful fact.
 */
export const ROW_VERDICT_ORDER: readonly RowVerdict[] = ['PASS', 'WARN', 'MISSING', 'ERROR', 'FAIL'];

/** A record's verdict in the matrix: a PASS without evidence (inconclusive) is WARN. */
export function recordRowVerdict(r: { verdict: Verdict; inconclusive: boolean }): RowVerdict {
  if (r.verdict === 'PASS' && r.inconclusive) return 'WARN';
  return r.verdict;
}

/** `a` is a worse row verdict than `b`. */
export function worseRow(a: RowVerdict, b: RowVerdict): boolean {
  return ROW_VERDICT_ORDER.indexOf(a) > ROW_VERDICT_ORDER.indexOf(b);
}

/** Only MUST rows decide the run; SHOULD and NICE rows are shown and counted. */
export function decidesRun(tier: Tier): boolean {
  return tier === 'must';
}

/**
 * What one deciding (MUST) row does to the run: FAIL, ERROR or MISSING → NO-GO; WARN → GO WITH
 * WARNINGS; PASS → nothing.
 */
export function rowEffect(verdict: RowVerdict): 'no-go' | 'warn' | 'none' {
  if (verdict === 'FAIL' || verdict === 'ERROR' || verdict === 'MISSING') return 'no-go';
  return verdict === 'WARN' ? 'warn' : 'none';
}

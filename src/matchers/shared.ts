/**
 * What every matcher shares: argument checking, the row model (slo, tier, target, noGo),
 * the record written for the reporter, and one Jest-style message builder.
 */
import type { MatcherContext } from 'expect';
import { declared } from '../declarations';
import { epochNow } from '../measure/clock';
import { relativeMargin } from '../measure/stats';
import { writeRecord, type RecordInput } from '../record';
import { TIERS, type Direction, type Interval, type SloRecord, type Summary, type Tier, type Unit, type Verdict } from '../types';
import { formatBytes } from '../units/bytes';
import { formatDuration, formatDurationInterval, parseDuration, show } from '../units/duration';
import { claimHolds, classify, flip, jestPass, type Lines } from '../verdict';

export { show };

/** Where to read about every matcher's arguments. */
export const DOCS = 'https://www.npmjs.com/package/rt-slo-reporter#matchers';

/**
 * A bad argument. Its stack starts at the user's `expect(...)` line, not inside this package,
 * and its message names the argument, shows the value and lists what is accepted.
 */
export class SloArgumentError extends TypeError {
  constructor(matcher: string, message: string, callee?: (...args: never[]) => unknown) {
    super(`${matcher}: ${message}\nSee ${DOCS}`);
    this.name = 'TypeError';
    if (callee && Error.captureStackTrace) Error.captureStackTrace(this, callee);
  }
}

/** Options every matcher accepts: which row of the matrix, and how much it matters. */
export interface RowOptions {
  /** The SLO row's name in the decision matrix (default: the test's full name). */
  slo?: string;
  /** `'must'` (default) fails the test on FAIL; `'should'` and `'nice'` only flag the row. */
  tier?: Tier;
}

type Check = (value: unknown, name: string) => string | undefined;

/** A validator from a parser that throws: its message, without the parser's own subject. */
export function checkWith(parse: (value: unknown, what: string) => unknown): Check {
  return (v) => {
    try {
      parse(v, 'value');
      return undefined;
    } catch (e) {
      return (e as Error).message.replace('value must be', 'must be');
    }
  };
}

/** Runs a parser on a positional argument, rethrowing its TypeError with the matcher's name. */
export function parseArgument<T>(matcher: string, callee: (...args: never[]) => unknown, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw new SloArgumentError(matcher, (e as Error).message, callee);
  }
}

/** A function's name for messages, or the fallback for anonymous ones. */
export function nameOf(fn: unknown, fallback: string): string {
  const name = (fn as { name?: unknown }).name;
  return typeof name === 'string' && name.length > 0 ? name : fallback;
}

/** Validators return an error text, or undefined when the value is fine. */
export const checks = {
  string: ((v) => (typeof v === 'string' && v.length > 0 ? undefined : `must be a non-empty string; received ${show(v)}`)) as Check,
  tier: ((v) => (TIERS.includes(v as Tier) ? undefined : `must be one of ${TIERS.map((t) => `'${t}'`).join(', ')}; received ${show(v)}`)) as Check,
  positiveInt: ((v) => (Number.isInteger(v) && (v as number) > 0 ? undefined : `must be a positive integer; received ${show(v)}`)) as Check,
  positive: ((v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? undefined : `must be a positive finite number; received ${show(v)}`)) as Check,
  fraction: ((v) => (typeof v === 'number' && v > 0 && v <= 1 ? undefined : `must be a number in (0, 1]; received ${show(v)}`)) as Check,
  boolean: ((v) => (typeof v === 'boolean' ? undefined : `must be true or false; received ${show(v)}`)) as Check,
  oneOf:
    (values: readonly string[]): Check =>
    (v) =>
      values.includes(v as string) ? undefined : `must be one of ${values.map((x) => `'${x}'`).join(', ')}; received ${show(v)}`,
  any: (() => undefined) as Check,
  duration: checkWith(parseDuration),
};

/**
 * Checks an options object against a table of validators: unknown keys and bad values both
 * throw, naming the key. `undefined` values are treated as absent.
 */
export function checkOptions<T extends object>(
  matcher: string,
  options: unknown,
  spec: Record<string, Check>,
  callee?: (...args: never[]) => unknown,
): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new SloArgumentError(matcher, `options must be an object; received ${show(options)}`, callee);
  }
  for (const [key, value] of Object.entries(options)) {
    const check = spec[key];
    if (!check) {
      throw new SloArgumentError(matcher, `unknown option ${JSON.stringify(key)}; accepted options: ${Object.keys(spec).join(', ')}`, callee);
    }
    if (value === undefined) continue;
    const problem = check(value, key);
    if (problem) throw new SloArgumentError(matcher, `option ${key} ${problem}`, callee);
  }
  return options as T;
}

/** The row options every matcher accepts, for `checkOptions` specs. */
export const ROW_OPTION_CHECKS: Record<string, Check> = { slo: checks.string, tier: checks.tier };

export function requireFunction(matcher: string, received: unknown, what = 'received value', callee?: (...args: never[]) => unknown): asserts received is (...args: never[]) => unknown {
  if (typeof received !== 'function') {
    throw new SloArgumentError(matcher, `${what} must be a function; received ${show(received)}`, callee);
  }
}

export interface RowInput {
  slo?: string;
  tier?: Tier;
  /** The matcher's target, already parsed into the record's unit. */
  target: number;
  targetText: string;
  /** The matcher's explicit NO-GO limit, parsed, when one was given. */
  noGo?: number;
  noGoText?: string;
}

export interface Row {
  slo: string;
  tier: Tier;
  noGo: number;
  noGoText: string;
}

function same(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Settles a measurement's row: its name (default: the test's full name), tier and NO-GO limit.
 * A row declared in the reporter's `slos` option supplies the tier and limit the matcher did not
 * give; a matcher value that contradicts the declaration is a configuration error, thrown here
 * so the test, the record and the matrix can never disagree. `parse` reads a declared value in
 * the matcher's unit (the same parser as its own arguments).
 */
export function resolveRow(
  matcher: string,
  input: RowInput,
  parse: (value: unknown, what: string) => number,
  callee?: (...args: never[]) => unknown,
): Row {
  const slo = input.slo ?? currentTestName();
  const decl = declared(slo);
  const conflict = (what: string, mine: string, theirs: string): never => {
    throw new SloArgumentError(
      matcher,
      `${what} ${mine} conflicts with the declaration of SLO ${JSON.stringify(slo)} in the reporter's slos option (${what} ${theirs}); remove one of them or make them agree`,
      callee,
    );
  };
  if (decl && input.tier !== undefined && input.tier !== decl.tier) conflict('tier', `'${input.tier}'`, `'${decl.tier}'`);
  const tier = input.tier ?? decl?.tier ?? 'must';
  if (decl?.target !== undefined) {
    const declaredTarget = parse(decl.target, `declared target of SLO ${JSON.stringify(slo)}`);
    if (!same(declaredTarget, input.target)) conflict('target', show(input.targetText), show(decl.target));
  }
  let noGo = input.target;
  let noGoText = input.targetText;
  if (input.noGo !== undefined) {
    noGo = input.noGo;
    noGoText = input.noGoText ?? String(input.noGo);
    if (decl?.noGo !== undefined && !same(parse(decl.noGo, `declared noGo of SLO ${JSON.stringify(slo)}`), noGo)) {
      conflict('noGo', show(noGoText), show(decl.noGo));
    }
  } else if (decl?.noGo !== undefined) {
    noGo = parse(decl.noGo, `declared noGo of SLO ${JSON.stringify(slo)}`);
    noGoText = String(decl.noGo);
  }
  return { slo, tier, noGo, noGoText };
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

function formatNumber(x: number): string {
  const a = Math.abs(x);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  const out = x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return out === '-0' ? '0' : out; // a tiny negative rounds to '-0'
}

/** `[low estimate high]` in a unit, with enough digits that distinct values stay distinct. */
export function formatInterval(iv: Interval, unit: Unit): string {
  if (unit === 'ns' && Number.isFinite(iv.low) && Number.isFinite(iv.high)) return formatDurationInterval(iv.low, iv.estimate, iv.high);
  return `[${formatValue(iv.low, unit)} ${formatValue(iv.estimate, unit)} ${formatValue(iv.high, unit)}]`;
}

/** Comparison words for the message, per direction. */
function betterWord(direction: Direction): string {
  return direction === 'lower' ? 'under' : 'at least';
}

export interface Outcome {
  matcher: string;
  negated: boolean;
  /** The row's options as given. */
  slo?: string;
  tier: Tier;
  unit: Unit;
  /** Direction of the claim as written, before `.not`. */
  direction: Direction;
  target: number;
  noGo: number;
  targetText: string;
  noGoText: string;
  stat: string;
  /** The asserted statistic's 95% interval. */
  interval: Interval;
  samples: number;
  batch: number;
  /** Stopped by the time budget with the interval straddling a line. */
  budgetExhausted: boolean;
  summary?: Summary;
  details?: Record<string, unknown>;
  notes?: string[];
  startedAt: number;
  /** Argument labels in the hint, e.g. `'other'` or `'baseline, limit'` (default `'target'`). */
  hintArgs?: string;
  /** Extra labelled lines for the message (a scaling table, the baseline, …). */
  extra?: string[];
  /** Overrides the claim verdict (for example, a correctness failure is FAIL whatever the numbers). */
  forceVerdict?: Exclude<Verdict, 'ERROR'>;
}

/** The lines of a claim, with `.not` applied: the same measurement judged the other way. */
export function claimLines(o: Pick<Outcome, 'negated' | 'direction' | 'target' | 'noGo'>): Lines {
  return o.negated ? { target: o.target, noGo: o.target, direction: flip(o.direction) } : { target: o.target, noGo: o.noGo, direction: o.direction };
}

/**
 * Classifies, records and builds Jest's `{ pass, message }` for one measured claim.
 * The message is a lazy thunk, as Jest expects.
 */
export function conclude(ctx: MatcherContext, o: Outcome): { pass: boolean; message: () => string; record: SloRecord } {
  const lines = claimLines(o);
  const cls = classify(o.interval, lines);
  const verdict = o.forceVerdict ?? cls.verdict;
  const inconclusive = !o.forceVerdict && !cls.conclusive;
  const notes = [...(o.notes ?? [])];
  if (inconclusive) {
    notes.push(
      `inconclusive: the 95% interval still straddles ${lines.target === lines.noGo ? 'the target' : 'a line'} after ${o.samples} samples; the verdict follows the point estimate`,
    );
  }
  const holds = claimHolds(verdict, o.tier);
  const input: RecordInput = {
    slo: o.slo ?? '',
    tier: o.tier,
    matcher: o.matcher,
    negated: o.negated,
    unit: o.unit,
    direction: lines.direction,
    target: lines.target,
    noGo: lines.noGo,
    targetText: o.targetText,
    noGoText: o.negated ? o.targetText : o.noGoText,
    stat: o.stat,
    estimate: o.interval.estimate,
    low: finiteOr(o.interval.low, o.summary?.min ?? o.interval.estimate),
    high: finiteOr(o.interval.high, o.summary?.max ?? o.interval.estimate),
    samples: o.samples,
    batch: o.batch,
    noise: relativeMargin(o.interval),
    verdict,
    inconclusive,
    passed: holds,
    summary: o.summary,
    notes,
    details: o.details,
    startedAt: o.startedAt,
    endedAt: epochNow(),
  };
  if (!input.slo) input.slo = currentTestName();
  const record = writeRecord(input);
  const pass = jestPass(holds, o.negated);
  const message = (): string => buildMessage(ctx, o, record, lines);
  return { pass, message, record };
}

function finiteOr(x: number, fallback: number): number {
  return Number.isFinite(x) ? x : fallback;
}

function currentTestName(): string {
  const e = (globalThis as { expect?: { getState(): { currentTestName?: string } } }).expect;
  return e?.getState().currentTestName ?? '(unnamed)';
}

/** The failure (or `.not` failure) message: hint, one sentence, labelled values, notes. */
export function buildMessage(ctx: MatcherContext, o: Outcome, record: SloRecord, lines: Lines): string {
  const { matcherHint, EXPECTED_COLOR, RECEIVED_COLOR } = ctx.utils;
  // matcherHint adds `.not` itself from isNot.
  const hint = matcherHint(`.${o.matcher}`, 'received', o.hintArgs ?? 'target', { isNot: o.negated, promise: ctx.promise });
  const word = betterWord(lines.direction);
  const limit = !o.negated && o.noGo !== o.target ? ` (NO-GO ${lines.direction === 'lower' ? 'above' : 'below'} ${formatValue(o.noGo, o.unit)})` : '';
  const sentence = `Expected ${o.stat} to be ${word} ${formatValue(lines.target, o.unit)}${limit}, tier ${o.tier}.`;
  const rows = [
    hint,
    '',
    sentence,
    '',
    `Expected: ${EXPECTED_COLOR(`${o.stat} ${lines.direction === 'lower' ? '≤' : '≥'} ${o.targetText}`)}`,
    `Received: ${RECEIVED_COLOR(`${o.stat} ${formatInterval(o.interval, o.unit)}`)} (95% CI)`,
    `Verdict:  ${record.verdict}${record.inconclusive ? ' (inconclusive)' : ''}`,
    `Samples:  ${o.samples} × ${o.batch} call${o.batch === 1 ? '' : 's'}, noise ±${(record.noise * 100).toFixed(1)}%`,
    ...(o.extra ?? []),
    ...record.notes.map((n) => `Note:     ${n}`),
  ];
  return rows.join('\n');
}

/**
 * Records a measurement that could not be made (the function threw, a thread died) so the
 * reporter shows the row as lost rather than silently absent, then rethrows.
 */
export function recordError(o: Pick<Outcome, 'matcher' | 'negated' | 'slo' | 'tier' | 'unit' | 'direction' | 'target' | 'noGo' | 'targetText' | 'noGoText' | 'stat' | 'startedAt'>, error: unknown): never {
  const lines = claimLines(o);
  const message = error instanceof Error ? error.message : String(error);
  writeRecord({
    slo: o.slo ?? currentTestName(),
    tier: o.tier,
    matcher: o.matcher,
    negated: o.negated,
    unit: o.unit,
    direction: lines.direction,
    target: lines.target,
    noGo: lines.noGo,
    targetText: o.targetText,
    noGoText: o.noGoText,
    stat: o.stat,
    estimate: 0,
    low: 0,
    high: 0,
    samples: 0,
    batch: 0,
    noise: 0,
    verdict: 'ERROR',
    inconclusive: false,
    passed: false,
    notes: [],
    error: message,
    startedAt: o.startedAt,
    endedAt: epochNow(),
  });
  throw error;
}

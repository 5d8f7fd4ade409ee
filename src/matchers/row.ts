/**
 * A matcher's row in the matrix (slo, tier, target, NO-GO limit) and the one preamble every
 * matcher runs before it measures: argument checks, the target, the options, the row as
 * declared, and the claim's lines.
 */
import { checkDeclarationUnit, declared } from '../declarations';
import { epochNow } from '../measure/clock';
import type { Direction, SloRecord, Tier, Unit } from '../types';
import { checkOptions, checks, requireFunction, SloArgumentError, type Check } from '../units/args';
import { show } from '../units/format';
import { claimLines, flip, type Lines } from '../verdict';

type Callee = (...args: never[]) => unknown;
type Parse = (value: unknown, what: string) => number;

/** Options every matcher accepts: which row of the matrix, and how much it matters. */
export interface RowOptions {
  /** The SLO row's name in the decision matrix (default: the test's full name). */
  slo?: string;
  /** `'must'` (default) fails the test on FAIL; `'should'` and `'nice'` only flag the row. */
  tier?: Tier;
}

/** The row options every matcher accepts, for `checkOptions` specs. */
export const ROW_OPTION_CHECKS: Record<string, Check> = { slo: checks.string, tier: checks.tier };

export interface RowInput {
  slo?: string;
  tier?: Tier;
  /** The matcher's target, already parsed into the record's unit; undefined when the user gave none. */
  target?: number;
  targetText?: string;
  /** The target when neither the user nor the SLO's declaration gives one. */
  fallback?: { value: number; text: string };
  /** The matcher's explicit NO-GO limit, parsed, when one was given. */
  noGo?: number;
  noGoText?: string;
  /** The user's spelling of a declared value (default `String`). */
  text?: (value: unknown) => string;
  /** The record's unit: a declaration written in another unit is refused, naming both. */
  unit?: Unit;
}

export interface Row {
  slo: string;
  tier: Tier;
  target: number;
  targetText: string;
  noGo: number;
  noGoText: string;
}

function same(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/** The running test's full name, as Jest reports it. */
export function currentTestName(): string {
  const e = (globalThis as { expect?: { getState(): { currentTestName?: string } } }).expect;
  return e?.getState().currentTestName ?? '(unnamed)';
}

/**
 * Settles a measurement's row: its name (default: the test's full name), tier, target and NO-GO
 * limit. A row declared in the reporter's `slos` option supplies what the matcher did not give
 * (the target of a matcher whose target is an option, the tier, the limit); a matcher value that
 * contradicts the declaration is a configuration error, thrown here so the test, the record and
 * the matrix can never disagree. `parse` reads a declared value in the matcher's unit (the same
 * parser as its own arguments).
 */
export function resolveRow(matcher: string, input: RowInput, parse: Parse, callee?: Callee): Row {
  const slo = input.slo ?? currentTestName();
  const decl = declared(slo);
  const name = JSON.stringify(slo);
  const text = input.text ?? String;
  const conflict = (what: string, mine: string, theirs: string): never => {
    throw new SloArgumentError(
      matcher,
      `${what} ${mine} conflicts with the declaration of SLO ${name} in the reporter's slos option (${what} ${theirs}); remove one of them or make them agree`,
      callee,
    );
  };
  const readDeclared = (what: 'target' | 'noGo', v: unknown): number => {
    try {
      return parse(v, `declared ${what} of SLO ${name}`);
    } catch (e) {
      throw new SloArgumentError(matcher, (e as Error).message, callee);
    }
  };
  if (decl && input.unit) {
    try {
      checkDeclarationUnit(slo, matcher, input.unit, decl);
    } catch (e) {
      throw new SloArgumentError(matcher, (e as Error).message, callee);
    }
  }
  if (decl && input.tier !== undefined && input.tier !== decl.tier) conflict('tier', `'${input.tier}'`, `'${decl.tier}'`);
  const tier = input.tier ?? decl?.tier ?? 'must';
  let target: number;
  let targetText: string;
  if (input.target !== undefined) {
    target = input.target;
    targetText = input.targetText ?? String(input.target);
    if (decl?.target !== undefined && !same(readDeclared('target', decl.target), target)) conflict('target', show(targetText), show(decl.target));
  } else if (decl?.target !== undefined) {
    target = readDeclared('target', decl.target);
    targetText = text(decl.target);
  } else if (input.fallback) {
    ({ value: target, text: targetText } = input.fallback);
  } else {
    throw new SloArgumentError(matcher, 'a target is required', callee);
  }
  let noGo = target;
  let noGoText = targetText;
  if (input.noGo !== undefined) {
    noGo = input.noGo;
    noGoText = input.noGoText ?? String(input.noGo);
    if (decl?.noGo !== undefined && !same(readDeclared('noGo', decl.noGo), noGo)) conflict('noGo', show(noGoText), show(decl.noGo));
  } else if (decl?.noGo !== undefined) {
    noGo = readDeclared('noGo', decl.noGo);
    noGoText = text(decl.noGo);
  }
  return { slo, tier, target, targetText, noGo, noGoText };
}

/** What a record says about its row and claim, before anything is measured. */
export type RowBase = Pick<SloRecord, 'matcher' | 'negated' | 'slo' | 'tier' | 'unit' | 'direction' | 'target' | 'noGo' | 'targetText' | 'noGoText' | 'stat' | 'startedAt'> & {
  /** See `Claim.negatedNoGo` in src/verdict.ts. */
  negatedNoGo?: number;
  negatedNoGoText?: string;
};

/** The target: a positional argument, or an option whose default is the SLO's declared target. */
export type TargetSpec =
  | { arg: unknown; name: string; parse: Parse }
  | { option: string; fallback: { value: number; text: string }; parse: Parse };

export interface ClaimSpec {
  matcher: string;
  /** The matcher function: error stacks start at the user's line above it. */
  callee: Callee;
  /** Arguments that must be functions, in order, by the name messages use (`'received value'`, `'other'`). */
  functions?: Record<string, unknown>;
  options: unknown;
  spec: Record<string, Check>;
  target: TargetSpec;
  /** Reads the noGo option and declared values in the record's unit (default: the target's parser). */
  parse?: Parse;
  /** The user's spelling of a target or noGo (default `String`). */
  text?: (value: unknown) => string;
  /** How messages name the target: `'the target'`, `'the limit'`, `'by'`, `'the efficiency'`. */
  targetName: string;
  unit: Unit | (() => Unit);
  direction: Direction;
  /** The statistic asserted, or how to read it from the checked options. */
  stat: string | ((opts: Record<string, unknown>) => string);
  /** The only claim `.not` makes (`'"slower than target"'`): options beyond it are refused under `.not`. */
  notClaim: string;
  /** Options with no meaning under `.not`, besides noGo. */
  notOptions?: readonly string[];
  /** The NO-GO line belongs to the `.not` claim (`.not.toLeakMemory()`), not to the claim as written. */
  noGoOnNot?: boolean;
}

export interface Claimed<O> {
  opts: O;
  row: RowBase;
  lines: Lines;
}

/**
 * The preamble of every matcher, in one call: the function arguments, the target, the options,
 * `.not` rules, the row (declarations applied), the NO-GO order, and the claim's lines.
 */
export function claim<O extends RowOptions>(negated: boolean, s: ClaimSpec): Claimed<O> {
  const fail = (message: string): never => {
    throw new SloArgumentError(s.matcher, message, s.callee);
  };
  for (const [what, value] of Object.entries(s.functions ?? {})) requireFunction(s.matcher, value, what, s.callee);
  const text = s.text ?? String;
  const t = s.target;
  let target: number | undefined;
  let targetText: string | undefined;
  if ('arg' in t) {
    try {
      target = t.parse(t.arg, t.name);
    } catch (e) {
      fail((e as Error).message);
    }
    targetText = text(t.arg);
  }
  const opts = checkOptions<O & Record<string, unknown>>(s.matcher, s.options, s.spec, s.callee);
  if (negated) {
    const meaningless = ['noGo', ...(s.notOptions ?? [])].find((k) => k in s.spec && opts[k] !== undefined && !(s.noGoOnNot && k === 'noGo'));
    if (meaningless) fail(`option ${meaningless} has no meaning with .not.${s.matcher}: the claim is only ${s.notClaim}`);
  }
  const parse = s.parse ?? t.parse;
  if ('option' in t && opts[t.option] !== undefined) {
    target = t.parse(opts[t.option], t.option);
    targetText = text(opts[t.option]);
  }
  const given = opts.noGo;
  let noGo: number | undefined;
  if (given !== undefined) {
    try {
      noGo = parse(given, 'option noGo');
    } catch (e) {
      fail((e as Error).message);
    }
  }
  const unit = typeof s.unit === 'function' ? s.unit() : s.unit;
  const r = resolveRow(
    s.matcher,
    {
      slo: opts.slo,
      tier: opts.tier,
      target,
      targetText,
      fallback: 'option' in t ? t.fallback : undefined,
      noGo,
      noGoText: given === undefined ? undefined : text(given),
      text,
      unit,
    },
    (v, what) => parse(v, what),
    s.callee,
  );
  // The NO-GO limit lies beyond the target, in the direction of the claim it belongs to.
  const noGoDirection = s.noGoOnNot ? flip(s.direction) : s.direction;
  if (noGoDirection === 'lower' ? r.noGo < r.target : r.noGo > r.target) {
    fail(`noGo (${r.noGoText}) must be ${noGoDirection === 'lower' ? 'at least' : 'at most'} ${s.targetName} (${r.targetText}): it is the hard limit ${noGoDirection === 'lower' ? 'beyond' : 'below'} the target`);
  }
  const row: RowBase = {
    matcher: s.matcher,
    negated,
    slo: r.slo,
    tier: r.tier,
    unit,
    direction: s.direction,
    target: r.target,
    noGo: s.noGoOnNot ? r.target : r.noGo,
    targetText: r.targetText,
    noGoText: s.noGoOnNot ? r.targetText : r.noGoText,
    stat: typeof s.stat === 'function' ? s.stat(opts) : s.stat,
    startedAt: epochNow(),
    ...(s.noGoOnNot && r.noGo !== r.target ? { negatedNoGo: r.noGo, negatedNoGoText: r.noGoText } : {}),
  };
  return { opts: opts as O, row, lines: claimLines(row) };
}

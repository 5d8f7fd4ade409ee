/**
 * Argument checking shared by every matcher and `benchmark()`: a bad argument is a TypeError
 * that names it, shows the value and lists what is accepted, thrown from the user's own line.
 */
import { TIERS, type Tier } from '../types';
import { parseDuration } from './duration';
import { show } from './show';

/** Where to read about every matcher's arguments. */
export const DOCS = 'https://www.npmjs.com/package/rt-slo-reporter#matchers';

type Callee = (...args: never[]) => unknown;

/**
 * A bad argument. Its stack starts at the user's `expect(...)` (or `benchmark(...)`) line, not
 * inside this package, and its message names the argument, shows the value and lists what is
 * accepted.
 */
export class SloArgumentError extends TypeError {
  constructor(subject: string, message: string, callee?: Callee, docs: string = DOCS) {
    super(`${subject}: ${message}\nSee ${docs}`);
    this.name = 'TypeError';
    if (callee && Error.captureStackTrace) Error.captureStackTrace(this, callee);
  }
}

/** A validator: an error text, or undefined when the value is fine. */
export type Check = (value: unknown, name: string) => string | undefined;

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

/** A duration longer than zero (a window, a budget, a timeout). */
function positiveDuration(v: unknown, name: string): string | undefined {
  return checks.duration(v, name) ?? (parseDuration(v) > 0 ? undefined : `must be longer than 0; received ${show(v)}`);
}

export const checks = {
  string: ((v) => (typeof v === 'string' && v.length > 0 ? undefined : `must be a non-empty string; received ${show(v)}`)) as Check,
  tier: ((v) => (TIERS.includes(v as Tier) ? undefined : `must be one of ${TIERS.map((t) => `'${t}'`).join(', ')}; received ${show(v)}`)) as Check,
  positiveInt: ((v) => (Number.isInteger(v) && (v as number) > 0 ? undefined : `must be a positive integer; received ${show(v)}`)) as Check,
  nonNegativeInt: ((v) => (Number.isInteger(v) && (v as number) >= 0 ? undefined : `must be a non-negative integer; received ${show(v)}`)) as Check,
  boolean: ((v) => (typeof v === 'boolean' ? undefined : `must be true or false; received ${show(v)}`)) as Check,
  oneOf:
    (values: readonly string[]): Check =>
    (v) =>
      values.includes(v as string) ? undefined : `must be one of ${values.map((x) => `'${x}'`).join(', ')}; received ${show(v)}`,
  /** An integer in [min, max]. */
  intIn:
    (min: number, max: number): Check =>
    (v) =>
      Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? undefined : `must be an integer from ${min} to ${max}; received ${show(v)}`,
  duration: checkWith(parseDuration),
  positiveDuration: positiveDuration as Check,
};

/**
 * Checks an options object against a table of validators: unknown keys and bad values both
 * throw, naming the key. `undefined` values are treated as absent.
 */
export function checkOptions<T extends object>(subject: string, options: unknown, spec: Record<string, Check>, callee?: Callee, docs?: string): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new SloArgumentError(subject, `options must be an object; received ${show(options)}`, callee, docs);
  }
  for (const [key, value] of Object.entries(options)) {
    const check = Object.prototype.hasOwnProperty.call(spec, key) ? spec[key] : undefined;
    if (!check) {
      throw new SloArgumentError(subject, `unknown option ${JSON.stringify(key)}; accepted options: ${Object.keys(spec).join(', ')}`, callee, docs);
    }
    if (value === undefined) continue;
    const problem = check(value, key);
    if (problem) throw new SloArgumentError(subject, `option ${key} ${problem}`, callee, docs);
  }
  return options as T;
}

/** Runs a parser on a positional argument, rethrowing its TypeError with the subject's name. */
export function parseArgument<T>(subject: string, callee: Callee, parse: () => T, docs?: string): T {
  try {
    return parse();
  } catch (e) {
    throw new SloArgumentError(subject, (e as Error).message, callee, docs);
  }
}

export function requireFunction(subject: string, received: unknown, what = 'received value', callee?: Callee, docs?: string): asserts received is (...args: never[]) => unknown {
  if (typeof received !== 'function') {
    throw new SloArgumentError(subject, `${what} must be a function; received ${show(received)}`, callee, docs);
  }
}

/** A function's name for messages, or the fallback for anonymous ones. */
export function nameOf(fn: unknown, fallback: string): string {
  const name = (fn as { name?: unknown }).name;
  return typeof name === 'string' && name.length > 0 ? name : fallback;
}

/** Milliseconds of an optional duration option, or the default. */
export function durationMs(value: unknown, fallbackMs: number): number {
  return value === undefined ? fallbackMs : parseDuration(value) / 1e6;
}

/** The shortest default bound on one call: a healthy call on a loaded CI machine stays far under it. */
export const MIN_DEFAULT_TIMEOUT_MS = 1000;

/**
 * The bound on one call, warm-up batch or sampling round, in ms: the `timeout` option, or
 * maxTime + warmup (at least 1 s). A call that outlasts the whole budget cannot be sampled anyway.
 */
function callTimeoutMs(timeout: unknown, maxTimeMs: number, warmupMs: number): number {
  return durationMs(timeout, Math.max(MIN_DEFAULT_TIMEOUT_MS, maxTimeMs + warmupMs));
}

/** Time options of a sampling run, in ms, defaults applied: what the engine's run options take. */
export function samplingBudget(opts: { maxTime?: unknown; warmup?: unknown; timeout?: unknown }, defaultMaxTimeMs: number, defaultWarmupMs: number): { maxTimeMs: number; warmupMs: number; timeoutMs: number } {
  const maxTimeMs = durationMs(opts.maxTime, defaultMaxTimeMs);
  const warmupMs = durationMs(opts.warmup, defaultWarmupMs);
  return { maxTimeMs, warmupMs, timeoutMs: callTimeoutMs(opts.timeout, maxTimeMs, warmupMs) };
}

/** The user's spelling of a duration; a bare number is milliseconds, so say so. */
export function durationText(value: unknown): string {
  return typeof value === 'number' ? `${value}ms` : String(value);
}

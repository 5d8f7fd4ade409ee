/**
 * Task descriptors: what a thread or a fresh isolate should run, named by module and export.
 * A function cannot cross to a thread (and coverage instrumentation rewrites function source),
 * so the isolate loads the module itself: `.js`/`.cjs` by require, ESM by import(), TypeScript
 * through our transpile hook (Jest's transform does not run in threads).
 */
import fs from 'node:fs';
import path from 'node:path';
import { show } from '../units/duration';

/** Brand shared by every copy of this package (dist bundles each carry their own copy). */
const KIND = Symbol.for('rt-slo-reporter.task');

/** What a thread task's export receives on every call (one object per thread, reused). */
export interface TaskContext<Shared = Record<string, unknown>, Local = unknown> {
  /** The `shared` option as posted to this thread: SharedArrayBuffers are shared, the rest copied. */
  shared: Shared;
  /** The `args` option, copied. */
  args: unknown[];
  /** This thread's index, 0-based. */
  thread: number;
  /** Threads running at once in the current window (the level being measured). */
  threads: number;
  /** What the module's `setup(ctx)` returned in this thread (undefined without setup). */
  local: Local;
}

export interface InThreadsOptions {
  /**
   * Posted to every thread once (structured clone): put SharedArrayBuffers here for state the
   * threads share (the task receives them as `ctx.shared`). Must be a plain object.
   */
  shared?: Record<string, unknown>;
  /** Extra data for the task (`ctx.args`), copied to each thread. */
  args?: unknown[];
  /**
   * Name of an export called once per thread before warm-up; its result becomes `ctx.local`
   * (typed-array views, buffers). Default `'setup'` when the module exports one; `false` for none.
   */
  setup?: string | false;
  /**
   * Name of an export that checks shared state: `verify(ctx, totalCalls)`, called in thread 0
   * after warm-up and after every window, with `totalCalls` = every call of the task made so far
   * by all threads (warm-up included). Return `true` or nothing when the state is consistent;
   * `false`, a message string, or a throw is a correctness failure. Default `'verify'` when the
   * module exports one; `false` for none.
   */
  verify?: string | false;
}

/** A task for the thread form of `toScaleLinearly`: made by `inThreads()`. */
export interface ThreadTask {
  readonly [KIND]: 'threads';
  readonly module: string;
  readonly export: string;
  readonly shared: Record<string, unknown>;
  readonly args: unknown[];
  readonly setup: string | false;
  readonly verify: string | false;
}

export interface StartupOptions {
  /** Arguments of the export's calls (copied into the isolate). */
  args?: unknown[];
}

/** A module's startup path for `toStartUnder`: made by `startup()`. */
export interface StartupTask {
  readonly [KIND]: 'startup';
  readonly module: string;
  readonly export: string;
  readonly args: unknown[];
}

/** Thrown for a bad descriptor argument; the matchers rethrow it with their own name. */
export class TaskArgumentError extends TypeError {
  constructor(fn: string, message: string, callee?: (...args: never[]) => unknown) {
    super(`${fn}: ${message}`);
    this.name = 'TypeError';
    if (callee && Error.captureStackTrace) Error.captureStackTrace(this, callee);
  }
}

function checkModule(fn: string, modulePath: unknown, callee: (...args: never[]) => unknown): string {
  if (typeof modulePath !== 'string' || modulePath.length === 0) {
    throw new TaskArgumentError(fn, `modulePath must be an absolute path string, e.g. require.resolve('./task'); received ${show(modulePath)}`, callee);
  }
  if (!path.isAbsolute(modulePath)) {
    throw new TaskArgumentError(fn, `modulePath must be absolute (relative paths would resolve against the isolate's working directory); use require.resolve(${JSON.stringify(modulePath)}) or path.join(__dirname, …); received ${show(modulePath)}`, callee);
  }
  if (!fs.existsSync(modulePath) || !fs.statSync(modulePath).isFile()) {
    throw new TaskArgumentError(fn, `modulePath names no file: ${show(modulePath)}`, callee);
  }
  return modulePath;
}

function checkName(fn: string, what: string, name: unknown, callee: (...args: never[]) => unknown): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new TaskArgumentError(fn, `${what} must be the name of a function the module exports (a non-empty string); received ${show(name)}`, callee);
  }
  return name;
}

function checkArgs(fn: string, args: unknown, callee: (...args: never[]) => unknown): unknown[] {
  if (args === undefined) return [];
  if (!Array.isArray(args)) throw new TaskArgumentError(fn, `option args must be an array; received ${show(args)}`, callee);
  checkCloneable(fn, 'args', args, callee);
  return args;
}

function checkCloneable(fn: string, what: string, value: unknown, callee: (...args: never[]) => unknown): void {
  try {
    structuredClone(value);
  } catch (e) {
    throw new TaskArgumentError(fn, `option ${what} must survive structured cloning to reach a thread (no functions, no class instances with private state): ${(e as Error).message}`, callee);
  }
}

function checkKeys(fn: string, options: unknown, allowed: readonly string[], callee: (...args: never[]) => unknown): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TaskArgumentError(fn, `options must be an object; received ${show(options)}`, callee);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new TaskArgumentError(fn, `unknown option ${JSON.stringify(key)}; accepted options: ${allowed.join(', ')}`, callee);
  }
  return options as Record<string, unknown>;
}

function checkOptionalExport(fn: string, what: string, value: unknown, fallback: string, callee: (...args: never[]) => unknown): string | false {
  if (value === undefined) return fallback;
  if (value === false) return false;
  return checkName(fn, `option ${what}`, value, callee);
}

/**
 * Names a thread task for `toScaleLinearly`: every thread loads `modulePath` and calls
 * `exportName(ctx)` in a tight loop (see TaskContext). TypeScript modules work in threads.
 *
 * @example
 * // counter-task.ts
 * export function setup(ctx) { return new Int32Array(ctx.shared.counter); }
 * export function run(ctx) { Atomics.add(ctx.local, 0, 1); }
 * export function verify(ctx, totalCalls) { return Atomics.load(ctx.local, 0) === totalCalls || 'lost updates'; }
 * // test
 * const counter = new SharedArrayBuffer(4);
 * await expect(inThreads(require.resolve('./counter-task'), 'run', { shared: { counter } })).toScaleLinearly(10);
 */
export function inThreads(modulePath: string, exportName: string, options?: InThreadsOptions): ThreadTask {
  const fn = 'inThreads';
  const file = checkModule(fn, modulePath, inThreads);
  const name = checkName(fn, 'exportName', exportName, inThreads);
  const opts = checkKeys(fn, options, ['shared', 'args', 'setup', 'verify'], inThreads);
  const shared = opts.shared ?? {};
  if (shared === null || typeof shared !== 'object' || Array.isArray(shared) || Object.prototype.toString.call(shared) !== '[object Object]') {
    throw new TaskArgumentError(fn, `option shared must be a plain object whose values the threads share (e.g. { counter: new SharedArrayBuffer(4) }); received ${show(shared)}`, inThreads);
  }
  checkCloneable(fn, 'shared', shared, inThreads);
  return Object.freeze({
    [KIND]: 'threads' as const,
    module: file,
    export: name,
    shared: shared as Record<string, unknown>,
    args: checkArgs(fn, opts.args, inThreads),
    setup: checkOptionalExport(fn, 'setup', opts.setup, 'setup', inThreads),
    verify: checkOptionalExport(fn, 'verify', opts.verify, 'verify', inThreads),
  });
}

/**
 * Names a module's startup path for `toStartUnder`: a fresh isolate requires `modulePath` and
 * calls `exportName(...args)` once (a returned promise is awaited); that is the cold start.
 *
 * @example
 * await expect(startup(require.resolve('./runtime'), 'getRuntime')).toStartUnder('100ms', { perCallUnder: '1us' });
 */
export function startup(modulePath: string, exportName: string, options?: StartupOptions): StartupTask {
  const fn = 'startup';
  const file = checkModule(fn, modulePath, startup);
  const name = checkName(fn, 'exportName', exportName, startup);
  const opts = checkKeys(fn, options, ['args'], startup);
  return Object.freeze({ [KIND]: 'startup' as const, module: file, export: name, args: checkArgs(fn, opts.args, startup) });
}

export function isThreadTask(x: unknown): x is ThreadTask {
  return x !== null && typeof x === 'object' && (x as { [KIND]?: unknown })[KIND] === 'threads';
}

export function isStartupTask(x: unknown): x is StartupTask {
  return x !== null && typeof x === 'object' && (x as { [KIND]?: unknown })[KIND] === 'startup';
}

/**
 * Production fidelity: where a number was measured. Jest's default environment runs each test
 * file in a `vm` context whose global object is contextified, so every global lookup
 * (`Array.isArray`, `Object.keys`, `JSON`) in code compiled there goes through an interceptor:
 * 10–50× slower than plain Node. This module detects that sandbox, measures its penalty once per
 * test file with a small global-access probe, and keeps the notes from which every record says
 * where it was measured (see docs/design-notes.md, "Jest's VM sandbox slows global lookups").
 *
 * State lives on the global object under a registered symbol: the dist bundles (index, setup)
 * each carry a copy of this module, and a test file's sandbox global is its own, so the probe
 * runs once per test file whichever bundle measures first.
 */
import vm from 'node:vm';
import { epochNow, now } from './clock';

/**
 * Where a measurement ran:
 * - `jest-sandbox`: code compiled inside Jest's VM sandbox (the default `testEnvironment: 'node'`);
 *   its global lookups are slower than in production.
 * - `main-context`: inside a Jest test, but code loaded outside the sandbox by `outsideSandbox()`
 *   (Node's own module system, the main context): production speed.
 * - `bare-node`: no sandbox at all (plain Node, `jest-light-runner`).
 * - `thread` / `process`: a worker thread or a child process started by the matcher
 *   (`inThreads`, `startup`).
 */
export type FidelityContext = 'jest-sandbox' | 'main-context' | 'bare-node' | 'thread' | 'process';

/** Where one record was measured. Plain JSON. */
export interface Fidelity {
  context: FidelityContext;
  /**
   * Only for `jest-sandbox`: how many times slower a global-access probe ran in this test
   * file's sandbox than the same code compiled in the main context (its p50 over the main
   * context's), measured at the file's first measurement. Absent when no probe ran yet.
   */
  penalty?: number;
}

/**
 * The probe's figures: one call's time in each context (ns, the fastest block median), their
 * ratio, and what the probe cost (ms). A lower bound when V8 had not optimised the probe
 * within its budget (a loaded machine): unoptimised, both sides are ≈ 2× apart instead of ≈ 7×.
 */
export interface ProbeResult {
  penalty: number;
  sandboxNs: number;
  mainNs: number;
  ms: number;
}

/** Measures functions interleaved and returns each one's p50 per call (ns): the engine supplies it. */
export type ProbeRunner = (fns: ReadonlyArray<() => unknown>) => Promise<number[]>;

/** Marks a function whose code (and whose batch loop) runs in the main context. */
const MAIN_CONTEXT = Symbol.for('rt-slo-reporter.main-context');
const STATE = Symbol.for('rt-slo-reporter.fidelity');

interface Note {
  context: FidelityContext;
  at: number;
}

interface State {
  sandboxed: boolean;
  probe?: Promise<ProbeResult | undefined>;
  result?: ProbeResult;
  notes: Note[];
}

/** Notes kept at most: one matcher makes a handful; this only bounds a file that never records. */
const MAX_NOTES = 64;

function state(): State {
  const g = globalThis as { [STATE]?: State };
  return (g[STATE] ??= { sandboxed: detectSandbox(), notes: [] });
}

/** Inside Jest's sandbox, the main context's global object is not ours. */
function detectSandbox(): boolean {
  try {
    return vm.runInThisContext('globalThis') !== globalThis;
  } catch {
    return false;
  }
}

/** Whether this code runs inside a VM sandbox (Jest's default test environment). */
export function inSandbox(): boolean {
  return state().sandboxed;
}

/** Where code compiled here runs: the sandbox, or bare Node. */
export function environmentContext(): 'jest-sandbox' | 'bare-node' {
  return inSandbox() ? 'jest-sandbox' : 'bare-node';
}

/**
 * Compiles `source` (an expression) in the main context, where global lookups cost what they
 * cost in production. Outside a sandbox that is simply where we are.
 */
export function compileInMainContext<T>(source: string): T {
  return vm.runInThisContext(source) as T;
}

/** Marks `fn` as main-context code: the engine compiles its loop there and records say so. */
export function markMainContext<F extends (...args: never[]) => unknown>(fn: F): F {
  Object.defineProperty(fn, MAIN_CONTEXT, { value: true });
  return fn;
}

/** Whether `fn` was marked by markMainContext (e.g. made by `outsideSandbox()`). */
export function isMainContext(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as { [MAIN_CONTEXT]?: boolean })[MAIN_CONTEXT] === true;
}

/** The global-access probe of the issue: two global lookups and a small allocation per call. */
const PROBE = '(x) => () => Array.isArray(x) && Object.keys(x).length';
const PROBE_INPUT = [1, 'two', [3], { e: 4 }];

/**
 * The sandbox's penalty for this test file: runs the probe on the first call (later calls get
 * the same promise), nothing outside a sandbox. A probe that fails yields undefined: fidelity
 * is reported, never a reason for a measurement to fail.
 */
export function probePenalty(run: ProbeRunner): Promise<ProbeResult | undefined> {
  const s = state();
  if (!s.sandboxed) return Promise.resolve(undefined);
  return (s.probe ??= runProbe(run).then(
    (r) => (s.result = r),
    () => undefined,
  ));
}

async function runProbe(run: ProbeRunner): Promise<ProbeResult> {
  const start = now();
  // Sandbox copy: `new Function` compiles in this (the sandbox's) context. Main copy: the same
  // source through vm.runInThisContext, marked so its batch loop is compiled there too.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const inside = (new Function(`return ${PROBE}`) as () => (x: unknown) => () => unknown)()(PROBE_INPUT);
  const outside = markMainContext(compileInMainContext<(x: unknown) => () => unknown>(PROBE)(PROBE_INPUT));
  const [sandboxNs, mainNs] = await run([inside, outside]);
  // A main-context p50 of ~0 after the empty loop's subtraction would make the ratio explode.
  const penalty = sandboxNs / Math.max(mainNs, 1);
  return { penalty: Math.round(penalty * 10) / 10, sandboxNs, mainNs, ms: now() - start };
}

/** The probe's result in this test file, if it ran. */
export function probeResult(): ProbeResult | undefined {
  return state().result;
}

/** Notes that a measurement ran in `context` now (the engine, the thread pool and cold starts call it). */
export function noteMeasured(context: FidelityContext): void {
  const notes = state().notes;
  if (notes.length >= MAX_NOTES) notes.shift();
  notes.push({ context, at: epochNow() });
}

/**
 * The context of measuring these functions here: inside the sandbox, main-context only when
 * every one is marked; outside it, bare Node whatever the marks (there is one context).
 */
export function contextOf(fns: readonly unknown[]): FidelityContext {
  if (!inSandbox()) return 'bare-node';
  return fns.length > 0 && fns.every(isMainContext) ? 'main-context' : 'jest-sandbox';
}

/**
 * Where the measurement of a record that started at `startedAt` (epoch ms) ran, from the notes
 * taken since; consumes every note. Without notes (memory matchers measure no loop) the record
 * ran where its matcher ran. Any sandboxed part makes the whole record sandboxed: a comparison
 * with one side in the sandbox is distorted.
 */
export function fidelitySince(startedAt: number): Fidelity {
  const s = state();
  const contexts = s.notes.filter((n) => n.at >= startedAt).map((n) => n.context);
  s.notes = [];
  const context = contexts.length === 0 ? environmentContext() : contexts.includes('jest-sandbox') ? 'jest-sandbox' : contexts[0];
  const penalty = s.result?.penalty;
  return context === 'jest-sandbox' && penalty !== undefined ? { context, penalty } : { context };
}

/**
 * Where code measured in this test file runs, and the sandbox's penalty (the probe runs now if
 * it has not yet, a few milliseconds). For tools that report figures measured outside the
 * matchers, e.g. a bench table.
 */
export async function describeFidelity(run: ProbeRunner): Promise<Fidelity & { probe?: ProbeResult }> {
  const probe = await probePenalty(run);
  const context = environmentContext();
  return probe ? { context, penalty: probe.penalty, probe } : { context };
}

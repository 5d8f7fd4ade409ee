/**
 * The measurement isolate: runs inside a worker thread (scaling windows, startup) or a child
 * process (startup only). It loads the task module itself — TypeScript through our hook, ESM
 * through import() — so no function ever crosses from the test to the isolate.
 *
 * Built to dist/thread-worker.js; this repository's own tests bundle it from src instead
 * (tests/fixtures/threads/bundle-worker.ts), found by spawn.ts through THREAD_WORKER_ENV.
 */
import { parentPort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { ROUND_MS } from '../constants';
import { calibrate, emptyLoopCost, isThenable } from '../measure/calibrate';
import type { Batch } from '../measure/loop';
import { blackhole } from '../measure/sink';
import { Reservoir } from '../measure/stats';
import { readSchedstat } from './schedstat';
import { CONTROL, TIMES, TIMES_OFFSET, type ErrorMessage, type FromIsolate, type InitMessage, type RunMessage, type StartupMessage, type ToIsolate, type VerifyMessage } from './protocol';
import { isTypeScriptFile, preloadTypeScript, registerTypeScript, useTranspiled } from './typescript-hook';

/** One process-wide monotonic clock in ns: every thread reads the same one, so their times compare. */
const clock = (): number => Number(process.hrtime.bigint());

/** Empty-loop runs whose median is the per-iteration cost subtracted from samples. */
const BASELINE_RUNS = 31;
/** Waiting for the thread that claimed the window's end to publish its time: a few µs at most. */
const STOP_PUBLISH_SPIN = 1_000_000;
/** Warm-path samples kept per isolate: plenty for a median, bounded whatever the budget. */
const WARM_MAX_SAMPLES = 4096;

type Task = (...args: unknown[]) => unknown;

interface TaskContext {
  shared: Record<string, unknown>;
  args: unknown[];
  thread: number;
  threads: number;
  local: unknown;
}

const channel = {
  post(message: FromIsolate): void {
    if (parentPort) parentPort.postMessage(message);
    else if (process.send) process.send(message);
  },
  listen(handler: (message: ToIsolate) => void): void {
    if (parentPort) parentPort.on('message', handler);
    else process.on('message', (m) => handler(m as ToIsolate));
  },
};

class IsolateError extends Error {
  constructor(readonly phase: ErrorMessage['phase'], message: string) {
    super(message);
  }
}

/** Hidden from the TypeScript→CommonJS transpile, which would turn import() into require(). */
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<Record<string, unknown>>;

async function loadModule(modulePath: string): Promise<Record<string, unknown>> {
  if (isTypeScriptFile(modulePath)) registerTypeScript();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(modulePath) as Record<string, unknown>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw new IsolateError('load', `cannot load ${modulePath}: ${(e as Error).message}`);
    try {
      return await importEsm(pathToFileURL(modulePath).href);
    } catch (e2) {
      throw new IsolateError('load', `cannot import ${modulePath}: ${(e2 as Error).message}`);
    }
  }
}

function exportOf(mod: Record<string, unknown>, name: string, modulePath: string): Task {
  const fn = mod[name] ?? (name !== 'default' ? (mod.default as Record<string, unknown> | undefined)?.[name] : undefined);
  if (typeof fn !== 'function') {
    const names = Object.keys(mod).filter((k) => k !== '__esModule');
    throw new IsolateError('export', `${modulePath} has no function export ${JSON.stringify(name)} (exports: ${names.length ? names.join(', ') : 'none'})`);
  }
  return fn as Task;
}

interface Calibration {
  batch: number;
  perCallNs: number;
  isAsync: boolean;
  baselineNs: number;
  calls: number;
  loop: Batch;
}

/**
 * The engine's calibration (src/measure/calibrate.ts, the same rule and loop compiler as the
 * main thread), then a short discarded run of the final loop so that the first window does not
 * time a cold one, and the empty loop's cost timed exactly as runWindow times its batches.
 */
async function calibrateTask(call: () => unknown, warmupMs: number, targetSampleNs: number): Promise<Calibration> {
  const cal = await calibrate(call, { warmupMs, targetSampleNs });
  let calls = cal.calls;
  // Its fastest run bounds the empty loop's cost (see emptyLoopCost), even if calibration ran cold.
  let taskPerCallNs = cal.perCallNs;
  const warmEnd = clock() + ROUND_MS * 1e6;
  let t = clock();
  do {
    const r = cal.loop();
    if (cal.isAsync) await r;
    const t1 = clock();
    taskPerCallNs = Math.min(taskPerCallNs, (t1 - t) / cal.batch);
    t = t1;
    calls += cal.batch;
  } while (t < warmEnd);
  const baselineNs = cal.batch > 1 ? await emptyLoopCost(cal.batch, timeEmptyLoop, taskPerCallNs) : 0;
  return { batch: cal.batch, perCallNs: cal.perCallNs, isAsync: cal.isAsync, baselineNs, calls, loop: cal.loop };
}

/** Durations (ns) of BASELINE_RUNS runs of the empty loop, after ROUND_MS of unrecorded ones (it starts cold). */
function timeEmptyLoop(loop: Batch): number[] {
  const warmEnd = clock() + ROUND_MS * 1e6;
  do loop();
  while (clock() < warmEnd);
  const durations: number[] = [];
  for (let i = 0; i < BASELINE_RUNS; i++) {
    const t0 = clock();
    loop();
    durations.push(clock() - t0);
  }
  return durations;
}

/** The kept samples of a reservoir, as the typed array the protocol posts. */
function kept(r: Reservoir): Float64Array {
  return Float64Array.from(r.values);
}

// ---- thread form: scaling windows ------------------------------------------------------------

interface ThreadState {
  mod: Record<string, unknown>;
  ctx: TaskContext;
  cal: Calibration;
  verify?: Task;
  ctl: Int32Array;
  times: Float64Array;
  totalCalls: number;
}

let state: ThreadState | undefined;

async function init(m: InitMessage): Promise<void> {
  if (m.compiled !== null) {
    registerTypeScript();
    useTranspiled(m.modulePath, m.compiled);
  }
  const mod = await loadModule(m.modulePath);
  const fn = exportOf(mod, m.exportName, m.modulePath);
  const ctx: TaskContext = { shared: m.shared, args: m.args, thread: m.thread, threads: 1, local: undefined };
  const setup = m.setupName && typeof mod[m.setupName] === 'function' ? (mod[m.setupName] as Task) : undefined;
  const verify = m.verifyName && typeof mod[m.verifyName] === 'function' ? (mod[m.verifyName] as Task) : undefined;
  if (setup) {
    try {
      ctx.local = await setup(ctx);
    } catch (e) {
      throw new IsolateError('setup', `${m.setupName}() threw: ${(e as Error)?.message ?? String(e)}`);
    }
  }
  let cal: Calibration;
  try {
    cal = await calibrateTask(() => fn(ctx), m.warmupMs, m.targetBatchNs);
  } catch (e) {
    throw new IsolateError('warmup', `${m.exportName}() threw during warm-up: ${(e as Error)?.message ?? String(e)}`);
  }
  state = { mod, ctx, cal, verify, ctl: new Int32Array(m.control, 0, 4), times: new Float64Array(m.control, TIMES_OFFSET, 2), totalCalls: cal.calls };
  channel.post({ type: 'ready', batch: cal.batch, perCallNs: cal.perCallNs, isAsync: cal.isAsync, baselineNs: cal.baselineNs, totalCalls: state.totalCalls, hasVerify: verify !== undefined });
}

/** The start line: the last thread to arrive starts the window for everyone. */
function awaitStart(s: ThreadState, m: RunMessage): void {
  const { ctl, times } = s;
  if (Atomics.add(ctl, CONTROL.ARRIVED, 1) + 1 === m.level) {
    times[TIMES.GO_AT] = clock();
    Atomics.store(ctl, CONTROL.GO, m.seq);
    Atomics.notify(ctl, CONTROL.GO);
    return;
  }
  const deadline = clock() + m.barrierTimeoutMs * 1e6;
  for (let g = Atomics.load(ctl, CONTROL.GO); g !== m.seq; g = Atomics.load(ctl, CONTROL.GO)) {
    const left = (deadline - clock()) / 1e6;
    if (left <= 0) throw new IsolateError('barrier', `thread ${s.ctx.thread} waited ${m.barrierTimeoutMs} ms at the start line for ${m.level} threads`);
    Atomics.wait(ctl, CONTROL.GO, g, left);
  }
}

/** The window's end time, once the thread that claimed it has published it. */
function stopTime(s: ThreadState): number {
  for (let i = 0; i < STOP_PUBLISH_SPIN && Atomics.load(s.ctl, CONTROL.STOP) === 0; i++);
  return s.times[TIMES.STOP_AT];
}

/**
 * Runs the task in a tight loop of timed batches from the common start until the first thread
 * past `windowMs` ends the window for all. Only calls whose batch finished inside
 * [start, end] count, so a thread descheduled at the end cannot stretch the window.
 */
async function runWindow(m: RunMessage): Promise<void> {
  const s = state;
  if (!s) throw new IsolateError('run', 'run before init');
  s.ctx.threads = m.level;
  awaitStart(s, m);
  const { ctl, times, cal } = s;
  const sched0 = readSchedstat();
  const startedAt = clock();
  const goAt = times[TIMES.GO_AT];
  const end = goAt + m.windowMs * 1e6;
  const samples = new Reservoir(m.maxSamples);
  const k = cal.batch;
  let calls = 0;
  try {
    for (;;) {
      const t0 = clock();
      const r = cal.loop();
      if (cal.isAsync) await r;
      const t = clock();
      s.totalCalls += k;
      samples.push(Math.max(0, (t - t0) / k - cal.baselineNs));
      if (Atomics.load(ctl, CONTROL.STOP) === 1) {
        if (t <= times[TIMES.STOP_AT]) calls += k;
        break;
      }
      if (t >= end) {
        if (Atomics.compareExchange(ctl, CONTROL.CLAIM, 0, 1) === 0) {
          times[TIMES.STOP_AT] = t;
          Atomics.store(ctl, CONTROL.STOP, 1);
          calls += k;
        } else if (t <= stopTime(s)) calls += k;
        break;
      }
      calls += k;
    }
  } catch (e) {
    // Let the other threads finish their window rather than spin until the barrier times out.
    if (Atomics.compareExchange(ctl, CONTROL.CLAIM, 0, 1) === 0) {
      times[TIMES.STOP_AT] = clock();
      Atomics.store(ctl, CONTROL.STOP, 1);
    }
    throw new IsolateError('run', `the task threw: ${(e as Error)?.message ?? String(e)}`);
  }
  const endedAt = clock();
  const sched1 = readSchedstat();
  channel.post({
    type: 'window',
    seq: m.seq,
    calls,
    totalCalls: s.totalCalls,
    goAt,
    stopAt: stopTime(s),
    spanNs: endedAt - startedAt,
    cpuWaitNs: sched0 && sched1 ? sched1.waitNs - sched0.waitNs : null,
    samples: kept(samples),
  });
}

async function verify(m: VerifyMessage): Promise<void> {
  const s = state;
  if (!s?.verify) {
    channel.post({ type: 'verified', ok: true });
    return;
  }
  s.ctx.threads = m.level;
  let result: unknown;
  try {
    result = await s.verify(s.ctx, m.totalCalls);
  } catch (e) {
    channel.post({ type: 'verified', ok: false, message: (e as Error)?.message ?? String(e) });
    return;
  }
  if (result === undefined || result === true) channel.post({ type: 'verified', ok: true });
  else if (typeof result === 'string') channel.post({ type: 'verified', ok: false, message: result });
  else channel.post({ type: 'verified', ok: false, message: `verify returned ${String(result)}` });
}

// ---- startup -------------------------------------------------------------------------------

async function startup(m: StartupMessage): Promise<void> {
  const typescript = isTypeScriptFile(m.modulePath);
  // The compiler's own load (~100+ ms) is ours, not the module's: keep it out of the cold time.
  if (typescript) {
    registerTypeScript();
    preloadTypeScript(m.modulePath);
  }
  const t0 = clock();
  const mod = await loadModule(m.modulePath);
  const t1 = clock();
  const fn = exportOf(mod, m.exportName, m.modulePath);
  const args = m.args;
  const t2 = clock();
  let first: unknown;
  try {
    first = fn(...args);
    if (isThenable(first)) blackhole.value = await first;
  } catch (e) {
    throw new IsolateError('startup', `${m.exportName}() threw on its first call: ${(e as Error)?.message ?? String(e)}`);
  }
  const t3 = clock();
  const started: FromIsolate = { type: 'started', loadNs: t1 - t0, firstCallNs: t3 - t2, isAsync: isThenable(first), typescript };
  if (m.warmMs > 0) {
    const w0 = clock();
    const call = args.length === 0 ? () => fn() : () => fn(...args);
    // Half the budget warms and calibrates the cached path, half samples it.
    const cal = await calibrateTask(call, m.warmMs / 2, m.targetBatchNs);
    const samples = new Reservoir(WARM_MAX_SAMPLES);
    const stop = clock() + m.warmMs * 1e6;
    do {
      const a = clock();
      const r = cal.loop();
      if (cal.isAsync) await r;
      samples.push(Math.max(0, (clock() - a) / cal.batch - cal.baselineNs));
    } while (clock() < stop);
    started.warm = { samples: kept(samples), batch: cal.batch, baselineNs: cal.baselineNs };
    started.warmNs = clock() - w0;
  }
  channel.post(started);
}

// ---- dispatch ------------------------------------------------------------------------------

function fail(e: unknown, phase: ErrorMessage['phase']): void {
  const err = e as Error;
  channel.post({ type: 'error', phase: e instanceof IsolateError ? e.phase : phase, message: err?.message ?? String(e), stack: err?.stack });
}

channel.listen((m) => {
  const run = (): Promise<void> => {
    switch (m.type) {
      case 'init':
        return init(m);
      case 'run':
        return runWindow(m);
      case 'verify':
        return verify(m);
      case 'startup':
        return startup(m);
    }
  };
  const phase: ErrorMessage['phase'] = m.type === 'init' ? 'load' : m.type === 'verify' ? 'verify' : m.type === 'startup' ? 'startup' : 'run';
  run().catch((e: unknown) => fail(e, phase));
});
if (!parentPort) channel.post({ type: 'hello' });

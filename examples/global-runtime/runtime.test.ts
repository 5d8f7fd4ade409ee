/**
 * The code under test must be right before it is measured: results, errors, lazy start,
 * naive per-call threads, and many caller threads sharing one runtime without losing a call.
 */
import { Worker } from 'node:worker_threads';
import { attach, configureRuntime, execute, getRuntime, naiveExecute, Runtime, runtimeStats, shutdown, tasksOf, task, threadBootstrap, type RuntimeHandle } from './runtime';

const t = tasksOf<typeof import('./tasks')>(require.resolve('./tasks'));
const CALLER = require.resolve('./caller-thread');

afterEach(() => {
  shutdown();
  configureRuntime({});
});

interface CallerReport {
  values: unknown[];
  startedAt: number;
  endedAt: number;
  error?: string;
}

/** Starts `callers` threads that each make `calls` calls of a task on the runtime behind `handle`. */
function callers(handle: RuntimeHandle, n: number, calls: number, name: string, args: unknown[] = []): Promise<CallerReport[]> {
  const barrier = new SharedArrayBuffer(4);
  const bootstrap = threadBootstrap(CALLER);
  return Promise.all(
    Array.from({ length: n }, () => {
      const w = new Worker(bootstrap, { eval: true, workerData: { handle, module: require.resolve('./tasks'), name, args, calls, barrier, callers: n } });
      return new Promise<CallerReport>((resolve, reject) => {
        w.once('message', (m: CallerReport) => resolve(m));
        w.once('error', reject);
        w.once('exit', (code) => reject(new Error(`caller thread exited with ${code} before reporting`)));
      });
    }),
  );
}

describe('execute()', () => {
  it('returns what async and sync tasks return', () => {
    expect(execute(t.simpleReturn)).toBe(42);
    expect(execute(t.withComputation, 2, 3)).toBe(5);
    expect(execute(t.syncAdd, 2, 40)).toBe(42);
    expect(execute(t.withMicroSleep)).toBe(42);
  });

  it('carries JSON arguments and results; numeric results exactly (no JSON)', () => {
    const value = { a: [1, 'ü', null, { b: true }], s: 'x'.repeat(1000) };
    expect(execute(t.echo, value)).toEqual(value);
    expect(execute(t.echo, 0.1 + 0.2)).toBe(0.1 + 0.2);
    expect(execute(t.nothing)).toBeUndefined();
    expect(execute(t.echo, 'text')).toBe('text');
    expect(execute(t.numberResult, 'nan')).toBeNaN();
    expect(execute(t.numberResult, '-0')).toBe(-0);
    expect(execute(t.numberResult, 'inf')).toBe(Infinity);
  });

  it('starts the runtime lazily, once, and reuses it', () => {
    const before = runtimeStats();
    expect(before.running).toBe(false);
    const first = execute(t.whoAmI);
    const rt = getRuntime();
    expect(runtimeStats().initializations).toBe(before.initializations + 1);
    expect(runtimeStats().lastInitMs).toBeGreaterThan(0);
    for (let i = 0; i < 100; i++) expect(execute(t.whoAmI)).toBe(first);
    expect(getRuntime()).toBe(rt);
    expect(runtimeStats().initializations).toBe(before.initializations + 1);
    shutdown();
    expect(execute(t.whoAmI)).not.toBe(first);
    expect(runtimeStats().initializations).toBe(before.initializations + 2);
  });

  it('serves several async tasks in flight at once (one runtime thread, many callers)', async () => {
    const rt = getRuntime();
    const DELAY_MS = 300;
    const reports = await callers(rt.handle, 6, 1, 'delayed', [DELAY_MS, 7]);
    for (const r of reports) expect(r).toMatchObject({ values: [7], error: undefined });
    // Structural, not a timing threshold: every call started before any call ended.
    const lastStart = Math.max(...reports.map((r) => r.startedAt));
    const firstEnd = Math.min(...reports.map((r) => r.endedAt));
    expect(lastStart).toBeLessThan(firstEnd);
  });
});

describe('errors', () => {
  it('reach the caller with message, name and class', () => {
    expect(() => execute(t.errorPath)).toThrow(new Error('error'));
    let caught: unknown;
    try {
      execute(t.throwRange, 'out of range');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RangeError);
    expect(caught).toMatchObject({ name: 'RangeError', message: 'out of range', code: 'E_TASK_RANGE' });
    expect((caught as Error).stack).toContain('thrown in the runtime thread');
    expect((caught as Error).stack).toContain('tasks.ts');
  });

  it('keep a custom error name', () => {
    expect(() => execute(t.throwCustom)).toThrow(expect.objectContaining({ name: 'ValidationError', message: 'bad input' }));
  });

  it('leave the runtime usable', () => {
    const id = execute(t.whoAmI);
    for (let i = 0; i < 50; i++) expect(() => execute(t.errorPath)).toThrow('error');
    expect(execute(t.whoAmI)).toBe(id);
  });

  it('name a missing export and list the ones there are', () => {
    expect(() => execute(task(require.resolve('./tasks'), 'noSuchTask'))).toThrow(/no function export named "noSuchTask" \(function exports: .*simpleReturn/);
  });

  it('report a result JSON cannot carry, and one larger than a slot', () => {
    expect(() => execute(t.bigintResult)).toThrow(/cannot be sent back as JSON/);
    const rt = new Runtime({ slotBytes: 1024 });
    try {
      expect(rt.execute(t.bigString, 1000)).toHaveLength(1000);
      expect(() => rt.execute(t.bigString, 5000)).toThrow(/larger than a slot holds \(1024 bytes/);
      expect(() => rt.execute(t.echo, 'y'.repeat(5000))).toThrow(/more than a slot holds/);
      expect(rt.execute(t.simpleReturn)).toBe(42);
    } finally {
      rt.close();
    }
  });

  it('refuse execute() from inside the runtime thread instead of deadlocking', () => {
    expect(() => execute(t.nested)).toThrow(/deadlock/);
  });

  it('turn a crashed runtime thread into an error, not a hang', () => {
    const rt = new Runtime();
    try {
      expect(() => rt.execute(t.crash)).toThrow(/runtime thread died.*boom from a timer/);
      expect(() => rt.execute(t.simpleReturn)).toThrow(/dead/);
    } finally {
      rt.close();
    }
  });

  it('refuse calls on a closed runtime', () => {
    const rt = new Runtime();
    rt.close();
    expect(() => rt.execute(t.simpleReturn)).toThrow(/closed/);
  });
});

describe('naiveExecute()', () => {
  it('runs every call on a new thread and returns the same results', () => {
    const ids = new Set<number>();
    for (let i = 0; i < 3; i++) ids.add(naiveExecute(t.whoAmI));
    expect(ids.size).toBe(3);
    expect(naiveExecute(t.withComputation, 20, 22)).toBe(42);
    expect(() => naiveExecute(t.errorPath)).toThrow('error');
  });
});

describe('the message-port transport', () => {
  it('returns the same results and errors', () => {
    const rt = new Runtime({ transport: 'message-port' });
    try {
      expect(rt.execute(t.simpleReturn)).toBe(42);
      expect(rt.execute(t.echo, { a: [1, 2] })).toEqual({ a: [1, 2] });
      expect(() => rt.execute(t.throwRange, 'port')).toThrow(expect.objectContaining({ name: 'RangeError', message: 'port' }));
    } finally {
      rt.close();
    }
  });
});

describe('one runtime shared by many caller threads', () => {
  const CALLS = 2000;

  it.each([
    [4, 1],
    [8, 2],
  ])('%i caller threads on a pool of %i: no call lost or duplicated', async (n, threads) => {
    const rt = new Runtime({ threads });
    try {
      const counter = new Int32Array(rt.handle.shared, 0, 1);
      const reports = await callers(rt.handle, n, CALLS, 'increment');
      for (const r of reports) expect(r.error).toBeUndefined();
      expect(Atomics.load(counter, 0)).toBe(n * CALLS);
      // Every increment returned a distinct value: together exactly 1..n×CALLS.
      const all = reports.flatMap((r) => r.values as number[]).sort((a, b) => a - b);
      expect(all).toHaveLength(n * CALLS);
      expect(all.every((v, i) => v === i + 1)).toBe(true);
      const ids = new Set((await callers(rt.handle, 2, 50, 'whoAmI')).flatMap((r) => r.values));
      expect(ids.size).toBeLessThanOrEqual(threads);
    } finally {
      rt.close();
    }
  });

  it('lets an attached thread reach the shared memory the tasks see', () => {
    const rt = getRuntime();
    const same = attach(rt.handle);
    expect(same).toBe(rt);
    new Int32Array(rt.handle.shared)[1] = 0;
    expect(execute(t.increment, 1)).toBe(1);
    expect(Atomics.load(new Int32Array(rt.handle.shared), 1)).toBe(1);
  });
});

describe('memory()', () => {
  it('reports the runtime threads’ own heap and shared buffers', () => {
    const m = getRuntime().memory();
    expect(m.threads).toBe(1);
    expect(m.heapCommitted).toBeGreaterThan(m.heapUsed);
    expect(m.heapUsed).toBeGreaterThan(0);
    expect(m.sharedBuffers).toBe(getRuntime().handle.control.byteLength + getRuntime().handle.shared.byteLength);
    expect(m.total).toBe(m.heapUsed + m.external + m.sharedBuffers);
    const pool = new Runtime({ threads: 2 });
    try {
      expect(pool.memory().threads).toBe(2);
    } finally {
      pool.close();
    }
  });
});

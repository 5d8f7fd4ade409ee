import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RUN_DIR_ENV } from '../../src/constants';
import { publishDeclarations } from '../../src/declarations';
import { inThreads } from '../../src/threads/task';
import type { SloRecord } from '../../src/types';
import { AsyncMutex, lockedWait, wait } from '../fixtures/threads/async-tasks';

const FIXTURES = path.join(__dirname, '../fixtures/threads');
const fixture = (name: string): string => path.join(FIXTURES, name);

// Records go to a run folder of our own, as they would to the reporter's.
let runDir: string;
let previousRunDir: string | undefined;
beforeAll(() => {
  previousRunDir = process.env[RUN_DIR_ENV];
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-slo-scale-'));
  process.env[RUN_DIR_ENV] = runDir;
  // As the reporter's `slos` option would publish them, before any matcher runs.
  publishDeclarations(runDir, { 'declared scaling': { tier: 'should', target: '75%', noGo: 0.25 } });
});
afterAll(() => {
  if (previousRunDir === undefined) delete process.env[RUN_DIR_ENV];
  else process.env[RUN_DIR_ENV] = previousRunDir;
  fs.rmSync(runDir, { recursive: true, force: true });
});

function records(): SloRecord[] {
  return fs
    .readdirSync(runDir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => fs.readFileSync(path.join(runDir, f), 'utf8').trim().split('\n'))
    .filter(Boolean)
    .map((l) => JSON.parse(l) as SloRecord);
}

/** The record the last matcher call wrote. */
function lastRecord(): SloRecord {
  const all = records();
  return all[all.length - 1];
}

interface LevelJson {
  level: number;
  capacityBound: boolean;
  loadBound: boolean;
  factor: number;
  offeredCores: number | null;
  throughput: { low: number | null; estimate: number | null; high: number | null };
  efficiency: { low: number | null; estimate: number | null; high: number | null } | null;
  calls: number;
  rounds: number;
}

function levels(r: SloRecord): LevelJson[] {
  return (r.details as { levels: LevelJson[] }).levels;
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the assertion to fail, but it passed');
}

/** Numbers vary run to run; the structure of the message must not. */
function normalize(message: string): string {
  return message
    .replace(/\d+(\.\d+)?/g, 'N')
    .replace(/N(ns|µs|ms|s|k|K|M|G)?(\/s)?/g, 'N')
    .replace(/ +/g, ' ')
    .replace(/stopped by \w+/, 'stopped by …');
}

const counter = (): SharedArrayBuffer => new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);

describe('.toScaleLinearly, thread form', () => {
  // Two threads on a machine with two cores, stated explicitly: the claim is "2 threads do at
  // least 0.75 × 2 × one thread's work". Independent work reaches ~1.0; a lock ≤ 0.5.
  test('passes when independent CPU work runs in 2 threads (capacity 2)', async () => {
    await expect(inThreads(fixture('cpu-task.js'), 'run')).toScaleLinearly([2], { capacity: 2 });
    const r = lastRecord();
    const [, two] = levels(r);
    expect(r.verdict).toBe('PASS');
    expect(two.efficiency?.estimate).toBeGreaterThanOrEqual(0.75);
    // On a machine too loaded to offer 2 cores the claim cannot be proved, only not disproved:
    // the record says so instead of passing conclusively.
    expect(r.inconclusive).toBe(two.loadBound);
    if (two.loadBound) expect(r.notes.join('\n')).toContain('load-bound');
  });

  test('fails when the same work holds one shared spin-lock', async () => {
    const task = inThreads(fixture('spinlock-task.js'), 'run', { shared: { lock: counter() } });
    const error = await failure(expect(task).toScaleLinearly([2], { capacity: 2 }));
    const r = lastRecord();
    expect(r.verdict).toBe('FAIL');
    expect(r.inconclusive).toBe(false);
    expect(levels(r)[1].efficiency?.high).toBeLessThan(0.75);
    expect(error.message).toContain('BELOW');
  });

  test('a sleeping mutex never passes conclusively (and fails when the machine offers the cores)', async () => {
    const task = inThreads(fixture('mutex-task.js'), 'run', { shared: { mutex: counter() } });
    await expect(task)
      .toScaleLinearly([2], { capacity: 2 })
      .catch(() => undefined);
    const r = lastRecord();
    const [, two] = levels(r);
    expect(r.verdict === 'PASS' && !r.inconclusive).toBe(false);
    if (!two.loadBound) expect(r.verdict).toBe('FAIL');
  });

  test('lost updates to a shared counter are a correctness FAIL, whatever the speed', async () => {
    const task = inThreads(fixture('racy-counter.js'), 'run', { shared: { counter: counter() } });
    const error = await failure(expect(task).toScaleLinearly([2], { capacity: 2, efficiency: 0.01 }));
    const r = lastRecord();
    expect(r.verdict).toBe('FAIL');
    expect(r.details?.correctness).toMatchObject({ checked: true, ok: false });
    expect(r.notes.join('\n')).toMatch(/correctness FAIL: verify found shared state inconsistent .*updates lost/);
    expect(error.message).toContain('correctness FAIL');
  });

  test('.not does not rescue a race: the correctness failure fails it too', async () => {
    const task = inThreads(fixture('racy-counter.js'), 'run', { shared: { counter: counter() } });
    await failure(expect(task).not.toScaleLinearly([2], { capacity: 2 }));
    expect(lastRecord()).toMatchObject({ verdict: 'FAIL', negated: true, passed: false });
  });

  test('a TypeScript task module loads in threads; its shared counter is the test\'s own memory', async () => {
    const shared = counter();
    await expect(inThreads(fixture('atomic-counter.ts'), 'run', { shared: { counter: shared } })).toScaleLinearly([2], { capacity: 2, tier: 'nice' });
    const r = lastRecord();
    expect(r.details?.correctness).toEqual({ checked: true, ok: true });
    const inWindows = levels(r).reduce((sum, l) => sum + l.calls, 0);
    // Every call of every thread (warm-up included) incremented the test's SharedArrayBuffer.
    expect(Atomics.load(new Int32Array(shared), 0)).toBeGreaterThan(inWindows);
  });

  test('threads that hang are a FAIL after timeout, and are terminated', async () => {
    const task = inThreads(fixture('hang-task.js'), 'run', { shared: { never: counter() } });
    const started = Date.now();
    const error = await failure(expect(task).toScaleLinearly([2], { capacity: 2, timeout: '300ms' }));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error.message).toMatch(/hang FAIL at level 2: no reply within \d+ ms/);
    expect(lastRecord().details).toMatchObject({ stoppedBy: 'hang', hang: { level: 2 } });
  });

  test('a task that throws in a thread is an ERROR record and a thrown error', async () => {
    await expect(expect(inThreads(fixture('throwing-task.js'), 'run')).toScaleLinearly([2], { capacity: 2 })).rejects.toThrow('toScaleLinearly: the task threw: boom at level 2');
    expect(lastRecord()).toMatchObject({ verdict: 'ERROR', passed: false, matcher: 'toScaleLinearly' });
  });

  test('an export that returns a promise is awaited in each thread', async () => {
    await expect(inThreads(fixture('async-thread-task.js'), 'run')).toScaleLinearly([2], { capacity: 2, tier: 'nice', minRounds: 2 });
    const r = lastRecord();
    expect(levels(r).every((l) => l.calls > 0)).toBe(true);
    expect(r.verdict).not.toBe('ERROR');
  });

  test('levels beyond capacity are labelled capacity-bound in the record', async () => {
    // tier 'nice': whatever this machine's load does to the numbers, the labels are the point.
    await expect(inThreads(fixture('cpu-task.js'), 'run')).toScaleLinearly([2, 4], { capacity: 2, tier: 'nice', minRounds: 2 });
    const r = lastRecord();
    expect(levels(r).map((l) => [l.level, l.capacityBound, l.factor])).toEqual([
      [1, false, 1],
      [2, false, 2],
      [4, true, 2],
    ]);
    expect(r.notes.join('\n')).toContain('capacity-bound: level 4 exceeds the capacity of 2 (option capacity); it is expected to reach only 2× level 1');
  });

  test('works under jest.useFakeTimers()', async () => {
    jest.useFakeTimers();
    try {
      await expect(inThreads(fixture('cpu-task.js'), 'run')).toScaleLinearly([2], { capacity: 2, tier: 'nice', minRounds: 2 });
    } finally {
      jest.useRealTimers();
    }
    expect(lastRecord().samples).toBeGreaterThanOrEqual(2);
  });
});

describe('.toScaleLinearly, async form', () => {
  test('passes when 1 ms waits run up to 16 in flight', async () => {
    await expect(wait).toScaleLinearly(16);
    const r = lastRecord();
    expect(r.verdict).toBe('PASS');
    expect(r.estimate).toBeGreaterThanOrEqual(0.75);
    expect(levels(r).map((l) => l.level)).toEqual([1, 2, 4, 8, 16]);
    expect(r.details).toMatchObject({ form: 'async', capacity: null, capacityText: 'unbounded' });
  });

  test('fails when the same waits queue behind one async mutex', async () => {
    const error = await failure(expect(lockedWait(new AsyncMutex())).toScaleLinearly(16));
    const r = lastRecord();
    expect(r).toMatchObject({ verdict: 'FAIL', inconclusive: false });
    // Serialized: 16 in flight do one call's work, 1/16 of linear.
    expect(r.estimate).toBeLessThan(0.75 / 4);
    expect(error.message).toContain('worst level: 16');
  });

  test('capacity caps the expectation, and the message labels the capped levels', async () => {
    const error = await failure(expect(lockedWait(new AsyncMutex())).toScaleLinearly([2, 4], { capacity: 2 }));
    expect(error.message).toMatch(/capacity-bound \(×2 expected\)/);
    expect(error.message).toContain('capacity-bound: level 4 exceeds the capacity of 2 (option capacity)');
    expect(levels(lastRecord()).find((l) => l.level === 4)).toMatchObject({ capacityBound: true, factor: 2 });
  });

  test('.not passes for the serialized waits', async () => {
    await expect(lockedWait(new AsyncMutex())).not.toScaleLinearly([4]);
    expect(lastRecord()).toMatchObject({ negated: true, direction: 'lower', verdict: 'PASS' });
  });

  test('perCallUnder bounds the p50 of one call at the largest level', async () => {
    const error = await failure(expect(wait).toScaleLinearly([4], { perCallUnder: '100us' }));
    expect(error.message).toMatch(/perCallUnder FAIL: p50 per call at level 4 is .* budget 100us/);
    expect(lastRecord().details?.perCallUnder).toMatchObject({ level: 4, limitNs: 100_000, verdict: 'FAIL' });
    await expect(wait).toScaleLinearly([4], { perCallUnder: '50ms' });
    expect(lastRecord().details?.perCallUnder).toMatchObject({ verdict: 'PASS' });
  });
});

describe('.toScaleLinearly, record', () => {
  test('efficiency as a ratio, higher is better, with the levels table as plain JSON', async () => {
    // Two waits behind a mutex reach 1/2 of linear: between the noGo 0.3 and the target 0.75.
    await expect(lockedWait(new AsyncMutex())).toScaleLinearly([2], { noGo: 0.3, slo: 'concurrent execution' });
    const r = lastRecord();
    expect(r).toMatchObject({
      slo: 'concurrent execution',
      tier: 'must',
      matcher: 'toScaleLinearly',
      unit: 'ratio',
      direction: 'higher',
      stat: 'efficiency',
      target: 0.75,
      noGo: 0.3,
      targetText: '0.75',
      noGoText: '0.3',
      verdict: 'WARN',
      passed: true,
    });
    expect(r.low).toBeLessThanOrEqual(r.estimate);
    expect(r.estimate).toBeLessThanOrEqual(r.high);
    expect(JSON.parse(JSON.stringify(r.details))).toEqual(r.details);
    expect(levels(r)[1]).toMatchObject({ level: 2, capacityBound: false, factor: 2, rounds: r.samples });
  });

  test('a row declared in the reporter supplies tier and noGo; a conflicting efficiency throws', async () => {
    await expect(lockedWait(new AsyncMutex())).toScaleLinearly([8], { slo: 'declared scaling' });
    expect(lastRecord()).toMatchObject({ slo: 'declared scaling', tier: 'should', target: 0.75, noGo: 0.25, verdict: 'FAIL', passed: true });
    await expect(expect(wait).toScaleLinearly([2], { slo: 'declared scaling', efficiency: 0.9 })).rejects.toThrow(/target "0.9" conflicts with the declaration of SLO "declared scaling"/);
  });

  test('a should-tier FAIL is recorded but does not fail the test', async () => {
    await expect(lockedWait(new AsyncMutex())).toScaleLinearly([8], { tier: 'should' });
    expect(lastRecord()).toMatchObject({ tier: 'should', verdict: 'FAIL', passed: true });
  });

  test('message: hint, sentence, interval, rounds and the table of levels', async () => {
    const error = await failure(expect(lockedWait(new AsyncMutex())).toScaleLinearly([4, 16]));
    expect(normalize(error.message)).toMatchSnapshot();
  });
});

describe('.toScaleLinearly, bad arguments', () => {
  const task = (): ReturnType<typeof inThreads> => inThreads(fixture('cpu-task.js'), 'run');

  test.each([
    [1, 'threads must be a number N ≥ 2'],
    [0, 'threads must be a number N ≥ 2'],
    [2.5, 'threads must be a number N ≥ 2'],
    ['4', 'threads must be a number N ≥ 2'],
    [[], 'has no level above the reference 1'],
    [[1], 'has no level above the reference 1'],
    [[2, 2], 'repeats a level'],
    [[2, -1], 'level -1 in [2,-1] is not a positive integer'],
    [[2, 300], 'level 300 is more than the 256 this form accepts'],
  ])('threads %p → TypeError', async (threads, text) => {
    const p = expect(task()).toScaleLinearly(threads as number);
    await expect(p).rejects.toThrow(TypeError);
    await expect(expect(task()).toScaleLinearly(threads as number)).rejects.toThrow(text);
  });

  test.each([
    [{ efficiency: 0 }, 'option efficiency must be a number in (0, 1]'],
    [{ efficiency: 1.5 }, 'option efficiency must be a number in (0, 1]'],
    [{ capacity: 0 }, 'option capacity must be a positive integer or Infinity'],
    [{ capacity: 2.5 }, 'option capacity must be a positive integer or Infinity'],
    [{ noGo: 0.9 }, 'noGo (0.9) must be at most the efficiency (0.75)'],
    [{ perCallUnder: 'fast' }, 'option perCallUnder must be'],
    [{ minRounds: 1 }, 'option minRounds must be at least 2'],
    [{ window: '0ms' }, 'option window must be longer than 0'],
    [{ threads: 4 }, 'unknown option "threads"'],
    [{ tier: 'always' }, "option tier must be one of 'must', 'should', 'nice'"],
  ])('options %p → TypeError', async (options, text) => {
    await expect(expect(task()).toScaleLinearly([2], options as object)).rejects.toThrow(TypeError);
    await expect(expect(task()).toScaleLinearly([2], options as object)).rejects.toThrow(text);
  });

  test('received must be an async function or inThreads(...)', async () => {
    await expect(expect(42).toScaleLinearly(2)).rejects.toThrow(/received value must be an async function .* or a thread task from inThreads/);
    await expect(expect({ module: 'x', export: 'run' }).toScaleLinearly(2)).rejects.toThrow(TypeError);
  });

  test('a synchronous function cannot have calls in flight', async () => {
    await expect(expect(() => 42).toScaleLinearly(2)).rejects.toThrow(/returned no promise: a synchronous function cannot have several calls in flight/);
  });

  test('noGo and perCallUnder have no meaning with .not', async () => {
    await expect(expect(wait).not.toScaleLinearly(2, { noGo: 0.5 })).rejects.toThrow('option noGo has no meaning with .not.toScaleLinearly');
    await expect(expect(wait).not.toScaleLinearly(2, { perCallUnder: '1ms' })).rejects.toThrow('option perCallUnder has no meaning');
  });

  test('a missing export is a TypeError naming the exports', async () => {
    await expect(expect(inThreads(fixture('cpu-task.js'), 'nope')).toScaleLinearly([2], { capacity: 2 })).rejects.toThrow(/has no function export "nope" \(exports: work, run\)/);
  });

  test('inThreads checks its own arguments', () => {
    expect(() => inThreads('./cpu-task.js', 'run')).toThrow(/modulePath must be absolute .*require.resolve\("\.\/cpu-task\.js"\)/);
    expect(() => inThreads(fixture('missing.js'), 'run')).toThrow('modulePath names no file');
    expect(() => inThreads(fixture('cpu-task.js'), '')).toThrow('exportName must be the name of a function');
    expect(() => inThreads(fixture('cpu-task.js'), 'run', { shared: { f: () => 1 } as never })).toThrow('option shared must survive structured cloning');
    expect(() => inThreads(fixture('cpu-task.js'), 'run', { shared: new SharedArrayBuffer(4) as never })).toThrow('option shared must be a plain object');
    expect(() => inThreads(fixture('cpu-task.js'), 'run', { args: 3 as never })).toThrow('option args must be an array');
    expect(() => inThreads(fixture('cpu-task.js'), 'run', { counter: 1 } as never)).toThrow('unknown option "counter"');
    expect(() => inThreads(fixture('cpu-task.js'), 'run')).not.toThrow();
  });
});

describe('from dist/, under the real Jest CLI', () => {
  // A user's project: matchers from dist/setup.js, inThreads and startup from dist/index.js, so
  // the isolates run dist/thread-worker.js (found beside the bundle), TypeScript tasks included.
  test('thread tasks and startup isolates run from the built package', () => {
    const root = path.join(__dirname, '../..');
    if (!fs.existsSync(path.join(root, 'dist/thread-worker.js'))) throw new Error('dist/thread-worker.js is missing: build first (npx tsup)');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-slo-dist-'));
    try {
      const jest = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '-c', fixture('project/jest.config.js'), '--ci'], {
        cwd: root,
        env: { ...process.env, [RUN_DIR_ENV]: dir },
        encoding: 'utf8',
      });
      expect(jest.stderr).toContain('Tests:       3 passed, 3 total');
      expect(jest.status).toBe(0);
      const recs = fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.jsonl'))
        .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n'))
        .map((l) => JSON.parse(l) as SloRecord);
      expect(recs.map((r) => r.matcher)).toEqual(['toScaleLinearly', 'toStartUnder', 'toStartUnder']);
      expect(recs[0].details).toMatchObject({ form: 'threads', threads: 2, correctness: { checked: true, ok: true } });
      expect(recs[1]).toMatchObject({ verdict: 'PASS', details: { isolate: 'thread', warm: { verdict: 'PASS' } } });
      expect(recs[2].details).toMatchObject({ isolate: 'process', typescript: true, async: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RUN_DIR_ENV } from '../../src/constants';
import { publishDeclarations } from '../../src/declarations';
import { inThreads, startup } from '../../src/threads/task';
import type { SloRecord } from '../../src/types';

const FIXTURES = path.join(__dirname, '../fixtures/threads');
const fixture = (name: string): string => path.join(FIXTURES, name);
/** slow-start.js's first access busy-waits this long on the wall clock. */
const INIT_NS = 50e6;

let runDir: string;
let previousRunDir: string | undefined;
beforeAll(() => {
  previousRunDir = process.env[RUN_DIR_ENV];
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-slo-start-'));
  process.env[RUN_DIR_ENV] = runDir;
  // The seed's row: startup < 100ms, NO-GO beyond 500ms (as the reporter's `slos` option publishes it).
  publishDeclarations(runDir, { 'startup time': { tier: 'must', target: '100ms', noGo: '500ms' } });
});
afterAll(() => {
  if (previousRunDir === undefined) delete process.env[RUN_DIR_ENV];
  else process.env[RUN_DIR_ENV] = previousRunDir;
  fs.rmSync(runDir, { recursive: true, force: true });
});

function lastRecord(): SloRecord {
  const all = fs
    .readdirSync(runDir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => fs.readFileSync(path.join(runDir, f), 'utf8').trim().split('\n'))
    .filter(Boolean)
    .map((l) => JSON.parse(l) as SloRecord);
  return all[all.length - 1];
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the assertion to fail, but it passed');
}

function normalize(message: string): string {
  return message
    .replace(/\d+(\.\d+)?/g, 'N')
    .replace(/N(ns|µs|ms|s)/g, 'N')
    .replace(/(N, )+N/g, 'N, …');
}

const lazyRuntime = (): ReturnType<typeof startup> => startup(fixture('slow-start.js'), 'getRuntime');

describe('.toStartUnder', () => {
  test('fails 20ms when the first access does 50 ms of work', async () => {
    const error = await failure(expect(lazyRuntime()).toStartUnder('20ms'));
    const r = lastRecord();
    expect(r).toMatchObject({ verdict: 'FAIL', inconclusive: false, samples: 7, unit: 'ns', stat: 'p50' });
    expect(r.low).toBeGreaterThanOrEqual(INIT_NS);
    expect(error.message).toContain('Expected p50 to be under 20ms');
  });

  test('passes 500ms for the same module', async () => {
    await expect(lazyRuntime()).toStartUnder('500ms');
    const r = lastRecord();
    expect(r).toMatchObject({ verdict: 'PASS', inconclusive: false });
    expect(r.estimate).toBeGreaterThanOrEqual(INIT_NS);
    const details = r.details as { coldNs: number[]; loadNs: number[]; firstCallNs: number[]; isolateNs: number[] };
    expect(details.coldNs).toHaveLength(7);
    // Cold = load + first call, timed inside the isolate; creating the isolate comes on top.
    details.coldNs.forEach((c, i) => {
      expect(c).toBeCloseTo(details.loadNs[i] + details.firstCallNs[i], 0);
      expect(details.firstCallNs[i]).toBeGreaterThanOrEqual(INIT_NS);
      expect(details.isolateNs[i]).toBeGreaterThan(c);
    });
  });

  test('.not.toStartUnder passes when the start is slower than the limit', async () => {
    await expect(lazyRuntime()).not.toStartUnder('20ms', { runs: 6 });
    expect(lastRecord()).toMatchObject({ negated: true, direction: 'higher', verdict: 'PASS', passed: true });
  });

  test('perCallUnder: a cached accessor passes 1us after the first call', async () => {
    await expect(lazyRuntime()).toStartUnder('500ms', { perCallUnder: '1us' });
    const r = lastRecord();
    expect(r.verdict).toBe('PASS');
    const warm = r.details?.warm as { p50: { estimate: number; high: number }; verdict: string; samples: number; batch: number };
    expect(warm).toMatchObject({ verdict: 'PASS', conclusive: true });
    expect(warm.p50.high).toBeLessThan(1000);
    expect(warm.batch).toBeGreaterThan(1);
    expect(r.notes.join('\n')).toContain('warm path PASS');
  });

  test('perCallUnder: an accessor that rebuilds on every call fails, whatever the cold start', async () => {
    const error = await failure(expect(startup(fixture('slow-start.js'), 'buildRuntime')).toStartUnder('500ms', { perCallUnder: '100us', runs: 6 }));
    const r = lastRecord();
    expect(r.verdict).toBe('FAIL');
    expect(r.estimate).toBeLessThan(500e6);
    expect(r.details?.warm).toMatchObject({ verdict: 'FAIL' });
    expect(error.message).toMatch(/warm path FAIL: p50 .* per call after the first, budget 100us: the claim fails whatever the cold start/);
  });

  test("isolate: 'process' starts a new Node process per run; a TypeScript async export is awaited", async () => {
    await expect(startup(fixture('async-start.ts'), 'connect', { args: [7] })).toStartUnder('2s', { isolate: 'process', runs: 6, noGo: '5s' });
    const r = lastRecord();
    expect(r).toMatchObject({ verdict: 'PASS', noGo: 5e9, noGoText: '5s' });
    expect(r.details).toMatchObject({ isolate: 'process', typescript: true, async: true, runs: 6 });
    // The export awaits a 30 ms timer before its first call completes.
    expect((r.details as { firstCallNs: number[] }).firstCallNs.every((x) => x >= 29e6)).toBe(true);
  });

  test('a declared row supplies the NO-GO limit; a conflicting limit throws', async () => {
    await expect(lazyRuntime()).toStartUnder('100ms', { slo: 'startup time', runs: 6 });
    expect(lastRecord()).toMatchObject({ slo: 'startup time', target: 100e6, noGo: 500e6, noGoText: '500ms', verdict: 'PASS' });
    await expect(expect(lazyRuntime()).toStartUnder('200ms', { slo: 'startup time' })).rejects.toThrow(/conflicts with the declaration of SLO "startup time"/);
  });

  test('few runs: the median interval is unbounded, and the record says so', async () => {
    await expect(lazyRuntime()).toStartUnder('500ms', { runs: 3, tier: 'should' });
    const r = lastRecord();
    expect(r.inconclusive).toBe(true);
    expect(r.notes.join('\n')).toContain('few samples: with 3 runs the median');
  });

  test('a first call that throws is an ERROR record and a thrown error', async () => {
    await expect(expect(startup(fixture('broken-start.js'), 'init')).toStartUnder('1s')).rejects.toThrow('init() threw on its first call: no config');
    expect(lastRecord()).toMatchObject({ verdict: 'ERROR', passed: false, error: 'toStartUnder: init() threw on its first call: no config' });
  });

  test('works under jest.useFakeTimers()', async () => {
    jest.useFakeTimers();
    try {
      await expect(lazyRuntime()).toStartUnder('500ms', { runs: 6 });
    } finally {
      jest.useRealTimers();
    }
    expect(lastRecord().verdict).toBe('PASS');
  });

  test('message: hint, sentence, interval, isolate, runs', async () => {
    const error = await failure(expect(lazyRuntime()).toStartUnder('20ms', { perCallUnder: '1us', noGo: '30ms' }));
    expect(normalize(error.message)).toMatchSnapshot();
  });
});

describe('.toStartUnder, bad arguments', () => {
  test.each([
    ['fast', 'limit must be'],
    [-1, 'limit must be'],
    [undefined, 'limit must be'],
  ])('limit %p → TypeError', async (limit, text) => {
    await expect(expect(lazyRuntime()).toStartUnder(limit as never)).rejects.toThrow(TypeError);
    await expect(expect(lazyRuntime()).toStartUnder(limit as never)).rejects.toThrow(text);
  });

  test.each([
    [{ runs: 0 }, 'option runs must be a positive integer'],
    [{ runs: 1e6 }, 'option runs must be at most 1000'],
    [{ isolate: 'vm' }, "option isolate must be one of 'thread', 'process'"],
    [{ perCallUnder: '0ms' }, 'option perCallUnder must be longer than 0'],
    [{ noGo: '10ms' }, 'noGo (10ms) must be at least the limit (20ms)'],
    [{ warmup: '1ms' }, 'unknown option "warmup"'],
  ])('options %p → TypeError', async (options, text) => {
    await expect(expect(lazyRuntime()).toStartUnder('20ms', options as object)).rejects.toThrow(TypeError);
    await expect(expect(lazyRuntime()).toStartUnder('20ms', options as object)).rejects.toThrow(text);
  });

  test('received must come from startup(...)', async () => {
    await expect(expect(() => 42).toStartUnder('1s')).rejects.toThrow(/received value must be a startup task from startup\(modulePath, exportName/);
    await expect(expect(inThreads(fixture('cpu-task.js'), 'run')).toStartUnder('1s')).rejects.toThrow(/inThreads\(\.\.\.\) names a thread task for toScaleLinearly/);
  });

  test('noGo and perCallUnder have no meaning with .not', async () => {
    await expect(expect(lazyRuntime()).not.toStartUnder('20ms', { noGo: '30ms' })).rejects.toThrow('option noGo has no meaning with .not.toStartUnder');
    await expect(expect(lazyRuntime()).not.toStartUnder('20ms', { perCallUnder: '1us' })).rejects.toThrow('option perCallUnder has no meaning');
  });

  test('a missing export is a TypeError naming the exports', async () => {
    await expect(expect(startup(fixture('slow-start.js'), 'nope')).toStartUnder('1s')).rejects.toThrow(/has no function export "nope" \(exports: getRuntime, buildRuntime\)/);
  });

  test('startup checks its own arguments', () => {
    expect(() => startup('slow-start.js', 'getRuntime')).toThrow('modulePath must be absolute');
    expect(() => startup(fixture('nope.js'), 'getRuntime')).toThrow('modulePath names no file');
    expect(() => startup(fixture('slow-start.js'), 42 as never)).toThrow('exportName must be the name of a function');
    expect(() => startup(fixture('slow-start.js'), 'getRuntime', { args: 'x' as never })).toThrow('option args must be an array');
    expect(() => startup(fixture('slow-start.js'), 'getRuntime', { shared: {} } as never)).toThrow('unknown option "shared"');
  });
});

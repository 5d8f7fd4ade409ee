/**
 * The one option vocabulary: the renamed options, the '10x' / '75%' strings accepted where
 * numbers were, declared targets as defaults, a declared noGo on a leak row, `timeout`, and
 * `benchmark()` checking its options as the matchers do.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RECORD_FILE_PREFIX, RUN_DIR_ENV } from '../../src/constants';
import { publishDeclarations } from '../../src/declarations';
import { benchmark } from '../../src/measure/benchmark';
import type { SloRecord } from '../../src/types';
import { parseFactor, parseFraction } from '../../src/units/limit';
import { inThreads, startup } from '../../src/threads/task';
import * as mem from '../fixtures/memory/truth';

let runDir: string;
const saved = process.env[RUN_DIR_ENV];
beforeAll(() => {
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rt-slo-options-'));
  process.env[RUN_DIR_ENV] = runDir;
  publishDeclarations(runDir, {
    'declared leak': { tier: 'must', target: '512B', noGo: '8kB' },
    'declared speedup': { tier: 'must', target: '2x' },
  });
});
afterAll(() => {
  if (saved === undefined) delete process.env[RUN_DIR_ENV];
  else process.env[RUN_DIR_ENV] = saved;
  fs.rmSync(runDir, { recursive: true, force: true });
  mem.releaseAll();
});

function lastRecord(): SloRecord {
  const lines = fs
    .readdirSync(runDir)
    .filter((f) => f.startsWith(RECORD_FILE_PREFIX))
    .flatMap((f) => fs.readFileSync(path.join(runDir, f), 'utf8').trim().split('\n'))
    .filter(Boolean);
  return JSON.parse(lines[lines.length - 1]) as SloRecord;
}

/** Spins for `us` microseconds: a call that costs at least that, by construction. */
function spin(us: number): () => void {
  return () => {
    const end = performance.now() + us / 1000;
    while (performance.now() < end);
  };
}
const fast = (): number => 1;
const slow = spin(50);
const QUICK = { maxTime: '300ms', warmup: '1ms' } as const;
const fixture = (name: string): string => path.join(__dirname, '../fixtures/threads', name);

describe('parsers: one per unit', () => {
  test.each([
    [4, 4],
    ['1000x', 1000],
    ['2.5 x', 2.5],
    ['10', 10],
  ])('factor %p → %p', (v, n) => expect(parseFactor(v)).toBe(n));
  test.each([
    [0.75, 0.75],
    ['75%', 0.75],
    ['100%', 1],
    ['0.5', 0.5],
  ])('fraction %p → %p', (v, n) => expect(parseFraction(v)).toBe(n));
  test.each([0, -1, 'ten', '10y', NaN])('factor %p refused', (v) => expect(() => parseFactor(v, 'by')).toThrow(/by must be a positive finite number or a string '<number>x'/));
  test.each([0, 1.5, '150%', '75', 'most'])('fraction %p refused', (v) => expect(() => parseFraction(v, 'efficiency')).toThrow(/efficiency must be a number in \(0, 1\] or a percentage string/));
});

describe("'10x' and '75%' where numbers were", () => {
  test("toBeFasterThan by: '2x', noGo: '1.5x'", async () => {
    await expect(fast).toBeFasterThan(slow, { by: '2x', noGo: '1.5x', ...QUICK });
    expect(lastRecord()).toMatchObject({ matcher: 'toBeFasterThan', target: 2, noGo: 1.5, targetText: '2x', noGoText: '1.5x', verdict: 'PASS' });
  });

  test('toBeFasterThan takes by from a declared "2x" target', async () => {
    await expect(fast).toBeFasterThan(slow, { slo: 'declared speedup', ...QUICK });
    expect(lastRecord()).toMatchObject({ slo: 'declared speedup', target: 2, targetText: '2x', verdict: 'PASS' });
  });

  test("toScaleLinearly efficiency: '50%'", async () => {
    const wait = (): Promise<void> => new Promise((r) => setTimeout(r, 2));
    await expect(wait).toScaleLinearly([2], { efficiency: '50%', noGo: '25%', window: '20ms', minRounds: 3, warmup: '5ms' });
    expect(lastRecord()).toMatchObject({ matcher: 'toScaleLinearly', target: 0.5, noGo: 0.25, targetText: '50%', noGoText: '25%' });
  });
});

describe('declared targets and limits on leak rows', () => {
  test('the declared target is the threshold and the declared noGo makes a WARN band', async () => {
    await expect(mem.leak1KBPerCall).not.toLeakMemory({ slo: 'declared leak', rounds: 6, warmupCalls: 10 });
    const r = lastRecord();
    expect(r).toMatchObject({ slo: 'declared leak', negated: true, direction: 'lower', target: 512, noGo: 8000, targetText: '512B/call', noGoText: '8kB/call', passed: true });
    // ~1.2 KB per call: over the 512 B target, well within the 8 kB limit.
    expect(r.verdict).toBe('WARN');
    expect(r.details).toMatchObject({ warmupCalls: 10 });
  });
});

describe('timeout and warmup', () => {
  test('accepted by toRunUnder, toBeFasterThan and toHaveOverheadUnder', async () => {
    await expect(fast).toRunUnder('1ms', { timeout: '5s', ...QUICK });
    await expect(fast).toBeFasterThan(slow, { timeout: 5000, ...QUICK });
    await expect(fast).toHaveOverheadUnder(fast, '1us', { timeout: '5s', ...QUICK });
    expect(lastRecord()).toMatchObject({ matcher: 'toHaveOverheadUnder', verdict: 'PASS' });
  });

  test.each([
    ['toRunUnder', () => expect(fast).toRunUnder('1ms', { timeout: 0 })],
    ['toBeFasterThan', () => expect(fast).toBeFasterThan(slow, { timeout: '0ms' })],
    ['toHaveOverheadUnder', () => expect(fast).toHaveOverheadUnder(fast, '1us', { timeout: 0 })],
  ])('%s refuses a zero timeout', async (_name, run) => {
    await expect(run()).rejects.toThrow(/option timeout must be longer than 0; received/);
  });

  test('a bad warmup on the comparison matchers', async () => {
    await expect(expect(fast).toBeFasterThan(slow, { warmup: 'long' as never })).rejects.toThrow(/option warmup must be a number of milliseconds/);
    await expect(expect(fast).toHaveOverheadUnder(fast, '1us', { warmup: -1 })).rejects.toThrow(/option warmup must be a number of milliseconds/);
  });
});

describe('old option names are refused, naming the new ones', () => {
  test.each([
    ['toStartUnder thenUnder', () => expect(startup(fixture('slow-start.js'), 'getRuntime')).toStartUnder('500ms', { thenUnder: '1us' } as never), /unknown option "thenUnder"; accepted options: .*perCallUnder, maxTime, timeout/],
    ['toStartUnder warmTime', () => expect(startup(fixture('slow-start.js'), 'getRuntime')).toStartUnder('500ms', { warmTime: '5ms' } as never), /unknown option "warmTime"/],
    ['toScaleLinearly maxPerCall', () => expect(inThreads(fixture('cpu-task.js'), 'run')).toScaleLinearly([2], { maxPerCall: '1us' } as never), /unknown option "maxPerCall"; accepted options: .*perCallUnder/],
    ['toScaleLinearly hangTimeout', () => expect(inThreads(fixture('cpu-task.js'), 'run')).toScaleLinearly([2], { hangTimeout: '1s' } as never), /unknown option "hangTimeout"; accepted options: .*timeout/],
    ['toLeakMemory warmup', () => expect(fast).not.toLeakMemory({ warmup: 5 } as never), /unknown option "warmup"; accepted options: .*warmupCalls/],
  ])('%s', async (_name, run, message) => {
    await expect(run()).rejects.toThrow(TypeError);
    await expect(run()).rejects.toThrow(message);
  });
});

describe('benchmark()', () => {
  test("maxTime: '50ms' is honoured", async () => {
    const r = await benchmark(fast, { maxTime: '50ms', warmup: '1ms' });
    expect(r.samples).toBeGreaterThan(0);
    // 50 ms of sampling, a 1 ms warm-up and calibration: far under the 500 ms default.
    expect(r.wallMs).toBeLessThan(400);
  });

  test.each([
    [{ tim: 50 }, /^benchmark: unknown option "tim"; accepted options: maxTime, warmup, timeout, minSamples, stat/],
    [{ time: '50ms' }, /^benchmark: unknown option "time"; accepted options: maxTime/],
    [{ maxTime: '50 msec' }, /^benchmark: option maxTime must be a number of milliseconds .*; received "50 msec"/],
    [{ warmup: -1 }, /^benchmark: option warmup must be a number of milliseconds/],
    [{ timeout: 0 }, /^benchmark: option timeout must be longer than 0/],
    [{ stat: 'p42' }, /^benchmark: option stat must be one of/],
    [{ minSamples: 0 }, /^benchmark: option minSamples must be a positive integer; received 0/],
    [42, /^benchmark: options must be an object; received 42/],
  ])('%p → TypeError', async (options, message) => {
    await expect(benchmark(fast, options as never)).rejects.toThrow(TypeError);
    await expect(benchmark(fast, options as never)).rejects.toThrow(message);
  });

  test('fn must be a function', async () => {
    await expect(benchmark(42 as never)).rejects.toThrow(/^benchmark: fn must be a function; received 42\nSee .*#benchmark/);
  });
});

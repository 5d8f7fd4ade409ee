/**
 * The memory measurement core: forced GC inside Jest without flags, snapshots that see dropped
 * ArrayBuffers and WeakRef targets go, the run's peak, and the statistics over runs and rounds.
 */
import vm from 'node:vm';
import { forcedGc, held, leastSquares, lowerEnvelope, trimmedMeanInterval, MAX_GC_PASSES, measureGrowth, measureUsage, medianInterval, medianStep, nativeContexts, PEAK_SEES_GCS, quietBaseline, settle } from '../../src/measure/memory';
import * as f from '../fixtures/memory/truth';

afterEach(() => f.releaseAll());

/** The fixtures' figures are exact to well under this (bytes). */
const TOLERANCE = 1 * f.MB;

describe('forced GC', () => {
  test('works inside Jest without --expose-gc, and leaves no gc global behind', () => {
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
    const gc = forcedGc();
    expect(typeof gc).toBe('function');
    expect(forcedGc()).toBe(gc);
    // The flag is off again: contexts created from now on (later test files) get no gc.
    expect(vm.runInNewContext('typeof gc')).toBe('undefined');
  });

  test('a snapshot no longer counts a dropped 20 MB Uint8Array (external memory)', async () => {
    const before = (await quietBaseline()).held;
    let block: Uint8Array | undefined = new Uint8Array(20 * f.MB).fill(1);
    expect(held().total - before.total).toBeGreaterThan(20 * f.MB - TOLERANCE);
    expect(held().arrayBuffers - before.arrayBuffers).toBeGreaterThan(20 * f.MB - TOLERANCE);
    block = undefined;
    // Precise: V8 frees ArrayBuffer backing stores on a concurrent sweeper, so a fixed number of
    // GCs can read before the 20 MB is returned (seen once in a full run: 15 MB still counted).
    const after = (await settle(true)).held;
    expect(block).toBeUndefined();
    // One-sided, a quarter of the block: unrelated garbage freed since the baseline can only lower it.
    expect(after.total - before.total).toBeLessThan((20 * f.MB) / 4);
  });

  test('a snapshot ends the job, so a WeakRef target made in it is collected', async () => {
    const before = (await quietBaseline()).held;
    let strong: number[] | undefined = new Array<number>(2.5e6).fill(0);
    const ref = new WeakRef(strong);
    strong = undefined;
    const after = (await settle()).held;
    expect(strong).toBeUndefined();
    expect(ref.deref()).toBeUndefined();
    // The 20 MB array (2.5M doubles) is gone: one-sided, with room for baseline drift.
    expect(after.total - before.total).toBeLessThan((20 * f.MB) / 4);
  });

  test('a precise snapshot repeats full GCs until two agree', async () => {
    const s = await settle(true);
    expect(s.passes).toBeGreaterThanOrEqual(2);
    expect(s.passes).toBeLessThanOrEqual(MAX_GC_PASSES);
  });

  test('the baseline waits until a dropped vm context (as Jest leaves from the previous test file) is gone', async () => {
    await quietBaseline();
    const contexts = nativeContexts();
    let context: vm.Context | undefined = vm.createContext({});
    // ~3.2 MB inside the context, about what a finished test file's environment holds.
    vm.runInContext('globalThis.big = new Array(400000).fill(0)', context);
    expect(nativeContexts()).toBe(contexts + 1);
    context = undefined;
    const base = await quietBaseline();
    expect(context).toBeUndefined();
    expect(base.quiet).toBe(true);
    expect(nativeContexts()).toBe(contexts);
    // Nothing left to vanish after the baseline.
    const later = await settle();
    expect(Math.abs(later.held.total - base.held.total)).toBeLessThan(TOLERANCE);
  });

  test('does not hang under fake timers', async () => {
    jest.useFakeTimers();
    try {
      const s = await settle();
      expect(s.passes).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('measureUsage', () => {
  test('kept 20 MB: every run retains 20 MB, and the steady growth is 20 MB per run', async () => {
    const r = await measureUsage(f.keep20MB, { runs: 3, calls: 1 });
    for (const run of r.runs) expect(Math.abs(run.retained - 20 * f.MB)).toBeLessThan(TOLERANCE);
    expect(Math.abs(r.growthPerRun - 20 * f.MB)).toBeLessThan(TOLERANCE);
    // Run k holds k × 20 MB above the start.
    expect(Math.abs(r.runs[2].held - 60 * f.MB)).toBeLessThan(TOLERANCE);
    expect(r.arrayBuffersDelta).toBeGreaterThan(60 * f.MB - TOLERANCE);
  });

  test('dropped 20 MB: nothing retained, a 20 MB peak', async () => {
    const r = await measureUsage(f.allocate20MBAndDrop, { runs: 3, calls: 1 });
    for (const run of r.runs) {
      expect(Math.abs(run.retained)).toBeLessThan(TOLERANCE);
      expect(run.peakOfRun).toBeGreaterThan(20 * f.MB - TOLERANCE);
    }
    expect(r.isAsync).toBe(false);
  });

  test('a lazily built singleton: the one-time 20 MB counts for every run, growth per run is 0', async () => {
    const r = await measureUsage(f.lazySingleton20MB, { runs: 3, calls: 1 });
    for (const run of r.runs) expect(Math.abs(run.retained - 20 * f.MB)).toBeLessThan(TOLERANCE);
    expect(Math.abs(r.growthPerRun)).toBeLessThan(TOLERANCE);
  });

  test('the peak sees memory a GC freed during the run (v8.GCProfiler)', async () => {
    expect(PEAK_SEES_GCS).toBe(true);
    // Two 20 MB heap arrays, one after the other: the second allocation may start a GC that frees
    // the first; either way the peak is at least 20 MB.
    const twice = (): number => f.allocate20MBOnHeapAndDrop() + f.allocate20MBOnHeapAndDrop();
    const r = await measureUsage(twice, { runs: 2, calls: 1 });
    for (const run of r.runs) expect(run.peakOfRun).toBeGreaterThan(20 * f.MB - TOLERANCE);
  });
});

describe('measureGrowth', () => {
  test('1 KB kept per call grows by 1–1.4 KB per call (the Uint8Array object and its slot included)', async () => {
    const r = await measureGrowth(f.leak1KBPerCall, { rounds: 6, calls: 1000 });
    expect(r.growth.estimate).toBeGreaterThan(f.KB);
    expect(r.growth.estimate).toBeLessThan(1.4 * f.KB);
    // [min, max] of 6 readings: a foreign release of ~100 KB in one round may pull one reading down.
    expect(r.growth.low).toBeGreaterThan(0.5 * f.KB);
    expect(r.xs).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000]);
    expect(r.totalGrowth).toBeGreaterThan(6000 * f.KB);
  });

  test('what one call allocates: 1 MB for the 1 MB fixture, and calls per round from its cost', async () => {
    const r = await measureGrowth(f.allocate1MBAndFree, { rounds: 3 });
    expect(r.allocatedPerCall).toBeGreaterThan(0.9 * f.MB);
    expect(r.allocatedPerCall).toBeLessThan(1.1 * f.MB);
    expect(r.calls).toBeGreaterThanOrEqual(1);
    expect(r.calls).toBeLessThanOrEqual(2000);
    expect(r.warmupCalls).toBe(r.calls);
  });
});

describe('statistics', () => {
  test('medianInterval: 6 values give [min, max] at 95%, fewer say their true coverage', () => {
    expect(medianInterval([6, 1, 5, 2, 4, 3])).toEqual({ interval: { low: 1, estimate: 3.5, high: 6 }, coverage: 0.95 });
    expect(medianInterval([3, 1, 2])).toEqual({ interval: { low: 1, estimate: 2, high: 3 }, coverage: 0.75 });
    expect(medianInterval([7])).toEqual({ interval: { low: 7, estimate: 7, high: 7 }, coverage: 0 });
    // 10 values: ranks 2 and 9 (coverage 97.9%), so one wild value at either end is left out.
    const iv = medianInterval([1e9, 1, 2, 3, 4, 5, 6, 7, 8, -1e9]).interval;
    expect(iv).toEqual({ low: 1, estimate: 4.5, high: 8 });
  });

  test('lowerEnvelope: one-snapshot transients go (alone or every other point), monotone series keep their steps', () => {
    expect(lowerEnvelope([0, 157, 3, 159, 5, 159, 5])).toEqual([0, 3, 3, 5, 5, 5]);
    expect(lowerEnvelope([0, 1, 200, 2, 3])).toEqual([0, 1, 2, 2]);
    expect(lowerEnvelope([0, 10, 20, 30, 40])).toEqual([0, 10, 20, 30]);
    expect(lowerEnvelope([50, 40, 30])).toEqual([40, 30]);
    // A release of foreign memory stays one step.
    expect(lowerEnvelope([0, 1, 2, -3000, -2999])).toEqual([0, 1, -3000, -3000]);
  });

  test('trimmedMeanInterval: 20% trimmed mean with Yuen\'s interval, against a hand computation', () => {
    // n = 5, g = 1: trimmed [2, 3, 4] → 3; winsorized [2, 2, 3, 4, 4]: s² = 1; d = 4·1/(3·2); t₀.₉₇₅,₂ = 4.302653.
    const iv = trimmedMeanInterval([100, 1, 3, 2, 4]);
    expect(iv.estimate).toBe(3);
    const half = 4.302653 * Math.sqrt(4 / 6);
    expect(iv.low).toBeCloseTo(3 - half, 4);
    expect(iv.high).toBeCloseTo(3 + half, 4);
    // Growth in steps every few readings still counts (a median would say 0).
    expect(trimmedMeanInterval([0, 0, 0, 0, 0, 500, 500, 500, 500]).estimate).toBeCloseTo(1500 / 7, 10);
    // One wild reading on each side is dropped.
    expect(trimmedMeanInterval([-4400, 5, 5, 5, 5, 5, 5, 5, 9e9]).estimate).toBe(5);
    expect(trimmedMeanInterval([7])).toEqual({ low: -Infinity, estimate: 7, high: Infinity });
  });

  test('medianStep: the steady step, which one odd value cannot set', () => {
    expect(medianStep([0, 20, 40, 60, 80])).toBe(20);
    expect(medianStep([20, 20, 20, 20])).toBe(0);
    expect(medianStep([0, 20, 40, 40 - 3e6 + 20, 80 - 3e6, 100 - 3e6])).toBe(20);
    expect(medianStep([5])).toBe(0);
  });

  test('leastSquares: slope, intercept and t interval against reference values', () => {
    const fit = leastSquares([1, 2, 3, 4, 5], [2.1, 3.9, 6.2, 7.8, 10.1]);
    expect(fit.slope.estimate).toBeCloseTo(1.99, 10);
    expect(fit.intercept).toBeCloseTo(0.05, 10);
    // Reference (t₀.₉₇₅,₃ = 3.182446): [1.799939, 2.180061]; stats.ts's t is accurate to ~1e-3.
    expect(fit.slope.low).toBeCloseTo(1.799939, 2);
    expect(fit.slope.high).toBeCloseTo(2.180061, 2);
    expect(leastSquares([0, 1], [0, 5]).slope).toEqual({ low: -Infinity, estimate: 5, high: Infinity });
  });
});

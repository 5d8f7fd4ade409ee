/**
 * The thread form's per-call figure against the truth and against the single-thread engine:
 * one busy-wait of known cost measured through a ThreadPool at level 1 (the per-call p50 that
 * toScaleLinearly reports) and through measure(), which must agree with 2 µs and with each
 * other within 4×. A near-zero task catches a wrong empty-loop baseline: too high clamps the
 * figure to 0 or below, too low (or a polymorphic sink in the task loop) inflates it.
 */
import path from 'node:path';
import { TARGET_SAMPLE_NS } from '../../src/constants';
import { measure } from '../../src/measure/engine';
import { ThreadPool } from '../../src/threads/pool';
import { levelStats, runScaling } from '../../src/threads/scaling';
import { inThreads } from '../../src/threads/task';

const FIXTURE = path.join(__dirname, '../fixtures/threads/truth-task.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const truth = require(FIXTURE) as { spin2us: () => void; nothing: () => number };

const TRUTH_NS = 2000;
/** Margins: 4× either way of the truth, and between the two forms. */
const MARGIN = 4;
/** 4× the ~1 ns a monomorphic loop iteration costs on these machines. */
const NEAR_ZERO_NS = 4;

async function threadForm(exportName: string): Promise<{ p50: number; batch: number; baselineNs: number }> {
  const pool = await ThreadPool.start(inThreads(FIXTURE, exportName), 1, { warmupMs: 25, targetBatchNs: TARGET_SAMPLE_NS, initTimeoutMs: 60_000, hangTimeoutMs: 10_000, maxSamplesPerWindow: 1024 });
  try {
    const run = await runScaling(pool, [1], { windowMs: 25, minRounds: 5, maxTimeMs: 5_000, decided: () => true, verifyAfterWarmup: false });
    const [level1] = levelStats(run, 1, 0.95, false);
    return { p50: level1.p50.estimate, batch: pool.ready[0].batch, baselineNs: pool.ready[0].baselineNs };
  } finally {
    await pool.close();
  }
}

async function engineForm(fn: () => unknown): Promise<{ p50: number; batch: number; baselineNs: number }> {
  const { subject } = await measure(fn, () => false, { maxTimeMs: 300 });
  return { p50: subject.interval('p50').estimate, batch: subject.batch, baselineNs: subject.baselineNs };
}

describe('thread form per-call figure (truth fixture)', () => {
  it('reads a 2 µs busy-wait as 2 µs within 4×, in threads and on the main thread alike', async () => {
    const threads = await threadForm('spin2us');
    const main = await engineForm(truth.spin2us);
    // Batched (2 µs < the 10 µs threshold), so the empty-loop subtraction is exercised.
    expect(threads.batch).toBeGreaterThan(1);
    expect(main.batch).toBeGreaterThan(1);
    for (const form of [threads, main]) {
      expect(form.p50).toBeGreaterThanOrEqual(TRUTH_NS / MARGIN);
      expect(form.p50).toBeLessThanOrEqual(TRUTH_NS * MARGIN);
    }
    const ratio = threads.p50 / main.p50;
    expect(ratio).toBeGreaterThanOrEqual(1 / MARGIN);
    expect(ratio).toBeLessThanOrEqual(MARGIN);
  });

  it('reads a near-zero task as near zero: a monomorphic empty loop of ~1 ns, nothing inflated', async () => {
    const threads = await threadForm('nothing');
    const main = await engineForm(truth.nothing);
    for (const form of [threads, main]) {
      // A call this cheap is batched heavily, so the figure is all about the subtraction.
      expect(form.batch).toBeGreaterThan(1000);
      // The empty loop costs ~0.6 ns a call here; a loop gone polymorphic (a sink shared with the
      // task loop) or megamorphic (V8 sharing feedback between loops of one source) cost 6-9 ns.
      expect(form.baselineNs).toBeGreaterThan(0);
      expect(form.baselineNs).toBeLessThanOrEqual(NEAR_ZERO_NS);
      // What is left once the baseline is off: the task loop minus the empty loop, ~0 ns.
      expect(form.p50).toBeGreaterThanOrEqual(0);
      expect(form.p50).toBeLessThanOrEqual(NEAR_ZERO_NS);
    }
  });
});

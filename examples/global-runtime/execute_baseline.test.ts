/**
 * BENCHMARK 1 · Baseline overhead — the raw cost of one execute() call with minimal async work.
 * The runtime is started before measuring: its start-up is BENCHMARK 6.
 */
import { execute, shutdown, tasksOf } from './runtime';
import { withMicroSleep } from './tasks';

const t = tasksOf<typeof import('./tasks')>(require.resolve('./tasks'));

beforeAll(() => execute(t.simpleReturn));
afterAll(() => shutdown());

describe('execute_baseline', () => {
  test('simple_return: execute(async { 42 })', async () => {
    await expect(() => execute(t.simpleReturn)).toRunUnder('10us', { slo: 'execute() overhead' });
  });

  test('with_computation: execute(async { x + y })', async () => {
    await expect(() => execute(t.withComputation, 20, 22)).toRunUnder('10us', { slo: 'baseline: with_computation' });
  });

  // Node has no 1 µs sleep: the smallest real async wait is one setImmediate turn of the
  // runtime thread's event loop (tasks.ts), which already takes longer than 1 µs.
  test('with_micro_sleep: execute(async { sleep(1µs); 42 })', async () => {
    await expect(() => execute(t.withMicroSleep)).toRunUnder('10us', { slo: 'baseline: with_micro_sleep' });
  });

  // The same async work run directly on this thread's event loop is the baseline.
  test('overhead is < 1% of the actual async work', async () => {
    await expect(() => execute(t.withMicroSleep)).toHaveOverheadUnder(withMicroSleep, '1%', { slo: 'baseline: overhead vs async work' });
  });
});

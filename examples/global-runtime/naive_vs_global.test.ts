/**
 * BENCHMARK 3 · Naive vs global runtime — one lazily started runtime thread reused by every
 * call, against a new runtime thread per call (spawn, boot, run, tear down).
 */
import { execute, naiveExecute, shutdown, tasksOf } from './runtime';

const t = tasksOf<typeof import('./tasks')>(require.resolve('./tasks'));

beforeAll(() => execute(t.simpleReturn));
afterAll(() => shutdown());

describe('naive_vs_global', () => {
  test('global_runtime is 1000x+ faster than naive_per_call_runtime', async () => {
    const globalRuntime = (): number => execute(t.simpleReturn);
    const naivePerCallRuntime = (): number => naiveExecute(t.simpleReturn);
    await expect(globalRuntime).toBeFasterThan(naivePerCallRuntime, { by: 1000, slo: 'speedup vs naive' });
  });

  test('naive_per_call_runtime takes > 10ms', async () => {
    await expect(() => naiveExecute(t.simpleReturn)).not.toRunUnder('10ms', { slo: 'naive: per-call runtime' });
  });
});

/**
 * BENCHMARK 7 · Error handling — the error path against the success path. A task's error is
 * thrown again on the calling thread (same class, name and message: runtime.test.ts checks it);
 * the error path therefore pays for capturing two stacks, one per thread.
 */
import { execute, shutdown, tasksOf } from './runtime';

const t = tasksOf<typeof import('./tasks')>(require.resolve('./tasks'));

beforeAll(() => execute(t.simpleReturn));
afterAll(() => shutdown());

/** `execute(async { Err("error") })`, handled: the caller gets the error and goes on. */
function errorPath(): unknown {
  try {
    return execute(t.errorPath);
  } catch (e) {
    return e;
  }
}

/** `execute(async { Ok(42) })` */
function successPath(): unknown {
  return execute(t.successPath);
}

describe('error_handling', () => {
  test('error_path reaches the caller as an Error (no panic propagation issues)', () => {
    expect(errorPath()).toEqual(expect.objectContaining({ name: 'Error', message: 'error' }));
    expect(successPath()).toBe(42);
  });

  test('error_path overhead over success_path < 5ns', async () => {
    await expect(errorPath).toHaveOverheadUnder(successPath, '5ns', { slo: 'error path overhead' });
  });
});

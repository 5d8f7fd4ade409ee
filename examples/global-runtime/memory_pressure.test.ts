/**
 * BENCHMARK 5 · Memory pressure — many small executions without a leak, a 1 MB allocation,
 * and the runtime's own memory.
 *
 * The matchers measure the isolate they run in (this test's thread). The runtime's tasks run on
 * the runtime thread, another isolate: its memory is read with Runtime.memory(), which asks
 * that isolate itself (after a full GC there).
 */
import { execute, getRuntime, runtimeStats, shutdown, tasksOf } from './runtime';
import { ONE_MB } from './tasks';

const t = tasksOf<typeof import('./tasks')>(require.resolve('./tasks'));
/** The plan's many_small_executions. */
const SMALL_EXECUTIONS = 1000;

beforeAll(() => execute(t.simpleReturn));
afterAll(() => shutdown());

/** Growth of the runtime thread's retained heap per call over `rounds` × `calls` calls of a task. */
function runtimeGrowthPerCall(call: () => unknown, rounds: number, calls: number): number {
  const rt = getRuntime();
  const retained = (): number => {
    const m = rt.memory({ gc: true });
    return m.heapUsed + m.external;
  };
  const first = retained();
  for (let r = 0; r < rounds; r++) for (let i = 0; i < calls; i++) call();
  return (retained() - first) / (rounds * calls);
}

/** The runtime threads' own memory, 0 before the runtime exists: the memory matchers' probe. */
function runtimeMemory(): number {
  return runtimeStats().running ? getRuntime().memory({ gc: true }).total : 0;
}

describe('memory_pressure', () => {
  test(`many_small_executions: ${SMALL_EXECUTIONS} executions, no memory leaks`, async () => {
    await expect(() => execute(t.simpleReturn)).not.toLeakMemory({ calls: SMALL_EXECUTIONS, slo: 'no memory leaks' });
    // The runtime thread's side of the same calls: nothing retained per call there either.
    expect(runtimeGrowthPerCall(() => execute(t.simpleReturn), 10, SMALL_EXECUTIONS)).toBeLessThan(16);
  });

  test(`many_small_executions: ${SMALL_EXECUTIONS} executions in < 100µs`, async () => {
    await expect(() => {
      for (let i = 0; i < SMALL_EXECUTIONS; i++) execute(t.simpleReturn);
    }).toRunUnder('100us', { slo: 'memory: 1000 small executions', maxTime: '1s' });
  });

  test('large_allocations: a 1MB allocation is cleaned up', async () => {
    expect(execute(t.largeAllocation)).toBe(ONE_MB);
    // Allocated and dropped on the runtime thread, read there after its own GC: 20 × 1 MB per run
    // must leave far less than one of them behind.
    await expect(() => execute(t.largeAllocation)).toUseMemoryUnder('100KB', { probe: runtimeMemory, calls: 20, slo: 'memory: 1MB allocation freed' });
  });

  test("the runtime's own memory < 10MB", async () => {
    // From no runtime at all to a started one: what the runtime itself holds, read in its own
    // thread after a GC there (heap in use + off-heap + its shared buffers).
    shutdown();
    await expect(() => execute(t.simpleReturn)).toUseMemoryUnder('10MB', { probe: runtimeMemory, slo: 'memory usage' });
  });
});

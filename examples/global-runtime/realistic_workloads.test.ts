/**
 * BENCHMARK 4 · Realistic workloads — execute() around the command patterns the plan simulates.
 * Sub-millisecond waits hop through the runtime thread's event loop (tasks.ts: sleep), as no
 * Node timer is finer than 1 ms.
 */
import { execute, shutdown, tasksOf } from './runtime';

const t = tasksOf<typeof import('./tasks')>(require.resolve('./tasks'));

beforeAll(() => execute(t.simpleReturn));
afterAll(() => shutdown());

describe('realistic_workloads', () => {
  test('file_io_simulation: read template 100µs + render 50µs', async () => {
    await expect(() => execute(t.fileIoSimulation)).toRunUnder('1ms', { slo: 'workload: file I/O' });
  });

  test('network_io_simulation: HTTP request 1ms + JSON parsing 10µs', async () => {
    await expect(() => execute(t.networkIoSimulation)).toRunUnder('5ms', { slo: 'workload: network I/O' });
  });

  test('cpu_bound_simulation: graph traversal, 1000 iterations', async () => {
    await expect(() => execute(t.cpuBoundSimulation)).toRunUnder('100us', { slo: 'workload: CPU-bound' });
  });
});

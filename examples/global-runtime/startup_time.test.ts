/**
 * BENCHMARK 6 · Startup time — first access to the global runtime (lazy initialisation: spawn
 * the runtime thread, boot it, handshake) and the cached access after it.
 */
import { getRuntime, runtimeStats, shutdown } from './runtime';

const { startup } = require('rt-slo-reporter') as typeof import('../../src/index');

afterAll(() => shutdown());

describe('startup_time', () => {
  // Each run is a fresh worker thread that loads the runtime and calls getRuntime() once
  // (first-access.thread.js says why that entry is JavaScript).
  test('first_access: lazy initialisation in a fresh isolate', async () => {
    await expect(startup(require.resolve('./first-access.thread.js'), 'firstAccess')).toStartUnder('100ms', { slo: 'startup time' });
  });

  test('subsequent access: cached', async () => {
    getRuntime();
    const before = runtimeStats().initializations;
    await expect(getRuntime).toRunUnder('1ns', { slo: 'startup: cached access' });
    expect(runtimeStats().initializations).toBe(before);
  });
});

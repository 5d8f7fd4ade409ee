/**
 * toLeakMemory on truth fixtures: a function that keeps 1 KB per call (≈1.2 KB with its typed
 * array object: 75× the default 16 B/call threshold), one that allocates and frees 1 MB per call,
 * and the seed's "1000 small executions, no leaks" (measured growth within ±10 B/call of 0).
 */
import { DEFAULT_LEAK_THRESHOLD, DEFAULT_ROUNDS } from '../../src/matchers/toLeakMemory';
import * as f from '../fixtures/memory/truth';
import { failure, normalize, useRunDir } from '../fixtures/memory/harness';

const { onlyRecord } = useRunDir('toLeakMemory');
afterEach(() => f.releaseAll());

/** The seed's memory_pressure/many_small_executions: `for _ in 0..1000 { execute(async { 42 }) }`. */
function manySmallExecutions(): number {
  let sum = 0;
  for (let i = 0; i < 1000; i++) sum += f.execute(f.returns42);
  return sum;
}

describe('.not.toLeakMemory', () => {
  test('passes for the seed\'s 1000 small executions (no leaks)', async () => {
    await expect(manySmallExecutions).not.toLeakMemory();
    const r = onlyRecord();
    expect(r).toMatchObject({ matcher: 'toLeakMemory', negated: true, unit: 'bytes/call', direction: 'lower', target: DEFAULT_LEAK_THRESHOLD, stat: 'growth', verdict: 'PASS', passed: true, samples: DEFAULT_ROUNDS });
    expect(r.high).toBeLessThanOrEqual(DEFAULT_LEAK_THRESHOLD);
  });

  test('passes for 1000 calls of a small function returning 42 (100 calls × 10 rounds)', async () => {
    await expect(f.returns42).not.toLeakMemory({ calls: 100, rounds: 10 });
    const r = onlyRecord();
    expect(r).toMatchObject({ verdict: 'PASS', passed: true, batch: 100 });
    // 100 calls per round spread a snapshot's ~10 KB wobble thinly: the point estimate stays near 0.
    expect(Math.abs(r.estimate)).toBeLessThan(DEFAULT_LEAK_THRESHOLD);
  });

  test('passes for a function that allocates and frees 1 MB per call', async () => {
    await expect(f.allocate1MBAndFree).not.toLeakMemory();
    const r = onlyRecord();
    expect(r).toMatchObject({ verdict: 'PASS', passed: true, inconclusive: false });
    const d = r.details as { allocatedPerCall: number; effectiveThreshold: number };
    expect(d.allocatedPerCall).toBeGreaterThan(0.9 * f.MB);
    expect(d.allocatedPerCall).toBeLessThan(1.1 * f.MB);
  });

  test('fails for a function that keeps 1 KB per call in a module-level array', async () => {
    const e = await failure(expect(f.leak1KBPerCall).not.toLeakMemory());
    expect(normalize(e.message, ['16B'])).toMatchSnapshot();
    const r = onlyRecord();
    expect(r).toMatchObject({ verdict: 'FAIL', passed: false, inconclusive: false });
    expect(r.estimate).toBeGreaterThan(f.KB);
    expect(r.estimate).toBeLessThan(1.4 * f.KB);
    expect(r.low).toBeGreaterThan(0.5 * f.KB);
  });

  test('catches the async leak too (1 KB per call after an await)', async () => {
    await expect(expect(f.leak1KBPerCallAsync).not.toLeakMemory()).rejects.toThrow(/Expected growth to be under 16B\/call/);
    expect(onlyRecord().details).toMatchObject({ async: true });
  });

  test('a should-tier row records FAIL without failing the test', async () => {
    await expect(f.leak1KBPerCall).not.toLeakMemory({ tier: 'should', slo: 'No leaks', rounds: 6 });
    expect(onlyRecord()).toMatchObject({ verdict: 'FAIL', passed: true, tier: 'should', slo: 'No leaks', samples: 6 });
  });

  test('threshold: a leak under it passes', async () => {
    await expect(f.leak1KBPerCall).not.toLeakMemory({ threshold: '4kB', rounds: 6 });
    expect(onlyRecord()).toMatchObject({ target: 4000, targetText: '4kB/call', verdict: 'PASS' });
  });

  test('catches a leak that comes in steps: 1 MB kept every 5,000 calls', async () => {
    await expect(expect(f.leak1MBEvery5000Calls).not.toLeakMemory({ calls: 2000 })).rejects.toThrow(/Expected growth to be under 16B\/call/);
    const r = onlyRecord();
    // 1 MB / 5,000 calls = 200 B/call on average, though most rounds grow by nothing.
    expect(r.estimate).toBeGreaterThan(100);
    expect(r.estimate).toBeLessThan(400);
  });
});

describe('.toLeakMemory', () => {
  test('passes when a function leaks', async () => {
    await expect(f.leak1KBPerCall).toLeakMemory({ rounds: 6 });
    expect(onlyRecord()).toMatchObject({ negated: false, direction: 'higher', verdict: 'PASS', passed: true });
  });

  test('fails when a function allocates and frees 1 MB per call; the floor is raised against its churn', async () => {
    const e = await failure(expect(f.allocate1MBAndFree).toLeakMemory());
    expect(e.message).toMatch(/^expect\(received\)\.toLeakMemory\(\)\n/);
    expect(e.message).toMatch(/threshold raised from 16B\/call to \d+(\.\d+)?B\/call: 0\.01% of the .* one call allocates/);
    expect(onlyRecord()).toMatchObject({ verdict: 'FAIL', passed: false });
  });
});

describe('arguments', () => {
  test.each([
    [{ threshold: '16 bytes' }, /option threshold must be a number of bytes .* received "16 bytes"/],
    [{ threshold: -1 }, /option threshold must be a number of bytes .* received -1/],
    [{ rounds: 2 }, /option rounds must be an integer from 3 to 100; received 2/],
    [{ rounds: 1000 }, /option rounds must be an integer from 3 to 100; received 1000/],
    [{ calls: 0 }, /option calls must be a positive integer; received 0/],
    [{ warmupCalls: -5 }, /option warmupCalls must be a non-negative integer; received -5/],
    [{ noGo: '1kB' }, /unknown option "noGo"; accepted options: slo, tier, threshold, rounds, calls, warmupCalls/],
    [16, /options must be an object; received 16/],
  ])('bad options %p are a TypeError naming the option', async (options, re) => {
    await expect(expect(f.returns42).not.toLeakMemory(options as never)).rejects.toThrow(re);
    await expect(expect(f.returns42).not.toLeakMemory(options as never)).rejects.toBeInstanceOf(TypeError);
  });

  test('the received value must be a function', async () => {
    await expect(expect('fn').not.toLeakMemory()).rejects.toThrow(/toLeakMemory: received value must be a function; received "fn"/);
  });

  test('an error thrown by the function is recorded as ERROR, then rethrown', async () => {
    await expect(expect(f.throws).not.toLeakMemory()).rejects.toThrow('fixture failure');
    expect(onlyRecord()).toMatchObject({ verdict: 'ERROR', passed: false, error: 'fixture failure', unit: 'bytes/call', stat: 'growth', negated: true, direction: 'lower' });
  });
});

describe('fake timers', () => {
  afterEach(() => jest.useRealTimers());
  test('measures under jest.useFakeTimers() without hanging', async () => {
    jest.useFakeTimers();
    await expect(manySmallExecutions).not.toLeakMemory({ rounds: 6 });
    await expect(expect(f.leak1KBPerCall).not.toLeakMemory({ rounds: 6 })).rejects.toThrow(/growth/);
  });
});

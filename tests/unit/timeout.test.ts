/**
 * RunOptions.timeoutMs: a measured function that never settles rejects the run with
 * CallTimeoutError, in the first call, a warm-up batch or a sampling round, with real timers
 * even while Jest fakes the global ones.
 */
import { performance } from 'node:perf_hooks';
import { measure, runInterleaved, Subject } from '../../src/measure/engine';
import { CallTimeoutError, withTimeout } from '../../src/measure/timeout';

/** The real clock, captured before any test fakes timers. */
const clock = performance.now.bind(performance);

const never = (): Promise<never> => new Promise<never>(() => undefined);

async function rejection(p: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const t0 = clock();
  try {
    await p;
  } catch (error) {
    return { error, ms: clock() - t0 };
  }
  throw new Error('expected a rejection');
}

afterEach(() => {
  jest.useRealTimers();
});

describe('timeoutMs', () => {
  it('rejects a never-settling first call with CallTimeoutError after ~timeoutMs', async () => {
    const { error, ms } = await rejection(measure(async () => never(), () => false, { maxTimeMs: 100, timeoutMs: 1000 }));
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect((error as CallTimeoutError).phase).toBe('first call');
    expect((error as CallTimeoutError).timeoutMs).toBe(1000);
    expect((error as Error).message).toMatch(/^the measured function did not settle within 1s \(timeout\); its first call never settled/);
    expect(ms).toBeGreaterThanOrEqual(990);
    expect(ms).toBeLessThan(1200);
  });

  it('fires under jest.useFakeTimers(): the timers are the real ones, captured at load', async () => {
    jest.useFakeTimers();
    const { error, ms } = await rejection(measure(async () => never(), () => false, { maxTimeMs: 100, timeoutMs: 300 }));
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(1000);
  });

  it('catches a call that hangs during warm-up', async () => {
    let calls = 0;
    const fn = async (): Promise<void> => {
      if (++calls > 20) await never();
    };
    const { error } = await rejection(measure(fn, () => false, { maxTimeMs: 100, timeoutMs: 200, warmupMs: 1000 }));
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect((error as CallTimeoutError).phase).toBe('warm-up');
    expect((error as Error).message).toMatch(/a warm-up batch of \d+ calls? never settled/);
  });

  it('catches a call that hangs in a sampling round, bounded by the round plus timeoutMs', async () => {
    let hang = false;
    const fn = async (): Promise<void> => {
      if (hang) await never();
    };
    const subject = new Subject(fn, { warmupMs: 5 });
    const t0 = clock();
    let hungAt = 0;
    const stop = (): boolean => {
      hang = true;
      hungAt ||= clock();
      return false;
    };
    const { error } = await rejection(runInterleaved([subject], stop, { maxTimeMs: 10_000, timeoutMs: 200 }));
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect((error as CallTimeoutError).phase).toBe('sampling');
    // One 2 ms round had run before the stop rule set the hang; the next one never ends.
    expect(clock() - hungAt).toBeLessThan(1000);
    expect(clock() - t0).toBeLessThan(2000);
  });

  it('does not fire on a function that settles; values and rejections pass through', async () => {
    const { subject, run } = await measure(async () => 42, () => false, { maxTimeMs: 50, timeoutMs: 1000 });
    expect(run.stoppedBy).toBe('time');
    expect(subject.samples).toBeGreaterThan(0);
    const plain = Promise.resolve(7);
    await expect(withTimeout(plain, undefined, 'sampling', () => 'x')).resolves.toBe(7);
    await expect(withTimeout(Promise.resolve(8), 100, 'sampling', () => 'x')).resolves.toBe(8);
    await expect(withTimeout(Promise.reject(new Error('own')), 100, 'sampling', () => 'x')).rejects.toThrow('own');
  });
});

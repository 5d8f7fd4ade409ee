import type { RunUnderOptions } from './toRunUnder';
import type { FasterThanOptions } from './toBeFasterThan';
import type { OverheadOptions } from './toHaveOverheadUnder';
import type { ScaleLinearlyOptions } from './toScaleLinearly';
import type { StartUnderOptions } from './toStartUnder';
import type { OverheadLimit } from '../units/limit';
import type { Duration } from '../units/duration';
import type { UseMemoryUnderOptions } from './toUseMemoryUnder';
import type { LeakMemoryOptions } from './toLeakMemory';
import type { ByteSize } from '../units/bytes';

/**
 * The matchers rt-slo-reporter adds to `expect`. Every one measures, so every one returns a
 * promise: always `await` it.
 */
export interface SloMatchers<R = unknown> {
  /**
   * Asserts that one call of the received function takes less than `target` (p50 by default),
   * judged on a 95% confidence interval. Sync or async; a returned promise is awaited.
   *
   * @example
   * await expect(() => execute(simpleReturn)).toRunUnder('10us');
   * await expect(search).toRunUnder('5ms', { stat: 'p99', noGo: '20ms', tier: 'should' });
   */
  toRunUnder(target: Duration, options?: RunUnderOptions): Promise<R>;

  /**
   * Asserts that the received function is at least `by` times faster than `other` (`10` or `'10x'`; default: the SLO's declared target, else 1):
   * speedup = other's p50 ÷ ours (or the mean), both measured interleaved in one run, passing
   * when the speedup's 95% interval starts at `by` or above. A slow `other` (a 40 ms call) is
   * sampled only as often as the interval needs. `.not` claims "not at least `by` times faster".
   *
   * @example
   * await expect(globalRuntime).toBeFasterThan(naivePerCall, { by: '1000x' });
   * await expect(reuseWorker).toBeFasterThan(spawnWorker, { by: 100, noGo: 10, tier: 'should' });
   */
  toBeFasterThan(other: () => unknown, options?: FasterThanOptions): Promise<R>;

  /**
   * Asserts that the received function costs at most `limit` more than `baseline`: ours − baseline
   * for a duration (`'5ns'`), ours ÷ baseline − 1 for a percentage (`'1%'`), on the p50 (or the
   * mean), both measured interleaved in one run, passing when the overhead's 95% interval ends
   * within the limit.
   *
   * @example
   * await expect(errorPath).toHaveOverheadUnder(successPath, '5ns');
   * await expect(() => execute(work)).toHaveOverheadUnder(work, '1%', { noGo: '5%' });
   */
  toHaveOverheadUnder(baseline: () => unknown, limit: OverheadLimit, options?: OverheadOptions): Promise<R>;

  /**
   * Asserts near-linear scaling: at every level n, aggregate throughput(n) ≥ efficiency (`0.75`
   * or `'75%'`; default: the SLO's declared target, else 0.75) × min(n, capacity) × throughput(1), judged on a 95% interval of per-round ratios.
   * `threads` is N (levels 1, 2, 4, … N) or an array of levels; level 1 is always the reference.
   * Received: an async function (n calls in flight on the event loop; capacity unbounded) or
   * `inThreads(modulePath, exportName, { shared })` (n worker threads; capacity
   * `os.availableParallelism()`). A task whose `verify` export finds shared state inconsistent,
   * or threads that hang, fail whatever the speed. Levels beyond capacity are labelled capacity-bound.
   *
   * @example
   * await expect(inThreads(require.resolve('./counter-task'), 'run', { shared: { counter } })).toScaleLinearly([2, 4, 8, 10, 16], { perCallUnder: '100ns' });
   * await expect(() => fetchThroughPool()).toScaleLinearly(16, { efficiency: '80%' });
   */
  toScaleLinearly(threads: number | readonly number[], options?: ScaleLinearlyOptions): Promise<R>;

  /**
   * Asserts a module's cold start is under `limit`: from a fresh isolate (a new worker thread,
   * or a new process with `isolate: 'process'`) to the first completed call of its export,
   * module load included; p50 of `runs` (default 7) fresh isolates on the median's 95% interval.
   * `perCallUnder` also bounds the warm (cached) path after the first call; missing it fails.
   * Received: `startup(modulePath, exportName, { args })`.
   *
   * @example
   * await expect(startup(require.resolve('./runtime'), 'getRuntime')).toStartUnder('100ms', { noGo: '500ms', perCallUnder: '1us' });
   */
  toStartUnder(limit: Duration, options?: StartUnderOptions): Promise<R>;

  /**
   * Asserts that running the received function leaves less than `limit` held (heap + external,
   * ArrayBuffers included) after a forced GC, relative to a forced-GC baseline just before; or,
   * with `measure: 'peak'`, that the highest memory held during a run stays under `limit`.
   * `limit` is bytes: a number or `'10MB'`, `'512KiB'`, `'1.5 GB'`. Median of `runs` runs (default 6)
   * with an order-statistic interval. Sync or async; a returned promise is awaited.
   *
   * @example
   * await expect(() => execute(async () => 42)).toUseMemoryUnder('10MB');
   * await expect(parseReport).toUseMemoryUnder('64MiB', { measure: 'peak', noGo: '128MiB' });
   */
  toUseMemoryUnder(limit: ByteSize, options?: UseMemoryUnderOptions): Promise<R>;

  /**
   * Measures the growth of retained memory per call: rounds of calls with a forced GC and a
   * snapshot after each; each round's growth per call is one reading, judged on their 20% trimmed
   * mean and its 95% interval (Yuen). Passes when the growth is above `threshold` (default: the
   * SLO's declared target, else 16 B/call); write `.not.toLeakMemory()` to assert that the function does not leak.
   *
   * @example
   * await expect(() => execute(async () => 42)).not.toLeakMemory();
   * await expect(handleRequest).not.toLeakMemory({ threshold: '64B', rounds: 12 });
   */
  toLeakMemory(options?: LeakMemoryOptions): Promise<R>;
}

import type { RunUnderOptions } from './toRunUnder';
import type { FasterThanOptions } from './toBeFasterThan';
import type { OverheadOptions } from './toHaveOverheadUnder';
import type { OverheadLimit } from '../units/limit';
import type { Duration } from '../units/duration';

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
   * Asserts that the received function is at least `by` times faster than `other` (default 1):
   * speedup = other's p50 ÷ ours (or the mean), both measured interleaved in one run, passing
   * when the speedup's 95% interval starts at `by` or above. A slow `other` (a 40 ms call) is
   * sampled only as often as the interval needs. `.not` claims "not at least `by` times faster".
   *
   * @example
   * await expect(globalRuntime).toBeFasterThan(naivePerCall, { by: 1000 });
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
}

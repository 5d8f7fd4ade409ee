import type { RunUnderOptions } from './toRunUnder';
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
}

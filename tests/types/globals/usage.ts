import { expect, test } from '@jest/globals';
import 'rt-slo-reporter/setup';
import type { Duration, RunUnderOptions } from 'rt-slo-reporter';

const fn = (): number => 42;

test('typed usage with @jest/globals', async () => {
  await expect(fn).toRunUnder('10us', { stat: 'p99', tier: 'should' });
  await expect(fn).toRunUnder('1.5 ms', { noGo: '3ms', slo: 'row' });
  await expect(fn).not.toRunUnder(1);
  const target: Duration = '250ns';
  const options: RunUnderOptions = { stat: 'min', maxTime: 500 };
  await expect(fn).toRunUnder(target, options);

  // @ts-expect-error a unit typo is a compile error
  await expect(fn).toRunUnder('10xs');
  // @ts-expect-error a number in a string needs a unit
  await expect(fn).toRunUnder('10');
  // @ts-expect-error unknown statistic
  await expect(fn).toRunUnder('10us', { stat: 'p42' });
  // @ts-expect-error unknown tier
  await expect(fn).toRunUnder('10us', { tier: 'must-have' });
});

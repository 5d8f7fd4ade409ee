// ES module consumer: resolves the package's "import" conditions (dist/*.d.mts).
import 'rt-slo-reporter/setup';
import type { RunUnderOptions } from 'rt-slo-reporter';
import { toRunUnder } from 'rt-slo-reporter/matchers';

expect.extend({ toRunUnder });
const options: RunUnderOptions = { stat: 'p75', tier: 'should' };

test('typed usage from an ES module', async () => {
  await expect(() => 42).toRunUnder('10us', { stat: 'p99', tier: 'should' });
  await expect(() => 42).toRunUnder('10us', options);
  // @ts-expect-error a unit typo is a compile error
  await expect(() => 42).toRunUnder('10xs');
  // @ts-expect-error unknown statistic
  await expect(() => 42).toRunUnder('10us', { stat: 'p42' });
});

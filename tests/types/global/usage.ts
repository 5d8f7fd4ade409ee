// CommonJS consumer: resolves the package's "require" conditions (dist/*.d.ts).
import 'rt-slo-reporter/setup';
import type { Duration, RunUnderOptions, SloMatchers, Tier } from 'rt-slo-reporter';
import { formatDuration, parseDuration } from 'rt-slo-reporter';

const fn = (): number => 42;

test('typed usage with the global expect', async () => {
  await expect(fn).toRunUnder('10us', { stat: 'p99', tier: 'should' });
  await expect(fn).toRunUnder('1.5 ms');
  await expect(fn).toRunUnder('10µs');
  await expect(fn).toRunUnder('10μs');
  await expect(fn).toRunUnder(2.5, { noGo: '5ms', maxTime: '1s', minSamples: 50, warmup: '10ms', slo: 'execute() overhead' });
  await expect(async () => 42).not.toRunUnder('10ns', { stat: 'mean', tier: 'nice' });

  const settled: Promise<void> = expect(fn).toRunUnder('20us');
  await settled;
  const options: RunUnderOptions = { stat: 'p999', noGo: '2 ms' };
  await expect(fn).toRunUnder('1ms', options);
  const budget: Duration = '3 s';
  const tier: Tier = 'must';
  const ns: number = parseDuration(budget);
  const text: string = formatDuration(ns);
  const matchers: SloMatchers<void> | undefined = undefined;
  void [tier, text, matchers];

  // @ts-expect-error a unit typo is a compile error
  await expect(fn).toRunUnder('10xs');
  // @ts-expect-error a number in a string needs a unit
  await expect(fn).toRunUnder('10');
  // @ts-expect-error unknown statistic
  await expect(fn).toRunUnder('10us', { stat: 'p42' });
  // @ts-expect-error unknown tier
  await expect(fn).toRunUnder('10us', { tier: 'must-have' });
  // @ts-expect-error unknown option key
  await expect(fn).toRunUnder('10us', { stats: 'p99' });
  // @ts-expect-error noGo is a duration too
  await expect(fn).toRunUnder('10us', { noGo: '20 xs' });
  // @ts-expect-error a target is required
  await expect(fn).toRunUnder();
});

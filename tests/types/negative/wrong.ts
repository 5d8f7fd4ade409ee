import 'rt-slo-reporter/setup';

test('wrong calls, no @ts-expect-error', async () => {
  await expect(() => 42).toRunUnder('10xs');
  await expect(() => 42).toRunUnder('10us', { stat: 'p42' });
});

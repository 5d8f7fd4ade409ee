/**
 * jest-extended and rt-slo-reporter registered together (jest.config.ts loads
 * jest-extended/all, then src/setup.ts): both sets of matchers work in the same tests, on the
 * same `expect`, and neither replaces the other.
 */
/// <reference types="jest-extended" />
import { performance } from 'node:perf_hooks';

const clock = performance.now.bind(performance);
function busyWait(us: number): number {
  const start = clock();
  const end = start + us / 1000;
  while (clock() < end);
  return (clock() - start) * 1000;
}

describe('jest-extended side by side', () => {
  test('both sets are registered on the same expect', () => {
    const probe = expect(() => 42) as unknown as Record<string, unknown>;
    for (const name of ['toRunUnder', 'toBeWithin', 'toBeNumber', 'toSatisfy', 'toBeFunction', 'toResolve']) {
      expect(typeof probe[name]).toBe('function');
    }
  });

  test('jest-extended matchers and toRunUnder in one test', async () => {
    const fn = (): number => 42;
    expect(fn).toBeFunction();
    expect(fn()).toBeNumber();
    await expect(fn).toRunUnder('1us');
    expect(busyWait(200)).toBeWithin(200, 200_000);
    await expect(() => busyWait(200)).toRunUnder('1ms');
    expect(fn()).toSatisfy((v: number) => v === 42);
  });

  test('.not works for both', async () => {
    expect('fast').not.toBeNumber();
    await expect(() => busyWait(200)).not.toRunUnder('50us');
    expect(5).not.toBeWithin(10, 20);
  });

  test('failures of each still fail: jest-extended on a bad value, ours on a slow function', async () => {
    expect(() => expect('42').toBeNumber()).toThrow('toBeNumber');
    await expect(expect(() => busyWait(200)).toRunUnder('50us')).rejects.toThrow('toRunUnder');
  });

  test('jest-extended promise matchers around our promise', async () => {
    await expect(expect(() => 42).toRunUnder('1us')).toResolve();
    await expect(expect(() => busyWait(200)).toRunUnder('50us')).toReject();
  });

  test('asymmetric matchers from jest-extended inside our objects', () => {
    expect({ stat: 'p50', target: '10us' }).toEqual({ stat: expect.toBeOneOf(['p50', 'p99']), target: expect.toEndWith('us') });
  });
});

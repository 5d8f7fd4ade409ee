import { DURATION_FORMS, formatDuration, formatDurationInterval, isDuration, parseDuration, show } from '../../src/units/duration';

describe('parseDuration', () => {
  test.each([
    [2.5, 2.5e6],
    [0, 0],
    [1, 1e6],
    ['10ns', 10],
    ['10us', 10_000],
    ['10µs', 10_000], // U+00B5 micro sign
    ['10μs', 10_000], // U+03BC Greek small letter mu
    ['1.5ms', 1.5e6],
    ['1.5 ms', 1.5e6],
    ['10 us', 10_000],
    ['.5ms', 5e5],
    ['2s', 2e9],
    ['0.25 s', 2.5e8],
    ['0ms', 0],
  ])('%p is %p ns', (input, ns) => {
    expect(parseDuration(input)).toBeCloseTo(ns, 6);
  });

  test('µ and μ are different characters, both accepted', () => {
    expect('\u00b5').not.toBe('\u03bc');
    expect(parseDuration('3\u00b5s')).toBe(3000);
    expect(parseDuration('3\u03bcs')).toBe(3000);
  });

  const bad: unknown[] = [
    '10',
    'ten us',
    '-5ms',
    'NaN ms',
    'Infinity ms',
    Infinity,
    -Infinity,
    NaN,
    -1,
    '',
    null,
    undefined,
    {},
    { ms: 5 },
    [],
    '10xs',
    '1  ms',
    ' 1ms',
    '1ms ',
    '1\tms',
    '1 ms\n',
    '10MS',
    '1e3ms',
    true,
    10n,
    () => 5,
  ];
  test.each(bad.map((v) => [show(v), v]))('rejects %s with a TypeError showing the value and the accepted forms', (shown, value) => {
    let error: unknown;
    try {
      parseDuration(value, 'target');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    const message = (error as Error).message;
    expect(message.startsWith('target must be ')).toBe(true);
    expect(message).toContain(DURATION_FORMS);
    expect(message.endsWith(`received ${shown}`)).toBe(true);
  });

  test('the message names the argument, echoes the value and lists the forms', () => {
    expect(() => parseDuration('10xs', 'noGo')).toThrow(
      `noGo must be a number of milliseconds (e.g. 2.5) or a string '<number><unit>' with unit ns, us, µs, μs, ms or s and at most one space (e.g. '10us', '1.5 ms'); received "10xs"`,
    );
    expect(() => parseDuration({ a: 1 })).toThrow(/^duration must be .*; received \{"a":1\}$/);
    expect(() => parseDuration(null)).toThrow(/received null$/);
  });

  test('an overflowing number of units is rejected, not turned into Infinity', () => {
    expect(() => parseDuration(`${'9'.repeat(400)}s`)).toThrow(TypeError);
  });

  test('isDuration mirrors parseDuration', () => {
    expect(isDuration('10us')).toBe(true);
    expect(isDuration(3)).toBe(true);
    expect(isDuration('10')).toBe(false);
    expect(isDuration(null)).toBe(false);
  });
});

describe('formatDuration', () => {
  test.each([
    [0, '0ns'],
    [0.4, '0.4ns'],
    [8.5, '8.5ns'],
    [8.52, '8.52ns'],
    [85.2, '85.2ns'],
    [852, '852ns'],
    [999.4, '999ns'],
    [999.7, '1µs'], // rounds up into the next unit, never "1000ns"
    [1000, '1µs'],
    [1234, '1.23µs'],
    [152_000, '152µs'],
    [999_600, '1ms'],
    [1e6, '1ms'],
    [1.05e6, '1.05ms'],
    [1.1e6, '1.1ms'],
    [10.5e6, '10.5ms'],
    [152.3e6, '152ms'],
    [999.7e6, '1s'], // pretty-ms alone caps at 999ms
    [1e9, '1s'],
    [1.5e9, '1.5s'],
    [1.05e9, '1.05s'],
    [1.999e9, '2s'], // rounded to three digits (pretty-ms alone floors to 1.99s)
    [59.99e9, '1m'],
    [61.5e9, '1m 1.5s'],
    [125e9, '2m 5s'],
    [3600e9, '1h'],
    [-1.5e6, '-1.5ms'],
    [-0.5, '-0.5ns'],
  ])('%p ns → %p', (ns, text) => {
    expect(formatDuration(ns)).toBe(text);
  });

  test('sub-millisecond values keep their precision (pretty-ms would show 1ms)', () => {
    expect(formatDuration(400_000)).toBe('400µs');
    expect(formatDuration(8.5)).toBe('8.5ns');
  });

  test('non-finite values print as symbols, never throw', () => {
    expect(formatDuration(Infinity)).toBe('∞');
    expect(formatDuration(-Infinity)).toBe('-∞');
    expect(formatDuration(NaN)).toBe('NaN');
  });
});

describe('formatDurationInterval', () => {
  test.each([
    [[8.2, 8.5, 8.8], '[8.2ns 8.5ns 8.8ns]'],
    [[8.21, 8.22, 8.23], '[8.21ns 8.22ns 8.23ns]'],
    [[8.201, 8.202, 8.203], '[8.201ns 8.202ns 8.203ns]'],
    [[1, 2, 3], '[1ns 2ns 3ns]'],
    [[150_000, 152_000, 155_000], '[150µs 152µs 155µs]'],
    [[152_100, 152_200, 152_300], '[152.1µs 152.2µs 152.3µs]'],
    [[900, 1100, 1500], '[0.9µs 1.1µs 1.5µs]'],
    [[0.5e6, 1.1e6, 1.3e6], '[0.5ms 1.1ms 1.3ms]'],
    [[1.001e6, 1.002e6, 1.003e6], '[1.001ms 1.002ms 1.003ms]'],
    [[152.1e6, 152.2e6, 152.3e6], '[152.1ms 152.2ms 152.3ms]'],
    [[1.5001e9, 1.5002e9, 1.5003e9], '[1.5001s 1.5002s 1.5003s]'],
    [[1.5e9, 1.5e9, 1.6e9], '[1.5s 1.5s 1.6s]'],
    [[61.5e9, 61.6e9, 61.7e9], '[1m1.5s 1m1.6s 1m1.7s]'],
    [[900e6, 999e6, 1.2e9], '[900ms 999ms 1.2s]'],
    [[5, 5, 5], '[5ns 5ns 5ns]'],
  ])('%p → %p', ([low, estimate, high], text) => {
    expect(formatDurationInterval(low, estimate, high)).toBe(text);
  });

  test('distinct values stay distinct in every unit range', () => {
    for (const base of [8.5, 850, 85e3, 8.5e6, 850e6, 8.5e9, 85e9]) {
      const parts = formatDurationInterval(base * 0.999, base, base * 1.001)
        .slice(1, -1)
        .split(' ');
      expect(parts).toHaveLength(3);
      expect(new Set(parts).size).toBe(3);
    }
  });

  test('infinite ends print as symbols', () => {
    expect(formatDurationInterval(-Infinity, 8.5, Infinity)).toBe('[-∞ 8.5ns ∞]');
    expect(formatDurationInterval(1, NaN, 3)).toBe('[1ns NaN 3ns]');
  });
});

import { formatInterval, formatNumber, formatRate, formatRateInterval, formatValue, show } from '../../src/units/format';

describe('formatRate', () => {
  test.each([
    [1.176e8, '117.6M'],
    [999_999_999, '1G'],
    [512, '512'],
    [4971.2, '4.971K'],
  ])('%d/s → %s', (x, s) => expect(formatRate(x)).toBe(s));
});

describe('formatRateInterval', () => {
  test('estimate per second, then the interval', () => {
    expect(formatRateInterval({ low: 4971.2, estimate: 1.176e8, high: 999_999_999 })).toBe('117.6M/s [4.971K 1G]');
  });
});

describe('formatValue', () => {
  test.each([
    [8.5, 'ns', '8.5ns'],
    [1500, 'bytes', '1.5kB'],
    [40, 'bytes/call', '40B/call'],
    [1234.5, 'x', '1,235x'],
    [0.756, 'ratio', '0.76'],
    [1.25, 'percent', '1.25%'],
    [-0.001, 'ratio', '0'],
    [Infinity, 'ns', '∞'],
  ] as const)('%d %s → %s', (x, unit, text) => expect(formatValue(x, unit)).toBe(text));
});

describe('formatInterval', () => {
  test('durations keep distinct values distinct; other units format each end', () => {
    expect(formatInterval({ low: 8.2, estimate: 8.5, high: 8.8 }, 'ns')).toBe('[8.2ns 8.5ns 8.8ns]');
    expect(formatInterval({ low: 2, estimate: 3, high: Infinity }, 'x')).toBe('[2x 3x ∞]');
  });
});

describe('formatNumber and show', () => {
  test('three significant digits; values for messages', () => {
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(123456)).toBe('123,456');
    expect(show('a')).toBe('"a"');
    expect(show(undefined)).toBe('undefined');
    expect(show(() => 1)).toBe('[Function anonymous]');
  });
});

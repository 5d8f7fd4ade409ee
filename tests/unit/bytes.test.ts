/** Sizes: SI (kB = 1000) and IEC (KiB = 1024) units through bytes-iec, with errors that name the argument. */
import { BYTE_FORMS, formatBytes, parseBytes } from '../../src/units/bytes';

describe('parseBytes', () => {
  test.each([
    [0, 0],
    [1048576, 1048576],
    [1.5, 1.5],
    ['1B', 1],
    ['10MB', 10_000_000],
    ['10mb', 10_000_000],
    ['1kB', 1000],
    ['1KB', 1000],
    ['512KiB', 524_288],
    ['10MiB', 10_485_760],
    ['1.5 GB', 1_500_000_000],
    ['1.5GiB', 1_610_612_736],
    ['2TB', 2e12],
    ['1TiB', 1_099_511_627_776],
    ['.5MB', 500_000],
    ['0.5 kib', 512],
  ])('%p is %p bytes', (input, bytes) => {
    expect(parseBytes(input)).toBe(bytes);
  });

  test.each([['10XB'], ['10'], ['MB'], ['-1MB'], ['1e3B'], ['10  MB'], [' 10MB'], ['10MB '], ['1,000B'], [-1], [NaN], [Infinity], [null], [undefined], [{}], [[10]], [10n]])(
    '%p is a TypeError that names the argument and shows the value',
    (input) => {
      expect(() => parseBytes(input, 'limit')).toThrow(TypeError);
      expect(() => parseBytes(input, 'limit')).toThrow(`limit must be ${BYTE_FORMS}; received `);
    },
  );

  test('the message shows the value as given', () => {
    expect(() => parseBytes('10XB', 'limit')).toThrow(/received "10XB"$/);
    expect(() => parseBytes(-1, 'threshold')).toThrow(/^threshold must be .* received -1$/);
  });
});

describe('formatBytes', () => {
  test.each([
    [0, '0B'],
    [12, '12B'],
    [39.3, '39.3B'],
    [1500, '1.5kB'],
    [1194.27, '1.19kB'],
    [20_001_234, '20MB'],
    [1_048_576, '1.05MB'],
    [-65.39, '-65.39B'],
    [-2_720_000, '-2.72MB'],
  ])('%p → %p (SI, two decimals at most)', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });

  test('non-finite values are spelled out rather than hidden', () => {
    expect(formatBytes(Infinity)).toBe('Infinity');
    expect(formatBytes(NaN)).toBe('NaN');
  });

  test('a formatted size parses back to the same bytes at its precision', () => {
    for (const n of [1, 999, 1000, 12_345, 20_000_000, 3e9]) {
      const back = parseBytes(formatBytes(n));
      expect(Math.abs(back - n) / n).toBeLessThan(0.005);
    }
  });
});

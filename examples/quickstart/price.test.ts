import { formatPrice, formatPriceUncached } from './price';

test('formats a price', () => {
  expect(formatPrice(123456, 'EUR')).toBe('€1,234.56');
});

test('formatting a price takes under 5µs', async () => {
  await expect(() => formatPrice(123456, 'EUR')).toRunUnder('5us', { slo: 'price formatting' });
});

test('the cached formatter is at least 10x faster than a new one per call', async () => {
  await expect(() => formatPrice(123456, 'EUR')).toBeFasterThan(() => formatPriceUncached(123456, 'EUR'), { by: 10, slo: 'formatter cache speedup' });
});

test('the formatter cache does not grow with calls', async () => {
  await expect(() => formatPrice(123456, 'EUR')).not.toLeakMemory({ slo: 'no leak from the cache' });
});

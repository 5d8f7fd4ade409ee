/**
 * The code under test of the quick start: formatting prices for display. Creating an
 * Intl.NumberFormat is expensive (it loads locale data); formatting with one is cheap, so the
 * formatter is built once per locale and currency and reused.
 */
const formatters = new Map<string, Intl.NumberFormat>();

/** `formatPrice(123456, 'EUR')` → `'€1,234.56'` */
export function formatPrice(cents: number, currency = 'EUR', locale = 'en-US'): string {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) formatters.set(key, (formatter = new Intl.NumberFormat(locale, { style: 'currency', currency })));
  return formatter.format(cents / 100);
}

/** The same, building a new formatter on every call: what formatPrice avoids. */
export function formatPriceUncached(cents: number, currency = 'EUR', locale = 'en-US'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);
}

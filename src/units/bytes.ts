import bytesIec from 'bytes-iec';
import { show } from './show';

/** SI (kB = 1000) and IEC (KiB = 1024) units, upper or lower case. */
type ByteUnit = 'B' | 'kB' | 'KB' | 'MB' | 'GB' | 'TB' | 'KiB' | 'MiB' | 'GiB' | 'TiB' | 'kb' | 'mb' | 'gb' | 'kib' | 'mib' | 'gib';

/** A size: a number of bytes, or `<number><unit>` (`'10MB'`, `'512KiB'`, `'1.5 GB'`). */
export type ByteSize = number | `${number}${ByteUnit}` | `${number} ${ByteUnit}`;

export const BYTE_FORMS =
  "a number of bytes (e.g. 1048576) or a string '<number><unit>' with an SI unit (B, kB, MB, GB, TB: powers of 1000) or an IEC unit (KiB, MiB, GiB, TiB: powers of 1024), e.g. '10MB', '512KiB', '1.5 GB' (at most one space)";

/** A number (`10`, `1.5`, `.5`), at most one space, a unit; case-insensitive like bytes-iec. */
const BYTES_RE = /^(?:\d+(?:\.\d+)?|\.\d+) ?(?:b|kb|mb|gb|tb|kib|mib|gib|tib)$/i;

/** Parses a size into bytes; a TypeError names `what` and the value on bad input. */
export function parseBytes(value: unknown, what = 'size'): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string' && BYTES_RE.test(value)) {
    // bytes-iec wants a leading digit: '.5MB' → '0.5MB'.
    const n = bytesIec.parse(value.startsWith('.') ? `0${value}` : value);
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0) return n;
  }
  throw new TypeError(`${what} must be ${BYTE_FORMS}; received ${show(value)}`);
}

/** Formats bytes with SI units (`10.5MB`); negative values keep their sign. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  return sign + (bytesIec.format(Math.abs(n), { mode: 'metric', decimalPlaces: 2 }) ?? `${n}B`);
}

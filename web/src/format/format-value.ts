/**
 * Units the dashboard knows how to print. `percent` is 0..100; `bytes` uses IEC multiples
 * (KiB = 1024 B) because memory and disk sizes are powers of two; rates are per second.
 */
export type Unit = 'percent' | 'bytes' | 'bytesPerSecond' | 'perSecond' | 'seconds' | 'count' | 'none';

/** Printed for a missing, NaN or infinite value. */
export const MISSING_VALUE = '–';

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;
const SI = ['', 'k', 'M', 'G', 'T', 'P', 'E'] as const;

/**
 * Rounds to about three significant digits without going to exponent notation, so that columns
 * of numbers keep the same visual width ("1.23", "12.3", "123").
 */
export function roundForDisplay(value: number): string {
  const abs = Math.abs(value);
  // Below a millionth, toPrecision switches to exponent notation; nobody reads that on a dashboard.
  if (abs < 1e-6) return '0';
  // toFixed switches to exponent notation at 1e21; Intl prints every digit instead.
  if (abs >= 1e21) return value.toLocaleString('en-US', { maximumFractionDigits: 0, useGrouping: false });
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 0.01) return value.toFixed(2);
  return value.toPrecision(2);
}

/**
 * Divides by `base` until the number prints with at most three integer digits (999.5 would
 * round to "1000", so it moves up a prefix too): `1000 KiB` prints as `"0.98 MiB"`.
 */
function scaled(value: number, base: number, prefixes: readonly string[]): { num: number; prefix: string } {
  let num = value;
  let i = 0;
  while (Math.abs(num) >= 999.5 && i < prefixes.length - 1) {
    num /= base;
    i++;
  }
  return { num, prefix: prefixes[i] as string };
}

/** Formats a byte count with IEC prefixes, e.g. `1536` → `"1.50 KiB"`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes)) return MISSING_VALUE;
  const { num, prefix } = scaled(bytes, 1024, IEC);
  return `${roundForDisplay(num)} ${prefix}`;
}

/** Formats a plain number with SI prefixes, e.g. `12500` → `"12.5k"`. */
export function formatCompact(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return MISSING_VALUE;
  if (Math.abs(value) < 1000) return roundForDisplay(value);
  const { num, prefix } = scaled(value, 1000, SI);
  return `${roundForDisplay(num)}${prefix}`;
}

/** Formats a percentage given as 0..100, e.g. `42.123` → `"42.1 %"`. */
export function formatPercent(percent: number | null | undefined): string {
  if (percent == null || !Number.isFinite(percent)) return MISSING_VALUE;
  return `${roundForDisplay(percent)} %`;
}

/**
 * Formats `value` in `unit`. Never throws; missing or non-finite values print as
 * {@link MISSING_VALUE}.
 */
export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (value == null || !Number.isFinite(value)) return MISSING_VALUE;
  switch (unit) {
    case 'percent':
      return formatPercent(value);
    case 'bytes':
      return formatBytes(value);
    case 'bytesPerSecond':
      return `${formatBytes(value)}/s`;
    case 'perSecond':
      return `${formatCompact(value)}/s`;
    case 'seconds':
      return formatSpan(value * 1000);
    case 'count':
    case 'none':
      return formatCompact(value);
  }
}

/**
 * Formats a time span in ms as its two largest units, e.g. `93784000` → `"1 d 2 h"`,
 * `4500` → `"4.5 s"`. Used for uptimes and durations, not for "ago" stamps.
 */
export function formatSpan(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return MISSING_VALUE;
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 999.5) return `${sign}${Math.round(abs)} ms`;
  if (abs < 60_000) return `${sign}${roundForDisplay(abs / 1000)} s`;
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['min', 60_000],
    ['s', 1000],
  ];
  const first = units.findIndex(([, size]) => abs >= size);
  const [bigName, bigSize] = units[first] as [string, number];
  const big = Math.floor(abs / bigSize);
  const parts = [`${big >= 1e21 ? big.toLocaleString('en-US', { useGrouping: false }) : big} ${bigName}`];
  const next = units[first + 1];
  if (next) {
    const small = Math.floor((abs - big * bigSize) / next[1]);
    // The bound guards against float error at astronomically large spans.
    if (small > 0 && small < bigSize / next[1]) parts.push(`${small} ${next[0]}`);
  }
  return sign + parts.join(' ');
}

/**
 * Drops trailing zeros after the decimal point (`"20.0 %"` → `"20 %"`, `"1.50 GiB"` →
 * `"1.5 GiB"`), for axis labels where aligned digits matter less than brevity.
 */
export function trimZeros(text: string): string {
  return text.replace(/(\d)\.(\d*?)0+(?!\d)/g, (_m, int: string, frac: string) => (frac ? `${int}.${frac}` : int));
}

/** Formats an axis tick: {@link formatValue} without trailing zeros. */
export function formatAxisValue(value: number | null | undefined, unit: Unit): string {
  return trimZeros(formatValue(value, unit));
}

import type { Unit } from '../format/format-value.js';

/**
 * Tick increments for byte axes: powers of two within each IEC prefix (…, 256 MiB, 512 MiB,
 * 1 GiB, 2 GiB, …), so labels read "2 GiB", "4 GiB" instead of "4.66 GiB", "9.31 GiB".
 */
export const BYTE_INCREMENTS: readonly number[] = (() => {
  const out: number[] = [];
  for (let k = 0; k <= 6; k++) for (let m = 1; m < 1024; m *= 2) out.push(m * 1024 ** k);
  return out;
})();

/** Increments for a unit's y axis, or undefined for uPlot's decimal defaults. */
export function axisIncrements(unit: Unit): number[] | undefined {
  return unit === 'bytes' || unit === 'bytesPerSecond' ? [...BYTE_INCREMENTS] : undefined;
}

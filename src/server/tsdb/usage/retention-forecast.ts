/** Inputs of {@link forecastRetention}; sizes in bytes, times in ms, rates per day. */
export interface ForecastInput {
  /** Per tier: bytes now, retention, and growth in bytes/day while the tier fills (null: unknown). */
  tiers: { bytes: number; retentionMs: number; ageMs: number; growthPerDay: number | null }[];
  /** Free bytes on the volume (null: unknown, e.g. a remote database). */
  freeBytes: number | null;
}

/** Result of {@link forecastRetention}. */
export interface Forecast {
  /** Days until the volume is full; null when every tier reaches its steady size first (or unknown). */
  daysUntilFull: number | null;
  /** Total size once every tier holds a full retention period (null when a growth rate is unknown). */
  steadyStateBytes: number | null;
  /** Per tier (same order as the input): steady size, or null when unknown. */
  tierSteadyBytes: (number | null)[];
}

const DAY = 86_400_000;

/**
 * Retention forecast: each tier grows at its rate until it holds `retentionMs` of data (after
 * `retentionMs - ageMs` more time), then stays flat because retention deletes as much as arrives.
 * The volume fills when the cumulative growth exceeds the free space. Piecewise linear, exact for
 * that model. Pure: the settings API feeds it measured figures.
 */
export function forecastRetention(input: ForecastInput): Forecast {
  const tierSteadyBytes = input.tiers.map((t) => (t.growthPerDay === null ? null : Math.max(t.bytes, (t.growthPerDay * t.retentionMs) / DAY)));
  const known = tierSteadyBytes.every((b) => b !== null);
  const steadyStateBytes = known ? tierSteadyBytes.reduce<number>((a, b) => a + (b ?? 0), 0) : null;
  if (input.freeBytes === null || !known) return { daysUntilFull: null, steadyStateBytes, tierSteadyBytes };
  // Growth phases: each tier stops growing after `daysLeft` days.
  const phases = input.tiers
    .map((t) => ({ rate: t.growthPerDay ?? 0, daysLeft: Math.max(0, (t.retentionMs - t.ageMs) / DAY) }))
    .filter((p) => p.rate > 0 && p.daysLeft > 0)
    .sort((a, b) => a.daysLeft - b.daysLeft);
  let free = input.freeBytes;
  let day = 0;
  let rate = phases.reduce((a, p) => a + p.rate, 0);
  for (const p of phases) {
    const span = p.daysLeft - day;
    if (rate * span >= free) return { daysUntilFull: day + free / rate, steadyStateBytes, tierSteadyBytes };
    free -= rate * span;
    day = p.daysLeft;
    rate -= p.rate;
  }
  return { daysUntilFull: null, steadyStateBytes, tierSteadyBytes };
}

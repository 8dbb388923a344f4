import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StorageUsage } from '../../../../src/protocol/storage.js';
import { damageText, forecastText, headline, otherRows, tierRows } from './storage-view.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22);

function usage(over: Partial<StorageUsage> = {}): StorageUsage {
  return {
    backend: 'sqlite',
    tiers: [
      { tier: 'raw', bytes: 2 * 1024 ** 3, oldest: NOW - 3 * DAY, retentionMs: 15 * DAY, growthBytesPerDay: 700 * 1024 ** 2, steadyStateBytes: 10 * 1024 ** 3 },
      { tier: '1m', bytes: 0, oldest: null, retentionMs: 90 * DAY, growthBytesPerDay: null, steadyStateBytes: null },
      { tier: '1h', bytes: 1024, oldest: NOW - DAY, retentionMs: 730 * DAY, growthBytesPerDay: 1024, steadyStateBytes: 730 * 1024 },
    ],
    other: { log: 5 * 1024 ** 2, free: 0 },
    samples: 1_500_000_000,
    bytesPerSample: 1.21,
    ingestRate: 12_000,
    disk: { freeBytes: 50 * 1024 ** 3, totalBytes: 100 * 1024 ** 3 },
    forecast: { measured: true, daysUntilFull: 12.5, steadyStateBytes: null },
    counters: { corrupt_chunks: 0, corrupt_log_records: 0 },
    ...over,
  };
}

test('tier rows show use, retention, span held, growth and full size', () => {
  const rows = tierRows(usage(), NOW);
  assert.deepEqual(rows[0], { tier: 'raw', label: 'Raw samples', used: '2.00 GiB', retention: '15 d', holds: '3 d', growth: '700 MiB/day', steady: '10.0 GiB' });
  assert.equal(rows[1]!.holds, 'empty');
  assert.equal(rows[1]!.growth, 'not measured yet');
  assert.equal(rows[1]!.steady, '—');
  assert.deepEqual(otherRows(usage()), [
    { label: 'Ingest log and checkpoint', used: '5.00 MiB' },
    { label: 'Free pages (reused)', used: '0 B' },
  ]);
});

test('forecast sentence and tone', () => {
  assert.deepEqual(forecastText(usage()), { text: 'At the current ingest rate the disk is full in 12 d 12 h (50.0 GiB free).', tone: 'warn' });
  assert.equal(forecastText(usage({ forecast: { measured: true, daysUntilFull: 3, steadyStateBytes: null } })).tone, 'bad');
  const fits = forecastText(usage({ forecast: { measured: true, daysUntilFull: null, steadyStateBytes: 20 * 1024 ** 3 } }));
  assert.equal(fits.tone, 'ok');
  assert.match(fits.text, /needs 20\.0 GiB in all/);
  assert.equal(forecastText(usage({ forecast: { measured: false, daysUntilFull: null, steadyStateBytes: null } })).tone, 'unknown');
  assert.equal(forecastText(usage({ disk: null })).tone, 'unknown');
});

test('headline and damage lines', () => {
  assert.equal(headline(usage()), '1.50G samples · 1.21 bytes/sample · 12.0k samples/s ingested');
  assert.equal(damageText(usage()), null);
  assert.equal(damageText(usage({ counters: { corrupt_chunks: 2, corrupt_log_records: 1 } })), 'Damaged data skipped: 2 chunks, 1 log records (see the server log).');
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SECURITY_EVENT_TYPES, SECURITY_ITEM_ERROR_CODES, SEVERITIES } from '../../protocol/security.js';
import { VigilError } from '../core/errors.js';
import { csvCell } from './event-export.js';
import { decodeCursor, encodeCursor, parseEventQuery } from './parse-event-query.js';
import { parseSecurityEventBatch } from './parse-security-events.js';

const NOW = Date.UTC(2026, 11, 6);
const LIMITS = { now: NOW, maxAgeMs: 90 * 86_400_000 };

const validEvent = fc.record(
  {
    event_id: fc.uuid(),
    ts: fc.integer({ min: NOW - 86_400_000, max: NOW }),
    event_type: fc.constantFrom(...SECURITY_EVENT_TYPES),
    severity: fc.constantFrom(...SEVERITIES),
    source: fc.string({ minLength: 1, maxLength: 100 }),
    description: fc.string({ maxLength: 300 }),
    correlation_id: fc.string({ maxLength: 200 }),
    mitre_technique: fc.constantFrom('T1110', 'T1110.001', 'T1571'),
    metadata: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
  },
  { requiredKeys: ['event_id', 'ts', 'event_type', 'severity', 'source', 'description'] },
);

describe('security event parser (property)', () => {
  it('keeps every valid event unchanged (ids lower-cased) and rejects nothing', () => {
    fc.assert(
      fc.property(fc.uniqueArray(validEvent, { selector: (e) => e.event_id.toLowerCase(), maxLength: 30 }), (events) => {
        const out = parseSecurityEventBatch({ events }, LIMITS);
        assert.deepEqual(out.errors, []);
        assert.equal(out.events.length, events.length);
        out.events.forEach((p, i) => assert.deepEqual(p.event, { ...events[i], event_id: events[i]!.event_id.toLowerCase() }));
      }),
      { numRuns: 200 },
    );
  });

  it('arbitrary JSON never throws anything but a 400 VigilError, and every error has a known code and a valid index', () => {
    const anyBody = fc.oneof(fc.jsonValue(), fc.record({ host: fc.jsonValue(), events: fc.array(fc.oneof(fc.jsonValue(), validEvent.map((e) => ({ ...e, ts: e.ts * 1000 })), validEvent), { maxLength: 20 }) }));
    fc.assert(
      fc.property(anyBody, (body) => {
        try {
          const out = parseSecurityEventBatch(body, LIMITS);
          const n = (body as { events: unknown[] }).events.length;
          assert.equal(out.events.length + out.errors.length, n);
          for (const e of out.errors) {
            assert.ok((SECURITY_ITEM_ERROR_CODES as readonly string[]).includes(e.code), e.code);
            assert.ok(e.index >= 0 && e.index < n);
          }
        } catch (err) {
          assert.ok(err instanceof VigilError && err.status === 400, String(err));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('event query parser (property)', () => {
  it('arbitrary query strings give a query or a 400 VigilError, never anything else', () => {
    const key = fc.oneof(fc.constantFrom('event_type', 'severity', 'host', 'from', 'to', 'q', 'triage', 'include_suppressed', 'sort', 'cursor', 'limit', 'agent_id', 'correlation_id'), fc.string({ maxLength: 8 }));
    const value = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('high', 'low,critical', 'auth_failure', '2026-12-06T00:00:00Z', 'true', '50', '100000', 'severity'));
    fc.assert(
      fc.property(fc.dictionary(key, fc.oneof(value, fc.array(value, { maxLength: 3 }))), (raw) => {
        try {
          const q = parseEventQuery(raw);
          assert.ok(q.limit >= 1 && q.limit <= 1000);
        } catch (err) {
          assert.ok(err instanceof VigilError && err.status === 400, String(err));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('cursors round-trip and arbitrary strings are refused with a 400', () => {
    fc.assert(
      fc.property(fc.constantFrom('time' as const, 'severity' as const), fc.integer({ min: 0, max: 2 ** 45 }), fc.integer({ min: 1, max: 4 }), fc.uuid(), (sort, ts, rank, id) => {
        const c = { sort, ts, severityRank: rank, eventId: id };
        assert.deepEqual(decodeCursor(encodeCursor(c), sort), c);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        try {
          decodeCursor(s, 'time');
        } catch (err) {
          assert.ok(err instanceof VigilError && err.status === 400);
        }
      }),
    );
  });

  it('CSV cells never start with a formula character and round-trip through quoting', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), (s) => {
        const cell = csvCell(s);
        const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
        assert.ok(!/^[=+\-@\t\r]/.test(unquoted), cell);
        // The escape is a leading apostrophe added only before a formula character (OWASP); a value
        // that already starts with "'=" is left as it is, so the mapping is exact, not "strip any
        // leading apostrophe".
        assert.equal(unquoted, /^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
      }),
      { numRuns: 500 },
    );
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import fc from 'fast-check';
import { SECURITY_EVENT_TYPES, SEVERITIES, SecurityEventInputSchema } from '../protocol/security.js';
import { isValidSecurityEvent, sanitizeEvents } from './sanitize-events.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (v) => UUID_RE.test(v));

/** The wire contract as the server checks it (TypeBox schema, then the 8 KiB metadata limit). */
function schemaSays(e: unknown): boolean {
  if (!Value.Check(SecurityEventInputSchema, e)) return false;
  const meta = (e as { metadata?: unknown }).metadata;
  return meta === undefined || Buffer.byteLength(JSON.stringify(meta)) <= 8192;
}

const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
/** Events near the contract's edges: mostly valid fields with one or more off. */
const eventArb = fc.record(
  {
    event_id: fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }), fc.integer()),
    ts: fc.oneof(fc.integer(), fc.double(), fc.constant(Number.NaN), fc.constant(Infinity), fc.string({ maxLength: 3 })),
    event_type: fc.oneof(fc.constantFrom(...SECURITY_EVENT_TYPES), fc.string({ maxLength: 12 })),
    severity: fc.oneof(fc.constantFrom(...SEVERITIES), fc.string({ maxLength: 8 })),
    source: fc.oneof(fc.string({ minLength: 0, maxLength: 101 }), fc.constant(null)),
    description: fc.oneof(fc.string({ maxLength: 10 }), fc.constant('d'.repeat(2000)), fc.constant('d'.repeat(2001)), fc.integer()),
    correlation_id: maybe(fc.oneof(fc.string({ maxLength: 10 }), fc.constant('c'.repeat(200)), fc.constant('c'.repeat(201)), fc.boolean())),
    mitre_technique: maybe(fc.oneof(fc.constantFrom('T1110', 'T1110.001', 'T11', 'T1110.1', 'x'), fc.string({ maxLength: 10 }), fc.integer())),
    metadata: maybe(fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })), fc.array(fc.integer()), fc.constant(null), fc.constant(new Date(0)), fc.constant({ big: 'x'.repeat(9000) }), fc.string())),
    extra: maybe(fc.anything()),
  },
  { requiredKeys: [] },
);

test('the agent-side check agrees with the TypeBox schema of SecurityEventInput (property)', () => {
  fc.assert(
    fc.property(fc.oneof(eventArb, fc.anything()), (e) => {
      assert.equal(isValidSecurityEvent(e), schemaSays(e));
    }),
    { numRuns: 3000 },
  );
});

test('a dropped event names its first bad field; valid ones pass through', () => {
  const ok = { event_id: '0b7d6d3e-1c2f-4a51-9e0c-3f1a2b3c4d5e', ts: 1, event_type: 'file_changed', severity: 'high', source: 'fim', description: 'd' };
  const out = sanitizeEvents([ok, { ...ok, ts: 1.5 }, { ...ok, mitre_technique: 'T1' }, { ...ok, metadata: { x: 'y'.repeat(9000) } }, 7]);
  assert.deepEqual(out.events, [ok]);
  assert.equal(out.dropped, 4);
  assert.deepEqual(out.reasons, ['/ts: Expected integer', '/mitre_technique: Expected string to match MITRE id pattern', 'metadata larger than 8 KiB', '/: Expected object']);
  assert.deepEqual(sanitizeEvents({}), { events: [], dropped: 1, reasons: ['collect() must return events as an array'] });
});

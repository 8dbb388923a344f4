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
/** A valid event (optional fields present or not). */
const validArb = fc.record(
  {
    event_id: fc.uuid(),
    ts: fc.integer(),
    event_type: fc.constantFrom(...SECURITY_EVENT_TYPES),
    severity: fc.constantFrom(...SEVERITIES),
    source: fc.oneof(fc.string({ minLength: 1, maxLength: 10 }), fc.constant('s'.repeat(100))),
    description: fc.oneof(fc.string({ maxLength: 10 }), fc.constant('d'.repeat(2000))),
    correlation_id: maybe(fc.oneof(fc.string({ maxLength: 10 }), fc.constant('c'.repeat(200)))),
    mitre_technique: maybe(fc.constantFrom('T1110', 'T1110.001')),
    metadata: maybe(fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }))),
  },
  { requiredKeys: ['event_id', 'ts', 'event_type', 'severity', 'source', 'description'] },
);
/** Values at or just past the contract's edges, per field (plus arbitrary values for any field). */
const edgeArb: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc.tuple(fc.constant('event_id'), fc.constantFrom('not-a-uuid', '0b7d6d3e-1c2f-4a51-9e0c-3f1a2b3c4d5', 'ZB7D6D3E-1C2F-4A51-9E0C-3F1A2B3C4D5E', '0B7D6D3E-1C2F-4A51-9E0C-3F1A2B3C4D5E', 7)),
  fc.tuple(fc.constant('ts'), fc.constantFrom(1.5, Number.NaN, Infinity, -Infinity, '1', 2 ** 53, -0)),
  fc.tuple(fc.constant('event_type'), fc.constantFrom('file_change', 'FILE_CHANGED', '', 1)),
  fc.tuple(fc.constant('severity'), fc.constantFrom('info', 'High', '', null)),
  fc.tuple(fc.constant('source'), fc.constantFrom('', 's', 's'.repeat(100), 's'.repeat(101), null, 5)),
  fc.tuple(fc.constant('description'), fc.constantFrom('', 'd'.repeat(2000), 'd'.repeat(2001), 3, undefined)),
  fc.tuple(fc.constant('correlation_id'), fc.constantFrom('c'.repeat(200), 'c'.repeat(201), true, null, undefined)),
  fc.tuple(fc.constant('mitre_technique'), fc.constantFrom('T1110', 'T1110.001', 'T111', 'T1110.1', 'T1110.0011', 't1110', 'T1110.', 7, null, undefined)),
  fc.tuple(fc.constant('metadata'), fc.constantFrom<unknown>([], [1], null, new Date(0), new Uint8Array(2), 'm', {}, { big: 'x'.repeat(8182) }, { big: 'x'.repeat(8183) }, undefined)),
  fc.tuple(fc.constantFrom('event_id', 'ts', 'event_type', 'severity', 'source', 'description', 'correlation_id', 'mitre_technique', 'metadata', 'extra'), fc.anything()),
);
/** A valid event with zero to two fields replaced by edge values. */
const eventArb = fc.tuple(validArb, fc.array(edgeArb, { maxLength: 2 })).map(([e, edits]) => {
  const out: Record<string, unknown> = { ...e };
  for (const [k, v] of edits) out[k] = v;
  return out;
});

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

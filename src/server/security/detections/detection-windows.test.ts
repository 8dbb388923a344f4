import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DetectionRule, SecurityEvent } from '../../../protocol/security.js';
import { DEFAULT_DETECTIONS } from './default-detections.js';
import type { EvaluatorContext, HostHistory } from './detection-rule-type.js';
import { firstSeenDetection } from './first-seen-detection.js';
import { frequencyDetection } from './frequency-detection.js';
import { thresholdDetection } from './threshold-detection.js';

const T0 = Date.UTC(2026, 11, 5, 21, 14);
const noHistory: HostHistory = async () => [];
const ctx = (over: Partial<EvaluatorContext> = {}): EvaluatorContext => ({ history: noHistory, maxEntries: 10_000, ...over });
const bruteForce = DEFAULT_DETECTIONS.find((r) => r.id === 'brute_force') as DetectionRule;

function ev(ts: number, over: Partial<SecurityEvent> = {}, metadata: Record<string, unknown> = { src_ip: '203.0.113.45' }): SecurityEvent {
  return { event_id: randomUUID(), ts, host: 'web-1', agent_id: null, event_type: 'auth_failure', severity: 'low', source: 'auth-log', description: 'x', metadata, triage: 'new', suppressed_by: null, received_at: ts, ...over };
}

describe('detection windows', () => {
  it('frequency: 5 failures from one IP within 2 min fire once, with the 5 inputs; spread-out failures do not', async () => {
    const f = frequencyDetection.create(bruteForce, ctx());
    const hits = [];
    for (let i = 0; i < 8; i++) hits.push(...(await f.observe(ev(T0 + i * 10_000))));
    assert.equal(hits.length, 1, 'a long burst is one detection');
    assert.equal(hits[0]?.inputs.length, 5);
    assert.deepEqual(hits[0]?.group, { 'metadata.src_ip': '203.0.113.45' });
    const slow = frequencyDetection.create(bruteForce, ctx());
    let n = 0;
    for (let i = 0; i < 10; i++) n += (await slow.observe(ev(T0 + i * 40_000, {}, { src_ip: '198.51.100.7' }))).length;
    assert.equal(n, 0, '10 failures 40 s apart never have 5 within 2 min');
  });

  it('frequency: groups are separate, events without the field are ignored, fires again after a quiet window', async () => {
    const f = frequencyDetection.create(bruteForce, ctx());
    let n = 0;
    for (let i = 0; i < 4; i++) n += (await f.observe(ev(T0 + i, {}, { src_ip: 'a' }))).length + (await f.observe(ev(T0 + i, {}, { src_ip: 'b' }))).length;
    n += (await f.observe(ev(T0 + 5, {}, {}))).length;
    assert.equal(n, 0);
    assert.equal((await f.observe(ev(T0 + 10, {}, { src_ip: 'a' }))).length, 1);
    for (let i = 0; i < 5; i++) n += (await f.observe(ev(T0 + 200_000 + i, {}, { src_ip: 'a' }))).length;
    assert.equal(n, 1, 'a second burst after the quiet window is a second detection');
  });

  it('frequency: state is bounded by maxEntries and pruned after the window', async () => {
    const f = frequencyDetection.create(bruteForce, ctx({ maxEntries: 100 }));
    for (let i = 0; i < 1000; i++) await f.observe(ev(T0 + i, {}, { src_ip: `10.0.${i >> 8}.${i & 255}` }));
    assert.equal(f.size(), 100);
    f.prune(T0 + 1000 + bruteForce.window_ms + 1);
    assert.equal(f.size(), 0);
  });

  it('first seen: learns the host from history, fires only for new values', async () => {
    const rule = DEFAULT_DETECTIONS.find((r) => r.id === 'new_listening_port') as DetectionRule;
    const history: HostHistory = async (host) => (host === 'web-1' ? [ev(T0 - 1000, { event_type: 'port_opened' }, { proto: 'tcp', port: 22 })] : []);
    const f = firstSeenDetection.create(rule, ctx({ history }));
    assert.equal((await f.observe(ev(T0, { event_type: 'port_opened' }, { proto: 'tcp', port: 22 }))).length, 0, 'port 22 was known');
    const hit = await f.observe(ev(T0 + 1, { event_type: 'port_opened' }, { proto: 'tcp', port: 4444 }));
    assert.equal(hit.length, 1);
    assert.match(hit[0]?.summary ?? '', /proto=tcp, port=4444 on web-1/);
    assert.equal((await f.observe(ev(T0 + 2, { event_type: 'port_opened' }, { proto: 'tcp', port: 4444 }))).length, 0, 'only the first time');
    assert.equal((await f.observe(ev(T0 + 3, { event_type: 'port_opened', host: 'db-1' }, { proto: 'tcp', port: 22 }))).length, 1, 'per host');
  });

  it('threshold: fires once per tumbling window when the count is reached', async () => {
    const rule: DetectionRule = { ...(DEFAULT_DETECTIONS.find((r) => r.id === 'api_denials') as DetectionRule), count: 3, window_ms: 60_000, group_by: [] };
    const f = thresholdDetection.create(rule, ctx());
    const base = Math.floor(T0 / 60_000) * 60_000;
    let n = 0;
    for (let i = 0; i < 6; i++) n += (await f.observe(ev(base + i * 1000, { event_type: 'permission_denied' }))).length;
    assert.equal(n, 1);
    for (let i = 0; i < 3; i++) n += (await f.observe(ev(base + 60_000 + i, { event_type: 'permission_denied' }))).length;
    assert.equal(n, 2, 'the next window counts afresh');
    f.prune(base + 200_000);
    assert.equal(f.size(), 0);
  });
});

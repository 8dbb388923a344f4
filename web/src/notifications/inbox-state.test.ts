import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InboxItem } from '../../../src/protocol/alerting.js';
import { bellLabel, INBOX_KEEP, inboxTarget, reduceInbox, toastsFor } from './inbox-state.js';

const item = (id: string, over: Partial<InboxItem> = {}): InboxItem => ({ id, alertId: 'a', notificationId: id, severity: 'critical', kind: 'firing', title: `t${id}`, body: '', createdAt: 1, readAt: null, ...over });

describe('inbox state', () => {
  it('adds newest first, dedupes, caps, and tracks unread', () => {
    let s = reduceInbox({ items: [], unread: 0 }, { kind: 'loaded', items: [item('1')], unread: 1 });
    s = reduceInbox(s, { kind: 'added', item: item('2'), unread: 2 });
    s = reduceInbox(s, { kind: 'added', item: item('2'), unread: 2 });
    assert.deepEqual(s.items.map((i) => i.id), ['2', '1']);
    s = reduceInbox(s, { kind: 'read', id: '1', at: 5 });
    assert.equal(s.unread, 1);
    s = reduceInbox(s, { kind: 'read', id: '1', at: 6 });
    assert.equal(s.unread, 1, 'reading twice counts once');
    s = reduceInbox(s, { kind: 'dismissed', id: '2' });
    assert.deepEqual([s.items.length, s.unread], [1, 0]);
    for (let i = 0; i < 60; i++) s = reduceInbox(s, { kind: 'added', item: item(`n${i}`), unread: i });
    assert.equal(s.items.length, INBOX_KEEP);
    s = reduceInbox(s, { kind: 'all-read', at: 9 });
    assert.ok(s.items.every((i) => i.readAt === 9) && s.unread === 0);
  });

  it('toasts only critical firing items; labels the bell', () => {
    assert.equal(toastsFor(item('x')), true);
    assert.equal(toastsFor(item('x', { severity: 'warning' })), false);
    assert.equal(toastsFor(item('x', { kind: 'resolved' })), false);
    assert.equal(bellLabel(3), 'Notifications: 3 unread');
  });

  it('opens alerts, and security notices as the SOC list filtered to their type and host', () => {
    assert.equal(inboxTarget(item('1', { alertId: 'abc' })), '/alerts/abc');
    assert.equal(inboxTarget(item('1', { alertId: 'test-1' })), null);
    assert.equal(inboxTarget(item('1', { alertId: null, notificationId: 'security:brute_force:web-1:2950123' })), '/security?type=brute_force&host=web-1');
    assert.equal(inboxTarget(item('1', { alertId: null, notificationId: 'security:port_opened:fe80::1:2950123' })), '/security?type=port_opened&host=fe80%3A%3A1');
    assert.equal(inboxTarget(item('1', { alertId: null, notificationId: 'security:bogus:web-1:1' })), '/security');
    assert.equal(inboxTarget(item('1', { alertId: null, notificationId: 'other' })), null);
    assert.equal(inboxTarget(item('1', { alertId: null, notificationId: null })), null);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  listPeers,
  PRESENCE_RENEW_MS,
  PRESENCE_STALE_MS,
  PRESENCE_TIMEOUT_MS,
  type PresenceClock,
  PresenceKeeper,
  parsePresence,
  presenceRoleOf,
} from './presence.ts';

describe('presence', () => {
  it('lists valid peers sorted by name, excluding myself and malformed states', () => {
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    awareness.setLocalStateField('user', { name: 'Me', color: '#000000', inXR: false });
    const states = awareness.getStates();
    states.set(11, { user: { name: 'Zoe', color: '#ff0000', inXR: true } });
    states.set(12, { user: { name: 'Al', color: '#00ff00' } });
    states.set(13, { user: { name: '__proto__', color: 'javascript:alert(1)' } });
    states.set(14, { nothing: true });
    expect(listPeers(awareness)).toEqual([
      { peerId: 12, name: 'Al', color: '#00ff00', inXR: false, away: false, nameCheck: 'open' },
      { peerId: 11, name: 'Zoe', color: '#ff0000', inXR: true, away: false, nameCheck: 'open' },
    ]);
  });

  it('treats anything but true as not in XR', () => {
    expect(parsePresence({ user: { name: 'A', color: '#123456', inXR: 'yes' } })?.inXR).toBe(false);
  });

  it('[PRES5] reads away, and anything but true as not away', () => {
    expect(parsePresence({ user: { name: 'A', color: '#123456', away: true } })?.away).toBe(true);
    for (const away of ['yes', 1, null, {}]) {
      expect(parsePresence({ user: { name: 'A', color: '#123456', away } })?.away).toBe(false);
    }
  });

  it('[ROLE13] reads a stated role only when it is exactly owner, editor or viewer', () => {
    for (const role of ['owner', 'editor', 'viewer'] as const) {
      expect(parsePresence({ user: { name: 'A', color: '#123456', role } })?.role).toBe(role);
    }
    for (const role of ['Viewer', ' viewer', 'open', 'admin', '', 1, true, null, ['viewer'], { role: 'viewer' }]) {
      const user = parsePresence({ user: { name: 'A', color: '#123456', role } });
      expect(user, JSON.stringify(role)).toBeDefined();
      expect(user && 'role' in user, JSON.stringify(role)).toBe(false);
    }
  });

  it('[ROLE13] tells the role a client states, its own included, and nothing for a malformed or absent state', () => {
    const awareness = new Awareness(new Y.Doc());
    awareness.setLocalStateField('user', { name: 'Me', color: '#000000', role: 'editor' });
    const states = awareness.getStates();
    states.set(11, { user: { name: 'Vi', color: '#ff0000', role: 'viewer' } });
    states.set(12, { user: { name: '__proto__', color: 'nope', role: 'viewer' } });
    states.set(13, { user: { name: 'Ed', color: '#00ff00' } });
    expect(presenceRoleOf(awareness, awareness.clientID)).toBe('editor');
    expect(presenceRoleOf(awareness, 11)).toBe('viewer');
    expect(presenceRoleOf(awareness, 12)).toBeUndefined();
    expect(presenceRoleOf(awareness, 13)).toBeUndefined();
    expect(presenceRoleOf(awareness, 14)).toBeUndefined();
    // Listed peers carry it as stated.
    expect(listPeers(awareness).map((p) => [p.name, p.role])).toEqual([
      ['Ed', undefined],
      ['Vi', 'viewer'],
    ]);
  });
});

describe('presence keeper', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Two awareness instances with a one-way link a -> b that can be cut. */
  function pair() {
    const a = new Awareness(new Y.Doc());
    const b = new Awareness(new Y.Doc());
    let linked = true;
    a.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      if (linked) applyAwarenessUpdate(b, encodeAwarenessUpdate(a, [...added, ...updated, ...removed]), 'link');
    });
    return { a, b, cut: () => (linked = false) };
  }

  it('[PRES3] renews this peer every second so others keep it listed', () => {
    vi.useFakeTimers();
    const { a, b } = pair();
    a.setLocalStateField('user', { name: 'A', color: '#112233', inXR: false });
    const keepA = new PresenceKeeper(a);
    const keepB = new PresenceKeeper(b);
    vi.advanceTimersByTime(PRESENCE_TIMEOUT_MS * 4);
    expect(listPeers(b).map((p) => p.name)).toEqual(['A']);
    keepA.destroy();
    keepB.destroy();
  });

  it('[PRES3] drops a peer that went silent after the short timeout, locally and without broadcasting', () => {
    vi.useFakeTimers();
    const { a, b, cut } = pair();
    a.setLocalStateField('user', { name: 'A', color: '#112233', inXR: false });
    const keepA = new PresenceKeeper(a);
    const keepB = new PresenceKeeper(b);
    const broadcast: unknown[] = [];
    b.on('update', (change: unknown, origin: unknown) => {
      if (origin !== 'link') broadcast.push(change);
    });
    cut();
    vi.advanceTimersByTime(PRESENCE_TIMEOUT_MS - PRESENCE_RENEW_MS);
    expect(listPeers(b)).toHaveLength(1);
    vi.advanceTimersByTime(PRESENCE_RENEW_MS + 500);
    expect(listPeers(b)).toHaveLength(0);
    expect(broadcast.filter((c) => (c as { removed: number[] }).removed.includes(a.clientID))).toEqual([]);
    keepA.destroy();
    keepB.destroy();
  });

  it('[PRES1] leave() tells the others at once', () => {
    const { a, b } = pair();
    a.setLocalStateField('user', { name: 'A', color: '#112233', inXR: false });
    expect(listPeers(b)).toHaveLength(1);
    const keepA = new PresenceKeeper(a);
    keepA.leave();
    expect(listPeers(b)).toHaveLength(0);
    keepA.destroy();
  });

  it("[PRES6] a state for this page's client id sent by someone else is replaced by its own, above their clock", () => {
    vi.useFakeTimers();
    const { a, b } = pair();
    a.setLocalStateField('user', { name: 'A', color: '#112233', inXR: false });
    const keepA = new PresenceKeeper(a);
    // Someone relays a rewritten entry for A's client id with a far higher clock.
    const forger = new Awareness(new Y.Doc());
    forger.states.set(a.clientID, { user: { name: 'Not A', color: '#112233' } });
    forger.meta.set(a.clientID, { clock: 1_000, lastUpdated: 0 });
    const rewrite = encodeAwarenessUpdate(forger, [a.clientID]);
    applyAwarenessUpdate(a, rewrite, 'link');
    applyAwarenessUpdate(b, rewrite, 'link');
    expect(keepA.ownStateRestored).toBe(1);
    expect(listPeers(b).map((p) => p.name)).toEqual(['A']);
    expect(a.meta.get(a.clientID)?.clock).toBeGreaterThan(1_000);
    // Its own state stays its own through renewals, and is never dropped as silent.
    vi.advanceTimersByTime(PRESENCE_TIMEOUT_MS * 2);
    expect(a.getLocalState()).toEqual({ user: { name: 'A', color: '#112233', inXR: false } });
    expect(listPeers(b).map((p) => p.name)).toEqual(['A']);
    keepA.destroy();
  });

  it("[PRES7] renews on the others' presence when its own timer is held back, at most once per renewal period", () => {
    // A hidden page: its timers are held back (intensive throttling wakes them once a minute),
    // while every message from the others is delivered at once.
    let now = 0;
    const heldBack: PresenceClock = { now: () => now, setInterval: () => 0, clearInterval: () => {} };
    const hidden = new Awareness(new Y.Doc());
    const other = new Awareness(new Y.Doc());
    const forward = (from: Awareness, to: Awareness) =>
      from.on('update', ({ added, updated }: { added: number[]; updated: number[] }, origin: unknown) => {
        if (origin === 'local') applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [...added, ...updated]), 'link');
      });
    forward(hidden, other);
    forward(other, hidden);
    hidden.setLocalStateField('user', { name: 'H', color: '#112233', inXR: false, away: true });
    other.setLocalStateField('user', { name: 'O', color: '#445566', inXR: false });
    const keep = new PresenceKeeper(hidden, heldBack);
    const published: number[] = [];
    hidden.on('update', (_change: unknown, origin: unknown) => {
      if (origin === 'local') published.push(now);
    });
    const clockSeen = () => other.meta.get(hidden.clientID)?.clock ?? -1;
    const before = clockSeen();
    for (let second = 1; second <= 60; second++) {
      now = second * 1000;
      other.setLocalState(other.getLocalState()); // the other's renewal (PRES3)
      now += 300;
      other.setLocalStateField('cursor', { anchor: second }); // more traffic within the same second
    }
    expect(published).toEqual(Array.from({ length: 60 }, (_, i) => (i + 1) * 1000));
    expect(clockSeen()).toBe(before + 60);
    expect(listPeers(other).map((p) => [p.name, p.away])).toEqual([['H', true]]);
    // With nobody sending, nothing renews it but its own (held back) timer.
    now += 60_000;
    expect(published).toHaveLength(60);
    keep.destroy();
  });

  it('[TRN33] asks after a stale entry once a second while it is stale, and never while every entry is fresh', () => {
    vi.useFakeTimers();
    const { a, b, cut } = pair();
    a.setLocalStateField('user', { name: 'A', color: '#112233', inXR: false });
    const keepA = new PresenceKeeper(a);
    const asked: number[] = [];
    const start = Date.now();
    const keepB = new PresenceKeeper(b, undefined, () => asked.push(Date.now() - start));
    vi.advanceTimersByTime(10_000);
    expect(asked).toEqual([]);
    cut();
    const cutAt = Date.now() - start;
    vi.advanceTimersByTime(PRESENCE_TIMEOUT_MS - 500);
    // Stale from PRESENCE_STALE_MS after the last renewal heard, then once per renewal period.
    expect(asked.length).toBeGreaterThanOrEqual(2);
    expect(asked[0]).toBeGreaterThanOrEqual(cutAt + PRESENCE_STALE_MS - PRESENCE_RENEW_MS);
    for (let i = 1; i < asked.length; i++)
      expect((asked[i] ?? 0) - (asked[i - 1] ?? 0)).toBeGreaterThanOrEqual(PRESENCE_RENEW_MS);
    keepA.destroy();
    keepB.destroy();
  });
});

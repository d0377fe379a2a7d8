import { afterEach, describe, expect, it, vi } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { listPeers, PRESENCE_RENEW_MS, PRESENCE_TIMEOUT_MS, PresenceKeeper, parsePresence } from './presence.ts';

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
      { peerId: 12, name: 'Al', color: '#00ff00', inXR: false, away: false },
      { peerId: 11, name: 'Zoe', color: '#ff0000', inXR: true, away: false },
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
});

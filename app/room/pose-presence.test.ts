// When a peer that simulates or holds something leaves, the others stop
// counting it at once (GRAB5: presence is awareness plus the pose channel), so
// takeover does not wait for the pose channel's timeout: its BYE goes out on
// every link (POSE15), and presence's departure ends it even when every BYE is
// lost (POSE19, PRES4). Two awarenesses and two pose channels joined in memory
// (a WebRTC link and a relay link) on a fake clock; no DOM.

import { afterEach, describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { object, peer } from '../../testing/ids.ts';
import { effectiveOwner, presenceOf } from '../interaction/grab/ownership.ts';
import { PoseChannel } from '../pose/channel.ts';
import type { PoseLink, TransportKind } from '../pose/transports/link.ts';
import { TICK_MS } from '../pose/wire/time.ts';
import { followPresence } from './pose-presence.ts';

const A = peer(11);
const B = peer(22);
const BALL = object('Ball');
const at = { x: 0, y: 0, z: 0 };
const upright = { x: 0, y: 0, z: 0, w: 1 };

interface Side {
  awareness: Awareness;
  channel: PoseChannel;
}

class Room {
  time = 1_000_000;
  /** Per kind of link: when false, what A sends over it is lost (a page torn down aborts its WebRTC connections). */
  readonly delivers: Record<TransportKind, boolean> = { webrtc: true, relay: true, broadcast: true };
  /** When false, awareness updates are not carried between the two pages. */
  carryPresence = true;
  readonly a: Side;
  readonly b: Side;
  private readonly links = new Map<string, PoseLink>();
  private readonly cleanups: (() => void)[] = [];

  constructor() {
    this.a = this.side(A);
    this.b = this.side(B);
    this.pipe(this.a.awareness, this.b.awareness);
    this.pipe(this.b.awareness, this.a.awareness);
    // The rule under test, on B: presence ends (and restores) A on B's pose channel.
    this.cleanups.push(followPresence(this.b.awareness, this.b.channel));
    for (const kind of ['webrtc', 'relay'] as const) this.connect(kind);
    this.a.awareness.setLocalState({ user: { name: 'Ann', color: '#ef476f' } });
    this.b.awareness.setLocalState({ user: { name: 'Ben', color: '#06d6a0' } });
  }

  private side(id: number): Side {
    const doc = new Y.Doc();
    doc.clientID = id;
    const awareness = new Awareness(doc);
    const channel = new PoseChannel({
      selfId: peer(id),
      identity: () => ({ name: `peer ${id}`, color: '#112233' }),
      clock: { now: () => this.time },
    });
    this.cleanups.push(
      () => channel.destroy(),
      () => awareness.destroy(),
    );
    return { awareness, channel };
  }

  /** Awareness updates from one page reach the other, as the server or y-webrtc carries them. */
  private pipe(from: Awareness, to: Awareness): void {
    from.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      if (origin !== 'local' || !this.carryPresence) return;
      const changed = [...(added ?? []), ...(updated ?? []), ...(removed ?? [])];
      applyAwarenessUpdate(to, encodeAwarenessUpdate(from, changed), 'remote');
    });
  }

  private connect(kind: TransportKind): void {
    const make = (from: PoseChannel, to: PoseChannel): PoseLink => ({
      kind,
      peerId: to.selfId,
      send: (bytes) => {
        if (from === this.a.channel && !this.delivers[kind]) return true;
        const back = this.links.get(`${to.selfId}>${from.selfId}:${kind}`);
        if (back && to.peers.get(from.selfId)?.links.get(kind) === back) to.receive(bytes.slice(), back);
        return true;
      },
    });
    const ab = make(this.a.channel, this.b.channel);
    const ba = make(this.b.channel, this.a.channel);
    this.links.set(`${A}>${B}:${kind}`, ab);
    this.links.set(`${B}>${A}:${kind}`, ba);
    this.a.channel.linkUp(ab);
    this.b.channel.linkUp(ba);
  }

  /** A streams the ball it simulates for `ticks` frames, falling. */
  stream(ticks: number, fromY = 5): void {
    for (let i = 0; i < ticks; i++) {
      this.time += TICK_MS;
      this.a.channel.streamObject(BALL, { x: 0, y: fromY - i * 0.01, z: 3 }, upright);
      this.a.channel.tick();
      this.b.channel.tick();
    }
  }

  /** Who owns the ball for B (GRAB5 as the room composes it: awareness, then the pose channel's heard peers). */
  ownerSeenByB(): number | null {
    const { awareness, channel } = this.b;
    const presence = presenceOf(
      () => [...awareness.getStates().keys()].map(peer),
      () => channel.heardPeerIds(),
    );
    return effectiveOwner(A, presence);
  }

  ballOnB(): string {
    return this.b.channel.sampleObject(BALL, { ...at }, { ...upright });
  }

  destroy(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }
}

let room: Room | undefined;
afterEach(() => {
  room?.destroy();
  room = undefined;
});

describe('a peer that leaves is ended at once (GRAB5)', () => {
  it('[POSE15] BYE goes out on every link: with the WebRTC link torn down, the relay still brings it', () => {
    room = new Room();
    room.stream(30);
    expect(room.a.channel.transportOf(B)).toBe('webrtc');
    expect(room.ownerSeenByB()).toBe(A);
    expect(room.ballOnB()).not.toBe('empty');
    // The page hides: presence's own goodbye is lost too, so only the BYE can tell B.
    room.carryPresence = false;
    room.delivers.webrtc = false;
    room.a.awareness.setLocalState(null);
    room.a.channel.sayGoodbye();
    expect(room.b.channel.counters.byesIn).toBe(1);
    // The pose channel no longer counts A (presence still lists it until its own goodbye or the server's).
    expect([...room.b.channel.heardPeerIds()]).toEqual([]);
    expect(room.ballOnB()).toBe('empty');
    expect(room.b.channel.objectStreamer(BALL)).toBeUndefined();
  });

  it('[POSE19][PRES4] leaving presence ends the peer on the pose channel at once, with every BYE lost', () => {
    room = new Room();
    room.stream(30);
    expect(room.ownerSeenByB()).toBe(A);
    room.delivers.webrtc = false;
    room.delivers.relay = false;
    room.a.awareness.setLocalState(null); // PRES1 (or the server's PRES2), the authoritative "left"
    room.a.channel.sayGoodbye();
    expect(room.b.channel.counters.byesIn).toBe(0);
    // No time passes: the pose channel heard A a tick ago, and would count it for 10 s more.
    expect(room.b.channel.counters.departures).toBe(1);
    expect(room.ownerSeenByB()).toBeNull();
    expect(room.ballOnB()).toBe('empty');
    expect(room.b.channel.peerList.get()).toEqual([]);
  });

  it('[POSE19] a peer that left presence for a moment comes back with its next presence update, not with a late batch', () => {
    room = new Room();
    room.stream(30);
    // A's sync connection drops (the server removes its presence, PRES2), its pose links stay.
    removeAwarenessStates(room.b.awareness, [A], 'server');
    expect(room.b.awareness.getStates().has(A)).toBe(false);
    expect(room.ownerSeenByB()).toBeNull();
    // Batches still arriving do not bring it back: one may have been on its way when it left.
    room.stream(5, 4);
    expect(room.ownerSeenByB()).toBeNull();
    expect(room.ballOnB()).toBe('empty');
    // Its next renewal (PRES3) that presence accepts (the removal took one clock step) announces it
    // again: it counts, and its stream is followed at once.
    for (let i = 0; i < 3 && !room.b.awareness.getStates().has(A); i++)
      room.a.awareness.setLocalState(room.a.awareness.getLocalState());
    expect(room.b.awareness.getStates().has(A)).toBe(true);
    expect(room.ownerSeenByB()).toBe(A);
    room.stream(2, 3.9);
    expect(room.ballOnB()).not.toBe('empty');
    expect(room.b.channel.peerList.get().map((p) => p.id)).toEqual([A]);
  });

  it('[POSE19][GRAB5] a peer dropped by the local presence timeout (PRES3) keeps counting while it streams', () => {
    room = new Room();
    room.stream(30);
    removeAwarenessStates(room.b.awareness, [A], 'timeout');
    expect(room.b.awareness.getStates().has(A)).toBe(false);
    expect(room.ownerSeenByB()).toBe(A);
    room.stream(5, 4);
    expect(room.ballOnB()).not.toBe('empty');
  });
});

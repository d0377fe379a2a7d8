// What y-webrtc sends on to its peers (y-webrtc-internals.ts trimRtcForwarding, docs/transports.md
// TRN30-TRN33), with real members: each its own Node process running the page's RoomSession, y-webrtc
// on the app's peer over node-datachannel, signalled through our real signaling server on loopback,
// WebRTC only (no server sync), counting the messages on y-webrtc's data channels. Each count is
// taken beside the same room with y-webrtc as it is, which shows the count sees what it claims.
import { describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import type { NodeSyncMemberReport } from '../../testing/sync/node-sync-member.ts';
import {
  type NodeSyncMember,
  startNodeSyncMembers,
  stopNodeSyncMembers,
  until,
} from '../../testing/sync/node-sync-members.ts';
import { signalingForFile } from '../../testing/sync/signaling-for-file.ts';
import { PRESENCE_TIMEOUT_MS } from './presence.ts';
import { trimRtcForwarding } from './y-webrtc-internals.ts';

const file = signalingForFile();
const started = file.started;
let roomCount = 0;

/** A fresh room's name. */
function newRoom(): string {
  return `fwdtest${++roomCount}`;
}

async function members(
  room: string,
  names: string[],
  forwarding: 'trimmed' | 'y-webrtc',
  maxConns?: number[],
): Promise<NodeSyncMember[]> {
  const list = await startNodeSyncMembers(file.url(), room, names, {
    forwarding,
    ...(maxConns ? { maxConns } : {}),
  });
  started.push(...list);
  return list;
}

async function connected(list: NodeSyncMember[], peers: number[]): Promise<void> {
  await until(
    async () => (await Promise.all(list.map((m) => m.report()))).every((r, i) => r.webrtcPeers === peers[i]),
    `connections ${peers.join(',')}`,
  );
}

async function converged(list: NodeSyncMember[], scriptLength: number): Promise<NodeSyncMemberReport[]> {
  let reports: NodeSyncMemberReport[] = [];
  await until(async () => {
    reports = await Promise.all(list.map((m) => m.report(true)));
    return reports.every((r) => r.scriptLength === scriptLength && r.stateVector === reports[0]?.stateVector);
  }, `every member holding ${scriptLength} characters`);
  return reports;
}

/** How long to wait for echoes to arrive, on a loaded machine. */
const ECHO_SETTLE_MS = 2_000;

/** Two members: B joins A's room of `text`, then A types five keystrokes; what A receives back. */
async function joinAndType(forwarding: 'trimmed' | 'y-webrtc'): Promise<NodeSyncMemberReport> {
  const room = newRoom();
  const [a] = await members(room, ['A'], forwarding);
  const text = 'object "Box" { geometry: "box" }\n'.repeat(300);
  await a?.type(text);
  const [b] = await members(room, ['B'], forwarding);
  const pair = [a, b] as NodeSyncMember[];
  await connected(pair, [1, 1]);
  await converged(pair, text.length);
  for (let i = 0; i < 5; i++) await a?.type('x');
  const reports = await converged(pair, text.length + 5);
  for (const report of reports) expect(report.script).toBe(`${text}xxxxx`);
  // What B sends back to A is still on its way when B holds the text: give it time to arrive.
  await new Promise((resolve) => setTimeout(resolve, ECHO_SETTLE_MS));
  const received = await a?.report();
  await stopNodeSyncMembers(pair);
  return received as NodeSyncMemberReport;
}

describe('what y-webrtc sends on, with real members over WebRTC', () => {
  it('[TRN30] a late joiner does not send the document it was given back to its sender, nor a keystroke back to its typist', async () => {
    const trimmed = await joinAndType('trimmed');
    const asIs = await joinAndType('y-webrtc');
    // y-webrtc as it is: B sends A the whole document back on joining and each keystroke back after it.
    expect(asIs.received['sync-update']).toBeGreaterThanOrEqual(6);
    expect(asIs.receivedBytes).toBeGreaterThan(9_000);
    // Trimmed: A hears B's sync step 1 and step 2 (B's answer to A's step 1) and nothing more of the sync.
    expect(trimmed.received['sync-update']).toBe(0);
    expect(trimmed.received['sync-step2']).toBe(1);
    expect(trimmed.receivedBytes).toBeLessThan(asIs.receivedBytes - 9_000);
  }, 180_000);

  it('[TRN30] [TRN39] in a partial mesh (A-B-C, A and C not connected) every update reaches everyone through B, also for a late joiner', async () => {
    const room = newRoom();
    const [a, b] = await members(room, ['A', 'B'], 'trimmed', [1, 2]);
    await connected([a, b] as NodeSyncMember[], [1, 1]);
    await a?.type('before C\n');
    const [c] = await members(room, ['C'], 'trimmed', [1]);
    const chain = [a, b, c] as NodeSyncMember[];
    await connected(chain, [1, 2, 1]);
    await converged(chain, 'before C\n'.length);
    await a?.type('from A\n');
    await c?.type('from C\n');
    const reports = await converged(chain, 'before C\nfrom A\nfrom C\n'.length);
    const scripts = new Set(reports.map((r) => r.script));
    expect(scripts.size).toBe(1);
    // B forwarded A's and C's lines on, and sent neither back to its typist.
    const middle = reports[1] as NodeSyncMemberReport;
    expect(middle.webrtcPeers).toBe(2);
    expect(middle.updateEchoes).toBeGreaterThanOrEqual(2);
    // TRN39: B knows A and C are not connected to each other (their reports list only B), so it skipped nothing.
    expect(middle.reportedLinks).toBe(2);
    expect(middle.updatesNotForwarded).toBe(0);
    await stopNodeSyncMembers(chain);
  }, 180_000);

  it('[TRN30] members that lose their connection and reconnect converge on what both typed meanwhile', async () => {
    const pair = await members(newRoom(), ['A', 'B'], 'trimmed');
    const [a, b] = pair as [NodeSyncMember, NodeSyncMember];
    await connected(pair, [1, 1]);
    await a.type('first\n');
    await converged(pair, 'first\n'.length);
    await b.drop();
    await Promise.all([a.type('from A\n'), b.type('from B\n')]);
    await until(
      async () => (await b.report()).receivedMessages > 0 && (await a.report()).webrtcPeers === 1,
      'a new connection',
    );
    const reports = await converged(pair, 'first\nfrom A\nfrom B\n'.length);
    expect(new Set(reports.map((r) => r.script)).size).toBe(1);
    await stopNodeSyncMembers(pair);
  }, 120_000);

  it('[TRN31] [TRN32] in a full mesh of three, presence renewals are heard once, from their sender, and not echoed or re-broadcast', async () => {
    const awarenessPerSecond = async (forwarding: 'trimmed' | 'y-webrtc') => {
      const trio = await members(newRoom(), ['A', 'B', 'C'], forwarding);
      await connected(trio, [2, 2, 2]);
      await until(
        async () => (await Promise.all(trio.map((m) => m.report()))).every((r) => r.presentPeers === 2),
        'presence',
      );
      const before = await Promise.all(trio.map((m) => m.report()));
      const t0 = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      const after = await Promise.all(trio.map((m) => m.report()));
      const seconds = (Date.now() - t0) / 1000;
      await stopNodeSyncMembers(trio);
      return {
        perSecond: after.map((r, i) => (r.received.awareness - (before[i]?.received.awareness ?? 0)) / seconds),
        kept: after.reduce((sum, r) => sum + r.renewalsKept, 0),
      };
    };
    const trimmed = await awarenessPerSecond('trimmed');
    const asIs = await awarenessPerSecond('y-webrtc');
    // Each of the two others renews once a second (PRES3): two a second, and with y-webrtc as it is three
    // times that (each renewal also comes back from the other member, and the other's from it).
    for (const rate of asIs.perSecond) expect(rate).toBeGreaterThan(4.5);
    for (const rate of trimmed.perSecond) expect(rate).toBeLessThan(3);
    for (const rate of trimmed.perSecond) expect(rate).toBeGreaterThan(1.2);
    expect(trimmed.kept).toBeGreaterThan(0);
  }, 180_000);

  it('[TRN33] a member reached only through another keeps everyone in its presence list by asking after stale entries', async () => {
    const room = newRoom();
    const [a, b] = await members(room, ['A', 'B'], 'trimmed', [1, 2]);
    await connected([a, b] as NodeSyncMember[], [1, 1]);
    const [c] = await members(room, ['C'], 'trimmed', [1]);
    const chain = [a, b, c] as NodeSyncMember[];
    await connected(chain, [1, 2, 1]);
    // A joined before C: C learns of A through B forwarding A's state as a change (TRN32 keeps changes flooding).
    await until(async () => (await c?.report())?.presentPeers === 2, 'C seeing A and B');
    const watchUntil = Date.now() + PRESENCE_TIMEOUT_MS + 3_000;
    while (Date.now() < watchUntil) {
      const [ra, rc] = await Promise.all([a?.report(), c?.report()]);
      expect(rc?.presentPeers).toBe(2);
      expect(ra?.presentPeers).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const middle = await b?.report();
    expect(middle?.received['query-awareness']).toBeGreaterThan(0);
    await stopNodeSyncMembers(chain);
  }, 180_000);
});

describe('what y-webrtc sends on of what the server brings', () => {
  /**
   * One provider with no signaling (nothing leaves the process) and another client's presence
   * arriving as the server provider applies it (origin: not y-webrtc's room): what y-webrtc
   * broadcasts is seen on its BroadcastChannel, which it sends everything to, as to its peers.
   */
  async function serverPresenceBroadcasts(trim: boolean): Promise<number> {
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    const topic = `fwdtest-bc-${trim}-${++roomCount}`;
    const provider = new WebrtcProvider(topic, doc, { signaling: [], awareness });
    const trimmed = trim ? trimRtcForwarding(provider) : undefined;
    await provider.key;
    const channel = new BroadcastChannel(topic);
    let awarenessMessages = 0;
    channel.onmessage = (event: MessageEvent<ArrayBuffer>) => {
      if (new Uint8Array(event.data)[0] === 1) awarenessMessages++;
    };
    const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
    await settle();
    awarenessMessages = 0;
    const other = new Awareness(new Y.Doc());
    const fromServer = () => applyAwarenessUpdate(awareness, encodeAwarenessUpdate(other, [other.clientID]), 'server');
    other.setLocalStateField('user', { name: 'S', color: '#112233' });
    fromServer(); // someone joins: a change
    for (let i = 0; i < 3; i++) {
      other.setLocalState(other.getLocalState()); // a renewal: a new clock, the same state
      fromServer();
    }
    other.setLocalStateField('away', true); // a change
    fromServer();
    await settle();
    channel.close();
    trimmed?.stop();
    provider.destroy();
    doc.destroy();
    return awarenessMessages;
  }

  it('[TRN32] a renewal that came from the server is not re-broadcast; a change still is', async () => {
    expect(await serverPresenceBroadcasts(false)).toBe(5);
    expect(await serverPresenceBroadcasts(true)).toBe(2);
  });
});

describe('abuse: awareness queries', () => {
  it('[TRN33] a peer that floods awareness queries gets one answer per half second, each with every state', async () => {
    const flood = async (forwarding: 'trimmed' | 'y-webrtc') => {
      const pair = await members(newRoom(), ['A', 'B'], forwarding);
      const [a, b] = pair as [NodeSyncMember, NodeSyncMember];
      await connected(pair, [1, 1]);
      const before = await a.report();
      await b.query(50);
      const t0 = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const after = await a.report();
      const answers = after.sentMessages - before.sentMessages;
      const seconds = (Date.now() - t0) / 1000;
      await stopNodeSyncMembers(pair);
      return { answers, seconds, dropped: after.queriesDropped };
    };
    const asIs = await flood('y-webrtc');
    const trimmed = await flood('trimmed');
    // y-webrtc as it is answers each of the 50.
    expect(asIs.answers).toBeGreaterThanOrEqual(50);
    // Trimmed: one answer, plus A's own renewals (one a second) while it waited.
    expect(trimmed.answers).toBeLessThanOrEqual(1 + Math.ceil(trimmed.seconds) + 1);
    expect(trimmed.dropped).toBeGreaterThanOrEqual(49);
  }, 120_000);
});

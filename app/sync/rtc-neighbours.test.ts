// What a member forwards once its neighbours tell it whom they are connected to (y-webrtc-internals.ts
// trimRtcForwarding, neighbour-report.ts, docs/transports.md TRN38-TRN41). Members are Node processes
// running the page's RoomSession, y-webrtc on the app's peer over node-datachannel (`iceServers: []`),
// signalled through our real signaling server on loopback, WebRTC only; the BroadcastChannel test runs
// one real provider in this process with BroadcastChannels of its own standing for the other tabs.
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
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
import { MAX_NEIGHBOURS_BYTES, MESSAGE_NEIGHBOURS, writeNeighbourReport } from './neighbour-report.ts';
import { trimRtcForwarding } from './y-webrtc-internals.ts';

const file = signalingForFile();
const started = file.started;
let roomCount = 0;

/** How long to wait for forwards that should not come, on a loaded machine. */
const FORWARD_SETTLE_MS = 1_500;

const reportsOf = (list: readonly NodeSyncMember[], withScript = false) =>
  Promise.all(list.map((m) => m.report(withScript)));

/** Three members in a full mesh, each holding both others' reports (each lists two ids). */
async function fullMeshOfThree(names: [string, string, string]): Promise<NodeSyncMember[]> {
  const trio = await startNodeSyncMembers(file.url(), `nbtest${++roomCount}`, names, { forwarding: 'trimmed' });
  started.push(...trio);
  await until(
    async () => (await reportsOf(trio)).every((r) => r.webrtcPeers === 2 && r.reportedLinks === 4),
    'a full mesh of three, reports exchanged',
  );
  return trio;
}

async function converged(list: readonly NodeSyncMember[], scriptLength: number): Promise<NodeSyncMemberReport[]> {
  let reports: NodeSyncMemberReport[] = [];
  await until(async () => {
    reports = await reportsOf(list, true);
    return reports.every((r) => r.scriptLength === scriptLength && r.stateVector === reports[0]?.stateVector);
  }, `every member holding ${scriptLength} characters`);
  return reports;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('forwarding with neighbour reports, real members over WebRTC', () => {
  it('[TRN38] [TRN39] in a full mesh of three, each keystroke and cursor move is heard once, from its typist', async () => {
    const trio = await fullMeshOfThree(['A', 'B', 'C']);
    const [a] = trio as [NodeSyncMember];
    const before = await reportsOf(trio);
    await a.typeFor(20, 500);
    await converged(trio, 10);
    // A forward from B to C (or C to B) would arrive after C holds the text: give it time to.
    await settle(FORWARD_SETTLE_MS);
    const after = await reportsOf(trio);
    for (const i of [1, 2]) {
      const [was, now] = [before[i] as NodeSyncMemberReport, after[i] as NodeSyncMemberReport];
      // Ten keystrokes, ten updates, all from A; y-webrtc (and the trim without reports) sends each twice more.
      expect(now.received['sync-update'] - was.received['sync-update']).toBe(10);
      expect(now.updatesNotForwarded - was.updatesNotForwarded).toBe(10);
      expect(now.awarenessNotForwarded - was.awarenessNotForwarded).toBeGreaterThan(0);
      expect(now.rejected).toBe(0);
    }
    await stopNodeSyncMembers(trio);
  }, 120_000);

  it('[TRN40] a member whose link to the typist died right after it reported it live still gets what was typed, through the third', async () => {
    const trio = await fullMeshOfThree(['X', 'B', 'Y']);
    const [x, b, y] = trio as [NodeSyncMember, NodeSyncMember, NodeSyncMember];
    await x.type('before\n');
    await converged(trio, 'before\n'.length);
    const xId = (await x.report()).rtcId;
    const skippedBefore = (await b.report()).updatesNotForwarded;
    // The X-Y link dies silently: what X sends Y is lost, and Y's last report still lists X.
    await y.mute(xId);
    await x.type('lost\n');
    await until(async () => (await b.report()).scriptLength === 'before\nlost\n'.length, 'B holding the line');
    // B did not forward it: Y reported a live link to X.
    expect((await b.report()).updatesNotForwarded).toBeGreaterThan(skippedBefore);
    expect((await y.report()).scriptLength).toBe('before\n'.length);
    // Y notices the link is gone; with maxConns 1 it does not connect to X again.
    await y.drop({ to: xId, maxConns: 1 });
    const reports = await converged(trio, 'before\nlost\n'.length);
    const [, , ry] = reports as [NodeSyncMemberReport, NodeSyncMemberReport, NodeSyncMemberReport];
    expect(ry.webrtcPeers).toBe(1);
    expect(ry.resyncsAsked).toBeGreaterThanOrEqual(1);
    // And B forwards X's next line to Y now.
    await x.type('after\n');
    await converged(trio, 'before\nlost\nafter\n'.length);
    await stopNodeSyncMembers(trio);
  }, 120_000);

  it('[TRN38] abuse: malformed reports are counted and ignored, not refused or thrown, and the sender is forwarded to again', async () => {
    const trio = await fullMeshOfThree(['A', 'B', 'C']);
    const [a, b, c] = trio as [NodeSyncMember, NodeSyncMember, NodeSyncMember];
    const valid = writeNeighbourReport(['x']);
    const malformed = [
      new Uint8Array(MAX_NEIGHBOURS_BYTES + 1).fill(MESSAGE_NEIGHBOURS),
      new Uint8Array([MESSAGE_NEIGHBOURS, 99, 0]),
      valid.subarray(0, valid.byteLength - 1),
      new Uint8Array([MESSAGE_NEIGHBOURS, 1, 1, 2, 0xc3, 0x28]),
      new Uint8Array([MESSAGE_NEIGHBOURS]),
    ];
    for (const message of malformed) await c.sendRaw(message);
    await until(
      async () => (await reportsOf([a, b])).every((r) => r.reportsIgnored === malformed.length),
      'both others ignoring the five',
    );
    const before = await c.report();
    await a.type('ab');
    await converged(trio, 2);
    await settle(FORWARD_SETTLE_MS);
    const after = await reportsOf(trio);
    // B forgot C's report: A's one update reaches C from A and again from B (correct before efficient).
    expect((after[2] as NodeSyncMemberReport).received['sync-update'] - before.received['sync-update']).toBe(2);
    for (const report of after) expect(report.rejected).toBe(0);
    await stopNodeSyncMembers(trio);
  }, 120_000);
});

describe('BroadcastChannel between tabs of one browser', () => {
  /**
   * One provider (the tab under test) with no signaling, and two BroadcastChannels on its room's
   * name standing for two other tabs: "tab 2" posts (through `post`), "tab 3" hears both and keeps
   * the type byte of each message beyond tab 2's own.
   */
  async function republished(
    trim: boolean,
    send: (post: (message: Uint8Array) => void, doc: Y.Doc) => void,
  ): Promise<number[]> {
    const doc = new Y.Doc();
    const topic = `nbtest-bc-${++roomCount}`;
    const provider = new WebrtcProvider(topic, doc, { signaling: [], awareness: new Awareness(doc) });
    const trimmed = trim ? trimRtcForwarding(provider) : undefined;
    await provider.key;
    const tab2 = new BroadcastChannel(topic);
    const tab3 = new BroadcastChannel(topic);
    // Tab 2's own messages, each heard once by tab 3; a republished one has the same bytes.
    const posted = new Map<string, number>();
    const heard: number[] = [];
    tab3.onmessage = (event: MessageEvent<Uint8Array>) => {
      const message = new Uint8Array(event.data);
      const key = message.toString();
      const unheard = posted.get(key) ?? 0;
      if (unheard > 0) posted.set(key, unheard - 1);
      else heard.push(message[0] ?? -1);
    };
    await settle(200);
    heard.length = 0;
    send((message) => {
      posted.set(message.toString(), (posted.get(message.toString()) ?? 0) + 1);
      tab2.postMessage(message);
    }, doc);
    await settle(300);
    tab2.close();
    tab3.close();
    trimmed?.stop();
    provider.destroy();
    doc.destroy();
    return heard;
  }

  const syncUpdate = (update: Uint8Array) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeUpdate(encoder, update);
    return encoding.toUint8Array(encoder);
  };
  /** Two updates of another tab's document: the second depends on the first. */
  const twoUpdates = () => {
    const other = new Y.Doc();
    const updates: Uint8Array[] = [];
    other.on('update', (update: Uint8Array) => updates.push(update));
    other.getText('script').insert(0, 'first');
    other.getText('script').insert(5, ' second');
    return updates as [Uint8Array, Uint8Array];
  };

  it('[TRN41] an update and a presence change from another tab are not published on the BroadcastChannel again', async () => {
    const other = new Awareness(new Y.Doc());
    other.setLocalStateField('user', { name: 'Tab 2', color: '#112233' });
    const send = (post: (message: Uint8Array) => void) => {
      post(syncUpdate(twoUpdates()[0]));
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 1);
      encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(other, [other.clientID]));
      post(encoding.toUint8Array(encoder));
    };
    // y-webrtc as it is sends both on to every tab (a sync message, type 0, and an awareness one, type 1).
    expect((await republished(false, send)).sort()).toEqual([0, 1]);
    expect(await republished(true, send)).toEqual([]);
  });

  it('[TRN41] an update that let a pending one integrate is still published: the other tabs may lack the pending part', async () => {
    let held = '';
    const send = (post: (message: Uint8Array) => void, doc: Y.Doc) => {
      const [first, second] = twoUpdates();
      // The second arrives from elsewhere first (a peer, say): it waits for the first, which then comes over the channel.
      Y.applyUpdate(doc, second, 'elsewhere');
      post(syncUpdate(first));
      setTimeout(() => {
        held = doc.getText('script').toString();
      }, 200);
    };
    expect(await republished(true, send)).toEqual([0]);
    expect(held).toBe('first second');
  });
});

// [TRN12] Room members in Node send their poses over WebRTC: two Node peers
// (each its own process, node-pose-peer.ts) open one room on the real server,
// y-webrtc on the app's peer over node-datachannel connects them through the
// server's signaling with `iceServers: []`, and each hears the other's pose
// batches over a `webrtc` link, the link its poses use. Without the session's
// injected WebRTC implementation (RoomSessionOptions.wrtc) Node has no
// RTCPeerConnection, and poses would only come over the relay.
import { afterEach, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/helpers.ts';
import { type NodePosePeer, startNodePosePeers, stopNodePosePeers } from './node-pose-peers.ts';

let server: TestServer | undefined;
let peers: NodePosePeer[] = [];
afterEach(async () => {
  await stopNodePosePeers(peers);
  peers = [];
  await server?.close();
});

const TIMEOUT_MS = 40_000;
/** Batches each must have heard over WebRTC: half a second of poses at 60 Hz. */
const WEBRTC_BATCHES = 30;

it(
  '[TRN12] two room members in Node send each other poses over WebRTC (node-datachannel)',
  async () => {
    server = await startTestServer();
    peers = await startNodePosePeers(server.url, 'nodeposepeers1', ['Ann', 'Bob'], { webrtc: true });
    const deadline = Date.now() + TIMEOUT_MS;
    let reports = await Promise.all(peers.map((peer) => peer.report()));
    const done = () =>
      reports.every(
        (report) =>
          report.transports.length === 1 &&
          report.transports[0]?.transport === 'webrtc' &&
          (report.batchesIn.webrtc ?? 0) >= WEBRTC_BATCHES,
      );
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`not over WebRTC in ${TIMEOUT_MS} ms: ${JSON.stringify(reports)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      reports = await Promise.all(peers.map((peer) => peer.report()));
    }
    const [ann, bob] = reports;
    expect(ann?.transports[0]?.peerId).toBe(bob?.peerId);
    expect(bob?.transports[0]?.peerId).toBe(ann?.peerId);
  },
  TIMEOUT_MS + 80_000,
);

it(
  '[TRN24] benchmark senders started without the mesh send poses to a member who joins later, not to each other',
  async () => {
    server = await startTestServer();
    const senders = await startNodePosePeers(server.url, 'nodeposepeers2', ['Sender 1', 'Sender 2'], {
      webrtc: true,
      mesh: false,
    });
    peers = senders;
    const [receiver] = await startNodePosePeers(server.url, 'nodeposepeers2', ['Receiver'], { webrtc: true });
    if (!receiver) throw new Error('no receiver');
    peers = [...senders, receiver];
    const deadline = Date.now() + TIMEOUT_MS;
    const read = () => Promise.all([receiver.report(), ...senders.map((peer) => peer.report())]);
    let [heard, ...sent] = await read();
    const done = () =>
      heard?.transports.length === 2 &&
      heard.transports.every((t) => t.transport === 'webrtc') &&
      (heard.batchesIn.webrtc ?? 0) >= 2 * WEBRTC_BATCHES &&
      sent.every((report) => (report.batchesOut[0]?.batches ?? 0) >= WEBRTC_BATCHES);
    while (!done()) {
      if (Date.now() > deadline)
        throw new Error(`not over WebRTC in ${TIMEOUT_MS} ms: ${JSON.stringify([heard, sent])}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      [heard, ...sent] = await read();
    }
    // Each sender's pose channel knows the receiver alone, and its batches went to it alone.
    for (const report of sent) {
      expect(report.transports.map((t) => t.peerId)).toEqual([receiver.peerId]);
      expect(report.batchesOut.map((out) => out.peerId)).toEqual([receiver.peerId]);
      expect(report.batchesIn.webrtc ?? 0).toBeGreaterThan(0);
    }
    expect(heard?.transports.map((t) => t.peerId).sort()).toEqual(senders.map((peer) => peer.peerId).sort());
  },
  TIMEOUT_MS + 120_000,
);

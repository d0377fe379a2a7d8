/**
 * Room document size and server-side loading, in Node (no browser):
 *
 *   sync.doc_bytes_after_1h_edits       the room as the server stores it after a simulated
 *                                       hour of editing and compaction (one snapshot row)
 *   sync.update_log_bytes_1h            the same hour kept as an uncompacted update log
 *   sync.json_snapshot_bytes_1h         the obvious alternative: final script + object state
 *                                       as JSON (no history, no merging)
 *   sync.store_file_bytes_after_1h      the SQLite file after compaction and VACUUM
 *   sync.late_join_doc_bytes            the 1000-line / 500-object room as one Yjs update
 *   sync.late_join_json_bytes           the same room as JSON
 *   sync.late_join_node_ms              a fresh Node client joins that room on the real
 *                                       server until synced (median of runs)
 *   sync.late_join_apply_ms             of which applying the update through the gate
 *   sync.edit_to_remote_node_{median,p95}_ms
 *                                       one keystroke into the 1000-line script in client A
 *                                       to client B's Y.Text observer, both Node clients of
 *                                       the real server (the sync path without a browser)
 *   sync.bytes_per_keystroke            the Yjs update one keystroke sends (median)
 *   sync.bytes_per_keystroke_full_text  the obvious alternative: resend the whole script
 *                                       (as JSON) on every keystroke
 *   sync.rtc_*                          what room members send each other over y-webrtc's data
 *                                       channels (docs/transports.md TRN30-TRN33): each member its
 *                                       own Node process running the page's RoomSession (gate,
 *                                       presence renewing every second), y-webrtc on the app's peer
 *                                       over node-datachannel, WebRTC only (no server sync), counted
 *                                       by the app's peer on y-webrtc's channel; every figure twice
 *                                       in the same run: as the app sends now, and with the suffix
 *                                       `_as_is`, y-webrtc as it is (RoomSessionOptions.rtcForwarding)
 *   sync.rtc_late_join_{member_received,newcomer_sent}_{msgs,bytes}
 *                                       a newcomer joins one member holding the 152 KB room, until
 *                                       both hold the same document and 1 s more: what the member
 *                                       received and what the newcomer sent
 *   sync.rtc_late_join_member_main_thread_ms
 *                                       the member's main-thread busy time over that join (Node's
 *                                       event-loop utilization: the JavaScript a page's main thread
 *                                       would run; the data channel's own threads are not in it)
 *   sync.rtc_room8_{received,sent}_{msgs,bytes}_per_s
 *                                       8 members sitting in a room for 10 s (all connected, all in
 *                                       each other's presence lists): per member, the mean
 *   sync.rtc_room8_main_thread_pct      per member, main-thread busy share over those 10 s (%)
 *   sync.rtc_room8_cpu_pct              per member, the process's CPU (all its threads, node-
 *                                       datachannel's included) over those 10 s (% of one core)
 *   sync.rtc_room8_typing_{received,sent}_{msgs,bytes}_per_s, _main_thread_pct, _cpu_pct
 *                                       the same 8 members while one of them types 20 keystrokes
 *                                       a second for 10 s, its cursor moving in presence with each
 *                                       (as the editor does): per member, the mean. The room
 *                                       figures are also taken a third time, with the suffix
 *                                       `_no_topology`: the trim without neighbour reports
 *                                       (TRN30-TRN33 only; TRN38-TRN40 are what it leaves out)
 *
 * The simulated hour (seeded): three people; two type in bursts (about 2.5
 * keystrokes per second while typing, cursor jumps, backspaces, pasted and
 * deleted lines) starting from the 1000-line scene; objects are dragged
 * (20 transform updates per second while dragging, about 10% of the hour) and
 * handlers change state every few seconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import { RoomDoc } from '../app/sync/doc/room-doc.ts';
import { UpdateGate } from '../app/sync/gate/update-gate.ts';
import { createLogger } from '../server/log.ts';
import { SignalingServer } from '../server/signaling.ts';
import { startTestServer } from '../server/test/helpers.ts';
import { connectTestClient } from '../server/test/sync-client.ts';
import { DEFAULT_ROOM_SYNC_LIMITS } from '../server/yjs/limits.ts';
import { LiveRoom } from '../server/yjs/live-room.ts';
import { updateMessage } from '../server/yjs/messages.ts';
import { RoomStore } from '../server/yjs/room-store.ts';
import { object } from '../testing/ids.ts';
import type { NodeSyncMemberReport } from '../testing/sync/node-sync-member.ts';
import { startNodeSyncMembers, stopNodeSyncMembers, until } from '../testing/sync/node-sync-members.ts';
import { median, p95 } from './harness/stats.ts';
import { fillLateJoinRoom, generateScene } from './harness/sync-fixtures.ts';
import type { Benchmark } from './harness/types.ts';

const HOUR_S = 3600;
const TICK_S = 0.05;
const LATE_JOIN_RUNS = 15;
const KEYSTROKES = 200;

interface HourResult {
  compactedBytes: number;
  logBytes: number;
  jsonBytes: number;
  fileBytes: number;
}

/** Three clients with an ideal network between them and the server's LiveRoom. */
function simulateHour(): HourResult {
  const gen = prng.create(2024);
  const dir = mkdtempSync(path.join(tmpdir(), 'holoroom-bench-'));
  const store = new RoomStore(dir);
  const live = new LiveRoom(
    'benchhour1',
    store,
    createLogger('error', () => {}),
    DEFAULT_ROOM_SYNC_LIMITS,
    { send() {}, broadcast() {}, challenge() {} },
  );
  const peer = 1;
  live.join(peer);
  // Fixed ids of the size Yjs picks at random (up to 32 bits), so byte counts repeat run to run.
  const docs = [1_837_462_911, 2_094_113_507, 903_218_774].map((clientID) => {
    const doc = new Y.Doc();
    doc.clientID = clientID;
    return doc;
  });
  const clients = docs.map((doc) => new RoomDoc(doc));
  let logBytes = 0;
  for (const [index, doc] of docs.entries()) {
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'relay') return;
      logBytes += update.byteLength;
      for (const [other, target] of docs.entries()) if (other !== index) Y.applyUpdate(target, update, 'relay');
      const violation = live.receive(peer, updateMessage(update));
      if (violation) throw new Error(`server refused an honest update: ${violation.reason}`);
    });
  }
  const { script, objectIds } = generateScene(1000);
  clients[0]?.replaceScript(script);

  const typists = [0, 1].map(() => ({ cursor: prng.int32(gen, 0, script.length), typingUntil: 0, dragging: '' }));
  for (let t = 0; t < HOUR_S; t += TICK_S) {
    for (const [i, typist] of typists.entries()) {
      const room = clients[i] as RoomDoc;
      if (t >= typist.typingUntil && prng.real53(gen) < TICK_S / 20) typist.typingUntil = t + prng.int32(gen, 5, 40);
      if (t < typist.typingUntil && prng.real53(gen) < 2.5 * TICK_S) {
        const length = room.scriptLength;
        typist.cursor = Math.min(typist.cursor, length);
        const roll = prng.real53(gen);
        if (roll < 0.8) room.editScript(typist.cursor++, 0, prng.oneOf(gen, [...'abcdefghij {}:,"0123456789\n']));
        else if (roll < 0.95 && typist.cursor > 0) room.editScript(--typist.cursor, 1);
        else if (roll < 0.97) room.editScript(typist.cursor, 0, '  object "Pasted" { geometry: "box" }\n'.repeat(3));
        else if (roll < 0.99 && length > 200) room.editScript(Math.max(0, typist.cursor - 40), 40);
        else typist.cursor = prng.int32(gen, 0, length);
      }
    }
    const mover = clients[2] as RoomDoc;
    const dragger = typists[0] as { dragging: string };
    if (!dragger.dragging && prng.real53(gen) < TICK_S / 30) dragger.dragging = prng.oneOf(gen, objectIds);
    if (dragger.dragging) {
      mover.setTransform(object(dragger.dragging), {
        position: [prng.real53(gen), 1 + prng.real53(gen), prng.real53(gen)],
        rotation: [0, prng.int32(gen, 0, 359), 0],
        scale: [1, 1, 1],
      });
      if (prng.real53(gen) < TICK_S / 3) dragger.dragging = '';
    }
    if (prng.real53(gen) < TICK_S / 4)
      mover.setStateValue(object(prng.oneOf(gen, objectIds)), 'count', prng.int32(gen, 0, 999));
  }

  live.leave(peer);
  live.unload();
  const compactedBytes = store.size('benchhour1').bytes;
  const final = clients[0] as RoomDoc;
  const jsonBytes = Buffer.byteLength(
    JSON.stringify({ script: final.scriptText(), objects: (docs[0] as Y.Doc).getMap('objects').toJSON() }),
  );
  store.vacuum();
  const fileBytes = store.fileBytes();
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return { compactedBytes, logBytes, jsonBytes, fileBytes };
}

async function measureLateJoin(): Promise<Record<string, number>> {
  const server = await startTestServer();
  const roomId = 'benchlatejoin1';
  const writer = connectTestClient(server.url, roomId);
  await writer.synced();
  const room = new RoomDoc(writer.doc);
  const { script } = fillLateJoinRoom(room);
  const docBytes = Y.encodeStateAsUpdate(writer.doc).byteLength;
  const jsonBytes = Buffer.byteLength(JSON.stringify({ script, objects: writer.doc.getMap('objects').toJSON() }));
  // Wait until the server holds all of it.
  const deadline = Date.now() + 20_000;
  const serverCopy = async () => {
    const doc = new Y.Doc();
    const inspection = await server.roomSync.inspect(roomId);
    if (inspection) Y.applyUpdate(doc, inspection.update);
    return doc;
  };
  while ((await serverCopy()).getText('script').length !== script.length) {
    if (Date.now() > deadline) throw new Error('server never received the room');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  writer.destroy();

  const joins: number[] = [];
  for (let run = 0; run < LATE_JOIN_RUNS; run++) {
    const t0 = performance.now();
    const reader = connectTestClient(server.url, roomId);
    await reader.synced(20_000);
    joins.push(performance.now() - t0);
    if (reader.doc.getText('script').length !== script.length) throw new Error('late joiner got a different script');
    reader.destroy();
  }

  const full = Y.encodeStateAsUpdate(await serverCopy());
  const applies: number[] = [];
  for (let run = 0; run < LATE_JOIN_RUNS; run++) {
    const doc = new Y.Doc();
    const gate = new UpdateGate(doc);
    const t0 = performance.now();
    gate.apply(full, 'bench');
    applies.push(performance.now() - t0);
    gate.destroy();
  }
  await server.close();
  return {
    'sync.late_join_doc_bytes': docBytes,
    'sync.late_join_json_bytes': jsonBytes,
    'sync.late_join_node_ms': median(joins),
    'sync.late_join_apply_ms': median(applies),
  };
}

/** Keystrokes through the real server between two Node clients. */
async function measureKeystrokes(): Promise<Record<string, number>> {
  const server = await startTestServer();
  const roomId = 'benchkeys1';
  const a = connectTestClient(server.url, roomId);
  const b = connectTestClient(server.url, roomId);
  await Promise.all([a.synced(), b.synced()]);
  const textA = a.doc.getText('script');
  const textB = b.doc.getText('script');
  textA.insert(0, generateScene(1000).script);
  while (textB.length !== textA.length) await new Promise((resolve) => setTimeout(resolve, 10));

  const gen = prng.create(7);
  const sizes: number[] = [];
  const fullText: number[] = [];
  const latencies: number[] = [];
  a.doc.on('update', (update: Uint8Array) => sizes.push(update.byteLength));
  for (let i = 0; i < KEYSTROKES; i++) {
    const arrived = new Promise<number>((resolve) => {
      const onChange = () => {
        textB.unobserve(onChange);
        resolve(performance.now());
      };
      textB.observe(onChange);
    });
    const t0 = performance.now();
    textA.insert(prng.int32(gen, 0, textA.length), 'x');
    latencies.push((await arrived) - t0);
    fullText.push(Buffer.byteLength(JSON.stringify({ script: textA.toString() })));
  }
  a.destroy();
  b.destroy();
  await server.close();
  return {
    'sync.edit_to_remote_node_median_ms': median(latencies),
    'sync.edit_to_remote_node_p95_ms': p95(latencies),
    'sync.bytes_per_keystroke': median(sizes),
    'sync.bytes_per_keystroke_full_text': median(fullText),
  };
}

const ROOM_MEMBERS = 8;
const SIT_MS = 10_000;
const SETTLE_MS = 1_000;
const TYPING_PER_S = 20;
const TYPING_MS = 10_000;

type Forwarding = 'trimmed' | 'without-topology' | 'y-webrtc';

/** Signaling on loopback, port 0: the server's own `/signal` handler, nothing else. */
async function startSignaling(): Promise<{ url: string; close(): Promise<void> }> {
  const httpServer = createServer();
  const signaling = new SignalingServer(createLogger('error', () => {}));
  httpServer.on('upgrade', (req, socket, head) => signaling.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(httpServer.address() as AddressInfo).port}/signal`,
    close: async () => {
      signaling.close();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

/** One member holds the 152 KB room; a newcomer joins it over WebRTC. */
async function rtcLateJoin(signalingUrl: string, roomId: string, forwarding: Forwarding) {
  const seed = new Y.Doc();
  fillLateJoinRoom(new RoomDoc(seed));
  const [member] = await startNodeSyncMembers(signalingUrl, roomId, ['Member'], { forwarding });
  if (!member) throw new Error('no member');
  const members = [member];
  try {
    await member.apply(Y.encodeStateAsUpdate(seed));
    const before = await member.report();
    const [newcomer] = await startNodeSyncMembers(signalingUrl, roomId, ['Newcomer'], { forwarding });
    if (!newcomer) throw new Error('no newcomer');
    members.push(newcomer);
    await until(async () => {
      const [m, n] = await Promise.all([member.report(), newcomer.report()]);
      return m.webrtcPeers === 1 && n.stateVector === m.stateVector && n.scriptLength === m.scriptLength;
    }, 'the newcomer holding the room');
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const [after, joined] = await Promise.all([member.report(), newcomer.report()]);
    return {
      memberReceivedMsgs: after.receivedMessages - before.receivedMessages,
      memberReceivedBytes: after.receivedBytes - before.receivedBytes,
      newcomerSentMsgs: joined.sentMessages,
      newcomerSentBytes: joined.sentBytes,
      memberMainThreadMs: after.mainThreadBusyMs - before.mainThreadBusyMs,
    };
  } finally {
    await stopNodeSyncMembers(members);
  }
}

/** What members sent and received over a stretch of time: per member, the mean. */
function perMember(before: NodeSyncMemberReport[], after: NodeSyncMemberReport[], ms: number) {
  const seconds = ms / 1000;
  const mean = (pick: (r: NodeSyncMemberReport) => number) =>
    after.reduce((sum, r, i) => sum + pick(r) - pick(before[i] as NodeSyncMemberReport), 0) / after.length;
  return {
    receivedMsgsPerS: mean((r) => r.receivedMessages) / seconds,
    receivedBytesPerS: mean((r) => r.receivedBytes) / seconds,
    sentMsgsPerS: mean((r) => r.sentMessages) / seconds,
    sentBytesPerS: mean((r) => r.sentBytes) / seconds,
    mainThreadPct: (mean((r) => r.mainThreadBusyMs) / ms) * 100,
    cpuPct: (mean((r) => r.cpuMs) / ms) * 100,
  };
}

/** ROOM_MEMBERS members sit in a room for SIT_MS, then one types for TYPING_MS; per member means of each. */
async function rtcRoom(signalingUrl: string, roomId: string, forwarding: Forwarding) {
  const names = Array.from({ length: ROOM_MEMBERS }, (_, i) => `Member ${i + 1}`);
  const members = await startNodeSyncMembers(signalingUrl, roomId, names, { forwarding });
  try {
    const all = () => Promise.all(members.map((m) => m.report()));
    await until(
      async () => (await all()).every((r) => r.webrtcPeers === ROOM_MEMBERS - 1 && r.presentPeers === ROOM_MEMBERS - 1),
      `${ROOM_MEMBERS} members connected and present`,
      90_000,
    );
    // Neighbour reports are sent as connections open: settled once every member holds the others' (TRN38).
    if (forwarding === 'trimmed') {
      const links = (ROOM_MEMBERS - 1) * (ROOM_MEMBERS - 1);
      await until(async () => (await all()).every((r) => r.reportedLinks >= links), 'neighbour reports', 30_000);
    }
    const sitBefore = await all();
    let t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, SIT_MS));
    const sitAfter = await all();
    const sitting = perMember(sitBefore, sitAfter, performance.now() - t0);
    t0 = performance.now();
    await members[0]?.typeFor(TYPING_PER_S, TYPING_MS);
    const typingAfter = await all();
    const typing = perMember(sitAfter, typingAfter, performance.now() - t0);
    return { sitting, typing };
  } finally {
    await stopNodeSyncMembers(members);
  }
}

/** TRN30-TRN33, TRN38-TRN41: the same scenes with y-webrtc as it is, the trim without neighbour reports and as the app sends, in one run. */
async function measureRtcForwarding(): Promise<Record<string, number>> {
  const signaling = await startSignaling();
  const metrics: Record<string, number> = {};
  const SUFFIXES: Record<Forwarding, string> = {
    'y-webrtc': '_as_is',
    'without-topology': '_no_topology',
    trimmed: '',
  };
  try {
    for (const forwarding of ['y-webrtc', 'without-topology', 'trimmed'] as const) {
      const suffix = SUFFIXES[forwarding];
      // Two members: neighbour reports change nothing there.
      if (forwarding !== 'without-topology') {
        const join = await rtcLateJoin(signaling.url, `benchrtcjoin${suffix}`, forwarding);
        metrics[`sync.rtc_late_join_member_received_msgs${suffix}`] = join.memberReceivedMsgs;
        metrics[`sync.rtc_late_join_member_received_bytes${suffix}`] = join.memberReceivedBytes;
        metrics[`sync.rtc_late_join_newcomer_sent_msgs${suffix}`] = join.newcomerSentMsgs;
        metrics[`sync.rtc_late_join_newcomer_sent_bytes${suffix}`] = join.newcomerSentBytes;
        metrics[`sync.rtc_late_join_member_main_thread_ms${suffix}`] = join.memberMainThreadMs;
      }
      const { sitting, typing } = await rtcRoom(signaling.url, `benchrtcroom${suffix}`, forwarding);
      for (const [scene, figures] of [
        ['room8', sitting],
        ['room8_typing', typing],
      ] as const) {
        metrics[`sync.rtc_${scene}_received_msgs_per_s${suffix}`] = figures.receivedMsgsPerS;
        metrics[`sync.rtc_${scene}_received_bytes_per_s${suffix}`] = figures.receivedBytesPerS;
        metrics[`sync.rtc_${scene}_sent_msgs_per_s${suffix}`] = figures.sentMsgsPerS;
        metrics[`sync.rtc_${scene}_sent_bytes_per_s${suffix}`] = figures.sentBytesPerS;
        metrics[`sync.rtc_${scene}_main_thread_pct${suffix}`] = figures.mainThreadPct;
        metrics[`sync.rtc_${scene}_cpu_pct${suffix}`] = figures.cpuPct;
      }
      console.log(`sync-doc: ${forwarding} measured at load ${loadavg()[0]?.toFixed(2)}`);
    }
  } finally {
    await signaling.close();
  }
  return metrics;
}

const syncDoc: Benchmark = async () => {
  const hour = simulateHour();
  return {
    'sync.doc_bytes_after_1h_edits': hour.compactedBytes,
    'sync.update_log_bytes_1h': hour.logBytes,
    'sync.json_snapshot_bytes_1h': hour.jsonBytes,
    'sync.store_file_bytes_after_1h': hour.fileBytes,
    ...(await measureLateJoin()),
    ...(await measureKeystrokes()),
    ...(await measureRtcForwarding()),
  };
};

export default syncDoc;

/**
 * The pose channel against the alternatives, side by side in one run:
 *   - bytes: one moving avatar (head + two hands) as pose entries vs as a Yjs
 *     awareness update (what a Yjs-only app would send);
 *   - two real browsers (separate contexts) in one room over WebRTC, A's head
 *     moving every frame for MEASURE_MS: one-way latency p50/p95 (send time to
 *     receipt, clock offset from PING/PONG), received rate, time from B's page
 *     start to the first pose (any transport, and over WebRTC);
 *   - the same motion through awareness: latency p95;
 *   - the WebRTC design choice (docs/transports.md): the pose channel
 *     pre-negotiated on y-webrtc's connection vs a separate mesh (its own
 *     RTCPeerConnection signalled through the same /signal server), started
 *     when the app starts y-webrtc, in the same pages: connect time and latency.
 */
import type { Page } from 'playwright-core';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { PoseChannel } from '../app/pose/channel.ts';
import type { PoseLink } from '../app/pose/transports/link.ts';
import { BATCH_HEADER_BYTES, KIND_BATCH, PART_HEAD, PART_LEFT, PART_RIGHT } from '../app/pose/wire/protocol.ts';
import { launchBrowser, newContext } from '../e2e/harness/browser.ts';
import { startServerProcess } from '../e2e/harness/server.ts';
import { peer } from '../testing/ids.ts';
import { median, p95 } from './harness/stats.ts';
import type { Benchmark } from './harness/types.ts';

const MEASURE_MS = 10_000;
const CONNECT_TIMEOUT_MS = 60_000;

/** A plausible avatar pose at time t (seconds). */
function avatarAt(t: number) {
  const yaw = t * 0.8;
  const q = { x: 0, y: Math.sin(yaw / 2), z: 0, w: Math.cos(yaw / 2) };
  return {
    head: { p: { x: Math.sin(t) * 2, y: 1.65 + Math.sin(t * 3) * 0.02, z: Math.cos(t) * 2 }, q },
    left: { p: { x: Math.sin(t) * 2 - 0.25, y: 1.1, z: Math.cos(t) * 2 - 0.2 }, q },
    right: {
      p: { x: Math.sin(t) * 2 + 0.25, y: 1.15, z: Math.cos(t) * 2 - 0.25 },
      q: { x: 0.1, y: q.y, z: 0.05, w: q.w },
    },
  };
}

/** Bytes of one moving avatar's batch, through the real channel and scheduler. */
function poseBytes(): { entries: number; message: number } {
  const sent: Uint8Array[] = [];
  let now = 5000;
  const channel = new PoseChannel({
    selfId: peer(1),
    identity: () => ({ name: 'a', color: '#000000' }),
    clock: { now: () => now },
  });
  const link: PoseLink = {
    kind: 'webrtc',
    peerId: peer(2),
    send: (bytes) => {
      sent.push(bytes.slice());
      return true;
    },
  };
  channel.linkUp(link);
  const sizes: number[] = [];
  for (let i = 0; i < 120; i++) {
    const pose = avatarAt(i / 60);
    channel.setAvatarPart(PART_HEAD, pose.head.p, pose.head.q);
    channel.setAvatarPart(PART_LEFT, pose.left.p, pose.left.q);
    channel.setAvatarPart(PART_RIGHT, pose.right.p, pose.right.q);
    sent.length = 0;
    now += 1000 / 60;
    channel.tick();
    const batch = sent.find((bytes) => bytes[1] === KIND_BATCH);
    if (batch && i > 60) sizes.push(batch.length);
  }
  const message = median(sizes);
  return { entries: message - BATCH_HEADER_BYTES, message };
}

/** Bytes of the same avatar as a Yjs awareness update (plus y-webrtc's 1-byte type and length varint). */
function awarenessBytes(): number {
  const awareness = new Awareness(new Y.Doc());
  const sizes: number[] = [];
  for (let i = 0; i < 60; i++) {
    const pose = avatarAt(i / 60);
    awareness.setLocalStateField('pose', { ...pose, t: 1_780_000_000_000 + i * 16.7 });
    const update = encodeAwarenessUpdate(awareness, [awareness.clientID]);
    sizes.push(update.length + 1 + (update.length < 128 ? 1 : 2));
  }
  awareness.destroy();
  return median(sizes);
}

/** Separate-mesh probe: its own RTCPeerConnection per page, signalled through /signal at page load. */
const SEPARATE_MESH = (role: 'a' | 'b', topic: string) => `(() => {
  const role = ${JSON.stringify(role)};
  const topic = ${JSON.stringify(topic)};
  const mesh = (window.__mesh = { openAt: 0, startAt: 0, rtts: [] });
  // Start when the app starts y-webrtc (the room session exists), so both race from the same line.
  const start = () => {
  if (!(window.__holoroom && window.__holoroom.session)) return setTimeout(start, 5);
  mesh.startAt = performance.now();
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/signal');
  const pc = new RTCPeerConnection({ iceServers: [] });
  const dc = pc.createDataChannel('mesh', { negotiated: true, id: 9, ordered: false, maxRetransmits: 0 });
  dc.binaryType = 'arraybuffer';
  mesh.dc = dc;
  const pending = [];
  const send = (data) => ws.send(JSON.stringify({ type: 'publish', topic, data: { ...data, from: role } }));
  pc.onicecandidate = (e) => { if (e.candidate) send({ candidate: e.candidate.toJSON() }); };
  let offered = false;
  ws.onopen = () => { ws.send(JSON.stringify({ type: 'subscribe', topics: [topic] })); send({ hello: true }); };
  ws.onmessage = async (m) => {
    const msg = JSON.parse(m.data);
    if (msg.type !== 'publish' || !msg.data || msg.data.from === role) return;
    const d = msg.data;
    if (d.hello && role === 'b' && !d.reply) send({ hello: true, reply: true });
    if (d.hello && role === 'a' && !offered) {
      offered = true;
      await pc.setLocalDescription(await pc.createOffer());
      send({ sdp: pc.localDescription.toJSON() });
    }
    if (d.sdp) {
      await pc.setRemoteDescription(d.sdp);
      for (const c of pending.splice(0)) await pc.addIceCandidate(c).catch(() => {});
      if (d.sdp.type === 'offer') {
        await pc.setLocalDescription(await pc.createAnswer());
        send({ sdp: pc.localDescription.toJSON() });
      }
    }
    if (d.candidate) {
      if (pc.remoteDescription) await pc.addIceCandidate(d.candidate).catch(() => {});
      else pending.push(d.candidate);
    }
  };
  dc.onopen = () => { mesh.openAt = performance.now(); };
  dc.onmessage = (e) => {
    const v = new Float64Array(e.data)[0];
    if (role === 'b') dc.send(e.data);
    else mesh.rtts.push(performance.now() - v);
  };
  };
  start();
})();`;

interface PageStats {
  transport: string;
  batches: number;
  latencies: number[];
  firstAny: number;
  firstWebrtc: number;
  offsetMs: number;
}

async function readStats(page: Page, peerName: string): Promise<PageStats | undefined> {
  return page.evaluate((name) => {
    type Peer = { name: string; id: number; firstBatchAt: Record<string, number> };
    type Channel = {
      latencyLog: number[] | null;
      peers: Map<number, Peer>;
      stats(): { id: number; name: string; transport: string; clockOffsetMs: number }[];
    };
    const channel = (window as unknown as { __holoroom?: { pose?: { channel: Channel } } }).__holoroom?.pose?.channel;
    const peer = channel?.stats().find((s) => s.name === name);
    if (!channel || !peer) return undefined;
    const remote = channel.peers.get(peer.id);
    const origin = performance.timeOrigin;
    return {
      transport: peer.transport,
      batches: channel.latencyLog?.length ?? 0,
      latencies: channel.latencyLog ?? [],
      firstAny: Math.min(...Object.values(remote?.firstBatchAt ?? {})) - origin,
      firstWebrtc: (remote?.firstBatchAt.webrtc ?? Number.NaN) - origin,
      offsetMs: peer.clockOffsetMs,
    };
  }, peerName);
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`benchmark: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Moves A's head on a circle every frame (the head then changes every tick). It
 * moves the desktop view, which the renderer copies into the camera each frame
 * (docs/interaction.md DESK1): setting the camera itself would be overwritten.
 */
const MOVE_HEAD = () => {
  type View = { position: { set(x: number, y: number, z: number): void }; yaw: number; pitch: number };
  const handle = window as unknown as { __holoroom: { view?: View }; __benchMoving?: boolean };
  const view = handle.__holoroom.view;
  if (!view) throw new Error('benchmark: the page has no desktop view to move');
  handle.__benchMoving = true;
  const step = () => {
    if (!handle.__benchMoving) return;
    const t = performance.now() / 1000;
    view.position.set(Math.sin(t) * 3, 1.7, Math.cos(t) * 3);
    view.yaw = t; // facing the centre of the circle
    view.pitch = -0.1;
    requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
};

const pose: Benchmark = async () => {
  const bytes = poseBytes();
  const awarenessBytesPerAvatar = awarenessBytes();
  const server = await startServerProcess();
  const browser = await launchBrowser();
  try {
    const room = `benchpose${Date.now().toString(36)}`;
    const alice = await newContext(browser, { name: 'Alice' });
    const bob = await newContext(browser, { name: 'Bob' });
    // tsx compiles this file with esbuild's keepNames, which wraps functions passed to
    // page.evaluate in a `__name` helper that pages do not have.
    for (const context of [alice, bob]) await context.addInitScript('window.__name = (fn) => fn;');
    await alice.addInitScript(SEPARATE_MESH('a', `mesh:${room}`));
    await bob.addInitScript(SEPARATE_MESH('b', `mesh:${room}`));
    const pageA = await alice.newPage();
    const pageB = await bob.newPage();
    // A small viewport: this measures the network path, and software WebGL (no GPU here)
    // at full size would hold the render loop, and with it the 60 Hz tick, far below 60 fps.
    for (const page of [pageA, pageB]) await page.setViewportSize({ width: 320, height: 200 });
    await pageA.goto(`${server.url}/r/${room}`);
    await pageA.waitForFunction(
      () => (window as unknown as { __holoroom?: { interaction?: unknown } }).__holoroom?.interaction,
    );
    await pageA.evaluate(MOVE_HEAD);
    // B opens the link now: its connect times count from its own page start.
    await pageB.goto(`${server.url}/r/${room}`);
    // The HELLO names the link before A's first batch over it arrives: wait for the batch too.
    await waitFor(async () => {
      const stats = await readStats(pageB, 'Alice');
      return stats?.transport === 'webrtc' && Number.isFinite(stats.firstWebrtc);
    }, 'WebRTC poses from A to B');
    await waitFor(
      () => pageB.evaluate(() => ((window as unknown as { __mesh?: { openAt: number } }).__mesh?.openAt ?? 0) > 0),
      'the separate mesh to open',
    );
    const connect = (await readStats(pageB, 'Alice')) as PageStats;
    // B's renderer draws A's avatar once its join has settled and its renderer exists (ROOM6).
    await waitFor(
      () => pageB.evaluate(() => window.__holoroom?.timeline.has('first_avatar_drawn') === true),
      "B's renderer to draw A's avatar",
    );
    // Every phase of B's join, from B's session start (docs/transports.md, "Joining").
    const phases = await pageB.evaluate(() => window.__holoroom?.timeline.relative() ?? {});
    // Which of B's drawn frames first drew A (1: its renderer's first, DRAW9).
    const firstAvatarFrame = await pageB.evaluate(() => window.__holoroom?.frameStats.firstAvatarFrame ?? Number.NaN);
    // When A (the member) sent its offer and got the answer, on B's clock from B's session start:
    // separates the member's share of the handshake from the newcomer's.
    const sessionB = await pageB.evaluate(
      () => performance.timeOrigin + (window.__holoroom?.timeline.at('session_start') ?? Number.NaN),
    );
    const memberAt = await pageA.evaluate(() => ({
      offer: performance.timeOrigin + (window.__holoroom?.timeline.at('offer_sent') ?? Number.NaN),
      answer: performance.timeOrigin + (window.__holoroom?.timeline.at('answer_received') ?? Number.NaN),
    }));
    const meshOpenMs = await pageB.evaluate(() => (window as unknown as { __mesh: { openAt: number } }).__mesh.openAt);

    // 1. Poses over WebRTC, MEASURE_MS.
    await pageB.evaluate(() => {
      (
        window as unknown as { __holoroom: { pose: { channel: { latencyLog: number[] | null } } } }
      ).__holoroom.pose.channel.latencyLog = [];
    });
    const started = Date.now();
    // Meanwhile A pings B over the separate mesh at 60 Hz (its latency = RTT / 2).
    await pageA.evaluate((ms) => {
      const mesh = (window as unknown as { __mesh: { dc: RTCDataChannel } }).__mesh;
      const timer = setInterval(() => mesh.dc.send(new Float64Array([performance.now()])), 1000 / 60);
      setTimeout(() => clearInterval(timer), ms);
    }, MEASURE_MS);
    await new Promise((resolve) => setTimeout(resolve, MEASURE_MS));
    const elapsed = Date.now() - started;
    const measured = (await readStats(pageB, 'Alice')) as PageStats;
    if (measured.transport !== 'webrtc')
      throw new Error(`benchmark: poses moved to ${measured.transport} during the run`);
    // A resting head costs one keyframe a second (POSE7): fewer batches than twice that means A did not move.
    if (measured.batches < (2 * elapsed) / 1000)
      throw new Error(`benchmark: only ${measured.batches} batches in ${elapsed} ms; A's head did not move`);
    const meshLatencies = await pageA.evaluate(() =>
      (window as unknown as { __mesh: { rtts: number[] } }).__mesh.rtts.map((rtt) => rtt / 2),
    );

    // 2. The same motion through Yjs awareness (what a Yjs-only app does), MEASURE_MS.
    await pageB.evaluate(() => {
      type Awareness = {
        getStates(): Map<number, { benchPose?: { t: number } }>;
        on(event: 'change', fn: (change: { updated: number[] }) => void): void;
      };
      const w = window as unknown as {
        __holoroom: {
          session: { awareness: Awareness };
          pose: { channel: { stats(): { name: string; clockOffsetMs: number }[] } };
        };
        __awarenessLatencies: number[];
      };
      w.__awarenessLatencies = [];
      const awareness = w.__holoroom.session.awareness;
      awareness.on('change', ({ updated }) => {
        const now = performance.timeOrigin + performance.now();
        const offset = w.__holoroom.pose.channel.stats().find((s) => s.name === 'Alice')?.clockOffsetMs ?? 0;
        for (const id of updated) {
          const sent = awareness.getStates().get(id)?.benchPose?.t;
          if (sent !== undefined) w.__awarenessLatencies.push(now + offset - sent);
        }
      });
    });
    await pageA.evaluate((ms) => {
      type Awareness = { setLocalStateField(field: string, value: unknown): void };
      const awareness = (window as unknown as { __holoroom: { session: { awareness: Awareness } } }).__holoroom.session
        .awareness;
      const end = performance.now() + ms;
      const step = () => {
        if (performance.now() > end) return;
        const t = performance.now() / 1000;
        const q = { x: 0, y: Math.sin(t / 2), z: 0, w: Math.cos(t / 2) };
        awareness.setLocalStateField('benchPose', {
          head: { p: { x: Math.sin(t) * 2, y: 1.65, z: Math.cos(t) * 2 }, q },
          left: { p: { x: Math.sin(t) * 2 - 0.25, y: 1.1, z: Math.cos(t) * 2 }, q },
          right: { p: { x: Math.sin(t) * 2 + 0.25, y: 1.1, z: Math.cos(t) * 2 }, q },
          t: performance.timeOrigin + performance.now(),
        });
        requestAnimationFrame(step);
      };
      requestAnimationFrame(step);
    }, MEASURE_MS);
    await new Promise((resolve) => setTimeout(resolve, MEASURE_MS + 500));
    const awarenessLatencies = await pageB.evaluate(
      () => (window as unknown as { __awarenessLatencies: number[] }).__awarenessLatencies,
    );
    const frames = await pageA.evaluate(
      () => (window as unknown as { __holoroom: { frameStats: { frames: number } } }).__holoroom.frameStats.frames,
    );

    const result = {
      'pose.bytes_per_avatar': bytes.entries,
      'pose.message_bytes_per_avatar': bytes.message,
      'awareness.bytes_per_avatar': awarenessBytesPerAvatar,
      'pose.latency_p50_ms': median(measured.latencies),
      'pose.latency_p95_ms': p95(measured.latencies),
      'pose.rate_hz': measured.batches / (elapsed / 1000),
      'pose.connect_ms': connect.firstAny,
      'pose.webrtc_connect_ms': connect.firstWebrtc,
      'pose.separate_mesh_connect_ms': meshOpenMs,
      'pose.separate_mesh_latency_p50_ms': median(meshLatencies),
      'pose.separate_mesh_latency_p95_ms': p95(meshLatencies),
      'awareness.latency_p50_ms': median(awarenessLatencies),
      'awareness.latency_p95_ms': p95(awarenessLatencies),
      'pose.first_pose_after_session_ms': phases.first_pose ?? Number.NaN,
      'pose.first_avatar_drawn_after_session_ms': phases.first_avatar_drawn ?? Number.NaN,
      'pose.first_avatar_drawn_frame': firstAvatarFrame,
      'pose.webrtc_open_after_session_ms': phases.pose_channel_open ?? Number.NaN,
      ...Object.fromEntries(Object.entries(phases).map(([phase, ms]) => [`rtc.phase_${phase}_ms`, ms])),
      'rtc.member_offer_sent_ms': memberAt.offer - sessionB,
      'rtc.member_answer_received_ms': memberAt.answer - sessionB,
    };
    console.log(`pose: A rendered ${frames} frames; awareness samples ${awarenessLatencies.length}`);
    return result;
  } finally {
    await browser.close();
    await server.stop();
  }
};

export default pose;

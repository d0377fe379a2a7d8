// [TRN22] Every network phase of a WebRTC join is on the room's timeline
// (docs/transports.md, "Joining: where the time goes"): two room members in Node
// (node-pose-peer.ts, each its own process) join one room on the real server,
// y-webrtc on the app's peer over node-datachannel with `iceServers: []`. The
// benchmarks write `rtc.phase_<name>_ms` only for the phases a page recorded,
// so a phase that is never marked (a y-webrtc field renamed, an event the
// handshake observer no longer hears) would silently leave its metric out.
import { afterEach, expect, it } from 'vitest';
import type { ConnectPhase } from '../../app/core/connect-timeline.ts';
import { startTestServer, type TestServer } from '../../server/test/helpers.ts';
import type { NodePosePeerReport } from './node-pose-peer.ts';
import { type NodePosePeer, startNodePosePeers, stopNodePosePeers } from './node-pose-peers.ts';

let server: TestServer | undefined;
let peers: NodePosePeer[] = [];
afterEach(async () => {
  await stopNodePosePeers(peers);
  peers = [];
  await server?.close();
});

const TIMEOUT_MS = 40_000;

/**
 * The phases the join's figures are made of, on each side of a join: signaling,
 * the handshake's transport steps, the channels and the first pose and sync.
 * (`config_loaded`, `join_settled` and the renderer's phases are the page's.)
 */
const NETWORK_PHASES: readonly ConnectPhase[] = [
  'signaling_open',
  'subscribe',
  'announce',
  'ice_connected',
  'dtls_connected',
  'datachannel_open',
  'pose_channel_open',
  'relay_open',
  'first_pose',
  'first_pose_webrtc',
  'first_sync',
];

/**
 * `ice_checking` is asserted on one side only: node-datachannel's RTCPeerConnection reads
 * `iceConnectionState` when its event runs, not when the state changed, and the answering side
 * often reaches `connected` before its `checking` event runs. Chromium gives each event its
 * state (`npm run bench -- pose.bench` writes `rtc.phase_ice_checking_ms` for the newcomer).
 */
const SOME_SIDE: readonly ConnectPhase[] = ['ice_checking'];

/** Phases that happen one after the other on each side, whatever else runs between them. */
const IN_ORDER: readonly (readonly ConnectPhase[])[] = [
  ['session_start', 'signaling_open', 'subscribe', 'announce'],
  ['first_pose', 'first_pose_webrtc'],
];

/**
 * The connection's own steps, in the order the connection passes them (y-webrtc's channel and the
 * pose channel open on one connection, in either order). node-datachannel hands its connection's
 * state changes and each channel's open to JavaScript through separate callbacks from its own
 * threads, so JavaScript may see a channel open a few milliseconds before the `connected` state
 * that came first (seen: 4.6 ms); Chromium queues them in order. These chains allow that slack.
 */
const CONNECTION_ORDER: readonly (readonly ConnectPhase[])[] = [
  ['ice_connected', 'dtls_connected', 'datachannel_open'],
  ['dtls_connected', 'pose_channel_open'],
];
const CALLBACK_SLACK_MS = 25;

const missing = (report: NodePosePeerReport) => NETWORK_PHASES.filter((phase) => report.phases[phase] === undefined);

it(
  '[TRN22] both members of a WebRTC join record every network phase once, in the order the handshake passes them',
  async () => {
    server = await startTestServer();
    // One after the other: Ann is in the room before Bob's process starts, so Bob is the newcomer.
    peers = await startNodePosePeers(server.url, 'joinphases1', ['Ann', 'Bob'], { webrtc: true });
    const deadline = Date.now() + TIMEOUT_MS;
    let reports = await Promise.all(peers.map((peer) => peer.report()));
    while (reports.some((report) => missing(report).length > 0)) {
      if (Date.now() > deadline) {
        throw new Error(
          `phases not recorded in ${TIMEOUT_MS} ms: ${reports.map((r) => `${r.peerId}: ${missing(r).join(', ')}`).join('; ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      reports = await Promise.all(peers.map((peer) => peer.report()));
    }
    console.log(`join phases (ms from session start): ${JSON.stringify(reports.map((r) => r.phases))}`);
    for (const phase of SOME_SIDE)
      expect(
        reports.some((report) => report.phases[phase] !== undefined),
        phase,
      ).toBe(true);
    for (const { phases } of reports) {
      // Relative to the session's start; navigation (the process's start here) came before it.
      expect(phases.session_start).toBe(0);
      expect(phases.page_start).toBeLessThanOrEqual(0);
      for (const chain of IN_ORDER) {
        const times = chain.map((phase) => phases[phase] as number);
        expect(times, chain.join(' <= ')).toEqual([...times].sort((a, b) => a - b));
      }
      for (const chain of CONNECTION_ORDER) {
        for (let i = 1; i < chain.length; i++) {
          const [earlier, later] = [chain[i - 1] as ConnectPhase, chain[i] as ConnectPhase];
          expect(phases[later], `${earlier} <= ${later} (within ${CALLBACK_SLACK_MS} ms)`).toBeGreaterThanOrEqual(
            (phases[earlier] as number) - CALLBACK_SLACK_MS,
          );
        }
      }
      // One side offers and takes the answer, the other answers; ICE connects once an offer is out.
      const offer = phases.offer_sent ?? phases.offer_received;
      const answer = phases.answer_received ?? phases.answer_sent;
      expect(offer).toBeDefined();
      expect(answer).toBeGreaterThanOrEqual(offer as number);
      expect(phases.ice_connected).toBeGreaterThanOrEqual(offer as number);
      // (The offerer's ICE may begin checking before its offer is on the socket.)
      if (phases.ice_checking !== undefined) expect(phases.ice_connected).toBeGreaterThanOrEqual(phases.ice_checking);
    }
    // The member heard the newcomer's announce and offered; the newcomer answered.
    const [ann, bob] = reports;
    expect(Object.keys(ann?.phases ?? {})).toEqual(expect.arrayContaining(['offer_sent', 'answer_received']));
    expect(Object.keys(bob?.phases ?? {})).toEqual(expect.arrayContaining(['offer_received', 'answer_sent']));
  },
  TIMEOUT_MS + 80_000,
);

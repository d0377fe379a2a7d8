/**
 * Test helper (not app code): one y-webrtc peer in Node (node-datachannel as
 * the WebRTC implementation) with the pose data channel opened through the
 * adapter. y-webrtc keeps its rooms in module state, so each peer of a test
 * runs in its own child process (y-webrtc-adapter.test.ts), talking over IPC.
 */
import * as polyfill from 'node-datachannel/polyfill';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { POSE_DATA_CHANNEL_ID } from '../../app/pose/transports/webrtc-transport.ts';
import { listRtcPeers, localRtcId, onRtcPeersChanged } from '../../app/pose/transports/y-webrtc-adapter.ts';

const [signalingUrl, room] = process.argv.slice(2) as [string, string];

/** simple-peer rewrites `offer.sdp`; node-datachannel's descriptions are read-only, so hand back plain copies. */
class PeerConnection extends polyfill.RTCPeerConnection {
  override async createOffer(): Promise<RTCSessionDescriptionInit> {
    const { type, sdp } = await super.createOffer();
    return sdp === undefined ? { type } : { type, sdp };
  }
  override async createAnswer(): Promise<RTCSessionDescriptionInit> {
    const { type, sdp } = await super.createAnswer();
    return sdp === undefined ? { type } : { type, sdp };
  }
}
const wrtc = { ...polyfill, RTCPeerConnection: PeerConnection };
(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
const { WebrtcProvider } = await import('y-webrtc');
const provider = new WebrtcProvider(room, new Y.Doc(), {
  signaling: [signalingUrl],
  // Both peers share Node's BroadcastChannel; without this y-webrtc would not use WebRTC between them.
  filterBcConns: false,
  peerOpts: { wrtc, config: { iceServers: [] } },
});
const post = (message: unknown) => process.send?.(message);
const opened = new Set<object>();

onRtcPeersChanged(provider, () => {
  for (const handle of listRtcPeers(provider)) {
    if (opened.has(handle.key)) continue;
    opened.add(handle.key);
    // As the transport does: our end of the negotiated channel right away, before connecting.
    const pc = handle.pc;
    const channel = pc?.createDataChannel('holoroom-pose', {
      negotiated: true,
      id: POSE_DATA_CHANNEL_ID,
      ordered: false,
      maxRetransmits: 0,
    });
    handle.onConnect(() => {
      post({ type: 'connected', remoteId: handle.remoteId, hasPc: typeof pc?.createDataChannel === 'function' });
    });
    if (channel) {
      channel.binaryType = 'arraybuffer';
      let heard = false;
      channel.onopen = () => {
        post({
          type: 'open',
          ordered: channel.ordered,
          maxRetransmits: channel.maxRetransmits,
          localId: localRtcId(provider),
        });
        const say = () => {
          if (heard || channel.readyState !== 'open') return;
          channel.send(new TextEncoder().encode(`pose from ${localRtcId(provider)}`));
          setTimeout(say, 200);
        };
        say();
      };
      channel.onmessage = (event: MessageEvent) => {
        if (!heard)
          post({ type: 'message', text: new TextDecoder().decode(new Uint8Array(event.data as ArrayBuffer)) });
        heard = true;
      };
    }
    handle.onClose(() => post({ type: 'closed', remoteId: handle.remoteId }));
  }
});

process.on('message', (message: { type: string }) => {
  if (message.type === 'destroy-connections') for (const handle of listRtcPeers(provider)) handle.destroy();
  if (message.type === 'count') post({ type: 'count', count: listRtcPeers(provider).length });
  if (message.type === 'stop') {
    provider.destroy();
    setTimeout(() => process.exit(0), 50);
  }
});
post({ type: 'ready' });

/**
 * Bytes a browser page puts on the network and takes from it, counted on the
 * real transports: every WebSocket frame the page sends or receives (the
 * server's /sync, /signal and /relay; from Chromium's own events) and every
 * byte the page's WebRTC data channels send (`RTCDataChannelStats.bytesSent`
 * of each RTCPeerConnection, which `newContext`'s probe records). Payload
 * bytes: no WebSocket, SCTP, DTLS, UDP, TCP or IP headers. A data channel's
 * bytes are counted where they are sent only, so that summing every page's
 * count counts each byte on the network once.
 *
 * @example
 *   const bytes = countWireBytes(page);   // before page.goto
 *   const before = await bytes.total();
 *   ...
 *   const used = (await bytes.total()) - before;
 */
import type { Page } from 'playwright-core';

export interface WireBytes {
  /** The page's bytes so far. */
  snapshot(): Promise<WireSnapshot>;
}

export interface WireSnapshot {
  webSocket: number;
  dataChannel: number;
  /** Data channel bytes sent, by channel label. */
  byLabel: Record<string, number>;
}

export const wireTotal = (s: WireSnapshot) => s.webSocket + s.dataChannel;

/** Starts counting the page's WebSocket frames; call before the page navigates. */
export function countWireBytes(page: Page): WireBytes {
  let webSocket = 0;
  const size = (payload: string | Buffer) =>
    typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => {
      webSocket += size(payload);
    });
    socket.on('framereceived', ({ payload }) => {
      webSocket += size(payload);
    });
  });
  return {
    async snapshot() {
      const byLabel = await page.evaluate(async () => {
        const sent: Record<string, number> = {};
        const pcs = (window as unknown as { __peerConnections?: RTCPeerConnection[] }).__peerConnections ?? [];
        for (const pc of pcs) {
          if (pc.connectionState === 'closed') continue;
          const report = await pc.getStats();
          report.forEach((stats: { type: string; label?: string; bytesSent?: number }) => {
            if (stats.type !== 'data-channel') return;
            const label = stats.label ?? '';
            sent[label] = (sent[label] ?? 0) + (stats.bytesSent ?? 0);
          });
        }
        return sent;
      });
      const dataChannel = Object.values(byLabel).reduce((sum, n) => sum + n, 0);
      return { webSocket, dataChannel, byLabel };
    },
  };
}

/** The bytes between two snapshots of several pages, summed. */
export function wireBytesBetween(before: readonly WireSnapshot[], after: readonly WireSnapshot[]): WireSnapshot {
  const out: WireSnapshot = { webSocket: 0, dataChannel: 0, byLabel: {} };
  after.forEach((end, i) => {
    const start = before[i] ?? { webSocket: 0, dataChannel: 0, byLabel: {} };
    out.webSocket += end.webSocket - start.webSocket;
    out.dataChannel += end.dataChannel - start.dataChannel;
    for (const [label, n] of Object.entries(end.byLabel))
      out.byLabel[label] = (out.byLabel[label] ?? 0) + n - (start.byLabel[label] ?? 0);
  });
  return out;
}

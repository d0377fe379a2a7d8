/**
 * Whether this browser can make WebRTC connections at all (TRN10,
 * docs/transports.md). Asked once, when a room page opens: a browser without
 * `RTCPeerConnection`, or one whose constructor throws (WebRTC disabled by a
 * policy or an extension), runs the room through the server only, and nothing
 * that needs a peer connection is started (y-webrtc, the WebRTC pose
 * transport, voice).
 *
 * @example
 *   const support = detectWebrtc();
 *   if (!support.available) console.info(`server only: ${support.reason}`);
 */

export type WebrtcSupport = { available: true } | { available: false; reason: string };

/** Where `RTCPeerConnection` is looked up: the page's global scope by default. */
export interface WebrtcScope {
  RTCPeerConnection?: unknown;
}

/** Creates one peer connection (no ICE servers: nothing leaves the machine) and closes it again. */
export function detectWebrtc(scope: WebrtcScope = globalThis as WebrtcScope): WebrtcSupport {
  const Implementation = scope.RTCPeerConnection;
  if (typeof Implementation !== 'function') {
    return { available: false, reason: 'this browser has no RTCPeerConnection' };
  }
  try {
    const probe = new (Implementation as typeof RTCPeerConnection)({ iceServers: [] });
    probe.close();
    return { available: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { available: false, reason: `RTCPeerConnection cannot be created here (${message})` };
  }
}

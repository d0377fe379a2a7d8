import * as polyfill from 'node-datachannel/polyfill';
import { describe, expect, it } from 'vitest';
import { detectWebrtc } from './webrtc-support.ts';

describe('detectWebrtc', () => {
  it('[TRN10] a scope without RTCPeerConnection (Node itself) has no WebRTC', () => {
    expect('RTCPeerConnection' in globalThis).toBe(false);
    expect(detectWebrtc()).toEqual({ available: false, reason: 'this browser has no RTCPeerConnection' });
    expect(detectWebrtc({ RTCPeerConnection: 'not a constructor' }).available).toBe(false);
  });

  it('[TRN10] an RTCPeerConnection whose constructor throws (WebRTC blocked) counts as none, with the reason', () => {
    class Blocked {
      constructor() {
        throw new Error('WebRTC is disabled by policy');
      }
    }
    expect(detectWebrtc({ RTCPeerConnection: Blocked })).toEqual({
      available: false,
      reason: 'RTCPeerConnection cannot be created here (WebRTC is disabled by policy)',
    });
  });

  it('[TRN10] a real RTCPeerConnection is available, and the probe connection is closed again', () => {
    const created: RTCPeerConnection[] = [];
    class Recorded extends polyfill.RTCPeerConnection {
      constructor(config?: RTCConfiguration) {
        super(config);
        created.push(this as unknown as RTCPeerConnection);
      }
    }
    expect(detectWebrtc({ RTCPeerConnection: Recorded })).toEqual({ available: true });
    expect(created.map((pc) => pc.connectionState)).toEqual(['closed']);
  });
});

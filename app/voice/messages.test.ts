import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { peer } from '../../testing/ids.ts';
import {
  readVoiceFrame,
  VOICE_LIMITS,
  VOICE_PROTOCOL_VERSION,
  type VoiceMessage,
  writeVoiceFrame,
} from './messages.ts';

const TOPIC = 'holoroom-voice:voicetestroom';
const SELF = peer(500);
const OTHER = peer(7);
const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';

/** A publish frame as the server forwards it, with any `voice` payload. */
const frame = (voice: unknown, topic = TOPIC) => JSON.stringify({ type: 'publish', topic, voice, clients: 2 });

describe('voice messages', () => {
  it('[VOICE6] [VOICE14] every message round-trips through the frame the server forwards', () => {
    const messages: VoiceMessage[] = [
      { kind: 'hello', from: OTHER },
      { kind: 'hello', from: OTHER, to: SELF },
      { kind: 'offer', from: OTHER, to: SELF, sdp: SDP },
      { kind: 'answer', from: OTHER, to: SELF, sdp: SDP },
      {
        kind: 'ice',
        from: OTHER,
        to: SELF,
        candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 },
      },
      { kind: 'bye', from: OTHER },
      { kind: 'mic', from: OTHER, open: true },
      { kind: 'mic', from: OTHER, to: SELF, open: false },
      { kind: 'listen', from: OTHER, to: SELF, on: false },
    ];
    for (const message of messages) {
      const read = readVoiceFrame(writeVoiceFrame(TOPIC, message), TOPIC, SELF);
      expect(read).toEqual({ ok: true, message });
    }
  });

  it('[VOICE6] [VOICE14] refuses frames that are too big, too deep, not JSON or of the wrong shape', () => {
    const refused = (data: unknown) => {
      const read = readVoiceFrame(data, TOPIC, SELF);
      expect(read.ok).toBe(false);
      if (!read.ok) expect(read.ignored).toBeUndefined();
      return read;
    };
    refused(new Uint8Array(4));
    refused('{not json');
    refused('x'.repeat(VOICE_LIMITS.maxFrameChars + 1));
    refused(frame({ v: 1, kind: 'hello', from: 7, deep: [[[[[1]]]]] }));
    refused('[1,2]');
    refused(frame('hello'));
    refused(frame({ v: 1, kind: 'hello', from: 0 }));
    refused(frame({ v: 1, kind: 'hello', from: 2 ** 32 }));
    refused(frame({ v: 1, kind: 'hello', from: 1.5 }));
    refused(frame({ v: 1, kind: 'hello', from: '7' }));
    refused(frame({ v: 1, kind: 'hello', from: 7, to: -1 }));
    refused(frame({ v: 1, kind: 'offer', from: 7, sdp: SDP }));
    refused(frame({ v: 1, kind: 'offer', from: 7, to: SELF, sdp: 42 }));
    refused(frame({ v: 1, kind: 'offer', from: 7, to: SELF, sdp: '' }));
    refused(frame({ v: 1, kind: 'offer', from: 7, to: SELF, sdp: 'hello there' }));
    refused(frame({ v: 1, kind: 'offer', from: 7, to: SELF, sdp: `v=0${'a'.repeat(VOICE_LIMITS.maxSdpChars)}` }));
    refused(frame({ v: 1, kind: 'ice', from: 7, to: SELF, candidate: 'candidate:1' }));
    refused(
      frame({ v: 1, kind: 'ice', from: 7, to: SELF, candidate: { candidate: 'c', sdpMid: 3, sdpMLineIndex: 0 } }),
    );
    refused(
      frame({ v: 1, kind: 'ice', from: 7, to: SELF, candidate: { candidate: 'c', sdpMid: '0', sdpMLineIndex: 99 } }),
    );
    // VOICE14's messages: a boolean each, and a listen always names its speaker.
    refused(frame({ v: 1, kind: 'mic', from: 7 }));
    refused(frame({ v: 1, kind: 'mic', from: 7, open: 'yes' }));
    refused(frame({ v: 1, kind: 'mic', from: 7, to: 0, open: true }));
    refused(frame({ v: 1, kind: 'listen', from: 7, on: true }));
    refused(frame({ v: 1, kind: 'listen', from: 7, to: SELF, on: 1 }));
    refused(frame({ v: 1, kind: 'listen', from: 7, to: SELF, on: { deep: [true] } }));
    refused(
      frame({
        v: 1,
        kind: 'ice',
        from: 7,
        to: SELF,
        candidate: { candidate: 'c'.repeat(600), sdpMid: '0', sdpMLineIndex: 0 },
      }),
    );
  });

  it('[VOICE6] ignores, without counting them as abuse, frames that are not for this peer', () => {
    const ignored = (data: string) =>
      expect(readVoiceFrame(data, TOPIC, SELF)).toMatchObject({ ok: false, ignored: true });
    ignored(JSON.stringify({ type: 'pong' }));
    ignored(frame({ v: 1, kind: 'hello', from: 7 }, 'holoroom:another-topic'));
    ignored(frame({ v: VOICE_PROTOCOL_VERSION + 1, kind: 'hello', from: 7 }));
    ignored(frame({ v: 1, kind: 'hello', from: SELF }));
    ignored(frame({ v: 1, kind: 'offer', from: 7, to: 8, sdp: SDP }));
    ignored(frame({ v: 1, kind: 'dance', from: 7 }));
    ignored(frame({ v: 1, kind: 'listen', from: 7, to: 8, on: false }));
    ignored(frame({ v: 1, kind: 'mic', from: 7, to: 8, open: true }));
  });

  it('[VOICE6] never throws on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json().map((json) => frame(JSON.parse(json))),
        ),
        (text) => {
          const read = readVoiceFrame(text, TOPIC, SELF);
          expect(typeof read.ok).toBe('boolean');
        },
      ),
      { seed: 15_2026, numRuns: 500 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { peer } from '../../testing/ids.ts';
import {
  readSealedVoiceFrame,
  VOICE_LIMITS,
  type VoiceMessage,
  type VoiceRead,
  writeSealedVoiceFrame,
} from './messages.ts';
import { MAX_WAITING_FRAMES, VoiceFrames } from './voice-frames.ts';
import { seal, voiceKey } from './voice-seal.ts';

const TOPIC = 'holoroom-voice:sealedroom';
const SELF = peer(500);
const OTHER = peer(7);
const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n';
const offer: VoiceMessage = { kind: 'offer', from: OTHER, to: SELF, sdp: SDP };

/** Everything `frames` hands out for `messages`, once all are sealed. */
async function written(frames: VoiceFrames, messages: VoiceMessage[]): Promise<string[]> {
  const out: string[] = [];
  for (const message of messages) frames.write(message, (frame) => out.push(frame));
  await frames.flushed();
  return out;
}

/** What `frames` reads from `data`, in order, once every read is done. */
async function readAll(frames: VoiceFrames, data: unknown[]): Promise<VoiceRead[]> {
  const reads: VoiceRead[] = [];
  await new Promise<void>((resolve) => {
    let left = data.length;
    for (const d of data)
      frames.read(d, (read) => {
        reads.push(read);
        if (--left === 0) resolve();
      });
  });
  return reads;
}

describe('sealed voice signaling (password rooms)', () => {
  const key = voiceKey('correct horse', TOPIC);

  it('[VOICE15] a message sealed with the room password opens with it, and the server sees none of it', async () => {
    const sender = new VoiceFrames(TOPIC, OTHER, 'correct horse');
    const receiver = new VoiceFrames(TOPIC, SELF, 'correct horse');
    const ice: VoiceMessage = {
      kind: 'ice',
      from: OTHER,
      to: SELF,
      candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 },
    };
    const frames = await written(sender, [{ kind: 'hello', from: OTHER }, offer, ice]);
    for (const frame of frames) {
      const outer = JSON.parse(frame) as Record<string, unknown>;
      expect(Object.keys(outer).sort()).toEqual(['sealed', 'topic', 'type']);
      expect(frame).not.toMatch(/v=0|candidate|offer|hello|127\.0\.0\.1|"from"|"to"/);
    }
    // The same message sealed twice differs (a fresh IV each time).
    expect((await written(sender, [offer]))[0]).not.toBe((await written(sender, [offer]))[0]);
    const reads = await readAll(receiver, frames);
    expect(reads).toEqual([
      { ok: true, message: { kind: 'hello', from: OTHER } },
      { ok: true, message: offer },
      { ok: true, message: ice },
    ]);
  });

  it('[VOICE15] another password, a changed byte, a plain frame or no base64: refused, never thrown', async () => {
    const frame = (await written(new VoiceFrames(TOPIC, OTHER, 'correct horse'), [offer]))[0] as string;
    const sealed = (JSON.parse(frame) as { sealed: string }).sealed;
    const refused = async (data: unknown, reason: RegExp) => {
      const read = await readSealedVoiceFrame(data, TOPIC, SELF, await key);
      expect(read).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
      expect(read.ok === false && read.ignored).toBeFalsy();
    };
    const other = await readSealedVoiceFrame(frame, TOPIC, SELF, await voiceKey('wrong horse', TOPIC));
    expect(other).toEqual({ ok: false, reason: 'not sealed with this room’s password' });
    const flipped = `${sealed.slice(0, 40)}${sealed[40] === 'A' ? 'B' : 'A'}${sealed.slice(41)}`;
    await refused(JSON.stringify({ type: 'publish', topic: TOPIC, sealed: flipped }), /password/);
    await refused(JSON.stringify({ type: 'publish', topic: TOPIC, voice: { v: 1, ...offer } }), /not sealed/);
    await refused(JSON.stringify({ type: 'publish', topic: TOPIC, sealed: '***' }), /password/);
    await refused(JSON.stringify({ type: 'publish', topic: TOPIC, sealed: 'AAAA' }), /password/);
    await refused(JSON.stringify({ type: 'publish', topic: TOPIC, sealed: 42 }), /not sealed/);
    await refused(
      JSON.stringify({ type: 'publish', topic: TOPIC, sealed: 'A'.repeat(VOICE_LIMITS.maxSealedChars + 4) }),
      /too long/,
    );
    await refused(`{"type":"publish","topic":"${TOPIC}","sealed":"${'A'.repeat(30_000)}"}`, /frame/);
    // Sealed with the right key but not a message: too deep, not JSON, a bad shape.
    const sealedText = async (text: string) =>
      JSON.stringify({ type: 'publish', topic: TOPIC, sealed: await seal(await key, text) });
    await refused(await sealedText('{"v":1,"kind":"hello","from":7,"x":[[[1]]]}'), /deep|depth/);
    await refused(await sealedText('not json'), /sealed message/);
    await refused(await sealedText('{"v":1,"kind":"offer","from":7,"to":500,"sdp":"hello"}'), /session description/);
    // A frame of another topic is not for voice at all.
    expect(
      await readSealedVoiceFrame(JSON.stringify({ type: 'publish', topic: 'x', sealed }), TOPIC, SELF, await key),
    ).toMatchObject({ ok: false, ignored: true });
  });

  it('[VOICE15] frames come out and are read in the order given, though sealing is asynchronous', async () => {
    const messages: VoiceMessage[] = Array.from({ length: 20 }, (_, i) => ({
      kind: 'ice',
      from: OTHER,
      to: SELF,
      candidate: { candidate: `candidate:${i}`, sdpMid: '0', sdpMLineIndex: 0 },
    }));
    const frames = await written(new VoiceFrames(TOPIC, OTHER, 'correct horse'), messages);
    const reads = await readAll(new VoiceFrames(TOPIC, SELF, 'correct horse'), frames);
    expect(reads.map((r) => (r.ok && r.message.kind === 'ice' ? r.message.candidate.candidate : ''))).toEqual(
      messages.map((_, i) => `candidate:${i}`),
    );
  });

  it('[VOICE15] a handler that throws on one frame costs that frame only: later frames are still read, and written', async () => {
    const messages: VoiceMessage[] = [offer, { ...offer, sdp: `${SDP}a=second\r\n` }];
    const frames = await written(new VoiceFrames(TOPIC, OTHER, 'correct horse'), messages);
    const reader = new VoiceFrames(TOPIC, SELF, 'correct horse');
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const second = new Promise<VoiceRead>((resolve) => {
        reader.read(frames[0], () => {
          throw new Error('a handler that fails');
        });
        reader.read(frames[1], resolve);
      });
      expect(await second).toMatchObject({ ok: true, message: { sdp: `${SDP}a=second\r\n` } });
      const writer = new VoiceFrames(TOPIC, OTHER, 'correct horse');
      const out: string[] = [];
      writer.write(offer, () => {
        throw new Error('a socket that fails');
      });
      writer.write(offer, (frame) => out.push(frame));
      await writer.flushed();
      expect(out).toHaveLength(1);
      expect(errors).toHaveBeenCalledTimes(2);
    } finally {
      errors.mockRestore();
    }
  });

  it('[VOICE6] [VOICE15] a flood of frames waits at most MAX_WAITING_FRAMES deep; the rest are refused at once', async () => {
    const frame = (await written(new VoiceFrames(TOPIC, OTHER, 'correct horse'), [offer]))[0] as string;
    const receiver = new VoiceFrames(TOPIC, SELF, 'correct horse');
    const reads = await readAll(
      receiver,
      Array.from({ length: MAX_WAITING_FRAMES + 50 }, () => frame),
    );
    const refused = reads.filter((r) => !r.ok && r.reason === 'too many frames waiting to be opened');
    expect(refused).toHaveLength(50);
    expect(reads.filter((r) => r.ok)).toHaveLength(MAX_WAITING_FRAMES);
    // Once they are read, the queue takes frames again.
    expect(await readAll(receiver, [frame])).toEqual([{ ok: true, message: offer }]);
  });

  it('[VOICE15] a plain room reads plain frames at once and ignores sealed ones', async () => {
    const sealedFrame = await writeSealedVoiceFrame(TOPIC, offer, await key);
    const plain = new VoiceFrames(TOPIC, SELF);
    expect(plain.sealed).toBe(false);
    const reads = await readAll(plain, [sealedFrame]);
    expect(reads[0]).toMatchObject({ ok: false, ignored: true });
  });

  it('[VOICE6] [VOICE15] opening never throws on arbitrary input', async () => {
    const k = await key;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.string().map((sealed) => JSON.stringify({ type: 'publish', topic: TOPIC, sealed })),
          fc.json().map(async (json) => JSON.stringify({ type: 'publish', topic: TOPIC, sealed: await seal(k, json) })),
        ),
        async (input) => {
          const read = await readSealedVoiceFrame(await input, TOPIC, SELF, k);
          expect(typeof read.ok).toBe('boolean');
        },
      ),
      { seed: 15_2026, numRuns: 200 },
    );
  });
});

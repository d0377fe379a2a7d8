/**
 * Voice signaling messages (docs/voice.md, "Signaling"): JSON carried as the
 * payload of a `/signal` publish on the room's voice topic, so the server only
 * routes them (signaling-protocol.md). Every frame that arrives is untrusted:
 * `readVoiceFrame` checks size, nesting and shape and returns why it could not
 * read a frame instead of throwing (VOICE6).
 *
 * @example
 *   socket.send(writeVoiceFrame(topic, { kind: 'hello', from: self }));
 *   const read = readVoiceFrame(event.data, topic, self);
 *   if (read.ok) handle(read.message); else count(read.reason);
 */
import { type PeerId, toPeerId } from '../core/ids.ts';
import { parseJsonLimited } from '../core/safe-json.ts';
import { seal, sealedLength, unseal } from './voice-seal.ts';

/** In every message (`v`); a peer ignores messages of another version. */
export const VOICE_PROTOCOL_VERSION = 1;

/** Limits on one frame, in UTF-16 code units (VOICE6). */
export const VOICE_LIMITS = {
  /** A whole frame as text: an audio-only offer from Chromium is 1.5-4 KB. */
  maxFrameChars: 16_384,
  /** A session description. */
  maxSdpChars: 12_000,
  /** One ICE candidate line. */
  maxCandidateChars: 512,
  /** A media id (`a=mid:`). */
  maxMidChars: 32,
  /** JSON nesting: publish > voice > candidate. */
  maxDepth: 4,
  /** VOICE15: a sealed message as base64 (a whole plain frame's worth of UTF-8, sealed). */
  maxSealedChars: sealedLength(16_384),
} as const;

export interface IceCandidateText {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
}

export type VoiceMessage =
  /** I am here (to everyone); with `to`: the answer to someone's hello. */
  | { kind: 'hello'; from: PeerId; to?: PeerId }
  | { kind: 'offer' | 'answer'; from: PeerId; to: PeerId; sdp: string }
  | { kind: 'ice'; from: PeerId; to: PeerId; candidate: IceCandidateText }
  /** I am leaving voice (to everyone). */
  | { kind: 'bye'; from: PeerId }
  /** My microphone is open (on, not muted) or not: to everyone when it changes, to a newcomer with `to` (VOICE14). */
  | { kind: 'mic'; from: PeerId; to?: PeerId; open: boolean }
  /** The listener `from` asks the speaker `to` to send its microphone (`on`) or not (VOICE14). */
  | { kind: 'listen'; from: PeerId; to: PeerId; on: boolean };

export type VoiceRead =
  | { ok: true; message: VoiceMessage }
  /** `ignored`: well formed but not for this peer (another version, another's message, my own echo). */
  | { ok: false; reason: string; ignored?: boolean };

/** The `/signal` publish frame that carries `message` on `topic`. */
export function writeVoiceFrame(topic: string, message: VoiceMessage): string {
  return JSON.stringify({ type: 'publish', topic, voice: { v: VOICE_PROTOCOL_VERSION, ...message } });
}

/** VOICE15: the publish frame for a password room: the message sealed with the room's voice key. */
export async function writeSealedVoiceFrame(topic: string, message: VoiceMessage, key: CryptoKey): Promise<string> {
  const sealed = await seal(key, JSON.stringify({ v: VOICE_PROTOCOL_VERSION, ...message }));
  return JSON.stringify({ type: 'publish', topic, sealed });
}

const fail = (reason: string): VoiceRead => ({ ok: false, reason });
const ignore = (reason: string): VoiceRead => ({ ok: false, reason, ignored: true });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function peer(value: unknown): PeerId | undefined {
  return typeof value === 'number' ? toPeerId(value) : undefined;
}

function readCandidate(value: unknown): IceCandidateText | undefined {
  if (!isRecord(value)) return undefined;
  const { candidate, sdpMid, sdpMLineIndex } = value;
  if (typeof candidate !== 'string' || candidate.length > VOICE_LIMITS.maxCandidateChars) return undefined;
  if (sdpMid !== null && (typeof sdpMid !== 'string' || sdpMid.length > VOICE_LIMITS.maxMidChars)) return undefined;
  if (
    sdpMLineIndex !== null &&
    (typeof sdpMLineIndex !== 'number' || !Number.isInteger(sdpMLineIndex) || sdpMLineIndex < 0 || sdpMLineIndex > 15)
  ) {
    return undefined;
  }
  return { candidate, sdpMid, sdpMLineIndex };
}

/**
 * Reads one text frame from `/signal` for the peer `self` on `topic`. Never
 * throws; a frame for someone else, or this peer's own echo, is `ignored`.
 */
export function readVoiceFrame(data: unknown, topic: string, self: PeerId): VoiceRead {
  const frame = readPublish(data, topic, VOICE_LIMITS.maxFrameChars);
  if (!frame.ok) return frame;
  if (frame.value.sealed !== undefined) return ignore('sealed (a password room)');
  return readVoiceMessage(frame.value.voice, self);
}

/**
 * VOICE15: reads one frame of a password room's voice topic: only sealed
 * messages, opened with `key`, then checked as `readVoiceFrame` checks them.
 * Never throws (the promise never rejects).
 */
export async function readSealedVoiceFrame(
  data: unknown,
  topic: string,
  self: PeerId,
  key: CryptoKey,
): Promise<VoiceRead> {
  const frame = readPublish(data, topic, VOICE_LIMITS.maxSealedChars + 256);
  if (!frame.ok) return frame;
  const { sealed } = frame.value;
  if (typeof sealed !== 'string') return fail('not sealed (this is a password room)');
  if (sealed.length > VOICE_LIMITS.maxSealedChars) return fail('sealed message too long');
  const text = await unseal(key, sealed);
  if (text === undefined) return fail('not sealed with this room’s password');
  const parsed = parseJsonLimited(text, { maxDepth: VOICE_LIMITS.maxDepth - 1, maxLength: VOICE_LIMITS.maxFrameChars });
  if (!parsed.ok) return fail(`sealed message ${parsed.error}`);
  return readVoiceMessage(parsed.value, self);
}

/** A `/signal` publish on `topic`, within `maxLength`; anything else is refused or ignored. */
function readPublish(
  data: unknown,
  topic: string,
  maxLength: number,
): { ok: true; value: Record<string, unknown> } | Extract<VoiceRead, { ok: false }> {
  if (typeof data !== 'string') return fail('not a text frame') as Extract<VoiceRead, { ok: false }>;
  const parsed = parseJsonLimited(data, { maxDepth: VOICE_LIMITS.maxDepth, maxLength });
  if (!parsed.ok) return { ok: false, reason: `frame ${parsed.error}` };
  const frame = parsed.value;
  if (!isRecord(frame)) return { ok: false, reason: 'frame is not an object' };
  if (frame.type === 'pong') return { ok: false, reason: 'pong', ignored: true };
  if (frame.type !== 'publish' || frame.topic !== topic) {
    return { ok: false, reason: 'not a publish on the voice topic', ignored: true };
  }
  return { ok: true, value: frame };
}

/** One voice message (the `voice` of a frame, or a sealed message opened) for the peer `self`. */
function readVoiceMessage(voice: unknown, self: PeerId): VoiceRead {
  if (!isRecord(voice)) return fail('no voice message');
  if (voice.v !== VOICE_PROTOCOL_VERSION) return ignore('another protocol version');
  const from = peer(voice.from);
  if (from === undefined) return fail('"from" is not a peer id');
  if (from === self) return ignore('own message');
  const to = voice.to === undefined ? undefined : peer(voice.to);
  if (voice.to !== undefined && to === undefined) return fail('"to" is not a peer id');
  if (to !== undefined && to !== self) return ignore('for another peer');
  switch (voice.kind) {
    case 'hello':
      return { ok: true, message: to === undefined ? { kind: 'hello', from } : { kind: 'hello', from, to } };
    case 'bye':
      return { ok: true, message: { kind: 'bye', from } };
    case 'offer':
    case 'answer': {
      if (to === undefined) return fail(`${voice.kind} without "to"`);
      const { sdp } = voice;
      if (typeof sdp !== 'string' || sdp.length === 0 || sdp.length > VOICE_LIMITS.maxSdpChars) {
        return fail('"sdp" is not a session description of a valid size');
      }
      if (!sdp.startsWith('v=0')) return fail('"sdp" is not a session description');
      return { ok: true, message: { kind: voice.kind, from, to, sdp } };
    }
    case 'mic':
      if (typeof voice.open !== 'boolean') return fail('"open" is not a boolean');
      return {
        ok: true,
        message:
          to === undefined ? { kind: 'mic', from, open: voice.open } : { kind: 'mic', from, to, open: voice.open },
      };
    case 'listen':
      if (to === undefined) return fail('listen without "to"');
      if (typeof voice.on !== 'boolean') return fail('"on" is not a boolean');
      return { ok: true, message: { kind: 'listen', from, to, on: voice.on } };
    case 'ice': {
      if (to === undefined) return fail('ice without "to"');
      const candidate = readCandidate(voice.candidate);
      if (!candidate) return fail('"candidate" is not an ICE candidate');
      return { ok: true, message: { kind: 'ice', from, to, candidate } };
    }
    default:
      return ignore('unknown kind');
  }
}

/**
 * Voice messages to `/signal` frames and back, in the order they were given:
 * plain JSON, or in a password room sealed with the room's voice key
 * (docs/voice.md VOICE15). Sealing and opening are asynchronous (WebCrypto),
 * so both directions go through a queue: an ICE candidate never overtakes the
 * offer it belongs to. Frames waiting to be opened are bounded (VOICE6), and a
 * frame whose handling fails costs that frame only: the queue goes on.
 *
 * @example
 *   const frames = new VoiceFrames(topic, self, password);
 *   frames.write(message, (text) => socket.send(text));
 *   socket.onmessage = (e) => frames.read(e.data, (read) => read.ok && handle(read.message));
 */
import type { PeerId } from '../core/ids.ts';
import {
  readSealedVoiceFrame,
  readVoiceFrame,
  type VoiceMessage,
  type VoiceRead,
  writeSealedVoiceFrame,
  writeVoiceFrame,
} from './messages.ts';
import { voiceKey } from './voice-seal.ts';

/** Sealed frames received and not opened yet; more are refused (VOICE6: a flood cannot queue without end). */
export const MAX_WAITING_FRAMES = 256;

export class VoiceFrames {
  private readonly key: Promise<CryptoKey> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private reading: Promise<void> = Promise.resolve();
  private waiting = 0;

  constructor(
    private readonly topic: string,
    private readonly self: PeerId,
    password?: string,
  ) {
    this.key = password === undefined ? undefined : voiceKey(password, topic);
  }

  /** True in a password room: frames are sealed. */
  get sealed(): boolean {
    return this.key !== undefined;
  }

  /** Hands the frame for `message` to `out`, after every frame written before it. */
  write(message: VoiceMessage, out: (frame: string) => void): void {
    const key = this.key;
    if (!key) {
      out(writeVoiceFrame(this.topic, message));
      return;
    }
    this.writing = this.writing.then(() =>
      step(async () => out(await writeSealedVoiceFrame(this.topic, message, await key))),
    );
  }

  /** Resolves once every frame written so far was handed out. */
  flushed(): Promise<void> {
    return this.writing;
  }

  /** Reads `data` and hands the result to `onRead`, after every frame received before it. */
  read(data: unknown, onRead: (read: VoiceRead) => void): void {
    const key = this.key;
    if (!key) {
      onRead(readVoiceFrame(data, this.topic, this.self));
      return;
    }
    if (this.waiting >= MAX_WAITING_FRAMES) {
      onRead({ ok: false, reason: 'too many frames waiting to be opened' });
      return;
    }
    this.waiting++;
    this.reading = this.reading.then(() =>
      step(async () => {
        let read: VoiceRead;
        try {
          read = await readSealedVoiceFrame(data, this.topic, this.self, await key);
        } finally {
          this.waiting--;
        }
        onRead(read);
      }),
    );
  }
}

/**
 * One link of a queue: a link that fails is reported and the queue goes on. Without this, one
 * exception (a handler that throws on one message, a key that failed to derive) would reject the
 * chain and every later frame in that direction would be dropped without a word, for the rest of
 * the visit; a plain room, which needs no queue, only loses the one frame.
 */
async function step(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    console.error('voice signaling:', error);
  }
}

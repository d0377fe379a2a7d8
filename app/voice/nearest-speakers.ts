/**
 * Which speakers a listener hears when many microphones are open
 * (docs/voice.md VOICE14). Mesh voice costs each speaker one outgoing stream
 * per listener and each listener one incoming stream per speaker; above
 * `NEAREST_SPEAKERS` open microphones a listener asks only the nearest ones to
 * send. A speaker already heard keeps its place until another is closer by
 * more than `SWITCH_MARGIN_M`, so two people at about the same distance do not
 * take turns being heard as someone sways. `selectSpeakers` is the rule;
 * `SpeakerSelection` keeps what each side told the other (the `mic` and
 * `listen` messages). Plain TypeScript: Node tests drive both.
 *
 * @example
 *   const selection = new SpeakerSelection(self);
 *   selection.receive(message);                         // every hello, bye, mic and listen
 *   for (const m of selection.choose(now, ears, present, headOf)) send(m);
 *   sender.replaceTrack(selection.sendsTo(listener) ? mic : null);
 */
import type { PeerId } from '../core/ids.ts';
import type { Vec3Like } from '../pose/wire/quantize.ts';
import type { VoiceMessage } from './messages.ts';
import { NEAREST_SPEAKERS } from './nearest-limit.ts';

/** VOICE14: a speaker not heard replaces a heard one only when closer than it by this much (metres). */
export const SWITCH_MARGIN_M = 1;
/** VOICE14: how often a listener chooses again (people walk ~1.4 m/s: 0.35 m between choices). */
export const SELECTION_INTERVAL_MS = 250;

export interface SpeakerCandidate {
  peerId: PeerId;
  /** Their head, or undefined while the pose channel has none for them (counted as farthest). */
  position: Vec3Like | undefined;
}

export interface SelectOptions {
  limit?: number;
  margin?: number;
}

/**
 * The speakers `listener` hears among `speakers` (every other person with an
 * open microphone): all of them up to `limit`; above it the `limit` nearest,
 * where each one in `previous` counts as `margin` nearer than it is. Ties go to
 * the lower peer id, so every run on the same input gives the same answer.
 */
export function selectSpeakers(
  listener: Vec3Like,
  speakers: readonly SpeakerCandidate[],
  previous: ReadonlySet<PeerId>,
  { limit = NEAREST_SPEAKERS, margin = SWITCH_MARGIN_M }: SelectOptions = {},
): Set<PeerId> {
  if (speakers.length <= limit) return new Set(speakers.map((s) => s.peerId));
  const ranked = speakers.map(({ peerId, position }) => {
    const distance =
      position === undefined
        ? Number.POSITIVE_INFINITY
        : Math.hypot(position.x - listener.x, position.y - listener.y, position.z - listener.z);
    return { peerId, rank: previous.has(peerId) ? distance - margin : distance };
  });
  ranked.sort((a, b) => a.rank - b.rank || a.peerId - b.peerId);
  return new Set(ranked.slice(0, Math.max(0, limit)).map((r) => r.peerId));
}

/** Writes the head of `peerId` into `into`; false when there is none (no pose yet). */
export type HeadOf = (peerId: PeerId, into: Vec3Like) => boolean;

type ListenMessage = Extract<VoiceMessage, { kind: 'listen' }>;

/**
 * One page's side of VOICE14. As a listener: who has an open microphone, and
 * which speakers I asked not to send. As a speaker: which listeners asked me
 * not to send. Everyone starts from "send to everyone", so below the limit no
 * `listen` message is ever sent; a broadcast hello (a page starting, or its
 * socket coming back) puts the pair back to that start on both sides.
 */
export class SpeakerSelection {
  /** Others whose microphone is open, from their `mic` messages. */
  private readonly open = new Set<PeerId>();
  /** Speakers I asked not to send to me. */
  private readonly askedOff = new Set<PeerId>();
  /** Listeners who asked me not to send to them. */
  private readonly offFor = new Set<PeerId>();
  private heard = new Set<PeerId>();
  private nextChoice = 0;

  constructor(
    private readonly self: PeerId,
    readonly limit = NEAREST_SPEAKERS,
  ) {}

  /** Takes a hello, bye, mic or listen from another page; true when what I send to `from` changed. */
  receive(message: VoiceMessage): boolean {
    const from = message.from;
    switch (message.kind) {
      case 'mic':
        if (message.open) this.open.add(from);
        else this.open.delete(from);
        this.nextChoice = 0;
        return false;
      case 'listen':
        if (message.on === !this.offFor.has(from)) return false;
        if (message.on) this.offFor.delete(from);
        else this.offFor.add(from);
        return true;
      case 'hello':
        if (message.to !== undefined) return false;
        return this.forget(from);
      case 'bye':
        return this.forget(from);
      default:
        return false;
    }
  }

  /** My broadcast hello went out (my socket opened again): every pair starts again. */
  restart(): void {
    this.open.clear();
    this.askedOff.clear();
    this.offFor.clear();
    this.heard.clear();
    this.nextChoice = 0;
  }

  /** As a speaker: does `listener` want my microphone? */
  sendsTo(listener: PeerId): boolean {
    return !this.offFor.has(listener);
  }

  /** As a listener: is `speaker`'s open microphone left out because others are nearer? */
  leftOut(speaker: PeerId): boolean {
    return this.askedOff.has(speaker) && this.open.has(speaker);
  }

  /** Others with an open microphone, and which of them I hear now (for the inspection). */
  view(): { openMics: PeerId[]; heard: PeerId[]; askedOff: PeerId[]; offFor: PeerId[] } {
    return { openMics: [...this.open], heard: [...this.heard], askedOff: [...this.askedOff], offFor: [...this.offFor] };
  }

  /**
   * As a listener, at most every SELECTION_INTERVAL_MS: chooses the speakers
   * to hear among the `present` people with an open microphone and returns
   * the `listen` messages that tell the speakers whose choice changed.
   */
  choose(now: number, ears: Vec3Like, present: ReadonlySet<PeerId>, headOf: HeadOf): ListenMessage[] {
    if (now < this.nextChoice) return [];
    this.nextChoice = now + SELECTION_INTERVAL_MS;
    const speakers: SpeakerCandidate[] = [];
    for (const peerId of this.open) {
      if (!present.has(peerId)) continue;
      const head = { x: 0, y: 0, z: 0 };
      speakers.push({ peerId, position: headOf(peerId, head) ? head : undefined });
    }
    this.heard = selectSpeakers(ears, speakers, this.heard, { limit: this.limit });
    const messages: ListenMessage[] = [];
    for (const { peerId } of speakers) {
      const on = this.heard.has(peerId);
      if (on === !this.askedOff.has(peerId)) continue;
      if (on) this.askedOff.delete(peerId);
      else this.askedOff.add(peerId);
      messages.push({ kind: 'listen', from: this.self, to: peerId, on });
    }
    return messages;
  }

  /** `peerId` started again or left: nothing either side asked of the other holds any more. */
  private forget(peerId: PeerId): boolean {
    this.open.delete(peerId);
    this.askedOff.delete(peerId);
    this.heard.delete(peerId);
    this.nextChoice = 0;
    return this.offFor.delete(peerId);
  }
}

/**
 * The owner's mute for everyone as voice applies it (docs/voice.md VOICE17,
 * docs/roles.md MOD6). The owner's signed entries name sessions; voice knows
 * people by peer id. This turns the muted sessions and who is present into
 * what `VoiceChat.setOwnerMutes` needs: whether this page itself is muted, and
 * which peers' voices this page must not play. Plain data in and out: the room
 * feeds it from its session, voice applies it.
 *
 * @example
 *   voice.setOwnerMutes(ownerMutes(mySession, moderation.voiceMuted.get(), session.status.get().peers));
 */
import type { PeerId } from '../core/ids.ts';

export interface OwnerMutes {
  /** This page's own session is muted: its microphone goes out to nobody. */
  self: boolean;
  /** Peers whose presence names a muted session: their voices play here at volume 0. */
  peers: ReadonlySet<PeerId>;
}

export const NO_OWNER_MUTES: OwnerMutes = { self: false, peers: new Set() };

/** A person in presence, with the session their presence names (docs/roles.md MOD4). */
export interface SessionOfPeer {
  peerId: PeerId;
  session?: string | undefined;
}

/** VOICE17: who is muted for everyone, from the muted sessions and who is present. */
export function ownerMutes(
  selfSession: string | undefined,
  mutedSessions: ReadonlySet<string>,
  present: readonly SessionOfPeer[],
): OwnerMutes {
  const peers = new Set<PeerId>();
  for (const peer of present) if (peer.session !== undefined && mutedSessions.has(peer.session)) peers.add(peer.peerId);
  return { self: selfSession !== undefined && mutedSessions.has(selfSession), peers };
}

/** VOICE4, VOICE17: what one voice's gain is: my volume for them, or 0 while the owner muted them. */
export function playbackGain(volume: number, mutedByOwner: boolean): number {
  return mutedByOwner ? 0 : volume;
}

/** Whether two results say the same (voice re-applies only on a change). */
export function sameOwnerMutes(a: OwnerMutes, b: OwnerMutes): boolean {
  if (a.self !== b.self || a.peers.size !== b.peers.size) return false;
  for (const peer of a.peers) if (!b.peers.has(peer)) return false;
  return true;
}

/**
 * Presence ends pose-channel membership (docs/room-doc.md PRES4, pose-protocol.md
 * POSE19). Presence (Yjs awareness) is the room's authoritative word that
 * someone left: their own goodbye (PRES1) or the server's when their connection
 * closed (PRES2). The pose channel's own goodbye, BYE, can be lost with a page
 * being torn down, and its timeout (POSE13) takes seconds; until one of them,
 * grabs and physics (GRAB5) would still count the peer and wait for it. So a
 * departure from presence ends the peer on the pose channel at once, and a
 * presence update from it (it came back: a reconnect, the back/forward cache)
 * lets it count again.
 *
 * A peer dropped by this page's own presence timeout (PRES3, origin 'timeout')
 * is not ended: that is a guess from silence, and a holder starved of CPU that
 * still streams keeps its object (GRAB5).
 *
 * @example
 *   const stop = followPresence(session.awareness, channel);
 */
import type { Awareness } from 'y-protocols/awareness';
import { toPeerId } from '../core/ids.ts';
import type { PoseChannel } from '../pose/channel.ts';

/** The origin y-protocols and PresenceKeeper give removals by local timeout (PRES3). */
const TIMEOUT_ORIGIN = 'timeout';

interface AwarenessUpdate {
  added: number[];
  updated: number[];
  removed: number[];
}

/** Keeps `channel`'s membership in step with presence; returns the function that stops it. */
export function followPresence(
  awareness: Awareness,
  channel: Pick<PoseChannel, 'peerLeft' | 'peerPresent'>,
): () => void {
  const onUpdate = ({ added, updated, removed }: AwarenessUpdate, origin: unknown) => {
    if (origin === 'local') return;
    for (const id of added) present(id);
    for (const id of updated) present(id);
    if (origin === TIMEOUT_ORIGIN) return;
    for (const id of removed) {
      const peerId = toPeerId(id);
      if (peerId !== undefined && id !== awareness.clientID) channel.peerLeft(peerId);
    }
  };
  const present = (id: number) => {
    const peerId = toPeerId(id);
    if (peerId !== undefined && id !== awareness.clientID) channel.peerPresent(peerId);
  };
  awareness.on('update', onUpdate);
  return () => awareness.off('update', onUpdate);
}

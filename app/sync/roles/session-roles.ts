/**
 * A protected room's parts of a session (docs/roles.md): the roles between
 * WebRTC peers (ROLE6), the owner's entries and what they do to this session
 * (MOD1-MOD6, ROT1-ROT3, ROLE11), signed names (PNAME1-PNAME6) and the answers
 * to the server's challenges (ROLE5). This is the one module the room loads
 * for them, with a credential only (docs/performance.md LOAD13): an open room
 * never fetches it. `RoomSession` imports its types only and calls the
 * factory it is given.
 */
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { RoomDoc } from '../doc/room-doc.ts';
import { SessionModeration } from '../session-moderation.ts';
import type { RtcPeerHandle } from '../y-webrtc-internals.ts';
import { PeerRoles, type RoleLink, sdpFingerprint } from './peer-roles.ts';
import { NameSigner, PresenceNames } from './presence-names.ts';
import type { RoomCredential } from './room-credential.ts';
import { type ServerRoles, serverRoles } from './server-roles.ts';
import type { SessionKey } from './session-key.ts';

/** What a session hands its roles when it starts. */
export interface SessionRolesContext {
  doc: Y.Doc;
  room: RoomDoc;
  awareness: Awareness;
  /** A name check settled: the session lists its peers again. */
  onNamesSettled(): void;
}

export interface SessionRoles {
  readonly credential: RoomCredential;
  /** ROLE6: roles between WebRTC peers. */
  readonly peers: PeerRoles;
  /** PNAME2-PNAME5: what this page believes about others' names. */
  readonly names: PresenceNames;
  /** With a session key only (MOD4): kicks, mutes, settings and editor-link rotation as they apply here. */
  readonly moderator?: SessionModeration;
  /** PNAME1: signs this page's name with its session key. */
  readonly nameSigner?: NameSigner;
  /** ROLE5, ROLE11: the server sync's part. */
  readonly server: ServerRoles;
  /** A y-webrtc connection as roles see it (ROLE6): its sends and its DTLS fingerprints. */
  linkOf(handle: RtcPeerHandle): RoleLink;
}

/** Makes a session's roles once the session has its document; `RoomSessionOptions.roles`. */
export type SessionRolesFactory = (context: SessionRolesContext) => SessionRoles;

/** The roles of a session opened with `credential` (and this profile's `sessionKey`, MOD4). */
export function sessionRoles(credential: RoomCredential, sessionKey?: SessionKey): SessionRolesFactory {
  return ({ doc, room, awareness, onNamesSettled }) => {
    const ownerKey = credential.ownerPublicKey;
    const moderator = sessionKey ? new SessionModeration(credential, sessionKey, room.ownerEntries()) : undefined;
    const moderation = moderator?.entries;
    return {
      credential,
      peers: new PeerRoles(credential, doc, moderator?.peerSessions()),
      names: new PresenceNames(ownerKey, onNamesSettled, (id) => awareness.states.has(id)),
      ...(moderator ? { moderator } : {}),
      ...(sessionKey ? { nameSigner: new NameSigner(ownerKey, sessionKey, awareness.clientID) } : {}),
      server: serverRoles({
        credential,
        ...(sessionKey ? { sessionKey } : {}),
        ...(moderation
          ? { ownerEntries: moderation.verified, viewersMayGrab: () => moderation.settings.get().viewersMayGrab }
          : {}),
      }),
      linkOf,
    };
  };
}

function linkOf(handle: RtcPeerHandle): RoleLink {
  return {
    key: handle.key,
    send: (data) => handle.send(data),
    close: () => handle.destroy(),
    fingerprints() {
      const local = sdpFingerprint(handle.pc?.localDescription?.sdp);
      const remote = sdpFingerprint(handle.pc?.remoteDescription?.sdp);
      return local && remote ? { local, remote } : undefined;
    },
  };
}

/**
 * A protected room's part of the server sync (docs/roles.md ROLE3, ROLE5,
 * ROLE11, MOD3, MOD4): what the page answers when the server challenges it,
 * and a viewer's own grabs. Made by the session's roles (session-roles.ts),
 * so an open room never loads it (docs/performance.md LOAD13); the server
 * provider only calls `attach`.
 */
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { checkGrabUpdate } from '../doc/grab-update.ts';
import { MESSAGE_SYNC } from '../gate/update-guard.ts';
import { createProof, createSessionProof, serverAudience } from './join-proof.ts';
import { MESSAGE_ROLE, readRoleMessage, writeOwnerEntry, writeProof, writeSession } from './role-messages.ts';
import type { RoomCredential } from './room-credential.ts';
import type { SessionKey } from './session-key.ts';

export interface ServerRolesOptions {
  credential: RoomCredential;
  /** MOD4: this page's session, proven after the role. */
  sessionKey?: SessionKey;
  /** MOD3: the owner entries this page verified (read when the server challenges), passed on to the server. */
  ownerEntries?: readonly Uint8Array[];
  /** ROLE11: the owner lets viewers grab (a viewer's page then sends its own grabs). */
  viewersMayGrab?: () => boolean;
}

/** What the server provider needs of a protected room. */
export interface ServerRoles {
  /** ROLE5: a viewer sends the server no updates of its own (but its grabs, ROLE11) and answers sync step 1 with nothing. */
  readonly viewer: boolean;
  /** Installs the challenge answers on `provider` (`serverUrl` names the audience) and a viewer's grab sender on `doc`. */
  attach(provider: WebsocketProvider, serverUrl: string, doc: Y.Doc): void;
}

export function serverRoles(options: ServerRolesOptions): ServerRoles {
  const viewer = options.credential.role === 'viewer';
  return {
    viewer,
    attach(provider, serverUrl, doc) {
      answerChallenges(provider, serverUrl, options);
      if (viewer && options.viewersMayGrab) sendOwnGrabs(provider, doc, options.viewersMayGrab);
    },
  };
}

/**
 * ROLE11: a viewer's page sends the server the updates of its own grabs (its
 * local transactions that pass the check the server makes), while viewers may
 * grab; everything else stays on this page, as before.
 */
function sendOwnGrabs(provider: WebsocketProvider, doc: Y.Doc, viewersMayGrab: () => boolean): void {
  const send = (update: Uint8Array, _origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
    const socket = provider.ws;
    if (!transaction.local || !viewersMayGrab() || !provider.wsconnected || socket?.readyState !== socket?.OPEN) return;
    if (!checkGrabUpdate(doc, update).ok) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeUpdate(encoder, update);
    socket?.send(encoding.toUint8Array(encoder));
  };
  // Lives as long as the document (the session destroys both together); without a socket it sends nothing.
  doc.on('update', send);
}

/**
 * ROLE3, ROLE5, MOD3, MOD4: answers the server's CHALLENGE with this page's
 * PROOF and SESSION, signed for this server's host, then passes on the owner
 * entries this page verified. Signing is asynchronous, so the answers go out
 * on the socket that was challenged, if it is still open.
 */
function answerChallenges(
  provider: WebsocketProvider,
  serverUrl: string,
  { credential, sessionKey, ownerEntries }: ServerRolesOptions,
): void {
  const audience = serverAudience(new URL(serverUrl).host);
  provider.messageHandlers[MESSAGE_ROLE] = (_encoder, decoder) => {
    const read = readRoleMessage(decoder.arr);
    if (!read.ok || read.message.kind !== 'challenge') return;
    const socket = provider.ws;
    const challenge = read.message.challenge;
    const send = (data: Uint8Array<ArrayBuffer>) => {
      if (socket && provider.ws === socket && socket.readyState === socket.OPEN) socket.send(data);
    };
    void (async () => {
      send(writeProof(await createProof(credential, audience, challenge)));
      if (!sessionKey) return;
      const session = await createSessionProof(credential.ownerPublicKey, sessionKey, audience, challenge);
      if (session) send(writeSession(session));
      for (const entry of ownerEntries ?? []) send(writeOwnerEntry(entry));
    })();
  };
}

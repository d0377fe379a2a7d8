/**
 * The server half of a room's sync: the stock y-websocket client pointed at
 * our `/sync` endpoint, with its message handlers replaced by guarded ones so
 * a bad frame from the server is dropped whole instead of half-applied
 * (docs/room-doc.md CAP3/CAP4, docs/room-sync-protocol.md).
 *
 * Plain TypeScript: Node tests pass `WebSocketPolyfill` from `ws`.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Awareness } from 'y-protocols/awareness';
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { RoomId } from '../core/ids.ts';
import type { UpdateGate } from './gate/update-gate.ts';
import {
  inspectAwarenessBody,
  inspectSyncBody,
  MESSAGE_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP1,
  SYNC_STEP2,
  type Verdict,
} from './gate/update-guard.ts';
import type { ServerRoles } from './roles/server-roles.ts';

/** Must equal the server's ROOM_SYNC_PROTOCOL_VERSION (server/yjs/room-sync.ts). */
const ROOM_SYNC_PROTOCOL_VERSION = '1';
/** Path of the endpoint; the y-websocket client appends it as its "room name". */
const ROOM_SYNC_PATH = 'sync';

export interface ServerProviderOptions {
  /** Origin of the server as a WebSocket URL, e.g. `ws://127.0.0.1:8080`. */
  serverUrl: string;
  roomId: RoomId;
  doc: Y.Doc;
  awareness: Awareness;
  gate: UpdateGate;
  onReject(verdict: Extract<Verdict, { ok: false }>): void;
  WebSocketPolyfill?: typeof WebSocket;
  connect?: boolean;
  /**
   * In a protected room: what this page proves when the server challenges it and a viewer's own grabs
   * (docs/roles.md ROLE5, ROLE11; `serverRoles` in app/sync/roles/server-roles.ts, loaded with the credential).
   */
  roles?: ServerRoles;
}

/** Sync step 2 with an empty update (`00 00`): a viewer's answer to step 1 (ROLE5). */
function writeEmptyStep2(encoder: encoding.Encoder): void {
  encoding.writeVarUint(encoder, SYNC_STEP2);
  encoding.writeVarUint8Array(encoder, new Uint8Array([0, 0]));
}

export function createServerProvider(options: ServerProviderOptions): WebsocketProvider {
  const provider = new WebsocketProvider(options.serverUrl, ROOM_SYNC_PATH, options.doc, {
    awareness: options.awareness,
    params: { room: options.roomId, v: ROOM_SYNC_PROTOCOL_VERSION },
    // Tabs of this browser already meet through y-webrtc's BroadcastChannel; this
    // provider's channel name would not even include the room (it is a query parameter).
    disableBc: true,
    connect: options.connect ?? true,
    ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
  });

  const viewer = options.roles?.viewer === true;
  // ROLE5: a viewer sends the server no updates (the server would close it for them); ROLE11: but its own grabs
  // where the owner lets viewers grab (the roles' `attach`, below).
  if (viewer) options.doc.off('update', provider._updateHandler);

  provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, _provider, emitSynced) => {
    const verdict = inspectSyncBody(decoding.createDecoder(decoder.arr.subarray(decoder.pos)));
    if (!verdict.ok) return options.onReject(verdict);
    const subtype = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (subtype === SYNC_STEP1) {
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      if (viewer) writeEmptyStep2(encoder);
      else syncProtocol.writeSyncStep2(encoder, options.doc, payload);
      return;
    }
    const applied = options.gate.apply(payload, provider);
    if (!applied.ok) return options.onReject(applied);
    if (emitSynced && subtype === SYNC_STEP2 && !provider.synced) provider.synced = true;
  };

  onlyOwnPresence(provider, options.awareness);
  options.roles?.attach(provider, options.serverUrl, options.doc);

  provider.messageHandlers[MESSAGE_AWARENESS] = (_encoder, decoder) => {
    const verdict = inspectAwarenessBody(decoding.createDecoder(decoder.arr.subarray(decoder.pos)));
    if (!verdict.ok) return options.onReject(verdict);
    applyAwarenessUpdate(options.awareness, decoding.readVarUint8Array(decoder), provider);
  };
  return provider;
}

/**
 * The stock client forwards every awareness change to the server, including
 * states it only heard from the server itself (an echo per client per
 * renewal) or from WebRTC peers. Send only this client's own state instead: the
 * server then knows exactly which connection carries which person, so it can
 * remove them the moment that connection closes (RS9), and the relay traffic
 * stays linear in the number of clients. Peers without any server connection are
 * not relayed to server-only peers; they still see each other over WebRTC.
 */
function onlyOwnPresence(provider: WebsocketProvider, awareness: Awareness): void {
  awareness.off('update', provider._awarenessUpdateHandler);
  const sendOwn = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
    const own = [...added, ...updated, ...removed].filter((id) => id === awareness.clientID);
    const socket = provider.ws;
    if (own.length === 0 || !provider.wsconnected || !socket || socket.readyState !== socket.OPEN) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, own));
    socket.send(encoding.toUint8Array(encoder));
  };
  awareness.on('update', sendOwn);
  const destroy = provider.destroy.bind(provider);
  provider.destroy = () => {
    awareness.off('update', sendOwn);
    destroy();
  };
}

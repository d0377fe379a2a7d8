/**
 * A room held in memory while anyone is connected to it: its Y.Doc (loaded
 * from the store), the room's awareness (presence relay), and the connected
 * peers. Speaks the sync half of the y-websocket protocol; the socket half
 * (limits, framing) is room-sync.ts.
 *
 * Rules (docs/room-sync-protocol.md):
 *   RS3  a message that fails the update guard or the gate closes with 4400;
 *        nothing of it reaches the document, the store or other peers.
 *   RS8  a room whose compacted state exceeds maxRoomBytes takes no more updates (4413).
 *   RS9  when a peer leaves, the presence states only it carried are removed and
 *        everyone else is told at once (PRES2).
 *   RS10 an accepted update is written to the store before it is relayed.
 *   RS11 the log is compacted into one snapshot after compactAfterUpdates rows
 *        or compactAfterBytes bytes, when the room unloads, and on shutdown.
 */
import * as decoding from 'lib0/decoding';
import { Awareness, applyAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { UpdateGate } from '../../app/sync/gate/update-gate.ts';
import {
  inspectProviderMessage,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP1,
} from '../../app/sync/gate/update-guard.ts';
import type { Logger } from '../log.ts';
import { awarenessMessage, syncStep1Message, syncStep2Message, updateMessage } from './messages.ts';
import type { RoomStore } from './room-store.ts';

/** One connected client, as the room sees it. */
export interface RoomPeer {
  readonly address: string;
  send(message: Uint8Array): void;
}

export interface Violation {
  code: number;
  reason: string;
}

/** Close codes in y-websocket's "do not reconnect" range (4400-4499). */
const CLOSE_MALFORMED = 4400;
const CLOSE_TOO_LARGE = 4413;

export interface LiveRoomOptions {
  compactAfterUpdates: number;
  compactAfterBytes: number;
  maxRoomBytes: number;
}

export class LiveRoom {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  /** Each peer and the awareness client ids it carries (RS9). */
  readonly peers = new Map<RoomPeer, Set<number>>();
  /** When the last peer left (for unloading idle rooms). */
  emptySince = Date.now();
  private readonly gate: UpdateGate;
  private lastSeq = 0;
  private rowsSinceCompaction = 0;
  private bytesSinceCompaction = 0;
  private full = false;

  constructor(
    readonly id: string,
    private readonly store: RoomStore,
    private readonly logger: Logger,
    private readonly options: LiveRoomOptions,
  ) {
    this.awareness.setLocalState(null);
    const log = store.load(id);
    for (const update of log.updates) {
      try {
        Y.applyUpdate(this.doc, update);
      } catch (error) {
        logger.error('room', 'skipping a stored update that does not apply', { room: id, error });
      }
    }
    this.lastSeq = log.lastSeq;
    this.rowsSinceCompaction = log.updates.length;
    this.bytesSinceCompaction = log.bytes;
    this.gate = new UpdateGate(this.doc);
    if (log.updates.length > 1) this.compact();
    else this.full = log.bytes > options.maxRoomBytes;
    this.doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  join(peer: RoomPeer): void {
    this.peers.set(peer, new Set());
    peer.send(syncStep1Message(this.doc));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) peer.send(awarenessMessage(this.awareness, states));
  }

  /**
   * RS9: forgets the peer and removes the presence states it carried, for
   * everyone, unless another connection still carries them: a client also
   * relays the presence of peers it meets over WebRTC, and those peers are
   * still here when the relaying client leaves.
   */
  leave(peer: RoomPeer): void {
    const carried = this.peers.get(peer);
    if (!carried) return;
    this.peers.delete(peer);
    const gone = [...carried].filter((id) => ![...this.peers.values()].some((others) => others.has(id)));
    if (gone.length > 0) removeAwarenessStates(this.awareness, gone, null);
    if (this.peers.size === 0) this.emptySince = Date.now();
  }

  /** Handles one binary frame; returns the violation that must close the socket, if any. */
  receive(peer: RoomPeer, message: Uint8Array): Violation | undefined {
    const verdict = inspectProviderMessage(message);
    if (!verdict.ok) {
      return { code: verdict.reason === 'too-large' ? CLOSE_TOO_LARGE : CLOSE_MALFORMED, reason: verdict.message };
    }
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) return this.receiveSync(peer, decoder);
    if (type === MESSAGE_AWARENESS) {
      const update = decoding.readVarUint8Array(decoder);
      this.noteCarried(peer, update);
      applyAwarenessUpdate(this.awareness, update, peer);
    } else if (type === MESSAGE_QUERY_AWARENESS) {
      peer.send(awarenessMessage(this.awareness, [...this.awareness.getStates().keys()]));
    }
    // MESSAGE_AUTH and y-webrtc-only types carry nothing the server acts on.
    return undefined;
  }

  /** RS11: folds the update log into one snapshot row. */
  compact(): void {
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    this.lastSeq = this.store.compact(this.id, snapshot, this.lastSeq);
    this.rowsSinceCompaction = 1;
    this.bytesSinceCompaction = snapshot.byteLength;
    this.full = snapshot.byteLength > this.options.maxRoomBytes;
    if (this.full) this.logger.warn('room', 'room is over its size limit', { room: this.id, bytes: snapshot.length });
  }

  get storedBytes(): number {
    return this.bytesSinceCompaction;
  }

  /** Compacts and frees the room (peers must have left). */
  unload(): void {
    if (this.rowsSinceCompaction > 1) this.compact();
    this.doc.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.gate.destroy();
    this.doc.destroy();
  }

  private receiveSync(peer: RoomPeer, decoder: decoding.Decoder): Violation | undefined {
    const subtype = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (subtype === SYNC_STEP1) {
      peer.send(syncStep2Message(this.doc, payload));
      return undefined;
    }
    if (this.full) return { code: CLOSE_TOO_LARGE, reason: 'room is over its size limit' };
    const verdict = this.gate.apply(payload, peer);
    return verdict.ok ? undefined : { code: CLOSE_MALFORMED, reason: verdict.message };
  }

  /**
   * Records which presence states `peer` carries: every client id it sent a
   * state for (its own, or one it relays from WebRTC), whether or not that
   * state was news here. A `null` state (a goodbye) is no longer carried.
   * The message already passed the guard, so it decodes.
   */
  private noteCarried(peer: RoomPeer, update: Uint8Array): void {
    const carried = this.peers.get(peer);
    if (!carried) return;
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      decoding.readVarUint(decoder); // clock
      if (decoding.readVarString(decoder) === 'null') carried.delete(clientId);
      else carried.add(clientId);
    }
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown) => {
    // RS10: on disk before anyone else sees it.
    this.lastSeq = this.store.append(this.id, update);
    this.rowsSinceCompaction++;
    this.bytesSinceCompaction += update.byteLength;
    const message = updateMessage(update);
    for (const peer of this.peers.keys()) if (peer !== origin) peer.send(message);
    if (
      this.rowsSinceCompaction >= this.options.compactAfterUpdates ||
      this.bytesSinceCompaction >= this.options.compactAfterBytes
    ) {
      this.compact();
    }
  };

  private readonly onAwarenessUpdate = ({
    added,
    updated,
    removed,
  }: {
    added: number[];
    updated: number[];
    removed: number[];
  }) => {
    const changed = [...added, ...updated, ...removed];
    if (changed.length === 0) return;
    // Echoed to the sender too: the y-websocket client treats 30 s without any
    // message as a dead connection, and a lone client only hears its own presence.
    const message = awarenessMessage(this.awareness, changed);
    for (const peer of this.peers.keys()) peer.send(message);
  };
}

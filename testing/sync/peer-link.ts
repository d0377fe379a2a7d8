/**
 * A direct peer-to-peer link between two room documents for tests, in the
 * spirit of Yjs's test connector: it speaks y-webrtc's message framing and
 * judges every incoming message with the same guard and gate the app wraps
 * around y-webrtc (webrtc-guard.ts), but carries bytes through in-memory
 * queues that the test flushes when it likes. Ordered and reliable while up,
 * like a data channel; everything queued is lost when it goes down.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type * as Y from 'yjs';
import type { UpdateGate } from '../../app/sync/gate/update-gate.ts';
import { MESSAGE_SYNC, type Verdict } from '../../app/sync/gate/update-guard.ts';
import { judgePeerMessage } from '../../app/sync/gate/webrtc-guard.ts';

export interface LinkEnd {
  doc: Y.Doc;
  gate: UpdateGate;
}

interface Side {
  end: LinkEnd;
  inbox: Uint8Array[];
  onUpdate: (update: Uint8Array, origin: unknown) => void;
}

export class TestPeerLink {
  connected = false;
  readonly rejections: Extract<Verdict, { ok: false }>[] = [];
  private readonly sides: [Side, Side];

  constructor(a: LinkEnd, b: LinkEnd) {
    const side = (end: LinkEnd, index: 0 | 1): Side => ({
      end,
      inbox: [],
      onUpdate: (update, origin) => {
        if (!this.connected || origin === this.sides[index]) return;
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE_SYNC);
        syncProtocol.writeUpdate(encoder, update);
        this.sides[index === 0 ? 1 : 0].inbox.push(encoding.toUint8Array(encoder));
      },
    });
    this.sides = [side(a, 0), side(b, 1)];
    for (const s of this.sides) s.end.doc.on('update', s.onUpdate);
  }

  /** Opens the link: both sides send sync step 1, as y-webrtc does on `connect`. */
  connect(): void {
    if (this.connected) return;
    this.connected = true;
    for (const [from, to] of [this.sides, [this.sides[1], this.sides[0]]] as const) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeSyncStep1(encoder, from.end.doc);
      to.inbox.push(encoding.toUint8Array(encoder));
    }
  }

  disconnect(): void {
    this.connected = false;
    for (const s of this.sides) s.inbox.length = 0;
  }

  get pending(): number {
    return this.sides[0].inbox.length + this.sides[1].inbox.length;
  }

  /** Delivers up to `max` queued messages per side, in order. */
  deliver(max = Number.POSITIVE_INFINITY): void {
    for (let round = 0; round < max && this.connected && this.pending > 0; round++) {
      for (const [index, side] of this.sides.entries()) {
        const message = side.inbox.shift();
        if (message) this.receive(side, this.sides[index === 0 ? 1 : 0], message);
      }
    }
  }

  destroy(): void {
    this.disconnect();
    for (const s of this.sides) s.end.doc.off('update', s.onUpdate);
  }

  private receive(side: Side, other: Side, message: Uint8Array): void {
    const verdict = judgePeerMessage(message, side.end.gate);
    if (!verdict.ok) {
      this.rejections.push(verdict);
      return;
    }
    const decoder = decoding.createDecoder(message);
    decoding.readVarUint(decoder);
    const reply = encoding.createEncoder();
    encoding.writeVarUint(reply, MESSAGE_SYNC);
    syncProtocol.readSyncMessage(decoder, reply, side.end.doc, side);
    if (encoding.length(reply) > 1) other.inbox.push(encoding.toUint8Array(reply));
  }
}

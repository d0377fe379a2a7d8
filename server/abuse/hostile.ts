/**
 * Hostile inputs for the abuse suite, built byte by byte: what a modified
 * client could send. Each is small and valid where it needs to be, so it
 * reaches the code it attacks instead of being refused at the door.
 */
import * as encoding from 'lib0/encoding';
import { MESSAGE_AWARENESS, MESSAGE_SYNC, SYNC_UPDATE } from '../../app/sync/gate/update-guard.ts';

/** `[[[...]]]` nested `depth` levels: a few KB that overflow a recursive encoder. */
export function deepJson(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

/** A y-websocket awareness message with one entry. */
export function awarenessFrame(clientId: number, clock: number, stateJson: string): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, clientId);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, stateJson);
  const outer = encoding.createEncoder();
  encoding.writeVarUint(outer, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
  return encoding.toUint8Array(outer);
}

/** A y-websocket sync-update message around a raw Yjs update. */
export function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_UPDATE);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/**
 * A Yjs update with one JSON-content struct holding `text` verbatim (not valid
 * JSON): the decoder's error message quotes part of it.
 */
export function jsonContentUpdate(text: string, clientId = 5): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1); // one client
  encoding.writeVarUint(e, 1); // one struct
  encoding.writeVarUint(e, clientId);
  encoding.writeVarUint(e, 0); // clock
  encoding.writeUint8(e, 2); // ContentJSON, parent info follows
  encoding.writeVarUint(e, 1); // parent is a root type ...
  encoding.writeVarString(e, 'x'); // ... named "x"
  encoding.writeVarUint(e, 1); // one JSON string
  encoding.writeVarString(e, text);
  encoding.writeVarUint(e, 0); // empty delete set
  return encoding.toUint8Array(e);
}

/**
 * `count` one-character insertions into the script, from clients
 * `first` ... `first + count - 1`, all at the start with no origins. Applied
 * after the same from lower client ids, each new item scans every earlier
 * one: integration is quadratic (two such updates of ~75 KB took 3 s).
 */
export function concurrentInserts(first: number, count: number, root = 'script'): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, count);
  for (let client = first + count - 1; client >= first; client--) {
    encoding.writeVarUint(e, 1); // one struct
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, 0); // clock
    encoding.writeUint8(e, 4); // ContentString, parent info follows
    encoding.writeVarUint(e, 1);
    encoding.writeVarString(e, root);
    encoding.writeVarString(e, 'a');
  }
  encoding.writeVarUint(e, 0);
  return encoding.toUint8Array(e);
}

/**
 * One string struct from `client` starting at `clock`: when the room has not
 * seen that client's earlier clocks, Yjs keeps it pending (waiting for them)
 * and retries it on every later update.
 */
export function detachedString(client: number, clock: number, text: string): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, clock);
  encoding.writeUint8(e, 4 | 0x80); // ContentString with a left origin ...
  encoding.writeVarUint(e, client); // ... the struct just before it, which nobody has
  encoding.writeVarUint(e, clock - 1);
  encoding.writeVarString(e, text);
  encoding.writeVarUint(e, 0);
  return encoding.toUint8Array(e);
}

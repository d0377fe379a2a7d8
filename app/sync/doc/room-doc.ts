/**
 * The room document: one Y.Doc per room holding
 *   script   Y.Text                      the scene script everyone edits
 *   objects  Y.Map<Y.Map<unknown>>       per-object runtime state, keyed by stable object id
 *   meta     Y.Map<unknown>              room metadata (layout version, creation time, the room's name)
 *   owner    Y.Array<Uint8Array>         a protected room's signed owner entries (docs/roles.md MOD1)
 * The rendered scene is parse(script) + object state (docs/room-doc.md).
 *
 * This is the one place that knows the layout: its Yjs types are private, and
 * everyone else reads and writes through the operations below (the editor's
 * CRDT binding alone gets the shared text itself, `editorText()`).
 *
 * @example
 *   const room = new RoomDoc(doc);
 *   const stop = room.observeScript((snapshot) => {
 *     if (snapshot.withinLimit) scene.update(snapshot.text); // else keep the last good scene
 *   });
 *   room.transact(() => {            // one transaction: everyone sees both or neither
 *     room.setTransform(id, transform);
 *     room.setOwner(id, null);
 *   });
 */
import * as Y from 'yjs';
import { type ObjectId, objectId, type PeerId } from '../../core/ids.ts';
import { cleanRoomName } from '../../core/room-name.ts';
import { MAX_OBJECT_STATES, SCRIPT_MAX_CHARS } from './limits.ts';
import { ORPHAN_TTL_MS, type Rename } from './object-renames.ts';
import {
  FIELD_OWNER,
  FIELD_TRANSFORM,
  FIELD_UPDATED_AT,
  isJsonValue,
  isValidFieldKey,
  isValidObjectId,
  type JsonValue,
  type ObjectState,
  PROP_PREFIX,
  readObjectState,
  readOwner,
  STATE_PREFIX,
  type Transform,
} from './object-state.ts';

/** Version of the document layout, stored in `meta.layout` (bumped on incompatible change). */
export const ROOM_DOC_LAYOUT_VERSION = 1;

const ROOT_SCRIPT = 'script';
/** The root of object state (also named by the grab check, grab-update.ts). */
export const ROOT_OBJECTS = 'objects';
const ROOT_META = 'meta';
const ROOT_OWNER = 'owner';

export type WriteResult = { ok: true } | { ok: false; error: string };

export interface ScriptSnapshot {
  text: string;
  /** False when the script is over SCRIPT_MAX_CHARS (CAP1): the scene must keep its last good state. */
  withinLimit: boolean;
  /** True when the change came from this peer's own edit. */
  local: boolean;
}

/** Transaction origin for writes made through RoomDoc (so observers can tell local from remote). */
const LOCAL_ORIGIN = Symbol('holoroom-local');

/** SEED3: a client id from the text (FNV-1a), never 0. */
function seedClientId(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash || 1;
}

/** SEED3: the same bytes on every peer for the same text. */
function seedUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = seedClientId(text);
  doc.getText(ROOT_SCRIPT).insert(0, text);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/**
 * Replaces only the part of `target` between the first and the last character
 * that differ from `text` (never splitting a surrogate pair), so text that a
 * restore leaves as it was keeps its identity and concurrent edits near it merge.
 */
function replaceChangedText(target: Y.Text, text: string): void {
  const current = target.toString();
  if (current === text) return;
  const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
  const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;
  let start = 0;
  const shorter = Math.min(current.length, text.length);
  while (start < shorter && current.charCodeAt(start) === text.charCodeAt(start)) start++;
  if (start > 0 && isHigh(current.charCodeAt(start - 1))) start--;
  let end = 0;
  while (
    end < shorter - start &&
    current.charCodeAt(current.length - 1 - end) === text.charCodeAt(text.length - 1 - end)
  ) {
    end++;
  }
  if (end > 0 && isLow(current.charCodeAt(current.length - end))) end--;
  const removed = current.length - start - end;
  if (removed > 0) target.delete(start, removed);
  const inserted = text.slice(start, text.length - end);
  if (inserted) target.insert(start, inserted);
}

export class RoomDoc {
  private readonly script: Y.Text;
  private readonly objects: Y.Map<Y.Map<unknown>>;
  private readonly meta: Y.Map<unknown>;

  constructor(private readonly doc: Y.Doc) {
    this.script = doc.getText(ROOT_SCRIPT);
    this.objects = doc.getMap<Y.Map<unknown>>(ROOT_OBJECTS);
    this.meta = doc.getMap<unknown>(ROOT_META);
  }

  /** Records the layout version once; harmless when several peers do it concurrently. */
  initMeta(now = Date.now()): void {
    if (this.meta.get('layout') === ROOM_DOC_LAYOUT_VERSION) return;
    this.transact(() => {
      this.meta.set('layout', ROOM_DOC_LAYOUT_VERSION);
      if (typeof this.meta.get('createdAt') !== 'number') this.meta.set('createdAt', now);
    });
  }

  /** Runs `change` (any writes through this object) as one transaction: peers see all of it or none. */
  transact(change: () => void): void {
    this.doc.transact(change, LOCAL_ORIGIN);
  }

  // ---- the room's name (NAME1) ----

  /** The room's name, cleaned (it may come from any peer); empty when it has none. */
  roomName(): string {
    return cleanRoomName(this.meta.get('name'));
  }

  /** Names the room for everyone; the name is cleaned and capped first (NAME1). An empty name clears it. */
  setRoomName(name: string): void {
    const cleaned = cleanRoomName(name);
    if (cleaned === this.roomName()) return;
    this.transact(() => {
      if (cleaned === '') this.meta.delete('name');
      else this.meta.set('name', cleaned);
    });
  }

  /** Calls `listener` with the room's name whenever a local or remote change sets it. */
  observeRoomName(listener: (name: string) => void): () => void {
    const handler = (event: Y.YMapEvent<unknown>) => {
      if (event.keysChanged.has('name')) listener(this.roomName());
    };
    this.meta.observe(handler);
    return () => this.meta.unobserve(handler);
  }

  // ---- the script ----

  scriptText(): string {
    return this.script.toString();
  }

  get scriptLength(): number {
    return this.script.length;
  }

  /**
   * The shared text itself, for the editor's CRDT binding (y-codemirror.next
   * edits it in place and follows remote edits). Nothing else edits it
   * directly: use `editScript` or `replaceScript`.
   */
  editorText(): Y.Text {
    return this.script;
  }

  /** A protected room's owner entries, for the one code that reads and appends them (`app/sync/roles/moderation.ts`). */
  ownerEntries(): Y.Array<unknown> {
    return this.doc.getArray(ROOT_OWNER);
  }

  /** Deletes `deleteCount` characters at `at` and inserts `insert` there, in one transaction (as a typist would). */
  editScript(at: number, deleteCount: number, insert = ''): void {
    this.transact(() => {
      if (deleteCount > 0) this.script.delete(at, deleteCount);
      if (insert) this.script.insert(at, insert);
    });
  }

  scriptSnapshot(local = false): ScriptSnapshot {
    const text = this.script.toString();
    return { text, withinLimit: text.length <= SCRIPT_MAX_CHARS, local };
  }

  /** Replaces the whole script in one transaction (loading a scene). CAP1 applies. */
  replaceScript(text: string): WriteResult {
    if (text.length > SCRIPT_MAX_CHARS) {
      return { ok: false, error: `The script is ${text.length} characters; the limit is ${SCRIPT_MAX_CHARS}.` };
    }
    this.transact(() => {
      this.script.delete(0, this.script.length);
      this.script.insert(0, text);
    });
    return { ok: true };
  }

  /**
   * SCENE1: replaces the script and forgets every object's state in one
   * transaction, so the new scene starts as written for everyone.
   */
  replaceScene(text: string): WriteResult {
    if (text.length > SCRIPT_MAX_CHARS) return this.replaceScript(text);
    this.transact(() => {
      this.replaceScript(text);
      for (const id of [...this.objects.keys()]) this.objects.delete(id);
    });
    return { ok: true };
  }

  /**
   * HIST7 (docs/history.md): makes the room equal a snapshot of it (a Yjs
   * update of this room's document, as the server keeps them) with ordinary
   * edits in one transaction, so every peer converges to it as to any edit:
   * the script is replaced from the first to the last character that differ,
   * object states are set field by field (objects the snapshot lacks lose
   * their state; nobody holds anything afterwards), and the room's name is
   * set back. A snapshot that does not decode changes nothing.
   */
  restore(snapshot: Uint8Array): WriteResult {
    const past = new Y.Doc();
    try {
      Y.applyUpdate(past, snapshot);
      const text = past.getText(ROOT_SCRIPT).toString();
      if (text.length > SCRIPT_MAX_CHARS) return { ok: false, error: 'This snapshot’s script is over the limit.' };
      const pastObjects = past.getMap<unknown>(ROOT_OBJECTS);
      const name = past.getMap<unknown>(ROOT_META).get('name');
      this.transact(() => {
        replaceChangedText(this.script, text);
        for (const id of [...this.objects.keys()]) if (!(pastObjects.get(id) instanceof Y.Map)) this.objects.delete(id);
        for (const [id, pastEntry] of pastObjects) {
          if (pastEntry instanceof Y.Map && isValidObjectId(id)) this.restoreObject(id, pastEntry);
        }
        if (name === undefined) this.meta.delete('name');
        else if (name !== this.meta.get('name')) this.meta.set('name', cleanRoomName(name));
      });
      return { ok: true };
    } catch {
      return { ok: false, error: 'This snapshot is damaged and cannot be restored.' };
    } finally {
      past.destroy();
    }
  }

  /** HIST7: one object's state set to `past`'s, field by field; JSON values only, and held by nobody. */
  private restoreObject(id: string, past: Y.Map<unknown>): void {
    let entry = this.objects.get(id);
    if (!(entry instanceof Y.Map)) {
      entry = new Y.Map<unknown>();
      this.objects.set(id, entry);
    }
    for (const key of [...entry.keys()]) if (!past.has(key)) entry.delete(key);
    for (const [key, value] of past.entries()) {
      const wanted = key === FIELD_OWNER ? null : value;
      if (!isJsonValue(wanted)) continue;
      if (JSON.stringify(entry.get(key)) !== JSON.stringify(wanted)) entry.set(key, wanted);
    }
  }

  /**
   * SEED3: puts `text` into an empty script as one deterministic update (the
   * same bytes on every peer), which Yjs applies once however many peers seed
   * at the same moment; false when the script already has text.
   */
  seedScript(text: string): boolean {
    if (this.script.length > 0) return false;
    Y.applyUpdate(this.doc, seedUpdate(text), LOCAL_ORIGIN);
    return true;
  }

  /**
   * The scene runtime's hook: called with the script after every change (local
   * or remote), at most once per transaction.
   */
  observeScript(listener: (snapshot: ScriptSnapshot) => void): () => void {
    const handler = (_event: Y.YTextEvent, transaction: Y.Transaction) =>
      listener(this.scriptSnapshot(transaction.local));
    this.script.observe(handler);
    return () => this.script.unobserve(handler);
  }

  /** Called with the ids whose state changed (added, changed or removed). */
  observeObjects(listener: (changedIds: Set<ObjectId>) => void): () => void {
    const handler = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      const changed = new Set<ObjectId>();
      for (const event of events) {
        if (event.target === this.objects) for (const key of event.keys.keys()) changed.add(objectId(key));
        else if (event.target instanceof Y.Map && event.target.parent === this.objects) {
          const id = this.idOf(event.target);
          if (id !== undefined) changed.add(id);
        }
      }
      if (changed.size > 0) listener(changed);
    };
    this.objects.observeDeep(handler);
    return () => this.objects.unobserveDeep(handler);
  }

  // ---- object state ----

  get objectCount(): number {
    return this.objects.size;
  }

  /** Every id with state, valid or not (orphans included). */
  *objectIds(): IterableIterator<ObjectId> {
    for (const key of this.objects.keys()) yield objectId(key);
  }

  hasObjectState(id: string): boolean {
    return this.objects.has(id);
  }

  /** The owner field alone (validated like the rest of the entry, DOC4). */
  ownerOf(id: string): PeerId | null {
    const entry = this.objects.get(id);
    return entry instanceof Y.Map ? readOwner(entry.get(FIELD_OWNER)) : null;
  }

  /** Every object someone owns, with its owner (GRAB6 looks for owners who left). */
  *owners(): IterableIterator<[ObjectId, PeerId]> {
    for (const [id, entry] of this.objects) {
      const owner = entry instanceof Y.Map ? readOwner(entry.get(FIELD_OWNER)) : null;
      if (owner !== null) yield [objectId(id), owner];
    }
  }

  /** CAP2: false when peers together created more entries than the cap. */
  get objectsWithinLimit(): boolean {
    return this.objects.size <= MAX_OBJECT_STATES;
  }

  getObjectState(id: string): ObjectState | undefined {
    const entry = this.objects.get(id);
    return entry instanceof Y.Map ? readObjectState(entry) : undefined;
  }

  /**
   * All object states, validated. When over the cap (CAP2) only the first
   * MAX_OBJECT_STATES ids in sorted order are returned, the same on every peer.
   */
  allObjectStates(): Map<ObjectId, ObjectState> {
    const ids = [...this.objects.keys()].filter(isValidObjectId).sort();
    const result = new Map<ObjectId, ObjectState>();
    for (const id of ids.slice(0, MAX_OBJECT_STATES)) {
      const entry = this.objects.get(id);
      if (entry instanceof Y.Map) result.set(objectId(id), readObjectState(entry));
    }
    return result;
  }

  setTransform(id: ObjectId, transform: Transform): WriteResult {
    return this.write(id, (entry) => entry.set(FIELD_TRANSFORM, transform));
  }

  setOwner(id: ObjectId, owner: PeerId | null): WriteResult {
    return this.write(id, (entry) => entry.set(FIELD_OWNER, owner));
  }

  setStateValue(id: ObjectId, key: string, value: JsonValue): WriteResult {
    if (!isValidFieldKey(key)) return { ok: false, error: `"${key}" is not a valid state name.` };
    if (!isJsonValue(value)) return { ok: false, error: `state "${key}" is not a JSON value.` };
    return this.write(id, (entry) => entry.set(`${STATE_PREFIX}${key}`, value));
  }

  setPropValue(id: ObjectId, key: string, value: JsonValue): WriteResult {
    if (!isValidFieldKey(key)) return { ok: false, error: `"${key}" is not a valid property name.` };
    if (!isJsonValue(value)) return { ok: false, error: `property "${key}" is not a JSON value.` };
    return this.write(id, (entry) => entry.set(`${PROP_PREFIX}${key}`, value));
  }

  removeObjectState(id: ObjectId): void {
    if (this.objects.has(id)) this.transact(() => this.objects.delete(id));
  }

  /** OBJ2: moves `from`'s state to `to` in one transaction; false when `from` has none or `to` already has some. */
  renameObject(rename: Rename): boolean {
    const source = this.objects.get(rename.from);
    if (!(source instanceof Y.Map) || this.objects.has(rename.to)) return false;
    this.transact(() => {
      const copy = new Y.Map<unknown>();
      for (const [key, value] of source.entries()) copy.set(key, value);
      this.objects.set(rename.to, copy);
      this.objects.delete(rename.from);
    });
    return true;
  }

  /** OBJ4: deletes orphans (ids not in `liveIds`) older than ORPHAN_TTL_MS; returns how many. */
  pruneOrphans(liveIds: ReadonlySet<ObjectId>, now = Date.now()): number {
    const stale: string[] = [];
    for (const [id, entry] of this.objects.entries()) {
      if (liveIds.has(objectId(id))) continue;
      const updatedAt = entry instanceof Y.Map ? readObjectState(entry).updatedAt : 0;
      if (now - updatedAt >= ORPHAN_TTL_MS) stale.push(id);
    }
    if (stale.length > 0) {
      this.transact(() => {
        for (const id of stale) this.objects.delete(id);
      });
    }
    return stale.length;
  }

  private write(id: ObjectId, change: (entry: Y.Map<unknown>) => void, now = Date.now()): WriteResult {
    if (!isValidObjectId(id)) return { ok: false, error: 'invalid object id' };
    let entry = this.objects.get(id);
    if (!(entry instanceof Y.Map) && this.objects.size >= MAX_OBJECT_STATES) {
      return { ok: false, error: `This room already holds state for ${MAX_OBJECT_STATES} objects (the limit).` };
    }
    this.transact(() => {
      if (!(entry instanceof Y.Map)) {
        entry = new Y.Map<unknown>();
        this.objects.set(id, entry);
      }
      change(entry);
      entry.set(FIELD_UPDATED_AT, now);
    });
    return { ok: true };
  }

  private idOf(entry: Y.Map<unknown>): ObjectId | undefined {
    // Y.Map stores its key on the item that holds it.
    const key = entry._item?.parentSub;
    return typeof key === 'string' ? objectId(key) : undefined;
  }
}

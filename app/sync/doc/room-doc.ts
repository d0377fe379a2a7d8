/**
 * The room document: one Y.Doc per room holding
 *   script   Y.Text                      the scene script everyone edits
 *   objects  Y.Map<Y.Map<unknown>>       per-object runtime state, keyed by stable object id
 *   meta     Y.Map<unknown>              room metadata (layout version, creation time)
 * The rendered scene is parse(script) + object state (docs/room-doc.md).
 *
 * This is the one place that knows the layout; the editor binds to `script`,
 * and the scene runtime subscribes with `observeScript` / `observeObjects`:
 *
 * @example
 *   const room = new RoomDoc(session.doc);
 *   const stop = room.observeScript((snapshot) => {
 *     if (snapshot.withinLimit) scene.update(snapshot.text); // else keep the last good scene
 *   });
 */
import * as Y from 'yjs';
import { MAX_OBJECT_STATES, SCRIPT_MAX_CHARS } from './limits.ts';
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
  STATE_PREFIX,
  type Transform,
} from './object-state.ts';

/** Version of the document layout, stored in `meta.layout` (bumped on incompatible change). */
export const ROOM_DOC_LAYOUT_VERSION = 1;

export const ROOT_SCRIPT = 'script';
const ROOT_OBJECTS = 'objects';
const ROOT_META = 'meta';

export type WriteResult = { ok: true } | { ok: false; error: string };

export interface ScriptSnapshot {
  text: string;
  /** False when the script is over SCRIPT_MAX_CHARS (LIM1): the scene must keep its last good state. */
  withinLimit: boolean;
  /** True when the change came from this peer's own edit. */
  local: boolean;
}

/** Transaction origin for writes made through RoomDoc (so observers can tell local from remote). */
export const LOCAL_ORIGIN = Symbol('holoroom-local');

export class RoomDoc {
  readonly script: Y.Text;
  readonly objects: Y.Map<Y.Map<unknown>>;
  readonly meta: Y.Map<unknown>;

  constructor(readonly doc: Y.Doc) {
    this.script = doc.getText(ROOT_SCRIPT);
    this.objects = doc.getMap<Y.Map<unknown>>(ROOT_OBJECTS);
    this.meta = doc.getMap<unknown>(ROOT_META);
  }

  /** Records the layout version once; harmless when several peers do it concurrently. */
  initMeta(now = Date.now()): void {
    if (this.meta.get('layout') === ROOM_DOC_LAYOUT_VERSION) return;
    this.doc.transact(() => {
      this.meta.set('layout', ROOM_DOC_LAYOUT_VERSION);
      if (typeof this.meta.get('createdAt') !== 'number') this.meta.set('createdAt', now);
    }, LOCAL_ORIGIN);
  }

  scriptSnapshot(local = false): ScriptSnapshot {
    const text = this.script.toString();
    return { text, withinLimit: text.length <= SCRIPT_MAX_CHARS, local };
  }

  /** Replaces the whole script in one transaction (loading a scene). LIM1 applies. */
  replaceScript(text: string): WriteResult {
    if (text.length > SCRIPT_MAX_CHARS) {
      return { ok: false, error: `The script is ${text.length} characters; the limit is ${SCRIPT_MAX_CHARS}.` };
    }
    this.doc.transact(() => {
      this.script.delete(0, this.script.length);
      this.script.insert(0, text);
    }, LOCAL_ORIGIN);
    return { ok: true };
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
  observeObjects(listener: (changedIds: Set<string>) => void): () => void {
    const handler = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      const changed = new Set<string>();
      for (const event of events) {
        if (event.target === this.objects) for (const key of event.keys.keys()) changed.add(key);
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

  get objectCount(): number {
    return this.objects.size;
  }

  /** LIM2: false when peers together created more entries than the cap. */
  get objectsWithinLimit(): boolean {
    return this.objects.size <= MAX_OBJECT_STATES;
  }

  getObjectState(id: string): ObjectState | undefined {
    const entry = this.objects.get(id);
    return entry instanceof Y.Map ? readObjectState(entry) : undefined;
  }

  /**
   * All object states, validated. When over the cap (LIM2) only the first
   * MAX_OBJECT_STATES ids in sorted order are returned, the same on every peer.
   */
  allObjectStates(): Map<string, ObjectState> {
    const ids = [...this.objects.keys()].filter(isValidObjectId).sort();
    const result = new Map<string, ObjectState>();
    for (const id of ids.slice(0, MAX_OBJECT_STATES)) {
      const entry = this.objects.get(id);
      if (entry instanceof Y.Map) result.set(id, readObjectState(entry));
    }
    return result;
  }

  setTransform(id: string, transform: Transform): WriteResult {
    return this.write(id, (entry) => entry.set(FIELD_TRANSFORM, transform));
  }

  setOwner(id: string, owner: number | null): WriteResult {
    return this.write(id, (entry) => entry.set(FIELD_OWNER, owner));
  }

  setStateValue(id: string, key: string, value: JsonValue): WriteResult {
    if (!isValidFieldKey(key)) return { ok: false, error: `"${key}" is not a valid state name.` };
    if (!isJsonValue(value)) return { ok: false, error: `state "${key}" is not a JSON value.` };
    return this.write(id, (entry) => entry.set(`${STATE_PREFIX}${key}`, value));
  }

  setPropValue(id: string, key: string, value: JsonValue): WriteResult {
    if (!isValidFieldKey(key)) return { ok: false, error: `"${key}" is not a valid property name.` };
    if (!isJsonValue(value)) return { ok: false, error: `property "${key}" is not a JSON value.` };
    return this.write(id, (entry) => entry.set(`${PROP_PREFIX}${key}`, value));
  }

  removeObjectState(id: string): void {
    if (this.objects.has(id)) this.doc.transact(() => this.objects.delete(id), LOCAL_ORIGIN);
  }

  private write(id: string, change: (entry: Y.Map<unknown>) => void, now = Date.now()): WriteResult {
    if (!isValidObjectId(id)) return { ok: false, error: 'invalid object id' };
    let entry = this.objects.get(id);
    if (!(entry instanceof Y.Map) && this.objects.size >= MAX_OBJECT_STATES) {
      return { ok: false, error: `This room already holds state for ${MAX_OBJECT_STATES} objects (the limit).` };
    }
    this.doc.transact(() => {
      if (!(entry instanceof Y.Map)) {
        entry = new Y.Map<unknown>();
        this.objects.set(id, entry);
      }
      change(entry);
      entry.set(FIELD_UPDATED_AT, now);
    }, LOCAL_ORIGIN);
    return { ok: true };
  }

  private idOf(entry: Y.Map<unknown>): string | undefined {
    // Y.Map stores its key on the item that holds it.
    const key = entry._item?.parentSub;
    return typeof key === 'string' ? key : undefined;
  }
}

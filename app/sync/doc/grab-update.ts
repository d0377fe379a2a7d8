/**
 * Which document updates a grab may make (docs/roles.md ROLE11): when the
 * owner lets viewers grab, a viewer's update is taken only if every change in
 * it falls inside the object-state fields a grab writes: an object's
 * `transform`, `owner` (only to the writer itself or nobody) and `updatedAt`,
 * and the creation of an object's entry to hold them. Anything else (the
 * script, other fields, the room's name, owner entries, removing an entry) and
 * anything this check cannot place refuses the update as a whole.
 *
 * The check decodes the update with Yjs and places each new item by its
 * parent: named in the update, or, for an item written next to an existing
 * one (a map key set again), the parent of that neighbour, found in the
 * update itself or in `doc`, the receiver's copy before (or, on the sending
 * page, after) the update. Every deletion must name an item in such a field
 * (or one already collected, which deleting changes nothing). It applies
 * nothing and never throws.
 *
 * @example
 *   const check = checkGrabUpdate(doc, update);
 *   if (!check.ok) refuse(check.reason);
 */
import * as Y from 'yjs';
import { FIELD_OWNER, FIELD_TRANSFORM, FIELD_UPDATED_AT, isTransformValue, isValidObjectId } from './object-state.ts';
import { ROOT_OBJECTS } from './room-doc.ts';

/** A grab's update is a few small values; a larger one is not a grab's. */
export const MAX_GRAB_UPDATE_BYTES = 16 * 1024;
/** New items plus deleted ones an update may name (a grab writes a handful per object). */
const MAX_GRAB_UPDATE_STRUCTS = 256;

export type GrabUpdateCheck = { ok: true } | { ok: false; reason: string };

/**
 * Where an item sits: an object's entry (directly under the objects root), a
 * value in one of the fields a grab writes, or anywhere else.
 */
type Where = { at: 'entry' } | { at: 'field'; key: string } | { at: 'elsewhere' };

const GRAB_FIELDS = new Set([FIELD_TRANSFORM, FIELD_OWNER, FIELD_UPDATED_AT]);

export function checkGrabUpdate(doc: Y.Doc, update: Uint8Array): GrabUpdateCheck {
  if (update.length > MAX_GRAB_UPDATE_BYTES) {
    return { ok: false, reason: `a grab's update is at most ${MAX_GRAB_UPDATE_BYTES} bytes` };
  }
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return { ok: false, reason: 'the update does not decode' };
  }
  try {
    return new GrabCheck(doc, decoded.structs).check(decoded.ds);
  } catch {
    // Yjs' internals met input they do not expect: nothing is placed, nothing is taken.
    return { ok: false, reason: 'the update does not decode' };
  }
}

class GrabCheck {
  /** The update's own items by client, in clock order (as Yjs writes them). */
  private readonly own = new Map<number, Y.Item[]>();
  private readonly placed = new Map<Y.Item, Where>();
  private count = 0;

  constructor(
    private readonly doc: Y.Doc,
    private readonly structs: (Y.Item | Y.GC | Y.Skip)[],
  ) {}

  check(ds: { clients: Map<number, { clock: number; len: number }[]> }): GrabUpdateCheck {
    for (const struct of this.structs) {
      if (!(struct instanceof Y.Item)) return { ok: false, reason: 'a grab writes no collected or skipped ranges' };
      const list = this.own.get(struct.id.client) ?? [];
      list.push(struct);
      this.own.set(struct.id.client, list);
    }
    for (const item of this.structs as Y.Item[]) {
      if (++this.count > MAX_GRAB_UPDATE_STRUCTS) return { ok: false, reason: 'too many changes for a grab' };
      const refused = this.checkItem(item);
      if (refused) return { ok: false, reason: refused };
    }
    for (const [client, ranges] of ds.clients) {
      for (const { clock, len } of ranges) {
        const refused = this.checkDeletion(client, clock, len);
        if (refused) return { ok: false, reason: refused };
      }
    }
    return { ok: true };
  }

  /** Why `item` is not a grab's write, or undefined when it is. */
  private checkItem(item: Y.Item): string | undefined {
    const where = this.whereOf(item);
    if (where.at === 'entry') {
      // Written beside an existing entry, it would replace that entry (and every field of it) on arrival.
      if (item.origin !== null || item.rightOrigin !== null) return "a grab never replaces an object's entry";
      const content = item.content;
      if (!(content instanceof Y.ContentType) || !(content.type instanceof Y.Map)) {
        return 'a grab adds only object entries under objects';
      }
      return undefined;
    }
    if (where.at !== 'field') return 'the update changes more than the objects a grab moves';
    if (item.content instanceof Y.ContentDeleted) return undefined;
    if (!(item.content instanceof Y.ContentAny) || item.content.arr.length !== 1) {
      return `a grab writes one plain value into "${where.key}"`;
    }
    const value = item.content.arr[0];
    if (where.key === FIELD_TRANSFORM && !isTransformValue(value)) return 'a grab writes a whole transform';
    if (where.key === FIELD_UPDATED_AT && (typeof value !== 'number' || !Number.isFinite(value))) {
      return 'updatedAt is a time';
    }
    if (where.key === FIELD_OWNER && value !== null && value !== item.id.client) {
      return 'a grab makes its writer the owner, or nobody';
    }
    return undefined;
  }

  /** Why deleting [clock, clock + len) of `client` is not a grab's, or undefined when it is. */
  private checkDeletion(client: number, clock: number, len: number): string | undefined {
    let at = clock;
    while (at < clock + len) {
      if (++this.count > MAX_GRAB_UPDATE_STRUCTS) return 'too many changes for a grab';
      const struct = this.findStruct(client, at);
      if (!struct) return 'the update deletes what this room does not have';
      // Already collected: deleting it again changes nothing.
      if (struct instanceof Y.Item) {
        const where = this.whereOf(struct);
        if (where.at !== 'field') return 'the update deletes more than a grab replaces';
      }
      at = struct.id.clock + struct.length;
    }
    return undefined;
  }

  /** Where an item (of the update or of the document) sits in the room document's layout. */
  private whereOf(item: Y.Item): Where {
    const known = this.placed.get(item);
    if (known) return known;
    const where = this.place(item, 0);
    this.placed.set(item, where);
    return where;
  }

  private place(item: Y.Item, depth: number): Where {
    if (depth > MAX_GRAB_UPDATE_STRUCTS) return { at: 'elsewhere' };
    const parent: unknown = item.parent;
    if (parent === null) {
      // Written beside a neighbour (as Yjs integrates it): the left one's parent and key, else the right one's.
      const neighbourId = item.origin ?? item.rightOrigin;
      const neighbour = neighbourId ? this.findStruct(neighbourId.client, neighbourId.clock) : undefined;
      if (!(neighbour instanceof Y.Item)) return { at: 'elsewhere' };
      return this.placed.get(neighbour) ?? this.place(neighbour, depth + 1);
    }
    let holder: 'root-objects' | Where;
    if (typeof parent === 'string') holder = parent === ROOT_OBJECTS ? 'root-objects' : { at: 'elsewhere' };
    else if (parent instanceof Y.ID) {
      const item = this.findStruct(parent.client, parent.clock);
      holder = item instanceof Y.Item ? (this.placed.get(item) ?? this.place(item, depth + 1)) : { at: 'elsewhere' };
    } else if (parent instanceof Y.AbstractType) holder = this.whereOfType(parent, depth);
    else return { at: 'elsewhere' };
    const key = item.parentSub;
    if (holder === 'root-objects') return key !== null && isValidObjectId(key) ? { at: 'entry' } : { at: 'elsewhere' };
    // In an object's entry: one of the fields a grab writes.
    if (holder.at === 'entry' && key !== null && GRAB_FIELDS.has(key)) return { at: 'field', key };
    return { at: 'elsewhere' };
  }

  /** Where a type of the document sits: the objects root, an object entry, or elsewhere. */
  private whereOfType(type: Y.AbstractType<unknown>, depth: number): Where | 'root-objects' {
    if (type._item === null) return this.doc.share.get(ROOT_OBJECTS) === type ? 'root-objects' : { at: 'elsewhere' };
    const holder = type._item;
    return this.placed.get(holder) ?? this.place(holder, depth + 1);
  }

  /** The struct holding `clock` of `client`: in the update, else in the document. */
  private findStruct(client: number, clock: number): Y.Item | Y.GC | undefined {
    for (const item of this.own.get(client) ?? []) {
      if (item.id.clock <= clock && clock < item.id.clock + item.length) return item;
    }
    const structs = this.doc.store.clients.get(client);
    if (!structs || structs.length === 0 || clock >= Y.getState(this.doc.store, client)) return undefined;
    const struct = structs[Y.findIndexSS(structs, clock)];
    return struct instanceof Y.Item || struct instanceof Y.GC ? struct : undefined;
  }
}

/**
 * Stable object ids (docs/scene-runtime.md ID1-ID5): the key of a node's state
 * in the room document, so they must be the same on every peer and survive
 * unrelated edits.
 *
 *   ID1 the id is the path of names from the top of the scene, joined by `/`:
 *       `Shelf/product_a`. Compositions are not part of the path (renaming the
 *       composition keeps every object's state), templates are not either
 *       (an object's template children hang under the object: `btn/Cap`).
 *   ID2 inside a name, `\` becomes `\\` and `/` becomes `\/`; a name starting
 *       with `@` gets a leading `\` (ids starting with `@` are the runtime's:
 *       `@scene`, `@spawn/...`); control characters become U+FFFD.
 *   ID3 an unnamed block is `<keyword>#<n>`, the n-th unnamed block with that
 *       keyword under the same parent (`point_light#1`).
 *   ID4 a repeated name under one parent gets `#2`, `#3`, ... in script order
 *       (the first keeps the plain name); a clash with a name that already
 *       looks like that is resolved by counting on.
 *   ID5 ids longer than 256 characters are cut and end in a hash of the whole
 *       id, so they stay valid room-document keys (OBJ1).
 *   ID6 an `id: "..."` property replaces the path (OBJ1 in docs/room-doc.md):
 *       the object keeps its state however it is renamed or moved between
 *       groups; its children's ids start from it. A leading `@` is escaped as
 *       in ID2; an id used twice gets `#2`, ... in script order (ID4).
 */
import { type ObjectId, objectId } from '../../core/ids.ts';

/** The id of scene-wide state (top-level `state` blocks). */
export const SCENE_STATE_ID = objectId('@scene');

/** Prefix of objects made by `spawn` (SPAWN1). */
export const SPAWN_ID_PREFIX = '@spawn/';

const MAX_ID_LENGTH = 256;

export function escapeSegment(name: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point.
  const clean = name.replace(/[\u0000-\u001f\u007f]/g, '\ufffd').replace(/[\\/]/g, (c) => `\\${c}`);
  return clean.startsWith('@') ? `\\${clean}` : clean;
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(36);
}

export function boundId(id: string): string {
  if (id.length <= MAX_ID_LENGTH) return id;
  const suffix = `~${fnv1a(id)}`;
  return id.slice(0, MAX_ID_LENGTH - suffix.length) + suffix;
}

/** Every id handed out in one model, so path ids and explicit ids (ID6) never clash. */
export class IdSpace {
  private readonly taken = new Set<string>();

  /** `base`, or `base#2`, `base#3`, ... the first not taken yet; marks it taken. */
  claim(base: string): ObjectId {
    let candidate = boundId(base);
    for (let n = 2; this.taken.has(candidate); n++) candidate = boundId(`${base}#${n}`);
    this.taken.add(candidate);
    return objectId(candidate);
  }

  /** ID6: an explicit id. */
  explicit(text: string): ObjectId {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point.
    const clean = text.replace(/[\u0000-\u001f\u007f]/g, '\ufffd');
    return this.claim(clean.startsWith('@') ? `\\${clean}` : clean);
  }
}

/** Hands out the ids of one parent's children (ID3, ID4). */
export class SiblingIds {
  private readonly used = new Set<string>();
  private readonly unnamed = new Map<string, number>();

  constructor(
    private readonly parentId: ObjectId | null,
    private readonly space: IdSpace = new IdSpace(),
  ) {}

  /** The ids of this node's children share the same space. */
  child(id: ObjectId): SiblingIds {
    return new SiblingIds(id, this.space);
  }

  explicit(text: string): ObjectId {
    return this.space.explicit(text);
  }

  next(name: string | null, keyword: string): ObjectId {
    let segment: string;
    if (name === null || name === '') {
      const n = (this.unnamed.get(keyword) ?? 0) + 1;
      this.unnamed.set(keyword, n);
      segment = `${escapeSegment(keyword)}#${n}`;
    } else {
      segment = escapeSegment(name);
    }
    let candidate = segment;
    for (let n = 2; this.used.has(candidate); n++) candidate = `${segment}#${n}`;
    this.used.add(candidate);
    return this.space.claim(this.parentId === null ? candidate : `${this.parentId}/${candidate}`);
  }
}

/**
 * Objects travel under a 32-bit entity id derived from their stable scene
 * object id (FNV-1a), so every peer maps the same object to the same id
 * without a handshake. A collision needs about 77,000 objects for a 50 %
 * chance; rooms cap objects far below that.
 */
import type { EntityId, ObjectId } from '../../core/ids.ts';

const cache = new Map<ObjectId, EntityId>();
const CACHE_LIMIT = 10_000;

export function objectEntityId(objectId: ObjectId): EntityId {
  const known = cache.get(objectId);
  if (known !== undefined) return known;
  let hash = 0x811c9dc5;
  for (let i = 0; i < objectId.length; i++) {
    hash ^= objectId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  const id = (hash >>> 0 || 1) as EntityId; // 0 is not a valid entity id
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(objectId, id);
  return id;
}

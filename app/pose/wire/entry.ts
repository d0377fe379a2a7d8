/**
 * One entity's quantized state as it travels in a batch: which part or object
 * it is, which fields are present, and the quantized fields. Reused in place by
 * the writer and the reader; `entryPosition` and `entryRotation` turn what a
 * reader filled back into metres and a quaternion.
 */

import type { EntityId } from '../../core/ids.ts';
import { FIELDS_GONE, FIELDS_POSITION, FIELDS_ROTATION, PART_HEAD, type PartCode } from './protocol.ts';
import { dequantizeComponent, dequantizeRotation, type QuatLike, type Vec3Like } from './quantize.ts';

/** The `id` of an avatar part's entry: no object. */
export const NO_ENTITY = 0 as EntityId;

export interface PoseEntry {
  part: PartCode;
  /** The object's wire id when `part` is PART_OBJECT; 0 (no entity) for avatar parts. */
  id: EntityId;
  /** FIELDS_GONE / FIELDS_POSITION / FIELDS_ROTATION / FIELDS_BOTH. */
  fields: number;
  /** Per component: 15-bit code, or POSITION_ESCAPE with `wide` holding millimetres. */
  position: Int32Array;
  wide: Int32Array;
  /** Smallest three: [largest index, c0, c1, c2]. */
  rotation: Int32Array;
}

export function createEntry(): PoseEntry {
  return {
    part: PART_HEAD,
    id: NO_ENTITY,
    fields: FIELDS_GONE,
    position: new Int32Array(3),
    wide: new Int32Array(3),
    rotation: new Int32Array([3, 1023, 1023, 1023]),
  };
}

/** The entry's position in metres, written into `out`; undefined when it carries none. */
export function entryPosition(entry: PoseEntry, out: Vec3Like): Vec3Like | undefined {
  if ((entry.fields & FIELDS_POSITION) === 0) return undefined;
  out.x = dequantizeComponent(entry.position[0] as number, entry.wide[0] as number);
  out.y = dequantizeComponent(entry.position[1] as number, entry.wide[1] as number);
  out.z = dequantizeComponent(entry.position[2] as number, entry.wide[2] as number);
  return out;
}

/** The entry's rotation, written into `out`; undefined when it carries none. */
export function entryRotation(entry: PoseEntry, out: QuatLike): QuatLike | undefined {
  if ((entry.fields & FIELDS_ROTATION) === 0) return undefined;
  return dequantizeRotation(entry.rotation, 0, out);
}

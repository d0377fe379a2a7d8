/**
 * One entity's quantized state as it travels in a batch: which part or object
 * it is, which fields are present, and the quantized fields. Reused in place by
 * the writer and the reader.
 */
import { FIELDS_GONE, PART_HEAD, type PartCode } from './protocol.ts';

export interface PoseEntry {
  part: PartCode;
  /** Object entity id (u32, non-zero) when `part` is PART_OBJECT; 0 for avatar parts. */
  id: number;
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
    id: 0,
    fields: FIELDS_GONE,
    position: new Int32Array(3),
    wide: new Int32Array(3),
    rotation: new Int32Array([3, 1023, 1023, 1023]),
  };
}

/**
 * What this peer publishes: its avatar parts (slots 0-2: head, left, right)
 * and any objects it streams (issue 7: a held object). Values are quantized
 * when set, so "changed" means "changed on the wire" and float noise below
 * the quantization step costs nothing. Per-field versions let each
 * destination send only what changed since it last heard ([POSE7]).
 */

import type { EntityId } from '../../core/ids.ts';
import { NO_ENTITY, type PoseEntry } from '../wire/entry.ts';
import { FIELDS_GONE, PART_OBJECT, type PartCode } from '../wire/protocol.ts';
import { type QuatLike, quantizePosition, quantizeRotation, type Vec3Like } from '../wire/quantize.ts';

export const MAX_LOCAL_ENTITIES = 64;
/** Send order under a tight budget: own avatar, then held or moving objects, then the rest. */
export const PRIORITY_AVATAR = 0;
export const PRIORITY_HELD = 1;
export const PRIORITY_OTHER = 2;
export const PRIORITY_LEVELS = 3;
export type Priority = 0 | 1 | 2;

const scratchPosition = new Int32Array(3);
const scratchWide = new Int32Array(3);
const scratchRotation = new Int32Array(4);

export class LocalEntities {
  readonly used = new Uint8Array(MAX_LOCAL_ENTITIES);
  readonly part = new Uint8Array(MAX_LOCAL_ENTITIES);
  readonly id = new Uint32Array(MAX_LOCAL_ENTITIES);
  readonly priority = new Uint8Array(MAX_LOCAL_ENTITIES);
  readonly present = new Uint8Array(MAX_LOCAL_ENTITIES);
  readonly position = new Int32Array(MAX_LOCAL_ENTITIES * 3);
  readonly wide = new Int32Array(MAX_LOCAL_ENTITIES * 3);
  readonly rotation = new Int32Array(MAX_LOCAL_ENTITIES * 4);
  /** Unquantized world position, for distance-based rates. */
  readonly world = new Float64Array(MAX_LOCAL_ENTITIES * 3);
  readonly positionVersion = new Uint32Array(MAX_LOCAL_ENTITIES);
  readonly rotationVersion = new Uint32Array(MAX_LOCAL_ENTITIES);
  readonly presenceVersion = new Uint32Array(MAX_LOCAL_ENTITIES);
  /** Local time the slot was emptied, to reuse it once every peer was told. */
  readonly goneAt = new Float64Array(MAX_LOCAL_ENTITIES);
  /** Values rejected by quantization (NaN, beyond ±2147 km): counted, never sent. */
  rejected = 0;
  private readonly objectSlots = new Map<EntityId, number>();

  constructor() {
    for (let part = 0; part < PART_OBJECT; part++) {
      this.used[part] = 1;
      this.part[part] = part;
      this.priority[part] = 0;
    }
  }

  /** The slot of an object entity id, claiming a free one; -1 when all are taken. */
  objectSlot(id: EntityId, create: boolean, now: number): number {
    const known = this.objectSlots.get(id);
    if (known !== undefined) return known;
    if (!create) return -1;
    for (let slot = PART_OBJECT; slot < MAX_LOCAL_ENTITIES; slot++) {
      const free = !this.used[slot] || (!this.present[slot] && now - (this.goneAt[slot] as number) > 2000);
      if (!free) continue;
      if (this.used[slot]) this.objectSlots.delete(this.id[slot] as EntityId);
      this.used[slot] = 1;
      this.part[slot] = PART_OBJECT;
      this.id[slot] = id;
      this.present[slot] = 0;
      this.objectSlots.set(id, slot);
      return slot;
    }
    return -1;
  }

  /** Sets a slot's pose; false when the values cannot be encoded (the old pose stays). */
  set(slot: number, position: Vec3Like, rotation: QuatLike, priority: Priority): boolean {
    if (
      !quantizePosition(position, scratchPosition, scratchWide, 0) ||
      !quantizeRotation(rotation, scratchRotation, 0)
    ) {
      this.rejected++;
      return false;
    }
    this.priority[slot] = priority;
    if (!this.present[slot]) {
      this.present[slot] = 1;
      this.presenceVersion[slot] = (this.presenceVersion[slot] as number) + 1;
    }
    const p = slot * 3;
    if (!sameAt(this.position, p, scratchPosition, 3) || !sameAt(this.wide, p, scratchWide, 3)) {
      this.position.set(scratchPosition, p);
      this.wide.set(scratchWide, p);
      this.positionVersion[slot] = (this.positionVersion[slot] as number) + 1;
    }
    const r = slot * 4;
    if (!sameAt(this.rotation, r, scratchRotation, 4)) {
      this.rotation.set(scratchRotation, r);
      this.rotationVersion[slot] = (this.rotationVersion[slot] as number) + 1;
    }
    this.world[p] = position.x;
    this.world[p + 1] = position.y;
    this.world[p + 2] = position.z;
    return true;
  }

  /** Removes a slot's entity (a hand leaves view, an object is released). */
  clear(slot: number, now: number): void {
    if (!this.present[slot]) return;
    this.present[slot] = 0;
    this.goneAt[slot] = now;
    this.presenceVersion[slot] = (this.presenceVersion[slot] as number) + 1;
  }

  /** Fills `entry` from a slot with the given fields. */
  fillEntry(slot: number, fields: number, entry: PoseEntry): void {
    entry.part = this.part[slot] as PartCode;
    entry.id = entry.part === PART_OBJECT ? (this.id[slot] as EntityId) : NO_ENTITY;
    entry.fields = this.present[slot] ? fields : FIELDS_GONE;
    if (fields === FIELDS_GONE) return;
    for (let i = 0; i < 3; i++) {
      entry.position[i] = this.position[slot * 3 + i] as number;
      entry.wide[i] = this.wide[slot * 3 + i] as number;
    }
    for (let i = 0; i < 4; i++) entry.rotation[i] = this.rotation[slot * 4 + i] as number;
  }
}

function sameAt(a: Int32Array, offset: number, b: Int32Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[offset + i] !== b[i]) return false;
  return true;
}

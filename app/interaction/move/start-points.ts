/**
 * Where people start (docs/interaction.md START1-START3), so two people
 * opening the room do not stand inside each other.
 *
 *   START1 slot 0 is the scene's viewpoint (its `camera` block, else
 *          [0, 1.7, 5] looking at [0, 1, 0]); slot k stands on the circle around
 *          the target through that viewpoint, START_STEP_DEG × ⌈k/2⌉ to the
 *          right (odd k) or left (even k), looking at the target.
 *   START2 a page takes the lowest slot no other present person announced, and
 *          announces its own in its presence state (`start: { slot, fresh }`).
 *   START3 two people who took the same slot before hearing of each other: the
 *          one still "fresh" (arrived less than START_SETTLE_MS ago and not moved
 *          yet) moves on; when both are fresh, the higher client id does.
 */

export const START_STEP_DEG = 15;
export const MAX_SLOTS = 24;
export const START_SETTLE_MS = 10_000;
/** The awareness field carrying a person's start slot. */
export const START_FIELD = 'start';

export interface Viewpoint {
  position: [number, number, number];
  target: [number, number, number];
}

export const DEFAULT_VIEWPOINT: Viewpoint = { position: [0, 1.7, 5], target: [0, 1, 0] };

export interface StartAnnouncement {
  slot: number;
  fresh: boolean;
}

/** Reads another person's announcement from their (untrusted) awareness state. */
export function parseStart(state: unknown): StartAnnouncement | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const start = (state as Record<string, unknown>)[START_FIELD];
  if (typeof start !== 'object' || start === null) return undefined;
  const { slot, fresh } = start as Record<string, unknown>;
  if (typeof slot !== 'number' || !Number.isInteger(slot) || slot < 0 || slot >= MAX_SLOTS) return undefined;
  return { slot, fresh: fresh === true };
}

/** START1: the viewpoint of slot `slot`. */
export function startViewpoint(viewpoint: Viewpoint, slot: number): Viewpoint {
  const [px, py, pz] = viewpoint.position;
  const [tx, ty, tz] = viewpoint.target;
  if (slot <= 0) return { position: [px, py, pz], target: [tx, ty, tz] };
  const ring = Math.ceil(slot / 2);
  const side = slot % 2 === 1 ? 1 : -1;
  const dx = px - tx;
  const dz = pz - tz;
  const radius = Math.hypot(dx, dz);
  if (radius < 0.5) {
    // Looking (nearly) straight down: stand side by side instead, a metre apart.
    return { position: [px + side * ring, py, pz], target: [tx + side * ring, ty, tz] };
  }
  // Turning the offset from the target about +Y by a positive angle carries the viewer to its right.
  const angle = (side * ring * START_STEP_DEG * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return { position: [tx + dx * cos + dz * sin, py, tz - dx * sin + dz * cos], target: [tx, ty, tz] };
}

/** START2: the lowest slot nobody else announced. */
export function chooseSlot(taken: Iterable<number>): number {
  const used = new Set(taken);
  for (let slot = 0; slot < MAX_SLOTS; slot++) if (!used.has(slot)) return slot;
  return MAX_SLOTS - 1;
}

/** START3: must `self` leave its slot because of `other`, who announced the same one? */
export function mustYield(
  self: { id: number } & StartAnnouncement,
  other: { id: number } & StartAnnouncement,
): boolean {
  if (self.slot !== other.slot || !self.fresh) return false;
  if (!other.fresh) return true;
  return self.id > other.id;
}

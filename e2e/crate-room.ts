/**
 * A room with one grabbable crate, as the hidden-page tests use it (e2e/long-hide.e2e.ts,
 * e2e/hidden-alone.e2e.ts): its script, who holds the crate, and a grab as the pointer makes it.
 */
import type { Page } from 'playwright-core';

export const CRATE_SCRIPT = 'object "Crate" @grabbable { position: [0, 1, 0] }';

/** The page's presence id (what an object's `owner` holds). */
export function selfId(page: Page): Promise<number> {
  return page.evaluate(() => window.__holoroom?.session.awareness.clientID ?? 0);
}

/** Who holds object `id` in the page's copy of the room document. */
export function ownerOf(page: Page, id: string): Promise<number | null | undefined> {
  return page.evaluate((objectId) => window.__holoroom?.session.room.getObjectState(objectId)?.owner, id);
}

/** The page grabs the crate with the pointer, as a click-and-drag would (GRAB1). */
export async function grabCrate(page: Page): Promise<string> {
  return page.evaluate(() => {
    const room = window.__holoroom;
    const id = 'Crate' as never;
    const crate = room?.sceneObjects.get(id);
    if (!room || !crate) return 'no crate';
    const Vector = crate.position.constructor as new (
      x?: number,
      y?: number,
      z?: number,
    ) => NonNullable<typeof crate>['position'];
    const Rotation = crate.quaternion.constructor as new () => NonNullable<typeof crate>['quaternion'];
    const hand = { position: new Vector(0, 1, 0.5), quaternion: new Rotation() };
    const pose = { position: new Vector(), quaternion: new Rotation() };
    if (!room.interaction.objects.worldPose(id, pose)) return 'no pose';
    return room.interaction.grabs.grab('pointer', id, hand, pose);
  });
}

/** Straight-line distance between two points. */
export const distance = (a: readonly number[], b: readonly number[]) => Math.hypot(...a.map((v, i) => v - (b[i] ?? 0)));

/**
 * Helpers for the scene browser tests: colour counts in screenshots (decoded
 * by Chromium itself, as e2e/harness/pixels.ts does), and reading the live
 * scene through the page's debug handle.
 */
import type { Browser, Page } from 'playwright-core';
import type { ObjectId } from '../app/core/ids.ts';
import { waitUntil } from './harness/browser.ts';
import { analyzePng, type DecodedPage } from './harness/pixels.ts';

/**
 * A saturated colour as which channels are high (1) and low (0): magenta is
 * [1, 0, 1]. A pixel matches when its high channels are at least HIGH and its
 * low ones at most LOW, whatever the lighting did to the exact values; sky,
 * floor and greys never match.
 */
export type Signature = [0 | 1, 0 | 1, 0 | 1];
export const MAGENTA: Signature = [1, 0, 1];
export const GREEN: Signature = [0, 1, 0];
export const RED: Signature = [1, 0, 0];

export interface ColorStats {
  /** For each signature, the fraction of pixels that match it. */
  fractions: number[];
  /** Mean luminance 0..255. */
  meanLuma: number;
}

export function colorStats(browser: Browser, png: Buffer, signatures: Signature[]): Promise<ColorStats> {
  return analyzePng(
    browser,
    png,
    (colors) => {
      const HIGH = 90;
      const LOW = 50;
      const { data } = (window as unknown as DecodedPage).__decoded;
      const hits = colors.map(() => 0);
      let luma = 0;
      for (let i = 0; i < data.length; i += 4) {
        const r = data[i] ?? 0;
        const g = data[i + 1] ?? 0;
        const b = data[i + 2] ?? 0;
        luma += 0.2126 * r + 0.7152 * g + 0.0722 * b;
        const rgb = [r, g, b];
        colors.forEach((signature, k) => {
          const match = signature.every((high, channel) =>
            high ? (rgb[channel] as number) >= HIGH : (rgb[channel] as number) <= LOW,
          );
          if (match) hits[k] = (hits[k] ?? 0) + 1;
        });
      }
      const pixels = data.length / 4;
      return { fractions: hits.map((n) => n / pixels), meanLuma: luma / pixels };
    },
    signatures,
  );
}

export interface SceneInfo {
  title: string | null;
  builds: number;
  errors: number;
  stale: boolean;
  ids: string[];
  drawn: number;
}

export function sceneInfo(page: Page): Promise<SceneInfo> {
  return page.evaluate(() => {
    const view = window.__holoroom?.scene?.view.get();
    return {
      title: view?.model?.title ?? null,
      builds: view?.builds ?? 0,
      errors: view?.errors ?? 0,
      stale: view?.stale ?? false,
      ids: [...(view?.model?.byId.keys() ?? [])],
      drawn: window.__holoroom?.sceneObjects?.size ?? 0,
    };
  });
}

/** Waits until the scene satisfies `check`, describing the scene on timeout. */
export async function waitForScene(
  page: Page,
  check: (info: SceneInfo) => boolean,
  timeoutMs = 30_000,
): Promise<SceneInfo> {
  let last: SceneInfo | undefined;
  await waitUntil(
    async () => {
      last = await sceneInfo(page);
      return check(last);
    },
    timeoutMs,
    () => `scene: ${JSON.stringify(last)}`,
  );
  return last as SceneInfo;
}

/**
 * Waits for the room's panels' first paint (the `holoroom:panels-ready` mark): they load after the
 * room is interactive (docs/performance.md LOAD14), so a scene that is drawn says nothing about them.
 */
export async function waitForPanels(page: Page, timeoutMs = 30_000): Promise<void> {
  await waitUntil(
    () => page.evaluate(() => performance.getEntriesByName('holoroom:panels-ready', 'mark').length > 0),
    timeoutMs,
    () => "the room's panels never painted",
  );
}

/** Replaces the room's script through the page's own room document (setup, not the path under test). */
export async function setScript(page: Page, text: string): Promise<void> {
  await page.evaluate((script) => {
    const room = window.__holoroom?.session?.room;
    if (!room) throw new Error('no room yet');
    room.replaceScript(script);
  }, text);
}

/** Where a scene object is on the page (CSS pixels). */
export async function screenPoint(page: Page, id: string): Promise<{ x: number; y: number }> {
  const point = await page.evaluate(
    (objectId) => window.__holoroom?.sceneObjects?.screenPoint(objectId as ObjectId),
    id,
  );
  if (!point) throw new Error(`${id} is not on screen`);
  return point;
}

/**
 * Lets a change be drawn: `count` more frames, or fewer if the room is at rest
 * first (it draws on demand, ROOM5: a change wakes it, and a room that leaves
 * display frames undrawn has drawn everything that changed).
 */
export async function frames(page: Page, count: number): Promise<void> {
  const read = () =>
    page.evaluate(() => ({
      frames: window.__holoroom?.frameStats?.frames ?? 0,
      idle: window.__holoroom?.renderDemand.idleFrames ?? 0,
    }));
  const start = await read();
  let last = start;
  await waitUntil(
    async () => {
      const now = await read();
      const resting = now.frames > 0 && now.frames === last.frames && now.idle > last.idle;
      last = now;
      return now.frames >= start.frames + count || resting;
    },
    20_000,
    () => `fewer than ${count} frames rendered, and the room not at rest`,
  );
}

// Roles in real browsers (docs/roles.md): an owner creates a protected room
// through the start page and reads its links (ROLE8); an editor and a viewer
// open theirs, each in its own browser context, with the server's sync off, so
// every byte of the document travels over real WebRTC. The viewer's editor is
// read-only and says why (ROLE7); the viewer takes the room only from proven
// peers; a crafted update sent from the viewer's page on its real y-webrtc
// connections is refused by the owner and the editor (ROLE6); the editor's
// edits reach everyone. A viewer's click and drag on a shared object change
// nothing anywhere, and its page says why (ROLE10). Then the owner lets viewers
// grab: the viewer's drag moves the object for everyone, and a crafted update
// of the script from the viewer is still refused (ROLE11). And with `@physics`
// (ROLE13): the viewer's page has the lowest client id, yet the owner's page
// simulates a box falling on its own, and it rests at the same place on both.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { updateMessage } from '../server/yjs/messages.ts';
import { EDITOR_INPUT } from './editor-helpers.ts';
import { peerConnectionStates, waitUntil } from './harness/browser.ts';
import { browserSuite } from './harness/suite.ts';
import { distance, docState, selfId, setScript } from './interaction-helpers.ts';
import { bodyPoses, physicsStats } from './physics-helpers.ts';
import {
  connectedPeers,
  createProtectedRoomFromStartPage,
  openPersonPage,
  SLOW_PAGE_MS,
  script,
  withSearch,
} from './roles-helpers.ts';

const suite = browserSuite();

/** Three WebGL pages on a shared 2-core machine: page loads alone can take many seconds. */
const TEST_TIMEOUT_MS = 300_000;

const openContextPage = (name: string) => openPersonPage(suite, name);
const peerToPeer = (link: string) => withSearch(link, '?server-sync=off');
const refusedUpdates = (page: Page) =>
  page.evaluate(() => window.__holoroom?.session?.roles?.counts.refusedUpdates ?? -1);
const CRATE_SCRIPT = `composition "Roles" {
  object "Crate" @grabbable { geometry: "box"; position: [0, 1.5, 1]; scale: 0.5; color: "#ff00ff"
    state { clicks: 0 }
    on_click { clicks += 1 } }
}`;
const VIEW_ONLY = 'View only: ask the owner for an editor link.';
const crateClicks = (page: Page) =>
  page.evaluate(() => window.__holoroom?.session?.room.getObjectState('Crate')?.state.get('clicks') ?? 0);
/** Where the crate is drawn on this page (world). */
const drawnCrate = (page: Page) =>
  page.evaluate(() => {
    const crate = window.__holoroom?.sceneObjects?.get('Crate' as never);
    if (!crate) return [Number.NaN, Number.NaN, Number.NaN];
    crate.updateWorldMatrix(true, false);
    const e = crate.matrixWorld.elements;
    return [e[12], e[13], e[14]] as number[];
  });

/** Sends `message` from the viewer's page on each of its real y-webrtc connections; returns how many. */
function sendOnViewerConnections(viewer: Page, message: Uint8Array): Promise<number> {
  return viewer.evaluate((bytes) => {
    const conns = window.__holoroom?.session?.webrtc?.room?.webrtcConns.values() ?? [];
    let count = 0;
    for (const conn of conns as Iterable<{ peer: { send(data: Uint8Array): void } }>) {
      conn.peer.send(new Uint8Array(bytes));
      count++;
    }
    return count;
  }, Array.from(message));
}

/** An update that writes `text` into the script, from a document of its own. */
function craftedScriptUpdate(text: string): Uint8Array {
  const crafted = new Y.Doc();
  crafted.getText('script').insert(0, text);
  return updateMessage(Y.encodeStateAsUpdate(crafted));
}

const crateTransform = (page: Page) =>
  page.evaluate(() => window.__holoroom?.session?.room.getObjectState('Crate')?.transform?.position ?? null);

/** Where an object is on the page (CSS pixels), checked to be on the canvas rather than under a panel. */
async function canvasPoint(page: Page, id: string): Promise<{ x: number; y: number }> {
  const found = await page.evaluate((objectId) => {
    const point = window.__holoroom?.sceneObjects?.screenPoint(objectId as never);
    if (!point) return undefined;
    const over = document.elementFromPoint(point.x, point.y);
    return { ...point, onCanvas: over?.tagName === 'CANVAS', over: `${over?.tagName}.${over?.className}` };
  }, id);
  if (!found?.onCanvas) throw new Error(`${id} is not on the canvas: ${JSON.stringify(found)}`);
  return found;
}

/**
 * Turns the page's view to `look` and waits for a frame that draws it. Until then the camera is the one of
 * the picture on screen, still the old view, and so are `screenPoint` and what the pointer picks (ROOM5: the
 * turn wakes the room, whose next frame moves the camera): a point read before that frame is where the
 * object was, and the pointer sent there finds nothing once the frame has drawn.
 */
async function lookAgain(page: Page, look: { yaw: number; pitch: number }): Promise<void> {
  const framesBefore = await page.evaluate((to) => {
    const room = window.__holoroom;
    if (!room) throw new Error('no room on the page');
    room.view.yaw = to.yaw;
    room.view.pitch = to.pitch;
    return room.frameStats.frames;
  }, look);
  await waitUntil(
    async () => (await page.evaluate(() => window.__holoroom?.frameStats.frames ?? 0)) > framesBefore,
    SLOW_PAGE_MS,
    () => `no frame drew the view turned back (${framesBefore} frames before)`,
  );
}

test(
  '[ROLE6] [ROLE7] [ROLE8] [ROLE9] [ROLE10] [ROLE11] owner, editor and viewer over WebRTC: the viewer reads, cannot write, grabs and clicks nothing, and a crafted update from it is refused; once the owner lets viewers grab, its drag moves the crate for everyone and nothing else of it is taken',
  async () => {
    const owner = await openContextPage('Owner');
    const { ownerLink, editorLink, viewerLink } = await createProtectedRoomFromStartPage(suite, owner.page);

    await owner.page.goto(peerToPeer(ownerLink));
    await waitUntil(
      async () => (await script(owner.page)).length > 0,
      SLOW_PAGE_MS,
      async () => `the owner's room was not seeded; errors ${owner.errors.join('; ')}`,
    );
    const editor = await openContextPage('Editor');
    await editor.page.goto(peerToPeer(editorLink));
    const viewer = await openContextPage('Viewer');
    await viewer.page.goto(peerToPeer(viewerLink));
    for (const { page } of [owner, editor, viewer]) {
      await waitUntil(
        async () => (await connectedPeers(page)) >= 2,
        SLOW_PAGE_MS,
        async () => `peer connection states ${await peerConnectionStates(page)}`,
      );
      expect(await page.evaluate(() => window.__holoroom?.session?.server === undefined)).toBe(true);
    }
    expect(await viewer.page.evaluate(() => window.__holoroom?.session?.role)).toBe('viewer');
    expect(await editor.page.evaluate(() => window.__holoroom?.session?.role)).toBe('editor');

    // The viewer takes the room from the proven owner and editor.
    const seeded = await script(owner.page);
    await waitUntil(
      async () => (await script(viewer.page)) === seeded && (await script(editor.page)) === seeded,
      SLOW_PAGE_MS,
      async () =>
        `viewer has ${(await script(viewer.page)).length} chars, editor ${(await script(editor.page)).length}`,
    );

    // [ROLE7] The viewer's editor says why it is read-only, and typing into it changes nothing.
    await viewer.page.locator('[data-notice="view-only"]').waitFor({ timeout: SLOW_PAGE_MS });
    expect(await viewer.page.locator(EDITOR_INPUT).getAttribute('readonly')).not.toBeNull();
    await viewer.page.locator(EDITOR_INPUT).click({ timeout: SLOW_PAGE_MS });
    // [DESK2] Keys typed there are typing, not the room's shortcuts: H does not open the pose HUD.
    await viewer.page.keyboard.type('VIEWER WAS HERE');
    expect(await script(viewer.page)).toBe(seeded);
    expect(await viewer.page.getByTestId('pose-hud').getAttribute('data-open')).toBe('false');

    // The editor's edit reaches the owner and the viewer.
    await editor.page.locator(EDITOR_INPUT).click({ timeout: SLOW_PAGE_MS });
    await editor.page.keyboard.press('Control+Home');
    const line = '// edited by the editor\n';
    await editor.page.keyboard.type(line);
    for (const { page } of [owner, viewer]) {
      await waitUntil(
        async () => (await script(page)).includes(line.trim()),
        SLOW_PAGE_MS,
        async () => `no editor line in ${await script(page).then((text) => text.slice(0, 80))}`,
      );
    }

    // [ROLE6] A crafted update sent from the viewer's page on its real y-webrtc connections.
    const before = { owner: await refusedUpdates(owner.page), editor: await refusedUpdates(editor.page) };
    expect(await sendOnViewerConnections(viewer.page, craftedScriptUpdate('CRAFTED BY THE VIEWER'))).toBe(2);
    await waitUntil(
      async () =>
        (await refusedUpdates(owner.page)) > before.owner && (await refusedUpdates(editor.page)) > before.editor,
      SLOW_PAGE_MS,
      async () => `refused: owner ${await refusedUpdates(owner.page)}, editor ${await refusedUpdates(editor.page)}`,
    );
    for (const { page } of [owner, editor]) expect(await script(page)).not.toContain('CRAFTED');
    expect(await script(owner.page)).toBe(await script(editor.page));

    // [ROLE10] A shared object with a click handler: the editor's click changes it for everyone; the viewer's
    // click and drag change nothing, on its own page or anywhere else, and its page says why.
    await owner.page.evaluate((text) => window.__holoroom?.session?.room.replaceScript(text), CRATE_SCRIPT);
    for (const { page } of [editor, viewer]) {
      // Room for the canvas: a wider page with the script editor closed.
      await page.setViewportSize({ width: 800, height: 450 });
      await page.getByTestId('script-close').click({ timeout: SLOW_PAGE_MS });
    }
    for (const { page } of [owner, editor, viewer]) {
      await waitUntil(
        async () => await page.evaluate(() => window.__holoroom?.sceneObjects?.get('Crate' as never) !== undefined),
        SLOW_PAGE_MS,
        () => 'no crate drawn',
      );
    }
    const editorPoint = await canvasPoint(editor.page, 'Crate');
    await editor.page.mouse.click(editorPoint.x, editorPoint.y);
    for (const { page } of [owner, editor, viewer]) {
      await waitUntil(
        async () => (await crateClicks(page)) === 1,
        SLOW_PAGE_MS,
        async () => `the editor's click reached ${await crateClicks(page)} on a page`,
      );
    }
    const drawnBefore = await drawnCrate(viewer.page);

    const point = await canvasPoint(viewer.page, 'Crate');
    // Where the viewer looks from before its drag turns the view (ROLE11 below looks from here again).
    const lookBefore = await viewer.page.evaluate(() => {
      const view = window.__holoroom?.view;
      return { yaw: view?.yaw ?? 0, pitch: view?.pitch ?? 0 };
    });
    await viewer.page.mouse.move(point.x - 3, point.y);
    await viewer.page.mouse.move(point.x, point.y);
    await waitUntil(
      async () => (await viewer.page.evaluate(() => document.querySelector('canvas')?.style.cursor)) === 'not-allowed',
      SLOW_PAGE_MS,
      () => 'no "not allowed" cursor over the crate',
    );
    expect(await viewer.page.evaluate(() => document.querySelector('canvas')?.title)).toBe(VIEW_ONLY);
    await viewer.page.mouse.click(point.x, point.y);
    await viewer.page.getByTestId('view-only-hint').waitFor({ timeout: SLOW_PAGE_MS });
    expect(await viewer.page.getByTestId('view-only-hint').textContent()).toBe(VIEW_ONLY);
    // [ROLE10] Nor does the viewer's scene picker offer a switch of the shared script.
    expect(await viewer.page.getByTestId('scene-picker').isDisabled()).toBe(true);
    expect(await viewer.page.getByTestId('scene-picker').getAttribute('title')).toBe(VIEW_ONLY);
    expect(await editor.page.getByTestId('scene-picker').isDisabled()).toBe(false);
    // A press on the crate and a drag: the view turns, the crate stays where everyone has it.
    await viewer.page.mouse.move(point.x, point.y);
    await viewer.page.mouse.down();
    for (let i = 1; i <= 6; i++) await viewer.page.mouse.move(point.x + i * 25, point.y);
    expect(await viewer.page.evaluate(() => window.__holoroom?.interaction.grabs.holding('pointer'))).toBeUndefined();
    await viewer.page.mouse.up();
    const refused = await viewer.page.evaluate(() => window.__holoroom?.interaction.rights.refused.get().count ?? 0);
    expect(refused).toBeGreaterThanOrEqual(2);
    // Let frames and any write that slipped through travel before looking.
    await viewer.page.waitForTimeout(1_000);
    for (const { page } of [owner, editor, viewer]) {
      expect(await crateClicks(page)).toBe(1);
      expect(await page.evaluate(() => window.__holoroom?.session?.room.getObjectState('Crate')?.owner ?? null)).toBe(
        null,
      );
      expect(
        await page.evaluate(() => window.__holoroom?.session?.room.getObjectState('Crate')?.transform),
      ).toBeUndefined();
    }
    const drawnAfter = await drawnCrate(viewer.page);
    expect(Math.hypot(...drawnAfter.map((v, i) => v - (drawnBefore[i] as number)))).toBeLessThan(1e-6);
    expect(await script(viewer.page)).toBe(await script(owner.page));

    // [ROLE11] The owner lets viewers grab, from its room links.
    await owner.page.setViewportSize({ width: 960, height: 600 });
    await owner.page.getByTestId('room-links').locator('summary').click({ timeout: SLOW_PAGE_MS });
    await owner.page.getByTestId('viewers-may-grab').check({ timeout: SLOW_PAGE_MS });
    await waitUntil(
      async () =>
        (await viewer.page.evaluate(() => window.__holoroom?.session?.moderation?.settings.get().viewersMayGrab)) ===
        true,
      SLOW_PAGE_MS,
      () => 'the viewer never learned that viewers may grab',
    );
    // Now the viewer's drag moves the crate, for everyone. It looks at the crate again first (its drag above
    // turned the view, which may have put the crate behind a panel).
    await lookAgain(viewer.page, lookBefore);
    let grabPoint = { x: 0, y: 0 };
    await waitUntil(
      async () => {
        grabPoint = await canvasPoint(viewer.page, 'Crate').catch(() => grabPoint);
        return grabPoint.x > 0;
      },
      SLOW_PAGE_MS,
      async () => `the crate is not on the viewer's canvas: ${await canvasPoint(viewer.page, 'Crate').catch(String)}`,
    );
    await viewer.page.mouse.move(grabPoint.x - 3, grabPoint.y);
    await viewer.page.mouse.move(grabPoint.x, grabPoint.y);
    await waitUntil(
      async () => (await viewer.page.evaluate(() => document.querySelector('canvas')?.style.cursor)) === 'grab',
      SLOW_PAGE_MS,
      () => 'no open hand over the crate',
    );
    await viewer.page.mouse.down();
    await waitUntil(
      async () =>
        (await viewer.page.evaluate(() => window.__holoroom?.interaction.grabs.holding('pointer'))) === 'Crate',
      SLOW_PAGE_MS,
      () => 'the viewer does not hold the crate',
    );
    for (let i = 1; i <= 6; i++) await viewer.page.mouse.move(grabPoint.x + i * 20, grabPoint.y);
    await viewer.page.mouse.up();
    const moved = await (async () => {
      await waitUntil(
        async () => (await crateTransform(viewer.page)) !== null,
        SLOW_PAGE_MS,
        () => 'no release',
      );
      return (await crateTransform(viewer.page)) as number[];
    })();
    expect(Math.hypot((moved[0] as number) - 0, (moved[2] as number) - 1)).toBeGreaterThan(0.05);
    for (const { page } of [owner, editor]) {
      await waitUntil(
        async () => JSON.stringify(await crateTransform(page)) === JSON.stringify(moved),
        SLOW_PAGE_MS,
        async () =>
          `the crate is at ${JSON.stringify(await crateTransform(page))} there, ${JSON.stringify(moved)} at the viewer`,
      );
      expect(await page.evaluate(() => window.__holoroom?.session?.roles?.counts.acceptedGrabs ?? 0)).toBeGreaterThan(
        0,
      );
    }
    // Its crafted update of the script is still refused by both.
    const still = { owner: await refusedUpdates(owner.page), editor: await refusedUpdates(editor.page) };
    expect(await sendOnViewerConnections(viewer.page, craftedScriptUpdate('STILL CRAFTED'))).toBe(2);
    await waitUntil(
      async () =>
        (await refusedUpdates(owner.page)) > still.owner && (await refusedUpdates(editor.page)) > still.editor,
      SLOW_PAGE_MS,
      async () => `refused: owner ${await refusedUpdates(owner.page)}, editor ${await refusedUpdates(editor.page)}`,
    );
    for (const { page } of [owner, editor]) expect(await script(page)).not.toContain('CRAFTED');
    // The clicks on the crate still run no handler of the viewer's.
    expect(await crateClicks(owner.page)).toBe(1);

    // [ROLE9] The owner comes back by the bare link (as from the visited rooms) and is the owner.
    await owner.page.goto(peerToPeer(viewerLink));
    await waitUntil(
      async () => (await owner.page.evaluate(() => window.__holoroom?.session?.role)) === 'owner',
      SLOW_PAGE_MS,
      async () => `the owner came back as ${await owner.page.evaluate(() => window.__holoroom?.session?.role)}`,
    );
  },
  TEST_TIMEOUT_MS,
);

/**
 * ROLE13 needs the viewer's client id below the owner's; a page's id is a random uint32, new on each load.
 * The owner's page is loaded until its id is in the upper half, then the viewer's until its id is below it:
 * each load then does it with a chance of at least one half, so running out of MAX_LOADS loads (in either
 * step) happens in fewer than one run in 2,000. (Loading only the viewer's page until its id was below
 * whatever the owner's was failed one run in 13: the owner's id is as often tiny as not.)
 */
const MAX_LOADS = 12;
const UPPER_HALF_OF_IDS = 2 ** 31;
const FALLING_BOX = `composition "Falling" {
  object "Box" @physics { geometry: "box"; size: 0.3; position: [0, 1.5, 1]; color: "#ffd166" }
}`;
/**
 * The client id of the room `person`'s page has open, once it has one; while `wanted` refuses it, the page is
 * loaded again with `reload` (at most MAX_LOADS loads in all).
 */
async function loadUntilId(
  person: { page: Page; errors: string[] },
  who: string,
  reload: () => Promise<unknown>,
  wanted: (id: number) => boolean,
): Promise<number> {
  for (let loads = 1; ; loads++) {
    await waitUntil(
      async () => (await selfId(person.page)) > 0,
      SLOW_PAGE_MS,
      async () => `the ${who}'s room did not open; errors ${person.errors.join('; ')}`,
    );
    const id = await selfId(person.page);
    if (wanted(id)) return id;
    if (loads === MAX_LOADS) throw new Error(`no ${who} page with the client id needed in ${MAX_LOADS} loads`);
    await reload();
  }
}
/** The role a page's presence list shows for `peerId` (ROLE13). */
const listedRole = (page: Page, peerId: number) =>
  page.evaluate(
    (id) => window.__holoroom?.session?.status.get().peers.find((peer) => peer.peerId === id)?.role,
    peerId,
  );

test(
  '[ROLE13] [PHYS5] a viewer page with the lowest client id: the owner page simulates a box falling on its own, the viewer page claims nothing, the box rests at the same place on both',
  async () => {
    const owner = await openContextPage('Owner');
    const { viewerLink } = await createProtectedRoomFromStartPage(suite, owner.page);
    const ownerId = await loadUntilId(
      owner,
      'owner',
      () => owner.page.reload(),
      (id) => id >= UPPER_HALF_OF_IDS,
    );
    const viewer = await openContextPage('Viewer');
    await viewer.page.goto(viewerLink);
    const viewerId = await loadUntilId(
      viewer,
      'viewer',
      () => viewer.page.goto(viewerLink),
      (id) => id < ownerId,
    );
    // Each knows the other's role from presence.
    await waitUntil(
      async () =>
        (await listedRole(owner.page, viewerId)) === 'viewer' && (await listedRole(viewer.page, ownerId)) === 'owner',
      SLOW_PAGE_MS,
      async () => `roles listed: ${await listedRole(owner.page, viewerId)} / ${await listedRole(viewer.page, ownerId)}`,
    );

    await setScript(owner.page, FALLING_BOX);
    const rested = async (page: Page) => {
      const state = await docState(page, 'Box');
      return state?.owner === null && state.position !== undefined;
    };
    await waitUntil(
      async () => (await rested(owner.page)) && (await rested(viewer.page)),
      SLOW_PAGE_MS,
      async () =>
        `owner ${JSON.stringify(await physicsStats(owner.page))} viewer ${JSON.stringify(await physicsStats(viewer.page))}`,
    );
    const boxOn = async (page: Page) => (await bodyPoses(page, ['Box'])).Box?.position ?? [9, 9, 9];
    await waitUntil(
      async () => distance(await boxOn(owner.page), await boxOn(viewer.page)) < 0.01,
      20_000,
      async () => `owner ${await boxOn(owner.page)} viewer ${await boxOn(viewer.page)}`,
    );
    // It fell to the floor (a 0.3 m box), simulated and written down by the owner's page, never the viewer's.
    expect((await boxOn(viewer.page))[1]).toBeCloseTo(0.15, 2);
    const [ownerStats, viewerStats] = [await physicsStats(owner.page), await physicsStats(viewer.page)];
    expect(ownerStats?.claims).toBeGreaterThan(0);
    expect(ownerStats?.rests).toBe(1);
    expect([viewerStats?.claims, viewerStats?.streamed, viewerStats?.rests]).toEqual([0, 0, 0]);
  },
  TEST_TIMEOUT_MS,
);

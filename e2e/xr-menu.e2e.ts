// The in-world menu in IWER's emulated Quest 3 (test-only path): the left
// controller's X button opens and closes it; the right controller's ray turns
// the microphone on and mutes it, lowers another person's volume, shows the
// room code and leaves (which ends the session). Cites [MENU1-MENU3]. Then the
// comfort settings and the scene picker: a snap-turn angle chosen in the menu
// is the next turn's, the vignette shows while moving, both survive a reload,
// and a scene picked (and confirmed) in the menu becomes the room's script.
// Cites [MENU4] [MENU5] [COMFORT2] [COMFORT3] [LOCO2].
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser, waitUntil } from './harness/browser.ts';
import { type ServerProcess, startServerProcess } from './harness/server.ts';
import {
  clickRightTrigger,
  distance,
  moveRightController,
  type OpenedPage,
  openRoomPage,
  rightGrip,
  selfId,
  setStick,
  type Vec3,
  xrRig,
} from './interaction-helpers.ts';

let server: ServerProcess;
let browser: Browser;
const pages: OpenedPage[] = [];

beforeAll(async () => {
  server = await startServerProcess();
  browser = await launchBrowser(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']);
});
afterAll(async () => {
  const step = async (what: string, run: () => Promise<unknown>) => {
    const t0 = Date.now();
    await run();
    console.log(`afterAll: ${what} ${Date.now() - t0} ms`);
  };
  for (const { context } of pages) await step('context', () => context.close().catch(() => {}));
  await step('browser', async () => browser?.close());
  await step('server', async () => server?.stop());
});

type MenuItem = { id: string; position: Vec3 };
type VoiceState = { mic: string; muted: boolean; peers: { peerId: number; volume: number }[] };
type Comfort = { snapTurnDeg: number; vignette: boolean };
type Handle = {
  __holoroom: {
    xrMenu: { open(): boolean; items(): MenuItem[] };
    voice: { state(): VoiceState };
    comfort: { settings(): Comfort; vignetteShown(): boolean };
  };
  __holoroomXRDevice: { controllers: { left: { updateButtonValue(id: string, value: number): void } } };
};

const menuOpen = (page: Page) => page.evaluate(() => (window as unknown as Handle).__holoroom.xrMenu.open());
const menuItems = (page: Page) => page.evaluate(() => (window as unknown as Handle).__holoroom.xrMenu.items());
const voiceState = (page: Page) => page.evaluate(() => (window as unknown as Handle).__holoroom.voice.state());
const comfort = (page: Page) => page.evaluate(() => (window as unknown as Handle).__holoroom.comfort.settings());
const vignetteShown = (page: Page) =>
  page.evaluate(() => (window as unknown as Handle).__holoroom.comfort.vignetteShown());
const script = (page: Page) => page.evaluate(() => window.__holoroom?.session?.room.scriptText() ?? '');

async function enterVR(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Enter VR' }).click();
  await waitUntil(
    () => page.evaluate(() => (window.__holoroom?.frameStats?.xrFrames ?? 0) > 5),
    60_000,
    () => 'no XR frames',
  );
}

/** Opens the menu with X and waits until `id` is drawn. */
async function openMenuAt(page: Page, id: string): Promise<void> {
  await pressX(page);
  await waitUntil(
    async () => (await menuItems(page)).some((i) => i.id === id),
    20_000,
    async () => JSON.stringify(await menuItems(page)),
  );
}

/** Pushes the right stick fully right until the rig turns, lets go; the turn in radians (left positive). */
async function snapTurnRight(page: Page): Promise<number> {
  const before = (await xrRig(page))?.yaw ?? 0;
  await setStick(page, 'right', 1, 0);
  await waitUntil(
    async () => Math.abs(((await xrRig(page))?.yaw ?? 0) - before) > 1e-3,
    20_000,
    () => 'the rig did not turn',
  );
  await setStick(page, 'right', 0, 0);
  return ((await xrRig(page))?.yaw ?? 0) - before;
}

/** Presses and lets go of the left controller's X button, a few XR frames apart. */
async function pressX(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const w = window as unknown as Handle;
        const session = window.__holoroom?.xrStore?.getState().session;
        if (!session) return reject(new Error('no XR session'));
        w.__holoroomXRDevice.controllers.left.updateButtonValue('x-button', 1);
        session.requestAnimationFrame(() =>
          session.requestAnimationFrame(() => {
            w.__holoroomXRDevice.controllers.left.updateButtonValue('x-button', 0);
            session.requestAnimationFrame(() => session.requestAnimationFrame(() => resolve()));
          }),
        );
      }),
  );
}

/** Aims the right controller's ray straight at a menu item from 25 cm in front of it, then pulls the trigger. */
async function pressItem(page: Page, id: string): Promise<void> {
  const item = (await menuItems(page)).find((i) => i.id === id);
  if (!item) throw new Error(`no menu item ${id}: ${JSON.stringify(await menuItems(page))}`);
  const yaw = (await xrRig(page))?.yaw ?? 0;
  // The menu faces the person: its normal is the rig's +Z; the controller's ray points along the rig's -Z.
  const from: Vec3 = [
    item.position[0] + 0.25 * Math.sin(yaw),
    item.position[1],
    item.position[2] + 0.25 * Math.cos(yaw),
  ];
  await moveRightController(page, from);
  await waitUntil(
    async () => distance((await rightGrip(page)) ?? [0, 0, 0], from) < 0.12,
    20_000,
    () => `the controller did not reach ${id}`,
  );
  // Leaving navigates away while the click's frames are still awaited in the page.
  await clickRightTrigger(page).catch((error: unknown) => {
    if (id !== 'leave' || !String(error).includes('Execution context was destroyed')) throw error;
  });
}

test('[MENU1] [MENU2] [MENU3] the in-world menu: X opens and closes it; by ray: microphone on and mute, a person’s volume, room code, leave ends the session', async () => {
  const url = `${server.url}/r/e2exrmenu${Date.now().toString(36)}?seed=off`;
  const a = await openRoomPage(browser, 'Alice', `${url}&xr-emulate=quest3`, '#ef476f');
  const b = await openRoomPage(browser, 'Bob', url, '#06d6a0');
  pages.push(a, b);
  const bob = await selfId(b.page);
  await waitUntil(
    async () => (await voiceState(a.page)).peers.some((p) => p.peerId === bob),
    40_000,
    async () => JSON.stringify(await voiceState(a.page)),
  );
  await enterVR(a.page);

  // MENU1: closed, nothing of it is drawn; X opens it in front of the head; X again closes it.
  expect(await menuOpen(a.page)).toBe(false);
  expect(await menuItems(a.page)).toEqual([]);
  await pressX(a.page);
  await waitUntil(
    async () => (await menuItems(a.page)).length > 0,
    20_000,
    () => 'the menu did not open',
  );
  await pressX(a.page);
  await waitUntil(
    async () => (await menuItems(a.page)).length === 0,
    20_000,
    () => 'the menu did not close',
  );
  await pressX(a.page);
  await waitUntil(
    async () => (await menuItems(a.page)).some((i) => i.id === `peer:${bob}:down`),
    20_000,
    async () => JSON.stringify(await menuItems(a.page)),
  );
  // MENU3: it opens within reach: 0.6 m in front of the eyes, 0.15 m below them (the top row).
  const head = await a.page.evaluate(() => {
    const w = window as unknown as { __holoroom: { pose: { channel: { entities: { world: Float64Array } } } } };
    const p = w.__holoroom.pose.channel.entities.world;
    return [p[0], p[1], p[2]] as [number, number, number];
  });
  const top = (await menuItems(a.page)).find((i) => i.id === 'room-code')?.position as Vec3;
  expect(Math.hypot(top[0] - head[0], top[2] - head[2])).toBeCloseTo(0.6, 1);
  expect(head[1] - top[1]).toBeCloseTo(0.15, 1);

  // MENU2: the microphone, by ray: on (a gesture in the headset), then muted.
  await pressItem(a.page, 'mic');
  await waitUntil(
    async () => (await voiceState(a.page)).mic === 'on',
    20_000,
    async () => JSON.stringify(await voiceState(a.page)),
  );
  await pressItem(a.page, 'mic');
  await waitUntil(
    async () => (await voiceState(a.page)).muted,
    20_000,
    async () => JSON.stringify(await voiceState(a.page)),
  );

  // MENU2: Bob's volume, lowered one step for Alice only.
  await pressItem(a.page, `peer:${bob}:down`);
  await waitUntil(
    async () => (await voiceState(a.page)).peers.find((p) => p.peerId === bob)?.volume === 0.75,
    20_000,
    async () => JSON.stringify(await voiceState(a.page)),
  );

  // The room code, to read aloud.
  await pressItem(a.page, 'room-code');
  await waitUntil(
    async () => (await menuItems(a.page)).some((i) => i.id === 'room-code'),
    5_000,
    () => 'room code item gone',
  );

  // MENU1: leave ends the immersive session and goes to the start page.
  const messages: string[] = [];
  a.page.on('console', (message) => messages.push(message.text()));
  await a.page.evaluate(() => {
    window.__holoroom?.xrStore
      ?.getState()
      .session?.addEventListener('end', () => console.info('test: the XR session ended'));
  });
  await pressItem(a.page, 'leave');
  await a.page.waitForURL((u) => u.pathname === '/', { timeout: 20_000 });
  expect(messages).toContain('test: the XR session ended');
});

test('[MENU4] [MENU5] [COMFORT2] [COMFORT3] [LOCO2] comfort and scenes from the menu: the chosen snap angle turns next, the vignette shows while moving, both survive a reload; a confirmed scene becomes the room’s script', async () => {
  const url = `${server.url}/r/e2excomfort${Date.now().toString(36)}?seed=off&xr-emulate=quest3`;
  const c = await openRoomPage(browser, 'Carol', url, '#118ab2');
  pages.push(c);
  const { page } = c;
  expect(await comfort(page)).toEqual({ snapTurnDeg: 30, vignette: false });
  await enterVR(page);
  await openMenuAt(page, 'snap-turn');

  // MENU4: snap turn 30° -> 45°, vignette off -> on, by ray.
  await pressItem(page, 'snap-turn');
  await waitUntil(
    async () => (await comfort(page)).snapTurnDeg === 45,
    20_000,
    async () => JSON.stringify(await comfort(page)),
  );
  await pressItem(page, 'vignette');
  await waitUntil(
    async () => (await comfort(page)).vignette,
    20_000,
    async () => JSON.stringify(await comfort(page)),
  );

  // MENU5: the first press on a scene only asks; the second switches the room to it.
  const playground = await page.evaluate(() => fetch('/scenes/playground.holo').then((r) => r.text()));
  expect(await script(page)).toBe('');
  await pressItem(page, 'scene:playground');
  await page.waitForTimeout(500);
  expect(await script(page)).toBe('');
  await pressItem(page, 'scene:playground');
  await waitUntil(
    async () => (await script(page)) === playground,
    20_000,
    async () => `script is ${(await script(page)).slice(0, 80)}`,
  );

  // LOCO2: with the menu closed, the next push of the right stick turns 45° (right is negative).
  await pressX(page);
  await waitUntil(
    async () => (await menuItems(page)).length === 0,
    20_000,
    () => 'the menu did not close',
  );
  expect(await snapTurnRight(page)).toBeCloseTo(-Math.PI / 4, 3);

  // COMFORT3: the vignette shows while the left stick moves the person, and not once it stops.
  expect(await vignetteShown(page)).toBe(false);
  await setStick(page, 'left', 0, -1);
  await waitUntil(
    () => vignetteShown(page),
    20_000,
    () => 'no vignette while moving',
  );
  await setStick(page, 'left', 0, 0);
  await waitUntil(
    async () => !(await vignetteShown(page)),
    20_000,
    () => 'the vignette stayed after moving',
  );

  // COMFORT2: after a reload the device remembers both, and the next turn is 45° again.
  await page.reload();
  await waitUntil(
    () => page.evaluate(() => (window.__holoroom?.frameStats?.frames ?? 0) > 0),
    60_000,
    () => 'the room did not open again',
  );
  expect(await comfort(page)).toEqual({ snapTurnDeg: 45, vignette: true });
  await enterVR(page);
  expect(await snapTurnRight(page)).toBeCloseTo(-Math.PI / 4, 3);
}, 240_000);

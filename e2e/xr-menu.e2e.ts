// The in-world menu in IWER's emulated Quest 3 (test-only path): the left
// controller's X button opens and closes it; the right controller's ray turns
// the microphone on and mutes it, lowers another person's volume, shows the
// room code and leaves (which ends the session). Cites [MENU1-MENU3]. Then the
// comfort settings and the scene picker: a snap-turn angle chosen in the menu
// is the next turn's, the vignette shows while moving, both survive a reload,
// and a scene picked (and confirmed) in the menu becomes the room's script.
// Cites [MENU4] [MENU5] [COMFORT2] [COMFORT3] [LOCO2]. Then all of it by hand: an emulated
// hand's index fingertip hovers and pokes the items, once per touch. Cites [MENU6].
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { waitUntil } from './harness/browser.ts';
import {
  clickRightTrigger,
  distance,
  fingertipOffset,
  moveRightController,
  moveRightFingertip,
  rightGrip,
  roomPageSuite,
  selfId,
  setStick,
  useInput,
  type Vec3,
  xrRig,
} from './interaction-helpers.ts';

const suite = roomPageSuite(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']);

type MenuItem = { id: string; position: Vec3 };
type VoiceState = { mic: string; muted: boolean; peers: { peerId: number; volume: number }[] };
type Comfort = { snapTurnDeg: number; vignette: boolean };
type Handle = {
  __holoroom: {
    xrMenu: { open(): boolean; items(): MenuItem[]; hovered(): { id: string; by: string } | undefined };
    voice: { state(): VoiceState };
    comfort: { settings(): Comfort; vignetteShown(): boolean };
  };
  __holoroomXRDevice: { controllers: { left: { updateButtonValue(id: string, value: number): void } } };
};

const menuOpen = (page: Page) => page.evaluate(() => (window as unknown as Handle).__holoroom.xrMenu.open());
const menuItems = (page: Page) => page.evaluate(() => (window as unknown as Handle).__holoroom.xrMenu.items());
const hovered = (page: Page) => page.evaluate(() => (window as unknown as Handle).__holoroom.xrMenu.hovered());
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
  // MENU2: the item the ray is on is highlighted.
  await waitUntil(
    async () => JSON.stringify(await hovered(page)) === JSON.stringify({ id, by: 'ray' }),
    20_000,
    async () => `hovered: ${JSON.stringify(await hovered(page))}, not ${id} by the ray`,
  );
  // Leaving navigates away while the click's frames are still awaited in the page.
  await clickRightTrigger(page).catch((error: unknown) => {
    if (id !== 'leave' || !String(error).includes('Execution context was destroyed')) throw error;
  });
}

/** The point `depth` metres in front of a menu item (negative: into it); the menu faces the rig's +Z. */
async function inFrontOf(page: Page, id: string, depth: number): Promise<Vec3> {
  const item = (await menuItems(page)).find((i) => i.id === id);
  if (!item) throw new Error(`no menu item ${id}: ${JSON.stringify(await menuItems(page))}`);
  const yaw = (await xrRig(page))?.yaw ?? 0;
  return [item.position[0] + depth * Math.sin(yaw), item.position[1], item.position[2] + depth * Math.cos(yaw)];
}

/**
 * MENU6: pokes a menu item with the right index fingertip: 4 cm in front of it (it must be
 * hovered there), 1 cm into it (the press), then 8 cm out in front again.
 */
async function pokeItem(page: Page, id: string, offset: Vec3): Promise<void> {
  await moveRightFingertip(page, await inFrontOf(page, id, 0.04), offset);
  await waitUntil(
    async () => JSON.stringify(await hovered(page)) === JSON.stringify({ id, by: 'fingertip' }),
    20_000,
    async () => `hovered: ${JSON.stringify(await hovered(page))}, not ${id} by the fingertip`,
  );
  const into = await inFrontOf(page, id, -0.01);
  if (id === 'leave') {
    // Leaving navigates away while the fingertip is still awaited in the page.
    await moveRightFingertip(page, into, offset).catch((error: unknown) => {
      if (!String(error).includes('Execution context was destroyed')) throw error;
    });
    return;
  }
  await moveRightFingertip(page, into, offset);
  await moveRightFingertip(page, await inFrontOf(page, id, 0.08), offset);
}

/** Listens for the end of the page's XR session (a console line the test can look for). */
async function watchSessionEnd(page: Page): Promise<string[]> {
  const messages: string[] = [];
  page.on('console', (message) => messages.push(message.text()));
  await page.evaluate(() => {
    window.__holoroom?.xrStore
      ?.getState()
      .session?.addEventListener('end', () => console.info('test: the XR session ended'));
  });
  return messages;
}

test('[MENU1] [MENU2] [MENU3] the in-world menu: X opens and closes it; by ray: microphone on and mute, a person’s volume, room code, leave ends the session', async () => {
  const url = `${suite.server.url}/r/e2exrmenu${Date.now().toString(36)}?seed=off`;
  const a = await suite.open({ name: 'Alice', url, color: '#ef476f', headset: true });
  const b = await suite.open({ name: 'Bob', url, color: '#06d6a0' });
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
  const messages = await watchSessionEnd(a.page);
  await pressItem(a.page, 'leave');
  await a.page.waitForURL((u) => u.pathname === '/', { timeout: 20_000 });
  expect(messages).toContain('test: the XR session ended');
});

test('[MENU4] [MENU5] [COMFORT2] [COMFORT3] [LOCO2] comfort and scenes from the menu: the chosen snap angle turns next, the vignette shows while moving, both survive a reload; a confirmed scene becomes the room’s script', async () => {
  const url = `${suite.server.url}/r/e2excomfort${Date.now().toString(36)}?seed=off`;
  const c = await suite.open({ name: 'Carol', url, color: '#118ab2', headset: true });
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

test('[MENU6] [MENU2] [MENU5] the in-world menu by hand: a fingertip hovers and pokes the microphone, a person’s volume (once per touch, however it trembles or goes through), a scene and leave', async () => {
  const url = `${suite.server.url}/r/e2exrpoke${Date.now().toString(36)}?seed=off`;
  const a = await suite.open({ name: 'Alice', url, color: '#ef476f', headset: true });
  const b = await suite.open({ name: 'Bob', url, color: '#06d6a0' });
  const { page } = a;
  const bob = await selfId(b.page);
  await waitUntil(
    async () => (await voiceState(page)).peers.some((p) => p.peerId === bob),
    40_000,
    async () => JSON.stringify(await voiceState(page)),
  );
  await enterVR(page);
  await openMenuAt(page, `peer:${bob}:down`);
  // Hands instead of controllers; the fingertip's offset from the hand measured 40 cm in front of the menu.
  await useInput(page, 'hand');
  const offset = await fingertipOffset(page, await inFrontOf(page, 'room-code', 0.4));
  // 40 cm away the fingertip hovers nothing (the hand's ray may).
  expect((await hovered(page))?.by).not.toBe('fingertip');

  // The microphone: on, then muted.
  await pokeItem(page, 'mic', offset);
  await waitUntil(
    async () => (await voiceState(page)).mic === 'on',
    20_000,
    async () => JSON.stringify(await voiceState(page)),
  );
  await pokeItem(page, 'mic', offset);
  await waitUntil(
    async () => (await voiceState(page)).muted,
    20_000,
    async () => JSON.stringify(await voiceState(page)),
  );

  // Bob's volume: one touch is one step, even resting, trembling at the press depth and going through the menu.
  const volume = async () => (await voiceState(page)).peers.find((p) => p.peerId === bob)?.volume;
  const down = `peer:${bob}:down`;
  await moveRightFingertip(page, await inFrontOf(page, down, 0.04), offset);
  for (const depth of [-0.01, 0.02, -0.005, 0.02, 0.0, -0.1, -0.02, 0.005, 0.08]) {
    await moveRightFingertip(page, await inFrontOf(page, down, depth), offset);
  }
  expect(await volume()).toBe(0.75);
  // A second touch, a second step.
  await pokeItem(page, down, offset);
  expect(await volume()).toBe(0.5);

  // MENU5 by poke: the first touch asks, the second switches the room's scene.
  const playground = await page.evaluate(() => fetch('/scenes/playground.holo').then((r) => r.text()));
  await pokeItem(page, 'scene:playground', offset);
  expect(await script(page)).toBe('');
  await pokeItem(page, 'scene:playground', offset);
  await waitUntil(
    async () => (await script(page)) === playground,
    20_000,
    async () => `script is ${(await script(page)).slice(0, 80)}`,
  );

  // Leave: the session ends and the page goes to the start page.
  const messages = await watchSessionEnd(page);
  await pokeItem(page, 'leave', offset);
  await page.waitForURL((u) => u.pathname === '/', { timeout: 20_000 });
  expect(messages).toContain('test: the XR session ended');
}, 240_000);

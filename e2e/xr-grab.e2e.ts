// Grabbing a shared object in a headset (IWER's emulated Quest 3, test-only
// path): A squeezes its emulated controller on an object, moves it and lets
// go; B (a separate browser context, real WebRTC asserted) sees it follow live
// over the pose channel while the room document still has the old pose, then
// at its final place from the document; C, who joins after A left, sees it
// there too. Before that, A's controller ray clicks a @clickable and its
// handler recolours it for B.
import { expect, test } from 'vitest';
import type { ObjectId } from '../app/core/ids.ts';
import { saveScreenshot, waitUntil } from './harness/browser.ts';
import {
  clickRightTrigger,
  distance,
  docState,
  drawnPosition,
  frameCount,
  holding,
  moveRightController,
  moveRightHandGrip,
  type OpenedPage,
  pinchRight,
  pitchRightController,
  rightGrip,
  roomPageSuite,
  selfId,
  setRightButton,
  setScript,
  setStick,
  transportTo,
  useInput,
  type Vec3,
  xrRig,
} from './interaction-helpers.ts';

const SCRIPT = `composition "Grab test" {
  object "Crate" @grabbable { geometry: "box"; position: [0, 1.2, 3]; scale: 0.3; color: "#ff00ff" }
  object "Button" @clickable @hoverable { geometry: "box"; position: [0.8, 1.4, 2.5]; scale: 0.25; color: "#ff00ff"
    on_click { this.color = "#00ff00" } }
}`;
const CRATE_START: Vec3 = [0, 1.2, 3];

const suite = roomPageSuite();

/**
 * The colour B's renderer gives the object's first mesh (what B's screen shows): its material's,
 * or for a mesh drawn as an instance of a batch (DRAW2) the instance's.
 */
function drawnColor(page: OpenedPage['page'], id: string): Promise<string | undefined> {
  return page.evaluate((objectId) => {
    let color: string | undefined;
    window.__holoroom?.sceneObjects?.get(objectId as ObjectId)?.traverse((child) => {
      const instance = child.userData.drawnColor as string | undefined;
      const material = (child as { material?: { color?: { getHexString(): string } } }).material;
      if (color === undefined && instance) color = instance;
      else if (color === undefined && material?.color) color = `#${material.color.getHexString()}`;
    });
    return color;
  }, id);
}

test('[XR1][XR2][GRAB1][GRAB3][GRAB4][GRAB10] A grabs, moves and releases an object in VR (controller, then hand); B sees it follow over WebRTC and land; C, joining after A left, sees it there', async () => {
  const url = `${suite.server.url}/r/e2exrgrab${Date.now().toString(36)}?seed=off`;
  const [a, b] = await suite.openPair(
    { name: 'Alice', url, color: '#ef476f', headset: true },
    { name: 'Bob', url, color: '#06d6a0' },
  );
  await setScript(a.page, SCRIPT);
  for (const { page } of [a, b]) {
    await waitUntil(
      async () =>
        (await drawnPosition(page, 'Crate')) !== undefined && (await drawnPosition(page, 'Button')) !== undefined,
      30_000,
      () => 'the scene was not drawn',
    );
  }
  const [alice, bob] = [await selfId(a.page), await selfId(b.page)];

  await a.page.getByRole('button', { name: 'Enter VR' }).click();
  await waitUntil(
    () => a.page.evaluate(() => (window.__holoroom?.frameStats?.xrFrames ?? 0) > 10),
    60_000,
    () => 'A did not enter VR',
  );

  // XR2: the controller's ray on the button, trigger pulled and let go: its click handler runs for everyone.
  await moveRightController(a.page, [0.8, 1.4, 3.1]);
  await waitUntil(
    async () => distance((await rightGrip(a.page)) ?? [0, 0, 0], [0.8, 1.4, 3.1]) < 0.2,
    20_000,
    () => 'controller did not move',
  );
  // TRAIT4 through the ray: hovering the @hoverable button grows it a little for A (a local highlight).
  await waitUntil(
    () =>
      a.page.evaluate(
        () => (window.__holoroom?.sceneObjects?.get('Button' as ObjectId)?.children[0]?.scale.x ?? 1) > 1.01,
      ),
    20_000,
    () => 'the ray does not hover the button',
  );
  await clickRightTrigger(a.page);
  await waitUntil(
    async () => (await drawnColor(b.page, 'Button')) === '#00ff00',
    30_000,
    async () =>
      `B draws ${await drawnColor(b.page, 'Button')}; doc ${JSON.stringify(await docState(b.page, 'Button'))}`,
  );

  // XR1: the controller to the crate, squeeze: A holds it and the room document names A.
  await moveRightController(a.page, CRATE_START);
  await waitUntil(
    async () => distance((await rightGrip(a.page)) ?? [0, 0, 0], CRATE_START) < 0.12,
    20_000,
    () => 'controller did not reach the crate',
  );
  await setRightButton(a.page, 'squeeze', 1);
  await waitUntil(
    async () => (await holding(a.page, 'xr-right')) === 'Crate',
    20_000,
    () => 'A did not grab',
  );
  await waitUntil(
    async () => (await docState(b.page, 'Crate'))?.owner === alice,
    20_000,
    () => 'B did not see the claim',
  );

  // GRAB3: A moves it; B draws it moving while its document still has no new pose: the pose channel carried it.
  const path: Vec3[] = [];
  for (let i = 1; i <= 8; i++) path.push([CRATE_START[0] + i * 0.15, CRATE_START[1] + i * 0.05, CRATE_START[2]]);
  const end = path[path.length - 1] as Vec3;
  const seenByB: Vec3[] = [];
  for (const point of path) {
    await moveRightController(a.page, point);
    await waitUntil(
      async () => distance((await rightGrip(a.page)) ?? [0, 0, 0], point) < 0.12,
      20_000,
      () => 'controller lagging',
    );
    const drawn = await drawnPosition(b.page, 'Crate');
    if (drawn) seenByB.push(drawn);
  }
  // B drew it on its way, not only at the end.
  const between = seenByB.filter((p) => distance(p, CRATE_START) > 0.05 && distance(p, end) > 0.1);
  expect(between.length, JSON.stringify(seenByB)).toBeGreaterThanOrEqual(2);
  expect(await transportTo(b.page, alice)).toBe('webrtc');
  // Once A has sent a frame with the crate at rest in its hand, B catches up within a few of its own
  // frames (the playout delay is a couple of ticks): it follows the stream, not a slow document write.
  const aFrame = await frameCount(a.page);
  await waitUntil(
    async () => (await frameCount(a.page)) > aFrame + 1,
    30_000,
    () => 'A stopped rendering',
  );
  const held = (await drawnPosition(a.page, 'Crate')) as Vec3;
  const frameAtStop = await frameCount(b.page);
  await waitUntil(
    async () => distance((await drawnPosition(b.page, 'Crate')) ?? [0, 0, 0], held) < 0.02,
    30_000,
    async () => `B draws ${await drawnPosition(b.page, 'Crate')}, A holds at ${held}`,
  );
  const framesToCatchUp = (await frameCount(b.page)) - frameAtStop;
  console.log(`B caught up with A's held pose after ${framesToCatchUp} of its frames`);
  expect(framesToCatchUp).toBeLessThan(30);
  // Still held: the document has no new pose yet, so what B drew came over the pose channel.
  expect((await docState(b.page, 'Crate'))?.position).toBeUndefined();
  expect(await holding(a.page, 'xr-right')).toBe('Crate');

  // GRAB4: let go: the final pose lands in the document, the owner is cleared, B draws it there.
  await setRightButton(a.page, 'squeeze', 0);
  await waitUntil(
    async () => (await docState(b.page, 'Crate'))?.owner === null,
    20_000,
    () => 'B did not see the release',
  );
  const final = (await docState(b.page, 'Crate'))?.position as Vec3;
  expect(distance(final, held)).toBeLessThan(0.01);
  await waitUntil(
    async () => distance((await drawnPosition(b.page, 'Crate')) ?? [0, 0, 0], final) < 0.005,
    20_000,
    () => 'B does not draw the final pose',
  );
  await saveScreenshot(a.page, 'xr-grab-a.png');

  // XR1 with tracked hands: a pinch at the crate grabs it, the hand carries it, opening the hand lets go.
  await useInput(a.page, 'hand');
  await moveRightHandGrip(a.page, final);
  await pinchRight(a.page, 1);
  await waitUntil(
    async () => (await holding(a.page, 'xr-right')) === 'Crate',
    20_000,
    () => 'the pinch did not grab',
  );
  await moveRightHandGrip(a.page, [final[0] - 0.5, final[1] - 0.2, final[2] + 0.2]);
  await pinchRight(a.page, 0);
  let placed: Vec3 | undefined;
  await waitUntil(
    async () => {
      const doc = await docState(b.page, 'Crate');
      placed = doc?.position;
      return doc?.owner === null && placed !== undefined && distance(placed, final) > 0.3;
    },
    20_000,
    async () => `B's document: ${JSON.stringify(await docState(b.page, 'Crate'))}`,
  );
  const handPlaced = placed as Vec3;

  // A leaves; C joins later and finds the object where A put it.
  await a.context.close();
  const c = await suite.open({ name: 'Carol', url, color: '#ffd166' });
  await waitUntil(
    async () => distance((await drawnPosition(c.page, 'Crate')) ?? [0, 0, 0], handPlaced) < 0.005,
    30_000,
    async () => `C draws ${await drawnPosition(c.page, 'Crate')}`,
  );
  expect((await docState(c.page, 'Crate'))?.owner).toBeNull();
  expect(await drawnColor(c.page, 'Button')).toBe('#00ff00');
  await saveScreenshot(b.page, 'xr-grab-b.png');
  expect(bob).not.toBe(alice);
  for (const { errors } of [b, c]) expect(errors.filter((error) => error.startsWith('pageerror'))).toEqual([]);
}, 300_000);

/** The three.js scene of the page (the root above any drawn object). */
function sceneFacts(page: OpenedPage['page']) {
  return page.evaluate(() => {
    let root = window.__holoroom?.sceneObjects?.get('Step' as ObjectId) as import('three').Object3D | undefined;
    while (root?.parent) root = root.parent;
    const scene = root as import('three').Scene | undefined;
    let floors = 0;
    scene?.traverse((object) => {
      if (object.visible && (object.name === 'scene-floor' || object.name === 'floor')) floors++;
    });
    return { background: scene?.background != null, fog: scene?.fog != null, floors };
  });
}

test('[XR3][LOCO1][LOCO2][LOCO3][LOCO5][XR4] thumbsticks walk, turn and teleport in VR; AR shows the room without sky, fog or floor', async () => {
  const url = `${suite.server.url}/r/e2exrmove${Date.now().toString(36)}?seed=off`;
  const a = await suite.open({ name: 'Walker', url, headset: true });
  await setScript(
    a.page,
    `composition "Walk" {
      environment { skybox: "gradient"; fog: true; size: 40 }
      object "Step" @collidable { geometry: "box"; position: [0, 0.1, -3]; scale: [2, 0.2, 2] }
    }`,
  );
  await waitUntil(
    async () => (await drawnPosition(a.page, 'Step')) !== undefined,
    30_000,
    () => 'no scene',
  );
  const before = await sceneFacts(a.page);
  expect(before).toMatchObject({ background: true, fog: true, floors: 1 });
  await a.page.getByRole('button', { name: 'Enter VR' }).click();
  await waitUntil(
    () => a.page.evaluate(() => (window.__holoroom?.frameStats?.xrFrames ?? 0) > 5),
    60_000,
    () => 'no VR',
  );
  const start = (await xrRig(a.page)) as { position: Vec3; yaw: number };
  // LOCO5: the headset starts where the desktop view stood.
  const view = await a.page.evaluate(() => window.__holoroom?.view.position.toArray() ?? []);
  expect(distance([start.position[0], start.position[2]], [view[0] as number, view[2] as number])).toBeLessThan(0.01);

  // LOCO1: left stick forward walks toward where the head looks (-z here).
  await setStick(a.page, 'left', 0, -1);
  await waitUntil(
    async () => ((await xrRig(a.page))?.position[2] ?? 0) < start.position[2] - 0.5,
    30_000,
    () => 'no walking',
  );
  await setStick(a.page, 'left', 0, 0);
  const walked = (await xrRig(a.page)) as { position: Vec3; yaw: number };
  expect(Math.abs(walked.position[0] - start.position[0])).toBeLessThan(0.05);

  // LOCO2: right stick to the right turns right by 30 degrees, once per push.
  await setStick(a.page, 'right', 1, 0);
  await waitUntil(
    async () => ((await xrRig(a.page))?.yaw ?? 0) < walked.yaw - 0.1,
    30_000,
    () => 'no turn',
  );
  const frames = await a.page.evaluate(() => window.__holoroom?.frameStats?.xrFrames ?? 0);
  await waitUntil(
    () => a.page.evaluate((f) => (window.__holoroom?.frameStats?.xrFrames ?? 0) > f + 3, frames),
    30_000,
    () => 'no frames',
  );
  await setStick(a.page, 'right', 0, 0);
  expect(((await xrRig(a.page))?.yaw ?? 0) - walked.yaw).toBeCloseTo(-Math.PI / 6, 5);
  // Face forward again (a push to the left), so the arc below goes along -z.
  await setStick(a.page, 'right', -1, 0);
  await waitUntil(
    async () => Math.abs(((await xrRig(a.page))?.yaw ?? 1) - walked.yaw) < 1e-6,
    30_000,
    () => 'no turn back',
  );
  await setStick(a.page, 'right', 0, 0);

  // LOCO3: right stick forward aims (the arc lands on the floor ahead); letting go jumps there.
  await pitchRightController(a.page, 20);
  await setStick(a.page, 'right', 0, -1);
  let landing: Vec3 | undefined;
  await waitUntil(
    async () => {
      landing = await a.page.evaluate(() => {
        const xr = window.__holoroom?.xr;
        return xr?.aiming && xr.arc.valid ? (xr.arc.landing.toArray() as [number, number, number]) : undefined;
      });
      return landing !== undefined;
    },
    30_000,
    () => 'no valid arc',
  );
  await setStick(a.page, 'right', 0, 0);
  await waitUntil(
    async () => ((await xrRig(a.page))?.position[2] ?? 9) < walked.position[2] - 1,
    30_000,
    () => 'no teleport',
  );
  const head = (await a.page.evaluate(() => {
    const xr = window.__holoroom?.xr;
    return xr?.headWorld(xr.rig.position.clone()).toArray();
  })) as Vec3;
  console.log(`teleported to ${landing}, head now at ${head}`);
  // The head stands above the landing point, on whatever it landed on.
  expect(distance([head[0], head[2]], [(landing as Vec3)[0], (landing as Vec3)[2]])).toBeLessThan(0.1);
  expect(((await xrRig(a.page)) as { position: Vec3 }).position[1]).toBeCloseTo((landing as Vec3)[1], 3);

  // XR4: out of VR, into AR: no sky, no fog, no floor; the room is still there.
  await a.page.evaluate(() => window.__holoroom?.xrStore?.getState().session?.end());
  await waitUntil(
    () => a.page.evaluate(() => window.__holoroom?.xrStore?.getState().session == null),
    30_000,
    () => 'VR did not end',
  );
  await a.page.getByRole('button', { name: 'Enter AR' }).click();
  await waitUntil(
    () => a.page.evaluate(() => window.__holoroom?.xrStore?.getState().mode === 'immersive-ar'),
    60_000,
    () => 'no AR',
  );
  await waitUntil(
    async () => {
      const facts = await sceneFacts(a.page);
      return !facts.background && !facts.fog && facts.floors === 0;
    },
    30_000,
    async () => JSON.stringify(await sceneFacts(a.page)),
  );
  expect(await drawnPosition(a.page, 'Step')).toBeDefined();
  expect(a.errors.filter((error) => error.startsWith('pageerror'))).toEqual([]);
}, 240_000);

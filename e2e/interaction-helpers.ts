/**
 * Helpers for the interaction browser tests: opening a room page, reading
 * where a scene object is drawn and what the room document says about it,
 * the pose channel's view of a peer, and driving IWER's emulated controllers.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ObjectId } from '../app/core/ids.ts';
import { newContext, peerConnectionStates, waitUntil, watchPage } from './harness/browser.ts';
import type { ServerProcess } from './harness/server.ts';
import { browserSuite } from './harness/suite.ts';

export type Vec3 = [number, number, number];

export const distance = (a: readonly number[], b: readonly number[]) =>
  Math.hypot(...a.map((v, i) => v - (b[i] as number)));

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  errors: string[];
}

/**
 * A new browser context (own storage, no shared BroadcastChannel) with the room open and rendering;
 * `headset`: in an emulated Meta Quest 3 (harness/xr-headset.ts).
 */
export async function openRoomPage(
  browser: Browser,
  name: string,
  url: string,
  color?: string,
  { headset = false }: { headset?: boolean } = {},
): Promise<OpenedPage> {
  const context = await newContext(browser, { name, headset, ...(color ? { color } : {}) });
  const page = await context.newPage();
  // Software WebGL on a shared machine: a small viewport keeps frames short. A still room draws only
  // on demand (ROOM5): the first frame says the room started.
  await page.setViewportSize({ width: 800, height: 450 });
  const { errors } = watchPage(page);
  await page.goto(url);
  await waitUntil(
    () =>
      page.evaluate(
        () =>
          window.__holoroom?.scene !== undefined &&
          window.__holoroom.interaction !== undefined &&
          (window.__holoroom.frameStats?.frames ?? 0) > 0,
      ),
    60_000,
    () => `${name}'s room did not start; ${errors.join('; ')}`,
  );
  return { context, page, errors };
}

/** Who opens a room page: a display name, the page's URL, an avatar colour, in an emulated headset or not. */
export interface PageSpec {
  name: string;
  url: string;
  color?: string;
  headset?: boolean;
}

export interface RoomPageSuite {
  readonly server: ServerProcess;
  readonly browser: Browser;
  /** A room page in a context of its own (see `openRoomPage`), closed after the current test. */
  open(spec: PageSpec): Promise<OpenedPage>;
  /** Two such pages in one room, returned once they reach each other over WebRTC (`waitForWebRTC`). */
  openPair(a: PageSpec, b: PageSpec): Promise<[OpenedPage, OpenedPage]>;
}

/**
 * The fixture of a multiplayer room test file: one server and one Chromium
 * for the file (`browserSuite`), room pages that close after each test.
 *
 * @example
 *   const suite = roomPageSuite();
 *   test('...', async () => {
 *     const url = `${suite.server.url}/r/some-room-id?seed=off`;
 *     const [a, b] = await suite.openPair({ name: 'Alice', url }, { name: 'Bob', url });
 *   });
 */
export function roomPageSuite(chromiumArgs: readonly string[] = []): RoomPageSuite {
  const suite = browserSuite({}, chromiumArgs);
  const open = async ({ name, url, color, headset }: PageSpec) => {
    const opened = await openRoomPage(suite.browser, name, url, color, { headset: headset ?? false });
    suite.track(opened.context);
    return opened;
  };
  return {
    get server() {
      return suite.server;
    },
    get browser() {
      return suite.browser;
    },
    open,
    async openPair(a, b) {
      const pair: [OpenedPage, OpenedPage] = [await open(a), await open(b)];
      await waitForWebRTC(pair[0].page, pair[1].page);
      return pair;
    },
  };
}

/** Where a scene object is drawn right now (its world position, from its three.js matrix). */
export function drawnPosition(page: Page, id: string): Promise<Vec3 | undefined> {
  return page.evaluate((objectId) => {
    const object = window.__holoroom?.sceneObjects?.get(objectId as ObjectId);
    if (!object) return undefined;
    object.updateWorldMatrix(true, false);
    const e = object.matrixWorld.elements;
    return [e[12], e[13], e[14]] as [number, number, number];
  }, id);
}

export interface DocState {
  owner: number | null;
  position: Vec3 | undefined;
  color: unknown;
}

/** What the page's copy of the room document holds for an object. */
export function docState(page: Page, id: string): Promise<DocState | undefined> {
  return page.evaluate((objectId) => {
    const state = window.__holoroom?.session?.room.getObjectState(objectId);
    if (!state) return undefined;
    return { owner: state.owner, position: state.transform?.position, color: state.props.get('color') ?? null };
  }, id);
}

export function selfId(page: Page): Promise<number> {
  return page.evaluate(() => window.__holoroom?.interaction.selfId ?? 0);
}

/** How this page's pose channel reaches `peer` ('webrtc', 'relay', ...). */
export function transportTo(page: Page, peer: number): Promise<string> {
  return page.evaluate(
    (id) =>
      (
        window.__holoroom as unknown as { pose?: { channel: { transportOf(id: number): string } } }
      ).pose?.channel.transportOf(id) ?? 'none',
    peer,
  );
}

/** Waits until both pages have a connected RTCPeerConnection and their pose channels use WebRTC to each other. */
export async function waitForWebRTC(a: Page, b: Page, timeoutMs = 90_000): Promise<void> {
  const [idA, idB] = [await selfId(a), await selfId(b)];
  await waitUntil(
    async () =>
      (await peerConnectionStates(a)).includes('connected') &&
      (await peerConnectionStates(b)).includes('connected') &&
      (await transportTo(a, idB)) === 'webrtc' &&
      (await transportTo(b, idA)) === 'webrtc',
    timeoutMs,
    async () =>
      `A: ${await peerConnectionStates(a)} ${await transportTo(a, idB)}; B: ${await peerConnectionStates(b)} ${await transportTo(b, idA)}`,
  );
}

/** Replaces the room's script through the page's own room document (setup, not the path under test). */
export async function setScript(page: Page, text: string): Promise<void> {
  await page.evaluate((script) => window.__holoroom?.session?.room.replaceScript(script), text);
}

export function frameCount(page: Page): Promise<number> {
  return page.evaluate(() => window.__holoroom?.frameStats?.frames ?? 0);
}

/** The desktop view's position (the person's eyes). */
export function viewPosition(page: Page): Promise<Vec3> {
  return page.evaluate(() => {
    const view = window.__holoroom?.view;
    return (view ? view.position.toArray() : [0, 0, 0]) as [number, number, number];
  });
}

// --- The emulated Meta Quest 3 (IWER, injected by harness/xr-headset.ts) ---------------------

interface EmulatedController {
  position: { set(x: number, y: number, z: number): void };
  quaternion: { set(x: number, y: number, z: number, w: number): void };
  updateButtonValue(id: string, value: number): void;
  updateAxes(id: string, x: number, y: number): void;
}

/** Puts the right controller's ray origin at a world point (converted into the XR origin's space). */
export async function moveRightController(page: Page, world: Vec3): Promise<void> {
  await page.evaluate((point) => {
    const device = (window as unknown as { __holoroomXRDevice: { controllers: { right: EmulatedController } } })
      .__holoroomXRDevice;
    const local = window.__holoroom?.toXRSpace(point) ?? point;
    device.controllers.right.position.set(local[0], local[1], local[2]);
    device.controllers.right.quaternion.set(0, 0, 0, 1);
  }, world);
}

export async function setRightButton(page: Page, button: 'squeeze' | 'trigger', value: number): Promise<void> {
  await page.evaluate(
    ({ id, v }) => {
      const device = (window as unknown as { __holoroomXRDevice: { controllers: { right: EmulatedController } } })
        .__holoroomXRDevice;
      device.controllers.right.updateButtonValue(id, v);
    },
    { id: button, v: value },
  );
}

/**
 * Pulls the right trigger for exactly one XR frame (pressed at one frame, let
 * go at the next): a click however slowly this machine renders.
 */
export async function clickRightTrigger(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const device = (window as unknown as { __holoroomXRDevice: { controllers: { right: EmulatedController } } })
          .__holoroomXRDevice;
        const session = window.__holoroom?.xrStore?.getState().session;
        if (!session) return reject(new Error('no XR session'));
        device.controllers.right.updateButtonValue('trigger', 1);
        // The press is applied at the start of the next XR frame; the release is set during it, for the one after.
        session.requestAnimationFrame(() => {
          session.requestAnimationFrame(() => {
            device.controllers.right.updateButtonValue('trigger', 0);
            session.requestAnimationFrame(() => resolve());
          });
        });
      }),
  );
}

interface EmulatedHand {
  position: { x: number; y: number; z: number; set(x: number, y: number, z: number): void };
  updatePinchValue(value: number): void;
}

type EmulatedDevice = {
  controllers: { left: EmulatedController; right: EmulatedController };
  hands: { right: EmulatedHand };
  primaryInputMode: 'controller' | 'hand';
};

/** Sets a controller's thumbstick (x right, y down, as gamepads report). */
export async function setStick(page: Page, hand: 'left' | 'right', x: number, y: number): Promise<void> {
  await page.evaluate(
    ({ which, sx, sy }) => {
      const device = (window as unknown as { __holoroomXRDevice: EmulatedDevice }).__holoroomXRDevice;
      device.controllers[which].updateAxes('thumbstick', sx, sy);
    },
    { which: hand, sx: x, sy: y },
  );
}

/** Aims the right controller: its ray turned down by `pitchDeg` (still facing the rig's forward). */
export async function pitchRightController(page: Page, pitchDeg: number): Promise<void> {
  await page.evaluate((deg) => {
    const device = (window as unknown as { __holoroomXRDevice: EmulatedDevice }).__holoroomXRDevice;
    const half = (-deg * Math.PI) / 360;
    device.controllers.right.quaternion.set(Math.sin(half), 0, 0, Math.cos(half));
  }, pitchDeg);
}

/** Switches the emulated device between controllers and tracked hands. */
export async function useInput(page: Page, mode: 'controller' | 'hand'): Promise<void> {
  await page.evaluate((m) => {
    (window as unknown as { __holoroomXRDevice: EmulatedDevice }).__holoroomXRDevice.primaryInputMode = m;
  }, mode);
}

/**
 * Puts the right hand so that a point of it that the page's XR input reports
 * (`read`: its grip, its fingertip; a few cm from the hand's own origin) is at
 * a world point: moves, reads the point back, corrects once.
 */
async function placeRightHand(
  page: Page,
  world: Vec3,
  read: (page: Page) => Promise<Vec3 | undefined>,
  what: string,
): Promise<void> {
  const place = (point: Vec3) =>
    page.evaluate((p) => {
      const device = (window as unknown as { __holoroomXRDevice: EmulatedDevice }).__holoroomXRDevice;
      const local = window.__holoroom?.toXRSpace(p) ?? p;
      device.hands.right.position.set(local[0], local[1], local[2]);
    }, point);
  await place(world);
  let seen: Vec3 | undefined;
  await waitUntil(
    async () => {
      seen = await read(page);
      return seen !== undefined && distance(seen, world) < 0.3;
    },
    30_000,
    () => `the hand's ${what} is at ${seen}`,
  );
  const corrected = world.map((v, i) => 2 * v - ((seen as Vec3)[i] as number)) as Vec3;
  await place(corrected);
  await waitUntil(
    async () => distance((await read(page)) ?? [9, 9, 9], world) < 0.03,
    30_000,
    async () => `the hand's ${what} is at ${await read(page)}, wanted ${world}`,
  );
}

/** Puts the right hand so that its grip (where grabbing happens) is at a world point. */
export function moveRightHandGrip(page: Page, world: Vec3): Promise<void> {
  return placeRightHand(page, world, rightGrip, 'grip');
}

/**
 * Puts the right hand so that its index fingertip is at a world point, with
 * the fingertip's offset from the hand measured once (`fingertipOffset`): the
 * hand jumps straight there, so no other point on its way is touched.
 */
export async function moveRightFingertip(page: Page, world: Vec3, offset: Vec3): Promise<void> {
  await page.evaluate(
    ({ p, o }) => {
      const device = (window as unknown as { __holoroomXRDevice: EmulatedDevice }).__holoroomXRDevice;
      const local = window.__holoroom?.toXRSpace(p) ?? p;
      device.hands.right.position.set(local[0] - o[0], local[1] - o[1], local[2] - o[2]);
    },
    { p: world, o: offset },
  );
  await waitUntil(
    async () => distance((await rightFingertip(page)) ?? [9, 9, 9], world) < 0.005,
    30_000,
    async () => `the fingertip is at ${await rightFingertip(page)}, wanted ${world}`,
  );
}

/** The right fingertip's offset from the emulated hand's position (in the XR origin's space), measured at `at`. */
export async function fingertipOffset(page: Page, at: Vec3): Promise<Vec3> {
  await placeRightHand(page, at, rightFingertip, 'fingertip');
  const tip = (await rightFingertip(page)) as Vec3;
  return page.evaluate((t) => {
    const device = (window as unknown as { __holoroomXRDevice: EmulatedDevice }).__holoroomXRDevice;
    const local = window.__holoroom?.toXRSpace(t) ?? t;
    const hand = device.hands.right.position;
    return [local[0] - hand.x, local[1] - hand.y, local[2] - hand.z] as Vec3;
  }, tip);
}

export async function pinchRight(page: Page, value: number): Promise<void> {
  await page.evaluate((v) => {
    (window as unknown as { __holoroomXRDevice: EmulatedDevice }).__holoroomXRDevice.hands.right.updatePinchValue(v);
  }, value);
}

/** The XR origin ("rig"): position and heading. */
export function xrRig(page: Page): Promise<{ position: Vec3; yaw: number } | undefined> {
  return page.evaluate(() => {
    const rig = window.__holoroom?.xr?.rig;
    return rig ? { position: rig.position.toArray() as [number, number, number], yaw: rig.yaw } : undefined;
  });
}

/** Where this page's XR input sees the right hand's grip (world). */
export function rightGrip(page: Page): Promise<Vec3 | undefined> {
  return page.evaluate(() => {
    const hand = window.__holoroom?.xr?.hands.right;
    return hand?.tracked ? (hand.grip.position.toArray() as [number, number, number]) : undefined;
  });
}

/** Where this page's XR input sees the right index fingertip (world), while a hand is tracked. */
function rightFingertip(page: Page): Promise<Vec3 | undefined> {
  return page.evaluate(() => {
    const hand = window.__holoroom?.xr?.hands.right;
    return hand?.fingertipTracked ? (hand.fingertip.toArray() as [number, number, number]) : undefined;
  });
}

export function holding(page: Page, grabber: string): Promise<string | undefined> {
  return page.evaluate((key) => window.__holoroom?.interaction.grabs.holding(key), grabber);
}

/**
 * Why a mouse press at object `id`'s screen point would not take it right now,
 * or undefined when the page's own pick at that point finds it. Each cause a
 * press under load has been suspected of, checked in the order a press meets
 * them: the renderer not drawing yet (ROOM6 holds a newcomer's first frames),
 * a panel over the spot (LOAD14 lays the panels out after the room is
 * interactive), a camera not where the view is, the object's drawn meshes not
 * where the object now is (moved since the last drawn frame), something else
 * in front of it.
 */
export async function pressBlocker(page: Page, id: string): Promise<string | undefined> {
  return page.evaluate((objectId) => {
    const room = window.__holoroom;
    if (!room) return 'the page has no room';
    if (room.frameStats.frames === 0) return 'no frame drawn yet: the renderer is held (ROOM6)';
    const viewer = room.sceneObjects.drawnBy();
    if (!viewer) return 'no renderer attached yet (ROOM6)';
    const object = room.sceneObjects.get(objectId as ObjectId);
    if (!object) return `${objectId} is not drawn`;
    const point = room.sceneObjects.screenPoint(objectId as ObjectId);
    if (!point) return `${objectId} is behind the camera`;
    const at = `at (${point.x.toFixed(0)}, ${point.y.toFixed(0)})`;
    const top = document.elementFromPoint(point.x, point.y);
    if (top !== viewer.canvas) {
      const label = top?.getAttribute('aria-label') ?? top?.textContent?.trim().slice(0, 40) ?? '';
      return `${at} a panel covers the 3D view: <${top?.tagName.toLowerCase()} class="${top?.className}"> "${label}" (LOAD14)`;
    }
    const camera = viewer.camera;
    const eyes = room.view.position;
    if (camera.position.distanceTo(eyes) > 1e-4) {
      return `${at} the camera is stale: at ${camera.position.toArray()} while the view is at ${eyes.toArray()}`;
    }
    let stale = '';
    object.traverse((child) => {
      if (stale || child === object || !child.parent) return;
      const expected = child.parent.matrixWorld.clone().multiply(child.matrix);
      if (!expected.equals(child.matrixWorld)) stale = child.type;
    });
    if (stale) return `${at} its drawn ${stale} is not where ${objectId} is: moved since the last drawn frame`;
    const pick = room.interaction.objects.pickAtScreen(point.x, point.y, camera, viewer.canvas);
    if (pick?.id !== objectId) return `${at} the page's pick finds ${pick?.id ?? 'no grabbable in front'}`;
    return undefined;
  }, id);
}

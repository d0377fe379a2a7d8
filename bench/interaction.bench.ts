/**
 * From a squeeze in one browser to the movement seen in another, over real
 * WebRTC (two browser contexts), side by side with the obvious alternative:
 *
 *   interaction.grab_to_remote_move_ms: A (emulated Quest 3, IWER) has its
 *     controller on a crate and squeezes; from the XR frame that applied the
 *     squeeze, A's hand moves the crate every frame; the time runs until B
 *     draws the crate moved (B's frame that drew it). The path: A's frame, the
 *     pose channel (60 Hz batches, WebRTC), B's playout delay, B's frame.
 *   interaction.local_move_to_remote_move_ms: the same from A's first frame that
 *     drew the crate moved (without A's wait for its next frame after the squeeze).
 *   interaction.doc_write_to_remote_move_ms: the same kind of move written to
 *     the room document (Yjs), as an app without a pose channel would, until B
 *     draws it.
 * Times on both sides are read on one clock (performance.timeOrigin + now, one
 * machine). TRIALS of each, alternating, bounded in time.
 *
 * And the cost of a held object moving at 60 Hz for 10 s (Node, the real
 * codecs): bytes per move as pose-channel entries, as room-document updates,
 * and how much each move grows the stored document (its history).
 */
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import type { ObjectId } from '../app/core/ids.ts';
import { PoseChannel } from '../app/pose/channel.ts';
import type { PoseLink } from '../app/pose/transports/link.ts';
import { BATCH_HEADER_BYTES, KIND_BATCH } from '../app/pose/wire/protocol.ts';
import { RoomDoc } from '../app/sync/doc/room-doc.ts';
import { launchBrowser, newContext, peerConnectionStates, waitUntil } from '../e2e/harness/browser.ts';
import { startServerProcess } from '../e2e/harness/server.ts';
import { object, peer } from '../testing/ids.ts';
import { median, p95 } from './harness/stats.ts';
import type { Benchmark } from './harness/types.ts';

const TRIALS = 10;
const SCRIPT = `composition "Grab bench" {
  object "Crate" @grabbable { geometry: "box"; position: [0, 1.2, 3]; scale: 0.3; color: "#ff00ff" }
  object "Slab" { geometry: "box"; position: [-2, 1.2, 3]; scale: 0.3; color: "#00ff00" }
}`;

type Vec3 = [number, number, number];

async function open(
  browser: Awaited<ReturnType<typeof launchBrowser>>,
  name: string,
  url: string,
  headset = false,
): Promise<Page> {
  const context = await newContext(browser, { name, headset });
  // tsx keeps function names by wrapping functions inside page.evaluate in a Node-only `__name` helper.
  await context.addInitScript('globalThis.__name ??= (fn) => fn;');
  const page = await context.newPage();
  await page.setViewportSize({ width: 800, height: 450 });
  await page.goto(url);
  await waitUntil(
    () =>
      page.evaluate(
        () => window.__holoroom?.interaction !== undefined && (window.__holoroom.frameStats?.frames ?? 0) > 3,
      ),
    60_000,
    () => `${name}'s room did not start`,
  );
  return page;
}

function drawn(page: Page, id: string): Promise<Vec3 | undefined> {
  return page.evaluate((objectId) => {
    const object = window.__holoroom?.sceneObjects?.get(objectId as ObjectId);
    if (!object) return undefined;
    object.updateWorldMatrix(true, false);
    const e = object.matrixWorld.elements;
    return [e[12], e[13], e[14]] as Vec3;
  }, id);
}

/**
 * In B: resolves with the clock time of B's first frame that draws `id` more
 * than 1 cm away from where it is now (bounded by `timeoutMs`).
 */
function watchMove(page: Page, id: string, timeoutMs: number): Promise<number> {
  return page.evaluate(
    ({ objectId, limit }) =>
      new Promise<number>((resolve, reject) => {
        const object = window.__holoroom?.sceneObjects?.get(objectId as ObjectId);
        const stats = window.__holoroom?.frameStats;
        if (!object || !stats) return reject(new Error('nothing to watch'));
        const start = object.position.clone();
        const deadline = performance.now() + limit;
        const check = () => {
          // Rendered frames write positions before drawing; `lastFrameAt` is the start of the frame that drew it.
          if (object.position.distanceTo(start) > 0.01) resolve(performance.timeOrigin + stats.lastFrameAt);
          else if (performance.now() > deadline) reject(new Error(`${objectId} never moved`));
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
    { objectId: id, limit: timeoutMs },
  );
}

/**
 * In A: squeezes, and from the XR frame that applied it moves the controller 2 cm per frame for 10 frames.
 * Resolves with the clock times of the XR frame that applied the squeeze and of the first frame that moved the crate.
 */
function squeezeAndMove(page: Page): Promise<{ squeezedAt: number; movedAt: number }> {
  return page.evaluate(
    () =>
      new Promise<{ squeezedAt: number; movedAt: number }>((resolve, reject) => {
        const controller = (
          window as unknown as {
            __holoroomXRDevice: {
              controllers: {
                right: {
                  position: { x: number; y: number; z: number; set(x: number, y: number, z: number): void };
                  updateButtonValue(id: string, value: number): void;
                };
              };
            };
          }
        ).__holoroomXRDevice.controllers.right;
        const session = window.__holoroom?.xrStore?.getState().session;
        const grabs = window.__holoroom?.interaction.grabs;
        if (!session || !grabs) return reject(new Error('not ready'));
        controller.updateButtonValue('squeeze', 1);
        const crate = window.__holoroom?.sceneObjects?.get('Crate' as ObjectId);
        if (!crate) return reject(new Error('no crate'));
        const start = crate.position.clone();
        let squeezedAt = 0;
        let movedAt = 0;
        let moves = 0;
        let frames = 0;
        const step = (time: number) => {
          frames++;
          if (squeezedAt === 0 && grabs.holding('xr-right') === 'Crate') squeezedAt = performance.timeOrigin + time;
          if (movedAt === 0 && crate.position.distanceTo(start) > 0.005) movedAt = performance.timeOrigin + time;
          if (squeezedAt !== 0) {
            const p = controller.position;
            controller.position.set(p.x + 0.02, p.y, p.z);
            moves++;
          }
          if (moves >= 10 && movedAt !== 0) resolve({ squeezedAt, movedAt });
          else if (frames > 600) {
            const xr = window.__holoroom?.xr;
            reject(
              new Error(
                `the squeeze never grabbed: ${JSON.stringify(grabs.stats)} pressed=${xr?.hands.right.pressed} grip=${xr?.hands.right.grip.position.toArray()} squeeze=${session.inputSources[0]?.gamepad?.buttons[1]?.value},${session.inputSources[1]?.gamepad?.buttons[1]?.value}`,
              ),
            );
          } else session.requestAnimationFrame(step);
        };
        session.requestAnimationFrame(step);
      }),
  );
}

const MOVES = 600;

/** One held object moving for 10 s at 60 Hz: bytes per move on the pose channel vs as room-document writes. */
export function bytesPerMove(): { pose: number; docUpdate: number; docGrowth: number } {
  const path = (i: number) => ({ x: Math.sin(i / 60) * 2, y: 1.2 + Math.sin(i / 20) * 0.1, z: Math.cos(i / 60) * 2 });
  const rotation = (i: number) => ({ x: 0, y: Math.sin(i / 120), z: 0, w: Math.cos(i / 120) });

  let now = 5000;
  const channel = new PoseChannel({
    selfId: peer(1),
    identity: () => ({ name: 'a', color: '#000000' }),
    clock: { now: () => now },
  });
  let poseBytes = 0;
  const link: PoseLink = {
    kind: 'webrtc',
    peerId: peer(2),
    send: (bytes) => {
      if (bytes[1] === KIND_BATCH) poseBytes += bytes.length - BATCH_HEADER_BYTES;
      return true;
    },
  };
  channel.linkUp(link);
  channel.tick();
  poseBytes = 0;
  for (let i = 0; i < MOVES; i++) {
    now += 1000 / 60;
    channel.streamObject(object('Shelf/crate'), path(i), rotation(i));
    channel.tick();
  }

  const doc = new Y.Doc();
  const room = new RoomDoc(doc);
  room.setTransform(object('Shelf/crate'), { position: [0, 1.2, 2], rotation: [0, 0, 0], scale: [1, 1, 1] });
  const before = Y.encodeStateAsUpdate(doc).length;
  let updateBytes = 0;
  doc.on('update', (update: Uint8Array) => {
    updateBytes += update.length;
  });
  for (let i = 0; i < MOVES; i++) {
    const p = path(i);
    room.setTransform(object('Shelf/crate'), {
      position: [p.x, p.y, p.z],
      rotation: [0, (i / 60) * 57.3, 0],
      scale: [1, 1, 1],
    });
  }
  return {
    pose: poseBytes / MOVES,
    docUpdate: updateBytes / MOVES,
    docGrowth: (Y.encodeStateAsUpdate(doc).length - before) / MOVES,
  };
}

const interaction: Benchmark = async () => {
  const bytes = bytesPerMove();
  const server = await startServerProcess();
  const browser = await launchBrowser();
  try {
    const url = `${server.url}/r/benchgrab${Date.now().toString(36)}?seed=off`;
    const a = await open(browser, 'Alice', url, true);
    const b = await open(browser, 'Bob', url);
    await a.evaluate((script) => window.__holoroom?.session?.room.replaceScript(script), SCRIPT);
    await waitUntil(
      async () => (await drawn(b, 'Slab')) !== undefined,
      30_000,
      () => 'B has no scene',
    );
    const aliceId = await a.evaluate(() => window.__holoroom?.interaction.selfId ?? 0);
    const transport = () =>
      b.evaluate(
        (id) =>
          (
            window.__holoroom as unknown as { pose?: { channel: { transportOf(id: number): string } } }
          ).pose?.channel.transportOf(id),
        aliceId,
      );
    await waitUntil(
      async () => (await peerConnectionStates(b)).includes('connected') && (await transport()) === 'webrtc',
      90_000,
      () => 'no WebRTC between the two',
    );
    await a.getByRole('button', { name: 'Enter VR' }).click();
    await waitUntil(
      () => a.evaluate(() => (window.__holoroom?.frameStats?.xrFrames ?? 0) > 10),
      60_000,
      () => 'A not in VR',
    );

    const grabMs: number[] = [];
    const moveMs: number[] = [];
    const docMs: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      // The crate where it lies now; A's controller on it.
      const crate = (await drawn(a, 'Crate')) as Vec3;
      await a.evaluate((point) => {
        const device = (
          window as unknown as {
            __holoroomXRDevice: {
              controllers: { right: { position: { set(x: number, y: number, z: number): void } } };
            };
          }
        ).__holoroomXRDevice;
        const local = window.__holoroom?.toXRSpace(point) ?? point;
        device.controllers.right.position.set(local[0], local[1], local[2]);
      }, crate);
      await waitUntil(
        () =>
          a.evaluate((point) => {
            const grip = window.__holoroom?.xr?.hands.right.grip.position;
            return grip !== undefined && Math.hypot(grip.x - point[0], grip.y - point[1], grip.z - point[2]) < 0.1;
          }, crate),
        30_000,
        () => 'controller did not reach the crate',
      );
      const seen = watchMove(b, 'Crate', 60_000);
      seen.catch(() => {});
      const { squeezedAt, movedAt } = await squeezeAndMove(a);
      const seenAt = await seen;
      grabMs.push(seenAt - squeezedAt);
      moveMs.push(seenAt - movedAt);
      console.log(
        `trial ${trial}: squeeze to remote move ${(seenAt - squeezedAt).toFixed(0)} ms, local move to remote ${(seenAt - movedAt).toFixed(0)} ms`,
      );
      await a.evaluate(() =>
        (
          window as unknown as {
            __holoroomXRDevice: { controllers: { right: { updateButtonValue(id: string, v: number): void } } };
          }
        ).__holoroomXRDevice.controllers.right.updateButtonValue('squeeze', 0),
      );
      await waitUntil(
        () => b.evaluate(() => window.__holoroom?.session?.room.getObjectState('Crate')?.owner === null),
        30_000,
        () => 'no release',
      );

      // The alternative: the move written to the room document.
      const slabSeen = watchMove(b, 'Slab', 60_000);
      const written = await a.evaluate((step) => {
        const room = window.__holoroom?.session?.room;
        const y = 1.2 + ((step % 5) + 1) * 0.1;
        const at = performance.timeOrigin + performance.now();
        room?.setTransform('Slab' as ObjectId, { position: [-2, y, 3], rotation: [0, 0, 0], scale: [0.3, 0.3, 0.3] });
        return at;
      }, trial);
      docMs.push((await slabSeen) - written);
    }
    const aFrames = await a.evaluate(() => window.__holoroom?.frameStats?.xrFrames ?? 0);
    const playout = await b.evaluate(
      (id) =>
        (
          window.__holoroom as unknown as {
            pose?: { channel: { stats(): { id: number; playoutDelayMs: number; rateHz: number }[] } };
          }
        ).pose?.channel
          .stats()
          .find((peer) => peer.id === id),
      aliceId,
    );
    return {
      'interaction.grab_to_remote_move_ms': median(grabMs),
      'interaction.grab_to_remote_move_p95_ms': p95(grabMs),
      'interaction.doc_write_to_remote_move_ms': median(docMs),
      'interaction.doc_write_to_remote_move_p95_ms': p95(docMs),
      'interaction.local_move_to_remote_move_ms': median(moveMs),
      'interaction.local_move_to_remote_move_p95_ms': p95(moveMs),
      'interaction.pose_bytes_per_move': bytes.pose,
      'interaction.doc_update_bytes_per_move': bytes.docUpdate,
      'interaction.doc_growth_bytes_per_move': bytes.docGrowth,
      'interaction.trials': grabMs.length,
      'interaction.a_xr_frames': aFrames,
      'interaction.b_playout_delay_ms': playout?.playoutDelayMs ?? Number.NaN,
      'interaction.b_received_rate_hz': playout?.rateHz ?? Number.NaN,
    };
  } finally {
    await browser.close();
    await server.stop();
  }
};

export default interaction;

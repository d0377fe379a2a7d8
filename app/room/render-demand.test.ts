// [ROOM5] Render on demand: the scheduler on its own (explicit times), then two
// rooms in Node against the real server (loopback, port 0) driven as
// RoomFrame.tsx drives a page: each display frame draws only if
// `room.wantsFrame(now)`, else `room.idle()`.
import { Object3D, Quaternion, Vector3 } from 'three';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/helpers.ts';
import { object, room as roomId } from '../../testing/ids.ts';
import { openNodeRoom } from '../../testing/room/node-room.ts';
import { createPose } from '../interaction/pose.ts';
import type { Room } from './open-room.ts';
import { followDrawingContext, RenderDemand, WAKE_MS, WAKE_SETTLE_MS } from './render-demand.ts';

describe('RenderDemand', () => {
  it('[ROOM5] a wake draws for WAKE_MS, then the room idles and counts the frames it left undrawn', () => {
    const demand = new RenderDemand();
    expect(demand.wants(0, undefined)).toBe(false);
    demand.wake('input', 100);
    expect(demand.wants(100, undefined)).toBe(true);
    expect(demand.wants(100 + WAKE_MS - 1, undefined)).toBe(true);
    expect(demand.wants(100 + WAKE_MS, undefined)).toBe(false);
    // A later wake extends the window; an earlier one never shortens it.
    demand.wake('document', 1000);
    demand.wake('pose', 900);
    expect(demand.wants(1000 + WAKE_MS - 1, undefined)).toBe(true);
    expect(demand.wants(1000 + WAKE_MS, undefined)).toBe(false);
    expect(demand.idleFrames).toBe(3);
    expect(demand.counts).toMatchObject({ input: 1, document: 1, pose: 1 });
  });

  it('[ROOM5] with frames slower than WAKE_MS, a wake still gets a frame drawn WAKE_SETTLE_MS after it (the last remote pose, not its interpolation)', () => {
    const demand = new RenderDemand();
    demand.wake('pose', 0);
    // The only display frame in the window comes at once: its render time is still before the pose.
    expect(demand.wants(10, undefined)).toBe(true);
    // The next one comes 700 ms later (software GL under load): drawn, so the pose itself is on screen.
    expect(demand.wants(700, undefined)).toBe(true);
    expect(demand.wants(1400, undefined)).toBe(false);
    // A frame late in the window serves the wake: nothing more after it.
    demand.wake('pose', 2000);
    expect(demand.wants(2000 + WAKE_SETTLE_MS, undefined)).toBe(true);
    expect(demand.wants(2000 + WAKE_MS + 200, undefined)).toBe(false);
  });

  it('[ROOM5] a wanted frame that a joining page held back (ROOM4) stays owed for WAKE_MS', () => {
    const demand = new RenderDemand();
    demand.wake('start', 0);
    // Held from 0 to 900 ms (the newcomer's first second): the start's wake would have run out at 500.
    for (let t = 0; t <= 800; t += 100) if (demand.wants(t, undefined)) demand.owe(t);
    expect(demand.wants(800 + WAKE_MS - 1, undefined)).toBe(true);
    expect(demand.wants(800 + WAKE_MS, undefined)).toBe(false);
  });

  it('[ROOM5] something moving on its own draws every frame, however long after the last wake', () => {
    const demand = new RenderDemand();
    for (let t = 0; t < 10_000; t += 16) expect(demand.wants(t, 'animation')).toBe(true);
    expect(demand.idleFrames).toBe(0);
    expect(demand.counts.animation).toBe(625);
    expect(demand.wants(10_000, undefined)).toBe(false);
  });

  it('[LOAD40] a restored context is wanted every display frame until a frame is drawn into it, however long that takes; then the room idles again', () => {
    const demand = new RenderDemand();
    demand.restored(1000);
    expect(demand.counts.restore).toBe(1);
    // The first frame after a restore compiles every shader: on a slow machine nothing is drawn for seconds.
    for (let t = 1000; t < 20_000; t += 250) expect(demand.wants(t, undefined)).toBe(true);
    expect(demand.restoresDrawn).toBe(0);
    demand.drawn();
    expect(demand.restoresDrawn).toBe(1);
    expect(demand.wants(20_000, undefined)).toBe(false);
    // A frame drawn with no restore owed counts nothing.
    demand.drawn();
    expect(demand.restoresDrawn).toBe(1);
  });

  it('[LOAD40] a frame drawn early in the window serves the restore; the window itself still runs its course', () => {
    const demand = new RenderDemand();
    demand.restored(0);
    expect(demand.wants(16, undefined)).toBe(true);
    demand.drawn();
    expect(demand.wants(WAKE_MS - 1, undefined)).toBe(true);
    expect(demand.wants(WAKE_MS, undefined)).toBe(false);
  });

  it('[LOAD40] a context lost again before anything was drawn into it asks for no frames until it is restored', () => {
    const demand = new RenderDemand();
    demand.restored(0);
    demand.lost();
    // Only the restore's wake is left (ROOM5: its window and its settled frame), which a lost context draws nothing in.
    expect(demand.wants(WAKE_SETTLE_MS, undefined)).toBe(true);
    expect(demand.wants(10_000, undefined)).toBe(false);
    demand.restored(20_000);
    expect(demand.wants(20_000 + WAKE_SETTLE_MS, undefined)).toBe(true);
    expect(demand.wants(30_000, undefined)).toBe(true);
    expect(demand.counts.restore).toBe(2);
  });

  it("[LOAD40] followDrawingContext tells the demand of the canvas's context loss and restore, until undone", () => {
    const demand = new RenderDemand();
    const canvas = new EventTarget();
    const stop = followDrawingContext(canvas, demand);
    canvas.dispatchEvent(new Event('webglcontextlost'));
    canvas.dispatchEvent(new Event('webglcontextrestored'));
    expect(demand.counts.restore).toBe(1);
    expect(demand.wants(performance.now() + 60_000, undefined)).toBe(true);
    canvas.dispatchEvent(new Event('webglcontextlost'));
    expect(demand.wants(performance.now() + 60_000, undefined)).toBe(false);
    stop();
    canvas.dispatchEvent(new Event('webglcontextrestored'));
    expect(demand.counts.restore).toBe(1);
    expect(demand.wants(performance.now() + 60_000, undefined)).toBe(false);
  });
});

const FRAME_MS = 10;
const SCRIPT = 'object "Crate" @grabbable { position: [0, 1, 0] }';

let server: TestServer;
const rooms: Room[] = [];
afterEach(async () => {
  for (const room of rooms.splice(0)) room.destroy();
  await server?.close();
});

function open(name: string): ReturnType<typeof openNodeRoom> {
  const opened = openNodeRoom(server, roomId('renderdemand1'), name);
  rooms.push(opened.room);
  return opened;
}

/** One display frame of every room, as RoomFrame.tsx runs it; returns which rooms drew. */
function displayFrame(): boolean[] {
  return rooms.map((room) => {
    const now = performance.now();
    if (room.wantsFrame(now)) {
      room.frame(now);
      return true;
    }
    room.idle();
    return false;
  });
}

/** Runs display frames until `done()` or the time is up. */
async function runUntil(done: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const start = performance.now();
  while (!done()) {
    if (performance.now() - start > timeoutMs) throw new Error(`not reached in ${timeoutMs} ms: ${describe()}`);
    displayFrame();
    await new Promise((resolve) => setTimeout(resolve, FRAME_MS));
  }
}

/** Runs display frames until `room` has left this many frames in a row undrawn. */
async function untilIdle(room: Room, frames = 10): Promise<void> {
  let still = 0;
  const index = rooms.indexOf(room);
  await runUntil(
    () => {
      if (!displayFrame()[index]) still++;
      else still = 0;
      return still >= frames;
    },
    10_000,
    () => `still drawing: ${JSON.stringify(room.demand.counts)}`,
  );
}

/** Runs display frames for `ms` and counts the frames `room` drew. */
async function drawnDuring(room: Room, ms: number): Promise<number> {
  const index = rooms.indexOf(room);
  let drawn = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (displayFrame()[index]) drawn++;
    await new Promise((resolve) => setTimeout(resolve, FRAME_MS));
  }
  return drawn;
}

describe('a room that draws on demand', () => {
  it('[ROOM5] idles when still; a peer’s document change, a peer’s moving pose, an animated object, a hold and a moved view each wake it', async () => {
    server = await startTestServer();
    const a = open('Ann').room;
    const { room: b, camera: bCamera } = open('Bob');
    b.session.room.replaceScript(SCRIPT);
    await runUntil(
      () =>
        a.scene.view.get().model?.byId.has(object('Crate')) === true &&
        a.pose.channel.peerList.get().length === 1 &&
        b.pose.channel.peerList.get().length === 1,
      10_000,
      () => `A builds ${a.scene.view.get().phase}, peers ${a.pose.channel.peerList.get().length}`,
    );

    // Still: A draws nothing at all over a second, while its channel keeps ticking.
    await untilIdle(a);
    const ticksBefore = a.pose.channel.counters.messagesOut;
    expect(await drawnDuring(a, 1000)).toBe(0);
    expect(a.pose.channel.counters.messagesOut).toBeGreaterThan(ticksBefore);

    // A peer edits the document: A wakes and draws, then idles again.
    const documentWakes = a.demand.counts.document;
    b.session.room.replaceScript(`${SCRIPT}\nobject "Lamp" { position: [1, 1, 0] }`);
    await runUntil(
      () => a.demand.counts.document > documentWakes,
      10_000,
      () => 'the edit reached A',
    );
    expect(await drawnDuring(a, WAKE_MS / 2)).toBeGreaterThan(0);
    await untilIdle(a);

    // B's head moves (B draws a frame, as its own input would make it): A wakes on the changed pose.
    const poseWakes = a.demand.counts.pose;
    bCamera.position.set(2, 1.6, 3);
    bCamera.updateMatrixWorld();
    await runUntil(
      () => {
        b.frame(performance.now());
        return a.demand.counts.pose > poseWakes;
      },
      10_000,
      () => 'B’s new pose reached A',
    );
    await untilIdle(a);
    // B, whose head no longer moves, does not wake A again.
    const afterMove = a.demand.counts.pose;
    expect(await drawnDuring(a, 1000)).toBe(0);
    expect(a.demand.counts.pose).toBe(afterMove);

    // An animated object draws every frame while it is there.
    const spinner = new Object3D();
    const stop = a.behaviours.addMotion(
      'Spinner',
      spinner,
      { position: [0, 0, 0], rotation: [0, 0, 0], scale: [1, 1, 1] },
      {
        kind: 'spin',
        axis: 'y',
        speed: 1,
        amplitude: 1,
      },
    );
    const animated = await drawnDuring(a, 600);
    stop();
    expect(animated).toBeGreaterThan(20);
    expect(a.demand.counts.animation).toBeGreaterThanOrEqual(animated);
    await untilIdle(a);

    // A hold moves per frame: drawn until it is let go.
    const crate = createPose();
    const hand = createPose();
    hand.position.set(0, 1, 0.5);
    const group = new Object3D();
    group.position.set(0, 1, 0);
    group.userData = { sceneId: 'Crate', grabbable: true };
    new Object3D().add(group);
    a.objects.add(object('Crate'), group);
    expect(a.interaction.objects.worldPose(object('Crate'), crate)).toBe(true);
    expect(a.interaction.grabs.grab('pointer', object('Crate'), hand, crate)).toBe('held');
    hand.quaternion.copy(new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), 0.5));
    a.interaction.grabs.move('pointer', hand);
    const held = await drawnDuring(a, 600);
    expect(held).toBeGreaterThan(20);
    expect(a.demand.counts.interaction).toBeGreaterThan(0);
    a.interaction.grabs.release('pointer', false);
    await untilIdle(a);

    // The desktop view moved by something other than input (a placement): drawn, so the head goes out.
    const viewWakes = a.demand.counts.view;
    a.view.position.x += 1;
    expect(await drawnDuring(a, WAKE_MS / 2)).toBeGreaterThan(0);
    expect(a.demand.counts.view).toBe(viewWakes + 1);
    await untilIdle(a);
  }, 60_000);
});

// [ROOM6] While a page holds its renderer back, the room's frames run on a
// timer (`Room.holdFrames`, app/room/headless-frames.ts): the pose channel
// ticks and this person's pose reaches the other page before any renderer
// exists. The renderer's first display frame (`frame()` or `idle()`) ends
// them: from then on only the renderer runs frames. Rooms opened in Node
// against the real server (poses over its relay); the test plays the renderer
// of Ann's room throughout and of Bob's at the hand-over.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/helpers.ts';
import { room as roomId } from '../../testing/ids.ts';
import { openNodeRoom } from '../../testing/room/node-room.ts';
import { TICK_MS } from '../pose/wire/time.ts';
import type { Room } from './open-room.ts';

let server: TestServer;
const rooms: Room[] = [];
afterEach(async () => {
  for (const room of rooms.splice(0)) room.destroy();
  await server?.close();
});

function open(name: string) {
  const opened = openNodeRoom(server, roomId('heldframes1'), name);
  rooms.push(opened.room);
  return opened;
}

/** Waits (stepping `drawn`'s frames as its renderer would) until `done()`, for at most `timeoutMs`. */
async function until(drawn: Room[], done: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const start = performance.now();
  while (!done()) {
    if (performance.now() - start > timeoutMs) throw new Error(`not reached in ${timeoutMs} ms: ${what()}`);
    for (const room of drawn) room.frame(performance.now());
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Lets the page's timers run for `frames` send windows. */
const windows = (frames: number) => new Promise((resolve) => setTimeout(resolve, frames * TICK_MS));

/** Whether `room` has decoded a pose batch from the peer named `name`. */
function heardFrom(room: Room, name: string): boolean {
  const peer = room.pose.channel.peerList.get().find((entry) => entry.name === name);
  const remote = peer && room.pose.channel.peers.get(peer.id);
  return remote !== undefined && Object.keys(remote.firstBatchAt).length > 0;
}

describe('held frames', () => {
  it('[ROOM6] a page holding its renderer sends its pose on timer frames; its renderer’s first frame ends them', async () => {
    server = await startTestServer();
    const ann = open('Ann');
    const bob = open('Bob');
    bob.room.holdFrames();
    // Only Ann's frames are stepped here: Bob's pose can reach her only from his held frames.
    await until(
      [ann.room],
      () => heardFrom(ann.room, 'Bob'),
      10_000,
      () => `Bob's held frames: ${bob.room.stats.heldFrames}`,
    );
    expect(bob.room.stats.heldFrames).toBeGreaterThan(0);
    // Held frames are not drawn frames: no `first_frame`, nothing counted as drawn.
    expect(bob.room.stats.frames).toBe(0);
    expect(bob.room.timeline.at('first_frame')).toBeUndefined();

    // The hand-over, as RoomFrame does it: the renderer attaches its camera, then runs its first frame.
    bob.room.attach({ camera: bob.camera });
    bob.room.frame(performance.now());
    const held = bob.room.stats.heldFrames;
    await windows(6);
    expect(bob.room.stats.heldFrames).toBe(held);
    expect(bob.room.stats.frames).toBe(1);
    expect(bob.room.timeline.at('first_frame')).toBeDefined();
    // Once the renderer runs the frames, nothing starts the timer again.
    bob.room.holdFrames();
    await windows(6);
    expect(bob.room.stats.heldFrames).toBe(held);
  });

  it('[ROOM6] a display frame the renderer does not draw (idle) ends held frames too', async () => {
    server = await startTestServer();
    const { room } = open('Ann');
    room.holdFrames();
    await until(
      [],
      () => room.stats.heldFrames >= 2,
      5_000,
      () => `held frames: ${room.stats.heldFrames}`,
    );
    room.idle();
    const held = room.stats.heldFrames;
    await windows(6);
    expect(room.stats.heldFrames).toBe(held);
  });
});

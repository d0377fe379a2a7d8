// [DRAW9] A frame is drawn once the GPU has finished the last one: the gate on
// its own with a fence the test signals (explicit times), then a room in Node
// against the real server (loopback, port 0) driven as RoomFrame.tsx drives a
// page, whose display frames the GPU holds back still sample and send poses.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/helpers.ts';
import { room as roomId } from '../../testing/ids.ts';
import { openNodeRoom } from '../../testing/room/node-room.ts';
import { PART_HEAD } from '../pose/wire/protocol.ts';
import { JOIN_WINDOW_MS } from './frame-pacing.ts';
import { GPU_WAIT_MAX_MS, type GpuFence, GpuGate } from './gpu-gate.ts';
import type { Room } from './open-room.ts';
import { RenderDemand, WAKE_MS, WAKE_SETTLE_MS } from './render-demand.ts';

/** A fence the test signals: `done` says whether the GPU ran up to the last mark. */
function testFence(): GpuFence & { done: boolean; placed: number; polls: number } {
  return {
    done: true,
    placed: 0,
    polls: 0,
    place() {
      this.placed++;
      this.done = false;
    },
    passed() {
      this.polls++;
      return this.done;
    },
  };
}

const DISPLAY_MS = 1000 / 60;
/** Display frames in whole milliseconds where times are compared with the bound. */
const FRAME_MS = 16;

describe('GpuGate', () => {
  it('[DRAW9] after a drawn frame no frame is drawn until its fence has passed', () => {
    const gate = new GpuGate();
    const fence = testFence();
    gate.use(fence);
    expect(gate.open(0)).toBe(true);
    gate.drawn(0);
    expect(fence.placed).toBe(1);
    expect(gate.open(DISPLAY_MS)).toBe(false);
    expect(gate.open(2 * DISPLAY_MS)).toBe(false);
    fence.done = true;
    expect(gate.open(3 * DISPLAY_MS)).toBe(true);
    gate.drawn(3 * DISPLAY_MS);
    expect(gate.open(4 * DISPLAY_MS)).toBe(false);
  });

  it('[DRAW9] the wait is bounded: GPU_WAIT_MAX_MS after a drawn frame the next is drawn, passed or not', () => {
    const gate = new GpuGate();
    const fence = testFence();
    gate.use(fence);
    gate.drawn(1000);
    expect(gate.open(1000 + GPU_WAIT_MAX_MS - 1)).toBe(false);
    const polls = fence.polls;
    expect(gate.open(1000 + GPU_WAIT_MAX_MS)).toBe(true);
    // Past the bound the fence is not even asked.
    expect(fence.polls).toBe(polls);
    expect(fence.done).toBe(false);
  });

  it('[DRAW9] without a fence (no renderer yet) every frame may draw, and a fence given up holds nothing back', () => {
    const gate = new GpuGate();
    gate.drawn(0);
    expect(gate.open(1)).toBe(true);
    const fence = testFence();
    // The renderer unmounted.
    const gone = new GpuGate();
    gone.use(fence);
    gone.drawn(0);
    gone.use(undefined);
    expect(gone.open(1)).toBe(true);
  });
});

let server: TestServer;
const rooms: Room[] = [];
afterEach(async () => {
  for (const room of rooms.splice(0)) room.destroy();
  await server?.close();
});

/** Lets the room's timers and sockets run for `ms`. */
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a room whose GPU is still on the last frame', () => {
  it('[DRAW9] wanted display frames are not drawn while the fence is pending (counted in gpuWaits), yet sample and send the pose; drawn again once it passes or at the bound', async () => {
    server = await startTestServer();
    const { room, camera } = openNodeRoom(server, roomId('gpugate1'), 'Ann');
    const bob = openNodeRoom(server, roomId('gpugate1'), 'Bob').room;
    rooms.push(room, bob);
    // Someone to send to: Ann's channel knows Bob (over the server's relay) before her frames below.
    for (let i = 0; i < 500 && room.pose.channel.peerList.get().length === 0; i++) {
      room.idle();
      bob.idle();
      await pause(10);
    }
    expect(room.pose.channel.peerList.get().length).toBe(1);
    const fence = testFence();
    room.gpu.use(fence);
    // The renderer's display loop, as RoomFrame.tsx runs it.
    const displayFrame = (now: number): boolean | 'gpu' => {
      room.demand.wake('input', now);
      const drawn = room.drawsFrame(now);
      if (drawn === 'gpu') room.gpuWait(now);
      else if (drawn) {
        room.frame(now);
        room.gpu.drawn(now);
      } else room.idle();
      return drawn;
    };
    // Past a newcomer's first moments, which ROOM4 holds back (no WebRTC here).
    const start = Math.round(performance.now()) + JOIN_WINDOW_MS;
    expect(displayFrame(start)).toBe(true);
    expect(room.stats.frames).toBe(1);

    // The GPU never finishes within the frames below: they run their steps, nothing is drawn.
    const head = room.pose.channel.entities.positionVersion;
    const sent = room.pose.channel.counters.messagesOut;
    const versions = head[PART_HEAD] ?? 0;
    let now = start;
    for (let i = 0; i < 6; i++) {
      await pause(FRAME_MS);
      bob.idle();
      camera.position.x += 0.5;
      now = start + (i + 1) * FRAME_MS;
      expect(displayFrame(now)).toBe('gpu');
    }
    expect(room.stats.frames).toBe(1);
    expect(room.stats.gpuWaits).toBe(6);
    // Every held-back frame put the moved head into the channel, and the channel kept sending.
    expect((head[PART_HEAD] ?? 0) - versions).toBe(6);
    expect(room.pose.channel.counters.messagesOut).toBeGreaterThan(sent);

    // The fence passed: the next display frame is drawn.
    fence.done = true;
    now += FRAME_MS;
    expect(displayFrame(now)).toBe(true);
    expect(room.stats.frames).toBe(2);

    // A fence that never passes holds frames back for GPU_WAIT_MAX_MS at most.
    const drawnAt = now;
    const waits = room.stats.gpuWaits;
    let held = 0;
    while (now + FRAME_MS < drawnAt + GPU_WAIT_MAX_MS) {
      now += FRAME_MS;
      expect(displayFrame(now)).toBe('gpu');
      held++;
    }
    expect(held).toBeGreaterThanOrEqual(10);
    expect(room.stats.gpuWaits - waits).toBe(held);
    expect(displayFrame(drawnAt + GPU_WAIT_MAX_MS)).toBe(true);
    expect(room.stats.frames).toBe(3);
  });
});

describe('render demand and the GPU', () => {
  it('[DRAW9] a wake is served by a drawn frame, not by one the GPU held back (ROOM5 stays true to what is on screen)', () => {
    const demand = new RenderDemand();
    demand.wake('pose', 0);
    // Drawn at once: its render time is still before the pose (WAKE_SETTLE_MS).
    expect(demand.wants(10, undefined)).toBe(true);
    // Every later display frame in the window was held back by the GPU.
    for (let t = 10 + DISPLAY_MS; t < WAKE_MS; t += DISPLAY_MS) {
      expect(demand.wants(t, undefined)).toBe(true);
      demand.defer();
    }
    // The window closed, but no drawn frame showed the pose itself: one more is wanted.
    expect(WAKE_SETTLE_MS).toBeGreaterThan(10);
    expect(demand.wants(WAKE_MS + 1, undefined)).toBe(true);
    expect(demand.wants(WAKE_MS + 2, undefined)).toBe(false);
  });
});

// Two rooms opened in Node against the real server (loopback, port 0; poses over
// the server's relay WebSocket): shared physics with no React and no DOM. The
// test plays the renderer's part (registers drawn objects, calls room.frame()).
// Frames are stepped on a clock of the test's own, one 1/60 s step per frame, and
// hands are timed by it too: what the simulation does (a throw's speed, how many
// steps a frame takes) does not depend on how busy the machine is. Only the network
// between the rooms and loading run on the wall clock, and while a test's setup waits
// for them the test's clock stands still: every test starts from the scene as written.
import { Group, Object3D, Vector3 } from 'three';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/helpers.ts';
import { object, room as roomId } from '../../testing/ids.ts';
import { loadLaterHost } from '../../testing/physics/later-host.ts';
import { openNodeRoom } from '../../testing/room/node-room.ts';
import { createPose, type Pose } from '../interaction/pose.ts';
import type { Room, RoomOptions } from '../room/open-room.ts';
import { presenceRoleOf } from '../sync/presence.ts';
import { createProtectedRoom } from '../sync/roles/credential-keys.ts';
import { type RoomCredential, readRoleLink } from '../sync/roles/room-credential.ts';
import { loadSessionKey } from '../sync/roles/session-key.ts';
import { InProcessHost } from './engine/hosts.ts';
import { MODE_FOLLOW_REMOTE, STEP_SECONDS } from './engine/simulation.ts';
import { loadPhysicsEngine } from './load-engine.ts';
import type { RoomPhysics } from './room-physics.ts';

/** Wall-clock pause between frames: lets the network and the server run. */
const FRAME_PAUSE_MS = 10;
/** The test's clock advances by one fixed step per frame (PHYS7). */
const FRAME_MS = 1000 / 60;
const BOX = object('Box');

let server: TestServer;
const rooms: Room[] = [];
/** The renderer's clock of every room in a test (RoomOptions.now), in ms. */
let clock = 0;
const now = () => clock;
afterEach(async () => {
  for (const room of rooms.splice(0)) room.destroy();
  await server?.close();
  clock = 0;
});

/** Where the rooms of the running test simulate (PHYS9). */
let physicsHost: RoomOptions['physicsHost'];

function open(name: string): Room {
  const { room } = openNodeRoom(server, roomId('physics1'), name, { now, ...(physicsHost ? { physicsHost } : {}) });
  rooms.push(room);
  return room;
}

/** What the renderer does for the box: one group per drawn node, registered by id. */
function drawBox(room: Room, at: Vector3): Group {
  const group = new Group();
  group.position.copy(at);
  group.userData = { sceneId: 'Box', grabbable: true, throwable: true };
  new Object3D().add(group);
  room.objects.add(BOX, group);
  return group;
}

/**
 * Steps every room's frame (as R3F would), 1/60 s apart on the test's clock, until `done()` or
 * `timeoutMs` of wall-clock time is up. `each` runs after every frame, at the frame's time.
 */
function stepUntil(
  done: () => boolean,
  timeoutMs: number,
  describe: () => string,
  each?: () => void,
  /** Draw only the display frames a room wants (ROOM5), as RoomFrame.tsx does; the others idle. */
  onDemand = false,
): Promise<void> {
  return runFrames(FRAME_MS, done, timeoutMs, describe, each, onDemand);
}

/**
 * Runs every room's frame with the test's clock standing still, until `done()` or `timeoutMs` of
 * wall-clock time is up: the network, the server and loading go on, the simulation does not (a frame
 * of 0 ms takes no fixed step). For setup that waits on the wall clock, so that a test starts from the
 * scene as written however long the engine took to load or the scene to reach the other room.
 */
function settleUntil(done: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  return runFrames(0, done, timeoutMs, describe);
}

async function runFrames(
  frameMs: number,
  done: () => boolean,
  timeoutMs: number,
  describe: () => string,
  each?: () => void,
  onDemand = false,
): Promise<void> {
  const start = performance.now();
  while (!done()) {
    if (performance.now() - start > timeoutMs) throw new Error(`not reached in ${timeoutMs} ms: ${describe()}`);
    clock += frameMs;
    for (const room of rooms) {
      if (!onDemand || room.wantsFrame(performance.now())) room.frame(clock);
      else room.idle();
    }
    each?.();
    await new Promise((resolve) => setTimeout(resolve, FRAME_PAUSE_MS));
  }
}

/**
 * A throw: grabs the box in `room` with a hand at (0, 1, 0.3), moves the hand `dx` across and `dy` up
 * a frame for `frames` frames on the test's clock, and lets go.
 */
async function throwBox(room: Room, frames: number, dx: number, dy: number, what: string): Promise<void> {
  const hand = createPose();
  hand.position.set(0, 1, 0.3);
  expect(room.interaction.grabs.grab('pointer', BOX, hand, pose(room))).toBe('held');
  let t = 0;
  await stepUntil(
    () => t >= frames,
    5_000,
    () => what,
    () => {
      t++;
      hand.position.set(t * dx, 1 + t * dy, 0.3);
      room.interaction.grabs.move('pointer', hand);
    },
  );
  room.interaction.grabs.release('pointer');
}

/**
 * PHYS5's "no jump": faster than the box can move (m/s). Thrown up at 4.2 m/s from about a metre, it peaks
 * near 2.5 m and lands at about 7 m/s; a jump (to the document's pose, back to where the stream began)
 * is a metre or more in one frame.
 */
const MAX_BOX_SPEED = 8;

/**
 * THROW2: how far the thrown box must rise again after its first landing (m). The throw below is the
 * same every run (the test's clock); it rose 9.4 cm, and 4.6 cm with the box's own restitution left out
 * of the engine (the floor's alone).
 */
const MIN_BOUNCE_RISE = 0.07;

/**
 * The first bounce in a flight's heights (one per frame): the lowest point after it first came down,
 * and how far it rose from there before coming down again; a rise of 0 when it never rose again.
 */
function firstBounce(heights: readonly number[]): { contact: number; rise: number } {
  let i = 1;
  // Up to the first frame that comes down, then down to where it turns up again.
  while (i < heights.length && (heights[i] as number) >= (heights[i - 1] as number)) i++;
  while (i < heights.length && (heights[i] as number) <= (heights[i - 1] as number)) i++;
  if (i >= heights.length) return { contact: heights.at(-1) ?? 0, rise: 0 };
  const contact = heights[i - 1] as number;
  let peak = contact;
  while (i < heights.length && (heights[i] as number) >= peak) peak = heights[i++] as number;
  return { contact, rise: peak - contact };
}

/** A room's physics, which loads with its first scene that has a body (LOAD15); the test fails if it has not. */
function physicsOf(room: Room): RoomPhysics {
  const physics = room.physics.get();
  if (!physics) throw new Error('the room has not loaded its physics: no scene with a body yet');
  return physics;
}

/** Whether a room's physics has loaded and its world is built. */
const ready = (room: Room) => room.physics.get()?.ready === true;

/**
 * How long setup waits for both rooms to be ready. Each room must receive the script (the second one
 * over the server's sync), parse it in the wasm parser, load and compile the physics engine's
 * WebAssembly and build its world; under a load average of 16-22 on two cores (other test files
 * beside this one) that took more than 20 s. The wait ends on the rooms' state, so this only bounds
 * a failure, which then says how far each room got (`setupState`).
 */
const SETUP_MS = 60_000;
/** A test's own bound: setup's worst case, then the test's steps (each bounded by 20 s or less). */
const TEST_MS = SETUP_MS + 60_000;

/** How far a room got in setup: the script it has, whether its physics code loaded, its world, its error. */
function setupState(room: Room): string {
  const physics = room.physics.get();
  const stage = !physics ? 'physics not loaded' : physics.ready ? 'ready' : 'world not built';
  return `script ${room.session.room.scriptText().length} chars, ${stage}${physics?.stats.error ? `, error ${physics.stats.error}` : ''}`;
}

function pose(room: Room): Pose {
  const p = createPose();
  expect(physicsOf(room).bodyPose(BOX, p)).toBe(true);
  return p;
}

/** Counts updates to a room's document (every write anyone makes reaches every copy). */
function countUpdates(room: Room): { count: number } {
  const counter = { count: 0 };
  room.session.doc.on('update', () => counter.count++);
  return counter;
}

/**
 * Every value a room's copy of the document gives the box's owner, in order: the one it holds now, then
 * one entry after each write that changes it (the room's own or one arriving from the network).
 */
function ownersWritten(room: Room): (number | null)[] {
  const seen: (number | null)[] = [room.session.room.ownerOf(BOX)];
  room.session.doc.on('update', () => {
    const owner = room.session.room.ownerOf(BOX);
    if (owner !== seen.at(-1)) seen.push(owner);
  });
  return seen;
}

async function twoRooms(script: string): Promise<[Room, Room]> {
  server = await startTestServer();
  const a = open('Ann');
  const b = open('Bob');
  a.session.room.replaceScript(script);
  // Until both rooms have built the world and hear each other, no simulated time passes: a room whose
  // engine loaded first would otherwise run the scene on (a dropped box could land and rest) while the
  // other still loads, for as long as the machine is slow.
  await settleUntil(
    () => ready(a) && ready(b),
    SETUP_MS,
    () => `A: ${setupState(a)}; B: ${setupState(b)}`,
  );
  await settleUntil(
    () => a.pose.channel.peerList.get().length === 1 && b.pose.channel.peerList.get().length === 1,
    10_000,
    () => 'the rooms hear each other on the pose channel',
  );
  return [a, b];
}

/**
 * Every test runs twice: with the world stepped in process (the room acts on each frame's result in that
 * frame) and with its results arriving on a later task, as the physics worker's do in browsers (PHYS9: the
 * room acts on a result between frames, and not on what an older result says of a body thrown, claimed or
 * put down since).
 */
const HOSTS: { where: string; host: RoomOptions['physicsHost'] }[] = [
  { where: 'in process', host: undefined },
  { where: 'answering on a later task, as the physics worker does', host: loadLaterHost },
];

for (const { where, host } of HOSTS)
  describe(`shared physics in two rooms, the world stepped ${where}`, { timeout: TEST_MS }, () => {
    beforeEach(() => {
      physicsHost = host;
    });

    it('[PHYS4][PHYS5][PHYS6] a leaning stack hit by a falling ball collapses: every block rests at the same pose in both rooms, in the document, with no owner; rest poses never rebuild the world', async () => {
      const blocks = ['B0', 'B1', 'B2', 'B3'];
      const ids = [...blocks, 'Ball'];
      const [a, b] = await twoRooms(
        [
          ...blocks.map(
            (name, i) =>
              `object "${name}" @physics { geometry: "box"; size: 0.3; position: [${i * 0.1}, ${0.15 + i * 0.3}, 3] }`,
          ),
          'object "Ball" @physics(mass: 8, restitution: 0.3, angular_damping: 2) { geometry: "sphere"; size: 0.4; position: [0.12, 2.4, 3] }',
        ].join('\n'),
      );
      const rested = (room: Room) =>
        ids.every((id) => {
          const state = room.session.room.getObjectState(id);
          return state?.owner === null && state.transform !== undefined;
        });
      const at = (room: Room, id: string) => {
        const p = createPose();
        physicsOf(room).bodyPose(object(id), p);
        return p;
      };
      await stepUntil(
        () =>
          rested(a) &&
          rested(b) &&
          ids.every((id) => {
            const [pa, pb] = [at(a, id), at(b, id)];
            // A block resting on a block may creep by the solver's allowed error (1 mm) before it sleeps.
            return pa.position.distanceTo(pb.position) < 2e-3 && pa.quaternion.angleTo(pb.quaternion) < 0.01;
          }),
        30_000,
        () =>
          `A ${JSON.stringify(physicsOf(a).stats)} B ${JSON.stringify(physicsOf(b).stats)} ${ids
            .map(
              (id) =>
                `${id}: owner ${b.session.room.getObjectState(id)?.owner}/${a.session.room.getObjectState(id)?.owner} modes ${physicsOf(a).modeOf(object(id))}/${physicsOf(b).modeOf(object(id))} A ${at(
                  a,
                  id,
                )
                  .position.toArray()
                  .map((n) => n.toFixed(3))} B ${at(b, id)
                  .position.toArray()
                  .map((n) => n.toFixed(3))}`,
            )
            .join('; ')}`,
      );
      // The stack fell: the top block is no longer where it stood.
      expect(at(a, 'B3').position.y).toBeLessThan(0.15 + 3 * 0.3 - 0.05);
      for (const id of ids) {
        const doc = b.session.room.getObjectState(id)?.transform?.position ?? [0, 0, 0];
        expect(at(b, id).position.distanceTo(new Vector3(...doc)), id).toBeLessThan(2e-3);
        // On the floor or on another body, never in it.
        expect(at(b, id).position.y, id).toBeGreaterThan(0.14);
      }
      expect([physicsOf(a).stats.builds, physicsOf(b).stats.builds]).toEqual([1, 1]);
      // One room simulated it all for both.
      expect(Math.min(physicsOf(a).stats.streamed, physicsOf(b).stats.streamed)).toBe(0);
    });

    it('[PHYS4][PHYS5][PHYS6][PHYS1][ROOM5][PHYS9] a box dropped in the air falls, lands on the floor and rests at the same pose in both rooms; one room simulates and streams it, and at rest nothing is sent (nor drawn), nor undone by an older result', async () => {
      const [a, b] = await twoRooms(
        'object "Box" @physics(mass: 2, restitution: 0.1) @grabbable { geometry: "box"; position: [0.3, 2, -0.2]; rotation: [0, 30, 0] }',
      );
      expect(physicsOf(a).modeOf(BOX)).toBeDefined();
      // ROOM5: a world with a body not yet at rest needs frames (it would never fall without them).
      expect(physicsOf(a).moving || physicsOf(b).moving).toBe(true);
      const aUpdates = countUpdates(a);
      const [aOwners, bOwners] = [ownersWritten(a), ownersWritten(b)];
      // It rests when the room document holds its rest pose and nobody owns it.
      await stepUntil(
        () => {
          const state = b.session.room.getObjectState('Box');
          return (
            state?.owner === null &&
            state.transform !== undefined &&
            physicsOf(a).stats.rests + physicsOf(b).stats.rests > 0
          );
        },
        20_000,
        () =>
          `A ${JSON.stringify(physicsOf(a).stats)} B ${JSON.stringify(physicsOf(b).stats)} doc ${JSON.stringify(b.session.room.getObjectState('Box'))}`,
      );
      // Exactly one room simulated it for both, and only that one streamed it (PHYS4, PHYS5).
      const [owner, other] = physicsOf(a).stats.streamed > 0 ? [a, b] : [b, a];
      expect(physicsOf(owner).stats.streamed).toBeGreaterThan(10);
      expect(physicsOf(owner).stats.rests).toBe(1);
      expect(physicsOf(other).stats.rests).toBe(0);
      expect(physicsOf(other).stats.streamed).toBe(0);
      // While it fell, the document named the simulating room as its owner (the claim, GRAB1), and only it: its
      // own copy took the claim and the release; the other copy named nobody else. (Read from every write, not
      // sampled on frames: whether the claim reaches the other room before the box rests is the network's
      // business, and the fall takes a fixed number of frames however slow the network is.)
      const ownerId = owner.pose.channel.selfId;
      const [ownerCopy, otherCopy] = owner === a ? [aOwners, bOwners] : [bOwners, aOwners];
      expect(ownerCopy.filter((o) => o !== null)).toEqual([ownerId]);
      expect(ownerCopy.at(-1)).toBeNull();
      expect(otherCopy.filter((o) => o !== null && o !== ownerId)).toEqual([]);
      // Let both take the rest pose from the document.
      await stepUntil(
        () => pose(a).position.distanceTo(pose(b).position) < 1e-4,
        5_000,
        () => `A ${pose(a).position.toArray()} B ${pose(b).position.toArray()}`,
      );
      const pa = pose(a);
      const pb = pose(b);
      // A 1 m box on the floor: its centre half a metre up, upright, where it fell (it dropped straight down).
      expect(pa.position.y).toBeCloseTo(0.5, 2);
      expect(Math.hypot(pa.position.x - 0.3, pa.position.z + 0.2)).toBeLessThan(0.05);
      expect(pa.position.distanceTo(pb.position)).toBeLessThan(1e-4);
      expect(pa.quaternion.angleTo(pb.quaternion)).toBeLessThan(1e-3);
      const doc = b.session.room.getObjectState('Box')?.transform;
      expect(doc?.position[1]).toBeCloseTo(0.5, 2);

      // At rest: no stream, no document writes, in either room, for a second of frames (PHYS6).
      const streamed = [physicsOf(a).stats.streamed, physicsOf(b).stats.streamed];
      const updates = aUpdates.count;
      const steps = physicsOf(a).stats.steps;
      await stepUntil(
        () => physicsOf(a).stats.steps > steps + 60,
        10_000,
        () => 'a second of steps',
      );
      expect([physicsOf(a).stats.streamed, physicsOf(b).stats.streamed]).toEqual(streamed);
      expect(aUpdates.count).toBe(updates);
      expect(b.session.room.getObjectState('Box')?.owner).toBeNull();
      // ROOM5: at rest, physics asks for no frames.
      expect([physicsOf(a).moving, physicsOf(b).moving]).toEqual([false, false]);
      // PHYS9: no result stepped before its rest pose was written took the owner's body back to where it had
      // been. (The other room may undo a prediction of its own if the claim reached it after its copy rested.)
      expect(physicsOf(owner).stats.predictionsUndone).toBe(0);
      // The rest pose moved the body, not the world: neither room rebuilt it.
      expect([physicsOf(a).stats.builds, physicsOf(b).stats.builds]).toEqual([1, 1]);
    });

    it('[ROOM5][PHYS9][PHYS6] drawing only the frames the rooms want, a dropped box still comes to rest and is written down', async () => {
      const [a, b] = await twoRooms('object "Box" @physics { geometry: "box"; size: 0.3; position: [0, 1.5, 0] }');
      // The last result says the box rests; the rules must act on it without a frame of their own asking.
      await stepUntil(
        () =>
          b.session.room.getObjectState('Box')?.owner === null &&
          physicsOf(a).stats.rests + physicsOf(b).stats.rests === 1,
        20_000,
        () =>
          `A ${JSON.stringify(physicsOf(a).stats)} B ${JSON.stringify(physicsOf(b).stats)} moving ${physicsOf(a).moving}/${physicsOf(b).moving}`,
        undefined,
        true,
      );
      expect(b.session.room.getObjectState('Box')?.transform?.position[1]).toBeCloseTo(0.15, 2);
    });

    it('[PHYS4][PHYS7][THROW2] a thrown box bounces off the floor and lands instead of falling through; the other room follows its stream', async () => {
      const [a, b] = await twoRooms(
        'object "Box" @physics(restitution: 0.8) @grabbable @throwable { geometry: "box"; size: 0.3; position: [0, 0.15, 0] }',
      );
      await stepUntil(
        () => Math.abs(pose(a).position.y - 0.15) < 0.01 && Math.abs(pose(b).position.y - 0.15) < 0.01,
        10_000,
        () => `resting: A ${pose(a).position.toArray()} B ${pose(b).position.toArray()}`,
      );
      drawBox(a, pose(a).position);
      drawBox(b, pose(b).position);
      // Lift it by 0.72 m and throw it up and sideways: 6 cm up and 4 cm across a frame, 3.6 and 2.4 m/s on
      // the test's clock.
      await throwBox(a, 12, 0.04, 0.06, 'the throw');
      expect(physicsOf(a).simulates(BOX)).toBe(true);
      expect(a.interaction.grabs.stats.throws).toBe(1);
      // Track the flight in both rooms: its height in the simulating room each frame, the lowest points.
      const heights: number[] = [];
      let lowestB = Number.POSITIVE_INFINITY;
      let followed = false;
      await stepUntil(
        () => b.session.room.getObjectState('Box')?.owner === null && physicsOf(a).stats.rests > 0,
        20_000,
        () => `A ${JSON.stringify(physicsOf(a).stats)} at ${pose(a).position.toArray()}`,
        () => {
          heights.push(pose(a).position.y);
          lowestB = Math.min(lowestB, pose(b).position.y);
          if (physicsOf(b).modeOf(BOX) === MODE_FOLLOW_REMOTE) followed = true;
        },
      );
      // It bounced: after coming down it went up again (restitution 0.8 averaged with the floor's 0.2).
      const bounce = firstBounce(heights);
      expect(bounce.rise, `heights ${heights.map((h) => h.toFixed(3)).join(' ')}`).toBeGreaterThan(MIN_BOUNCE_RISE);
      expect(followed).toBe(true);
      // Never through the floor: half the box is 0.15 m; contacts predicted ahead (soft CCD) keep a box
      // landing at 4-5 m/s out of it (without them it sank 2-7 cm for a step), and it rests within a millimetre.
      expect(Math.min(...heights), 'the simulating room').toBeGreaterThan(0.14);
      expect(lowestB, 'the following room').toBeGreaterThan(0.14);
      expect(physicsOf(b).stats.streamed).toBe(0);
      await stepUntil(
        () => pose(a).position.distanceTo(pose(b).position) < 1e-4,
        5_000,
        () => `A ${pose(a).position.toArray()} B ${pose(b).position.toArray()}`,
      );
      expect(pose(b).position.y).toBeCloseTo(0.15, 2);
      // It flew sideways: it landed away from where it was picked up.
      expect(Math.hypot(pose(b).position.x, pose(b).position.z)).toBeGreaterThan(0.3);
    });

    it('[PHYS5] the thrower leaves while the box is in the air: the other room carries on from the streamed pose, lands it and writes it down', async () => {
      const [a, b] = await twoRooms(
        'object "Box" @physics @grabbable @throwable { geometry: "box"; size: 0.3; position: [0, 0.15, 0] }',
      );
      drawBox(a, pose(a).position);
      drawBox(b, pose(b).position);
      // Throw it up at 4.2 m/s (7 cm a frame on the test's clock): a flight of most of a second.
      await throwBox(a, 10, 0.01, 0.07, 'the throw');
      // B follows the stream for a few frames, then A is gone.
      await stepUntil(
        () => physicsOf(b).modeOf(BOX) === MODE_FOLLOW_REMOTE && pose(b).position.y > 1.2,
        5_000,
        () => `B at ${pose(b).position.toArray()} mode ${physicsOf(b).modeOf(BOX)}`,
      );
      a.leave();
      rooms.splice(rooms.indexOf(a), 1);
      a.destroy();
      // No jump: each frame moves the box no further than it can go in the time that frame covers. A frame takes
      // as many fixed steps as its time adds up to (0, 1 or 2 on this clock) and more after one whose steps waited
      // for the host's answer (PHYS9, loaded machines): its time is its steps'. While B follows the stream, the
      // stream is sampled on the wall clock (the pose channel's, POSE11), so a long frame covers that much time too.
      let previous = pose(b).position.clone();
      let previousSteps = physicsOf(b).stats.steps;
      let previousAt = performance.now();
      let followedBefore = true;
      let worst = { excess: Number.NEGATIVE_INFINITY, frame: '' };
      await stepUntil(
        () => b.session.room.getObjectState('Box')?.owner === null && physicsOf(b).stats.rests > 0,
        20_000,
        () =>
          `B ${JSON.stringify(physicsOf(b).stats)} at ${pose(b).position.toArray()} doc ${JSON.stringify(b.session.room.getObjectState('Box'))}`,
        () => {
          const now = pose(b).position;
          const steps = physicsOf(b).stats.steps;
          const at = performance.now();
          // A result from the worker may answer the previous frame's request: its mode counts too.
          const followed = physicsOf(b).modeOf(BOX) === MODE_FOLLOW_REMOTE;
          const seconds = Math.max(
            (steps - previousSteps) * STEP_SECONDS,
            followed || followedBefore ? (at - previousAt) / 1000 : 0,
          );
          const travel = now.distanceTo(previous);
          const excess = travel - MAX_BOX_SPEED * seconds;
          if (excess > worst.excess) {
            worst = {
              excess,
              frame: `${travel.toFixed(3)} m in ${steps - previousSteps} steps, ${(at - previousAt).toFixed(0)} ms, ${followed ? 'following' : 'simulating'}`,
            };
          }
          [previous, previousSteps, previousAt, followedBefore] = [now.clone(), steps, at, followed];
        },
      );
      // B simulated it to the ground itself, with no jump on the way.
      expect(physicsOf(b).stats.claims).toBeGreaterThan(0);
      expect(worst.excess, `the frame that moved it furthest for its time: ${worst.frame}`).toBeLessThan(1e-3);
      expect(pose(b).position.y).toBeCloseTo(0.15, 2);
      expect(b.session.room.getObjectState('Box')?.transform?.position[1]).toBeCloseTo(0.15, 2);
    });
  });

describe('shared physics in a protected room whose viewer has the lowest client id (ROLE13)', {
  timeout: 90_000,
}, () => {
  beforeEach(() => {
    physicsHost = undefined;
  });

  /**
   * How many times both pages are opened again until the owner's client id (random) is above the viewer's: 1 in 2
   * each time. (Reopening only the owner's page failed about 1 run in 31: against a viewer id near the top of the range,
   * 30 fresh owner ids all fall below it.)
   */
  const MAX_REOPENS = 30;

  /**
   * The owner's and a viewer's pages of one protected room, the viewer's with the lower client id (the cleaner
   * PHYS5 chose before ROLE13); each knows the other's role from presence.
   */
  async function ownerAndViewer(): Promise<{ owner: Room; viewer: Room; roomId: string }> {
    server = await startTestServer();
    const created = await createProtectedRoom();
    const viewerLink = (await readRoleLink(created.roomId, '')).credential as RoomCredential;
    const openAs = async (name: string, credential: RoomCredential) => {
      const sessionKey = await loadSessionKey(undefined);
      const { room } = openNodeRoom(server, created.roomId, name, { now, protected: { credential, sessionKey } });
      rooms.push(room);
      return room;
    };
    let viewer = await openAs('Vi', viewerLink);
    let owner = await openAs('Ow', created.owner);
    for (let reopened = 0; owner.pose.channel.selfId < viewer.pose.channel.selfId; reopened++) {
      if (reopened === MAX_REOPENS) throw new Error(`no owner page above the viewer's id in ${MAX_REOPENS} tries`);
      for (const page of rooms.splice(0)) page.destroy();
      viewer = await openAs('Vi', viewerLink);
      owner = await openAs('Ow', created.owner);
    }
    const [ownerId, viewerId] = [owner.pose.channel.selfId, viewer.pose.channel.selfId];
    await stepUntil(
      () =>
        presenceRoleOf(owner.session.awareness, viewerId) === 'viewer' &&
        presenceRoleOf(viewer.session.awareness, ownerId) === 'owner' &&
        owner.pose.channel.peerList.get().length === 1 &&
        viewer.pose.channel.peerList.get().length === 1,
      10_000,
      () => 'the pages hear each other and know their roles',
    );
    return { owner, viewer, roomId: created.roomId };
  }

  it('[ROLE13][PHYS5][ROLE11] the owner page claims a falling box, the viewer page never does; where viewers may grab, the viewer claims the box it throws', async () => {
    const { owner, viewer, roomId } = await ownerAndViewer();
    owner.session.room.replaceScript(
      'object "Box" @physics @grabbable @throwable { geometry: "box"; size: 0.3; position: [0, 1.5, 0] }',
    );
    const owners = new Set<number | null>();
    const restedOnBoth = (rests: number) =>
      viewer.session.room.getObjectState('Box')?.owner === null &&
      physicsOf(owner).stats.rests + physicsOf(viewer).stats.rests === rests &&
      pose(owner).position.distanceTo(pose(viewer).position) < 1e-4;
    await stepUntil(
      () => ready(owner) && ready(viewer) && restedOnBoth(1),
      20_000,
      () =>
        `owner ${JSON.stringify(owner.physics.get()?.stats)} viewer ${JSON.stringify(viewer.physics.get()?.stats)} doc ${JSON.stringify(viewer.session.room.getObjectState('Box'))}`,
      () => {
        if (ready(owner)) owners.add(owner.session.room.ownerOf(BOX));
        if (ready(viewer)) owners.add(viewer.session.room.ownerOf(BOX));
      },
    );
    // The owner's page simulated it for both; the viewer's page claimed, streamed and wrote nothing.
    expect([...owners].filter((o) => o !== null)).toEqual([owner.pose.channel.selfId]);
    expect(physicsOf(owner).stats.claims).toBe(1);
    expect(physicsOf(owner).stats.streamed).toBeGreaterThan(10);
    expect([physicsOf(viewer).stats.claims, physicsOf(viewer).stats.streamed, physicsOf(viewer).stats.rests]).toEqual([
      0, 0, 0,
    ]);
    expect(pose(viewer).position.y).toBeCloseTo(0.15, 2);
    // Nor does it take over a body it lets go (it cannot grab one here either: ROLE10).
    const still = new Vector3();
    expect(physicsOf(viewer).takeOver(BOX, pose(viewer), still, still)).toBe(false);
    expect(physicsOf(viewer).simulates(BOX)).toBe(false);

    // ROLE11: the owner lets viewers grab; once the viewer's page and the server know, the viewer throws the box.
    expect(await owner.session.setRoomSettings({ viewersMayGrab: true })).toBe(true);
    await stepUntil(
      () => viewer.interaction.rights.grabsShared() && server.roomSync.decisions.settings(roomId).viewersMayGrab,
      10_000,
      () => 'the viewer page and the server learn the setting',
    );
    drawBox(owner, pose(owner).position);
    drawBox(viewer, pose(viewer).position);
    await throwBox(viewer, 12, 0.02, 0.06, 'the lift');
    expect(physicsOf(viewer).simulates(BOX)).toBe(true);
    let followed = false;
    await stepUntil(
      () => restedOnBoth(2),
      20_000,
      () =>
        `owner ${JSON.stringify(physicsOf(owner).stats)} viewer ${JSON.stringify(physicsOf(viewer).stats)} doc ${JSON.stringify(owner.session.room.getObjectState('Box'))}`,
      () => {
        if (physicsOf(owner).modeOf(BOX) === MODE_FOLLOW_REMOTE) followed = true;
      },
    );
    // The viewer's page simulated and wrote down its throw; the owner's page followed its stream and took it.
    expect([physicsOf(viewer).stats.handovers, physicsOf(viewer).stats.rests]).toEqual([1, 1]);
    expect(physicsOf(viewer).stats.streamed).toBeGreaterThan(10);
    expect(followed).toBe(true);
    expect(physicsOf(owner).stats.claims).toBe(1);
    expect(owner.session.room.getObjectState('Box')?.transform?.position[1]).toBeCloseTo(0.15, 2);
  });
});

describe('a physics host that stops answering', { timeout: 60_000 }, () => {
  it('[PHYS9] is reported once after 10 s of frames without an answer, and the bodies stay where they were', async () => {
    server = await startTestServer();
    // The world is built and read out, then no step is ever answered (a worker that hangs without failing).
    physicsHost = async (sink) => {
      const inner = new InProcessHost(await loadPhysicsEngine(), sink);
      return {
        kind: 'worker',
        messageMs: 0,
        build: (spec, world) => inner.build(spec, world),
        step: () => {},
        destroy: () => inner.destroy(),
      };
    };
    try {
      const room = open('Ann');
      room.session.room.replaceScript('object "Box" @physics { size: 0.3; position: [0, 2, 0] }');
      await stepUntil(
        () => ready(room),
        20_000,
        () => `not ready: ${JSON.stringify(room.physics.get()?.stats)}`,
      );
      // 9.9 s of frames: nothing said yet; past 10 s: one error; 10 s more: still one.
      const frames = (ms: number) => {
        for (let i = 0; i < ms / FRAME_MS; i++) {
          clock += FRAME_MS;
          room.frame(clock);
        }
      };
      frames(9_900);
      expect(physicsOf(room).stats.errors).toBe(0);
      frames(200);
      expect(physicsOf(room).stats.errors).toBe(1);
      expect(physicsOf(room).stats.error).toMatch(/gave no answer in 10000 ms/);
      frames(10_000);
      expect(physicsOf(room).stats.errors).toBe(1);
      expect(physicsOf(room).stats.requests).toBe(1);
      expect(pose(room).position.y).toBeCloseTo(2, 5);
    } finally {
      physicsHost = undefined;
    }
  });
});

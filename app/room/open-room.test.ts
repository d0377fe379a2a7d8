// Two rooms opened in Node against the real server (loopback, port 0): no
// React, no DOM, no WebRTC. The test plays the renderer's part: it registers
// drawn objects and avatars and calls `room.frame()`, as RoomFrame.tsx does.
import * as polyfill from 'node-datachannel/polyfill';
import { Group, Object3D, type PerspectiveCamera, Quaternion, Vector3 } from 'three';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { startTestServer, type TestServer } from '../../server/test/helpers.ts';
import { object, room as roomId } from '../../testing/ids.ts';
import { openNodeRoom } from '../../testing/room/node-room.ts';
import { createPose } from '../interaction/pose.ts';
import { PART_HEAD } from '../pose/wire/protocol.ts';
import { SEED_ALONE_MS, SEED_OFFLINE_MS } from '../scene/runtime/lobby-seed.ts';
import { AWAY_RELEASE_MS, type Room } from './open-room.ts';

const SCRIPT = 'object "Crate" @grabbable { position: [0, 1, 0] }';
const FRAME_MS = 10;

let server: TestServer;
const rooms: Room[] = [];
afterEach(async () => {
  for (const room of rooms.splice(0)) room.destroy();
  await server?.close();
});

function open(name: string): { room: Room; camera: PerspectiveCamera } {
  const opened = openNodeRoom(server, roomId('noderoom1'), name);
  rooms.push(opened.room);
  return opened;
}

/** What the renderer does for the crate: one group per drawn node, registered by id. */
function drawCrate(room: Room): Group {
  const group = new Group();
  group.position.set(0, 1, 0);
  group.userData = { sceneId: 'Crate', grabbable: true };
  new Object3D().add(group);
  room.objects.add(object('Crate'), group);
  return group;
}

/** Steps every room's frame (as R3F would, on the wall clock) until `done()` or the time is up. */
async function stepUntil(done: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const start = performance.now();
  while (!done()) {
    if (performance.now() - start > timeoutMs) throw new Error(`not reached in ${timeoutMs} ms: ${describe()}`);
    for (const room of rooms) room.frame(performance.now());
    await new Promise((resolve) => setTimeout(resolve, FRAME_MS));
  }
}

/** Steps only `room`'s frames until `done()`. */
async function stepUntilFor(room: Room, done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = performance.now();
  while (!done()) {
    if (performance.now() - start > timeoutMs) throw new Error(`not reached in ${timeoutMs} ms: ${what}`);
    room.frame(performance.now());
    await new Promise((resolve) => setTimeout(resolve, FRAME_MS));
  }
}

describe('a room in Node', () => {
  it('[ROOM1][POSE17][PHYS7][LOAD12] a frame runs input, grabs, physics, own pose, tick, animations, overrides, avatars, in this order', async () => {
    server = await startTestServer();
    const { room } = open('Ann');
    const calls: string[] = [];
    const record = <T extends object>(target: T, method: keyof T & string, name: string) => {
      const original = (target[method] as (...args: unknown[]) => unknown).bind(target);
      vi.spyOn(target, method as never).mockImplementation(((...args: unknown[]) => {
        calls.push(name);
        return original(...args);
      }) as never);
    };
    // The headset's parts, as the XR layer loads them where the browser offers XR (LOAD12).
    record(await room.loadXR(), 'frame', 'xr input');
    record(room.interaction, 'streamFrame', 'grabs');
    // The physics, as the first scene with a body loads it (LOAD15).
    const physics = await room.loadPhysics();
    if (!physics) throw new Error('the physics did not load');
    record(physics, 'frame', 'physics');
    record(room.pose.channel, 'setAvatarPart', 'own pose');
    record(room.pose.channel, 'tick', 'tick');
    record(room.behaviours, 'tick', 'animations');
    record(room.interaction, 'drawFrame', 'overrides');
    record(room.avatars, 'sample', 'avatars');
    room.frame(1000);
    expect(calls.filter((call, i) => calls.indexOf(call) === i)).toEqual([
      'xr input',
      'grabs',
      'physics',
      'own pose',
      'tick',
      'animations',
      'overrides',
      'avatars',
    ]);
    expect(room.stats.frames).toBe(1);
  });

  it('[POSE18][ROOM4] the channel ticks on send windows: 60 times a second from 120 Hz frames, and from display frames not drawn', async () => {
    server = await startTestServer();
    const { room } = open('Ann');
    let t = 10_000;
    vi.spyOn(room.pose.channel, 'markFrame').mockImplementation(() => t);
    const tick = vi.spyOn(room.pose.channel, 'tick');
    for (let i = 0; i < 240; i++, t += 1000 / 120) room.frame(t);
    expect(tick.mock.calls.length).toBeGreaterThanOrEqual(119);
    expect(tick.mock.calls.length).toBeLessThanOrEqual(121);
    // A second of display frames the pacing did not draw (ROOM4): the channel still ticks at 60 Hz.
    tick.mockClear();
    for (let i = 0; i < 60; i++, t += 1000 / 60) room.idle();
    expect(tick.mock.calls.length).toBeGreaterThanOrEqual(59);
    expect(room.stats.frames).toBe(240);
  });

  it('[ROOM3] inspect() is a typed look at the same room: its session, scene, channel, parser and counters', async () => {
    server = await startTestServer();
    const { room } = open('Ann');
    const seen = room.inspect();
    expect(seen.roomId).toBe(room.id);
    expect(seen.session).toBe(room.session);
    expect(seen.scene).toBe(room.scene);
    expect(seen.pose).toBe(room.pose);
    expect(seen.interaction).toBe(room.interaction);
    expect(seen.sceneObjects).toBe(room.objects);
    room.frame(0);
    room.frame(16);
    expect(seen.frameStats.frames).toBe(2);
    // The room's own parser pool, not a second parser made for tests.
    expect(await seen.parser()).toBe(await room.parser());
    // Before any XR session the XR origin is the world's.
    expect(seen.toXRSpace([1, 2, 3])).toEqual([1, 2, 3]);
  });

  it('[LOAD15] the physics loads with the first scene that has a @physics body, not with a scene without one', async () => {
    server = await startTestServer();
    const { room } = open('Ann');
    room.session.room.replaceScript(
      `${SCRIPT}\nobject "Shelf" @physics(body_type: "static") { position: [0, 0.5, 0] }`,
    );
    await stepUntil(
      () => room.scene.view.get().model?.byId.has(object('Shelf')) === true,
      10_000,
      () => `the scene is ${room.scene.view.get().phase}`,
    );
    // A scene of objects and a static collider: nothing of the physics is loaded, nothing asks for it.
    expect(room.physics.get()).toBeUndefined();
    expect(room.inspect().physics).toBeUndefined();
    room.session.room.replaceScript(`${SCRIPT}\nobject "Ball" @physics { geometry: "sphere"; position: [0, 2, 0] }`);
    await stepUntil(
      () => room.physics.get()?.ready === true,
      20_000,
      () => `physics ${JSON.stringify(room.physics.get()?.stats)}`,
    );
    // One physics for the room: what the room holds, what inspection shows, what loading again gives.
    const physics = room.physics.get();
    expect(room.inspect().physics).toBe(physics);
    expect(await room.loadPhysics()).toBe(physics);
    expect(physics?.stats.builds).toBe(1);
    expect(physics?.bodyPoseArray(object('Ball'))?.[1]).toBeCloseTo(2, 1);
  });

  it("[LOAD19] the room's frames load the handlers' code with the first scene that has a handler, not with a scene without one", async () => {
    server = await startTestServer();
    const { room } = open('Ann');
    room.session.room.replaceScript(SCRIPT);
    await stepUntil(
      () => room.scene.view.get().model?.byId.has(object('Crate')) === true,
      10_000,
      () => `the scene is ${room.scene.view.get().phase}`,
    );
    // Frames of a scene without handlers: the interpreter is not loaded.
    for (let i = 0; i < 10; i++) {
      room.frame(performance.now());
      await new Promise((resolve) => setTimeout(resolve, FRAME_MS));
    }
    expect(room.scene.handlersLoaded).toBe(false);
    room.session.room.replaceScript(`object "Bell" @clickable { on_click { this.color = "#ffd166" } }\n${SCRIPT}`);
    await stepUntil(
      () => room.scene.handlersLoaded,
      10_000,
      () => `the scene is ${room.scene.view.get().phase} with ${room.scene.view.get().model?.byId.size} nodes`,
    );
  });

  it('[CAM1] the scene’s camera block sets where the desktop view starts', async () => {
    server = await startTestServer();
    const { room } = open('Ann');
    room.session.room.replaceScript('camera { position: [3, 1.6, 4]; target: [0, 1.6, 0] }');
    const start = new Vector3(3, 1.6, 4);
    await stepUntil(
      () => room.view.position.distanceTo(start) < 1e-6,
      10_000,
      () => `the view stands at ${room.view.position.toArray()}`,
    );
  });

  it("[ACC5] the focus order follows the scene, and clickFocused runs the focused object's click handler for both rooms", async () => {
    server = await startTestServer();
    const a = open('Ann');
    const b = open('Bob');
    a.room.session.room.replaceScript(
      `object "Bell" @clickable { label: "Bell"; color: "#8d99ae"\n  on_click { this.color = "#ffd166" } }\n${SCRIPT}`,
    );
    await stepUntil(
      () => a.room.focus.state.get().targets.length === 2,
      10_000,
      () => JSON.stringify(a.room.focus.state.get().targets),
    );
    expect(a.room.focus.state.get().targets.map((target) => target.id)).toEqual(['Bell', 'Crate']);
    expect(a.room.clickFocused()).toBe(false); // nothing has focus yet
    a.room.focus.enter('forward');
    expect(a.room.clickFocused()).toBe(true);
    const color = (room: Room) => {
      const node = room.scene.view.get().model?.byId.get(object('Bell'));
      return node?.kind === 'mesh' ? node.material.color : undefined;
    };
    await stepUntil(
      () => color(b.room) === '#ffd166',
      10_000,
      () => `Bob's bell is ${color(b.room)}`,
    );
    expect(color(a.room)).toBe('#ffd166');
    // A grabbable without a click handler is a stop, but Enter does not click it.
    a.room.focus.move('forward');
    expect(a.room.clickFocused()).toBe(false);
  });

  it('[SEED5] with no server sync, a newcomer who hears someone over the relay waits for their copy before seeding alone', async () => {
    server = await startTestServer();
    // y-webrtc's signaling uses the global WebSocket, which Node 20 lacks (as in testing/room/node-pose-peer.ts);
    // its signaling connections outlive the room (y-webrtc keeps them per URL) and reconnect with it.
    globalThis.WebSocket ??= NodeWebSocket as unknown as typeof globalThis.WebSocket;
    /**
     * Opens a room without the server's copy; records when it asked for the lobby. Bob speaks WebRTC
     * (his signaling connects, as a page's does), Ann does not: her connection never comes up.
     */
    const openSeeding = (name: string, webrtc: boolean) => {
      const opened = performance.now();
      const seededAfter: number[] = [];
      const { room } = openNodeRoom(server, roomId('seedroom5'), name, {
        serverSync: false,
        ...(webrtc
          ? { wrtc: { RTCPeerConnection: polyfill.RTCPeerConnection as unknown as typeof RTCPeerConnection } }
          : {}),
        loadLobby: async () => {
          seededAfter.push(performance.now() - opened);
          return 'object "Lobby" {}';
        },
      });
      rooms.push(room);
      return { room, opened, seededAfter };
    };
    const ann = openSeeding('Ann', false);
    await stepUntil(
      () => ann.room.pose.relay?.heardRoster.get() === true,
      10_000,
      () => 'Ann heard no roster',
    );
    const bob = openSeeding('Bob', true);
    await stepUntil(
      () => bob.room.pose.channel.peerList.get().length > 0,
      10_000,
      () => 'Bob never heard Ann',
    );
    await stepUntil(
      () => bob.room.session.status.get().signaling === 'connected',
      10_000,
      () => 'Bob has no signaling',
    );
    // Past the alone wait Bob still waits for Ann's copy (which cannot come here: no WebRTC, no server copy).
    await stepUntil(
      () => performance.now() - bob.opened > SEED_ALONE_MS + 1_000,
      10_000,
      () => 'clock',
    );
    expect(bob.seededAfter).toEqual([]);
    expect(bob.room.session.status.get()).toMatchObject({ server: 'off', signaling: 'connected', webrtcPeers: 0 });
    await stepUntil(
      () => bob.seededAfter.length > 0,
      SEED_OFFLINE_MS + 5_000,
      () => 'Bob never seeded',
    );
    expect(bob.seededAfter[0]).toBeGreaterThanOrEqual(SEED_OFFLINE_MS);
  });

  it('[ROOM16] a pose over the relay is the first pose on the timeline, but not the one the join hold waits for', async () => {
    server = await startTestServer();
    const a = open('Ann');
    const b = open('Bob');
    // Node rooms have no WebRTC: every batch comes over the relay.
    await stepUntil(
      () => b.room.timeline.has('first_pose') && a.room.timeline.has('first_pose'),
      10_000,
      () => JSON.stringify(b.room.timeline.relative()),
    );
    for (const { room } of [a, b]) {
      expect(room.timeline.has('first_pose_webrtc')).toBe(false);
      expect(room.pose.heardWebrtcPose.get()).toBe(false);
    }
  });

  it('[ROOM2][ROOM1] opens without React or a DOM and steps frames: the scene builds, the head goes out, the other room draws it', async () => {
    server = await startTestServer();
    const a = open('Ann');
    const b = open('Bob');
    a.room.session.room.replaceScript(SCRIPT);
    await stepUntil(
      () => b.room.scene.view.get().model?.byId.has(object('Crate')) === true,
      10_000,
      () => `B builds ${b.room.scene.view.get().builds} times, phase ${b.room.scene.view.get().phase}`,
    );

    // B draws an avatar for A as soon as the channel knows A (RemoteAvatar.tsx does this in the page).
    const annId = a.room.pose.channel.selfId;
    await stepUntil(
      () => b.room.pose.channel.peerList.get().some((peer) => peer.id === annId),
      10_000,
      () => JSON.stringify(b.room.pose.channel.peerList.get()),
    );
    const avatar = {
      root: new Group(),
      head: new Object3D(),
      tag: new Object3D(),
      left: new Object3D(),
      right: new Object3D(),
    };
    avatar.root.add(avatar.head, avatar.tag, avatar.left, avatar.right);
    b.room.avatars.add(annId, avatar);

    a.camera.position.set(1, 1.6, 2);
    a.camera.updateMatrixWorld();
    await stepUntil(
      () => avatar.head.visible && avatar.head.position.distanceTo(new Vector3(1, 1.6, 2)) < 0.001,
      10_000,
      () => `B draws Ann's head at ${avatar.head.position.toArray()} (visible ${avatar.head.visible})`,
    );
    expect(b.room.inspect().avatars()).toEqual([expect.objectContaining({ peerId: annId, visible: true })]);
    expect(a.room.stats.frames).toBeGreaterThan(3);
  });

  it('[ROOM1][GRAB3][GRAB4] a grab made in one frame streams in that frame and the other room draws it; the release lands in the document', async () => {
    server = await startTestServer();
    const a = open('Ann');
    const b = open('Bob');
    a.room.session.room.replaceScript(SCRIPT);
    await stepUntil(
      () =>
        a.room.scene.view.get().model?.byId.has(object('Crate')) === true &&
        b.room.scene.view.get().model?.byId.has(object('Crate')) === true,
      10_000,
      () => 'both rooms build the crate',
    );
    const aCrate = drawCrate(a.room);
    const bCrate = drawCrate(b.room);
    await stepUntil(
      () => b.room.pose.channel.peerList.get().length === 1,
      10_000,
      () => 'B hears from A',
    );

    const hand = createPose();
    hand.position.set(0, 1, 0.5);
    const crate = createPose();
    expect(a.room.interaction.objects.worldPose(object('Crate'), crate)).toBe(true);
    expect(a.room.interaction.grabs.grab('pointer', object('Crate'), hand, crate)).toBe('held');
    hand.position.set(0.5, 1.5, 0.5);
    hand.quaternion.copy(new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), Math.PI / 2));
    a.room.interaction.grabs.move('pointer', hand);
    // The crate keeps its offset from the hand (half a metre ahead), turned with it.
    const held = new Vector3(0, 1.5, 0.5);

    await stepUntil(
      () => bCrate.getWorldPosition(new Vector3()).distanceTo(held) < 0.002,
      10_000,
      () => `B draws the crate at ${bCrate.getWorldPosition(new Vector3()).toArray()}`,
    );
    expect(aCrate.getWorldPosition(new Vector3()).distanceTo(held)).toBeLessThan(1e-6);
    expect(b.room.session.room.getObjectState('Crate')?.owner).toBe(a.room.pose.channel.selfId);

    a.room.interaction.grabs.release('pointer');
    await stepUntil(
      () => b.room.session.room.getObjectState('Crate')?.owner === null,
      10_000,
      () => JSON.stringify(b.room.session.room.getObjectState('Crate')),
    );
    const transform = b.room.session.room.getObjectState('Crate')?.transform;
    expect(transform?.position.map((n) => Math.round(n * 1000) / 1000)).toEqual([0, 1.5, 0.5]);
  });

  it('[PRES9][PRES10] a hidden room that never drew a frame sends where its person stands to a newcomer, away, with no frame', async () => {
    server = await startTestServer();
    const a = open('Ann');
    // Hidden at once: A never runs a frame (nor an idle one) in this test.
    a.room.setAway(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const opened = openNodeRoom(server, roomId('noderoom1'), 'Bob');
    const b = opened.room;
    rooms.push(b);
    const annId = a.room.pose.channel.selfId;
    const head = new Vector3();
    const rotation = new Quaternion();
    const start = performance.now();
    // Only B's frames run; A answers in the tasks that bring B's messages.
    while (b.pose.channel.sampleAvatarPart(annId, PART_HEAD, head, rotation) === 'empty') {
      if (performance.now() - start > 5_000) {
        throw new Error(`B has no pose of A; A sent ${JSON.stringify(a.room.pose.channel.counters)}`);
      }
      b.frame(performance.now());
      await new Promise((resolve) => setTimeout(resolve, FRAME_MS));
    }
    expect(a.room.stats.frames + a.room.stats.heldFrames).toBe(0);
    expect(head.distanceTo(a.room.view.position)).toBeLessThan(0.01);
    await stepUntilFor(b, () => b.session.status.get().peers[0]?.away === true, 5_000, 'B shows A away');
  });

  it('[PRES5] a hidden page shows as away in the other room at once and puts down what it holds after the grace period', async () => {
    server = await startTestServer();
    const a = open('Ann');
    const b = open('Bob');
    a.room.session.room.replaceScript(SCRIPT);
    await stepUntil(
      () => a.room.scene.view.get().model?.byId.has(object('Crate')) === true,
      10_000,
      () => 'A builds the crate',
    );
    drawCrate(a.room);
    await stepUntil(
      () => b.room.session.status.get().peers.length === 1,
      10_000,
      () => 'B sees A',
    );
    const awayAtB = () => b.room.session.status.get().peers[0]?.away;
    expect(awayAtB()).toBe(false);
    const hold = () => {
      const hand = createPose();
      hand.position.set(0, 1, 0.5);
      const crate = createPose();
      expect(a.room.interaction.objects.worldPose(object('Crate'), crate)).toBe(true);
      expect(a.room.interaction.grabs.grab('pointer', object('Crate'), hand, crate)).toBe('held');
    };
    const ownerAtB = () => b.room.session.room.getObjectState('Crate')?.owner;
    hold();
    await stepUntil(
      () => ownerAtB() === a.room.pose.channel.selfId,
      10_000,
      () => 'B sees A hold the crate',
    );

    // Hidden for a moment: away, then back, and the crate stays in hand past the grace period.
    a.room.setAway(true);
    await stepUntil(
      () => awayAtB() === true,
      5_000,
      () => 'B shows A away',
    );
    a.room.setAway(false);
    await stepUntil(
      () => awayAtB() === false,
      5_000,
      () => 'B shows A back',
    );
    const backAt = performance.now();
    await stepUntil(
      () => performance.now() - backAt > AWAY_RELEASE_MS + 500,
      10_000,
      () => '',
    );
    expect(ownerAtB()).toBe(a.room.pose.channel.selfId);

    // Hidden for longer: the crate is put down where it is, not at once but after the grace period.
    const hiddenAt = performance.now();
    a.room.setAway(true);
    await stepUntil(
      () => awayAtB() === true,
      5_000,
      () => 'B shows A away',
    );
    expect(ownerAtB()).toBe(a.room.pose.channel.selfId);
    await stepUntil(
      () => ownerAtB() === null,
      AWAY_RELEASE_MS + 5_000,
      () => JSON.stringify(b.room.session.room.getObjectState('Crate')),
    );
    expect(performance.now() - hiddenAt).toBeGreaterThanOrEqual(AWAY_RELEASE_MS);
  }, 30_000);
});

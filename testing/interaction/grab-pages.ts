/**
 * Test helpers: a "page" with a real room document (a Y.Doc with a chosen
 * client id), a GrabCoordinator, and recorders for what it streams and runs.
 * Pages exchange document updates with `sync`, as any provider would.
 */
import { Matrix4, Quaternion, Vector3 } from 'three';
import * as Y from 'yjs';
import type { ObjectId, PeerId } from '../../app/core/ids.ts';
import { GrabCoordinator, type GrabScene } from '../../app/interaction/grab/grab-coordinator.ts';
import { presenceOf } from '../../app/interaction/grab/ownership.ts';
import { type Pose, worldToTransform } from '../../app/interaction/pose.ts';
import { RoomDoc } from '../../app/sync/doc/room-doc.ts';

export function at(x: number, y: number, z: number, quaternion = new Quaternion()): Pose {
  return { position: new Vector3(x, y, z), quaternion: quaternion.clone() };
}

export interface TestPage {
  id: PeerId;
  /** The page's copy of the room document (providers exchange its updates). */
  doc: Y.Doc;
  room: RoomDoc;
  grabs: GrabCoordinator;
  /** Client ids this page considers present (its own included). */
  present: Set<PeerId>;
  streamed: Map<string, Pose>;
  ended: string[];
  events: string[];
  /** What `lastStreamedPose` answers (the pose this page last drew from someone's stream). */
  lastSeen: Map<string, Pose>;
  clock: { t: number };
  /** Objects the page's scene draws (all of TRAITS at first). */
  drawn: Set<string>;
}

const TRAITS: Record<string, { grabbable: boolean; throwable: boolean }> = {
  Crate: { grabbable: true, throwable: false },
  Ball: { grabbable: true, throwable: true },
  Wall: { grabbable: false, throwable: false },
};

/** `mayGrab`: the page's interaction rights (docs/roles.md ROLE10), all grabs when absent. */
export function testPage(clientId: number, options: { mayGrab?: (id: ObjectId) => boolean } = {}): TestPage {
  const id = clientId as PeerId;
  const doc = new Y.Doc();
  doc.clientID = id;
  const room = new RoomDoc(doc);
  const page: Omit<TestPage, 'grabs'> = {
    id,
    doc,
    room,
    present: new Set<PeerId>([id]),
    streamed: new Map(),
    ended: [],
    events: [],
    lastSeen: new Map(),
    clock: { t: 1000 },
    drawn: new Set(Object.keys(TRAITS)),
  };
  const identity = new Matrix4();
  const scene: GrabScene = {
    traits: (objectId) => (page.drawn.has(objectId) ? TRAITS[objectId] : undefined),
    toTransform: (_objectId, pose) => worldToTransform(pose, identity, [1, 1, 1]),
    surfaceBelow: () => 0,
    dispatch: (objectId, event) => page.events.push(`${event}:${objectId}`),
    lastStreamedPose: (objectId) => page.lastSeen.get(objectId),
  };
  const grabs = new GrabCoordinator({
    room,
    selfId: id,
    presence: presenceOf(() => page.present),
    stream: {
      streamObject: (objectId, position, rotation) => {
        page.streamed.set(objectId, { position: position.clone(), quaternion: rotation.clone() });
        return true;
      },
      endObjectStream: (objectId) => {
        page.streamed.delete(objectId);
        page.ended.push(objectId);
      },
    },
    scene,
    now: () => page.clock.t,
    ...(options.mayGrab ? { mayGrab: options.mayGrab } : {}),
  });
  return { ...page, grabs };
}

/** Both pages exchange everything they have (a provider round trip). */
export function sync(a: TestPage, b: TestPage): void {
  Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)));
  Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)));
}

/** Marks each page present for the others. */
export function meet(...pages: TestPage[]): void {
  for (const page of pages) for (const other of pages) page.present.add(other.id);
}

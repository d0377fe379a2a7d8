/**
 * The other people in the room as they are drawn: the renderer registers one
 * avatar (head, name tag, hands) per remote peer, and every frame the room
 * writes each part's pose, sampled from the pose channel at this frame's
 * render time, straight into those objects ([POSE11]). Nothing is allocated
 * per frame.
 *
 * The avatar's drawing code loads apart from the room's (LOAD20): the page
 * hands the registry its loader, and the code loads as soon as the pose
 * channel knows a remote peer, whether or not the renderer exists yet
 * ([DRAW9]): a joining page holds its renderer back (ROOM6) until the code is
 * here, so its first frame draws the person whose pose it waited for.
 *
 * @example
 *   avatars.loadCodeWith(channel.peerList, () => import('./avatar-code.ts')); // from the page, before the renderer
 *   const stop = avatars.add(peerId, { root, head, tag, left, right });       // from the avatar's component
 *   avatars.sample(channel, camera);                                          // in room.frame(), after the tick
 */
import { type Mesh, Object3D, Vector3 } from 'three';
import type { PeerId } from '../core/ids.ts';
import { createStore, type Store } from '../core/store.ts';
import type { PoseChannel } from '../pose/channel.ts';
import { PART_HEAD, PART_LEFT, PART_RIGHT } from '../pose/wire/protocol.ts';
import { type Peer, peerLabel } from '../sync/presence.ts';
import { UNVERIFIED_NAME } from '../sync/roles/name-labels.ts';

/** The drawn head's radius, metres. */
export const AVATAR_HEAD_RADIUS = 0.13;
/** How far above the head's centre the name tag floats, metres. */
const NAME_TAG_HEIGHT = AVATAR_HEAD_RADIUS + 0.14;

/**
 * PNAME6 (docs/roles.md): the name on a peer's tag. Presence's name (in a
 * protected room as its session signed it, with the fingerprint when it is
 * shared); the pose channel's HELLO name only in an open room, since nothing
 * signs it.
 */
export function avatarName(
  present: readonly Peer[],
  protectedRoom: boolean,
  peerId: PeerId,
  helloName: string,
): string {
  const peer = present.find((p) => p.peerId === peerId);
  if (peer) return peerLabel(peer);
  return protectedRoom ? UNVERIFIED_NAME : helloName;
}

export interface DrawnAvatar {
  /** The avatar's group: `userData` carries `peerId` and `name`. */
  root: Object3D;
  head: Object3D;
  tag: Object3D;
  left: Object3D;
  right: Object3D;
}

/** Where a drawn avatar's head is right now (for browser tests and benchmarks). */
export interface RenderedAvatar {
  peerId: PeerId;
  name: string;
  visible: boolean;
  /** Drawn as away: faded, its tag saying so (PRES5). */
  away: boolean;
  head: [number, number, number];
}

/** What the registry reports to the room's timeline (app/core/connect-timeline.ts), each once. */
export type AvatarPhase = 'avatar_code_requested' | 'avatar_code_loaded' | 'first_avatar_added' | 'first_avatar_drawn';

const world = new Vector3();

export class AvatarRegistry {
  private readonly avatars = new Map<PeerId, DrawnAvatar>();
  private drawnOnce = false;
  private readonly ready = createStore(true);
  private codeLoaded = false;
  private addedOnce = false;

  /**
   * Whether a remote avatar can be drawn as soon as a peer is known ([DRAW9]): true where nothing
   * loads avatar code (a Node room, `?render=off`), else once the code has loaded (or failed to).
   */
  readonly codeReady: Pick<Store<boolean>, 'get' | 'subscribe'> = this.ready;

  /** `onPhase` is called once per phase: the code requested and loaded, the first avatar added, then drawn. */
  constructor(private readonly onPhase: (phase: AvatarPhase) => void = () => {}) {}

  /**
   * [DRAW9] The page draws avatars with code `load` brings: it is called once, when `peers` first
   * lists someone (at once if it already does). A failed load is logged and counts as ready (the
   * room goes on without drawn avatars). Returns a stop that ends the watch (not a load under way).
   */
  loadCodeWith(peers: Pick<Store<readonly unknown[]>, 'get' | 'subscribe'>, load: () => Promise<unknown>): () => void {
    // A view made again over the same room (its page's state changed) hands its loader again: load once.
    if (this.codeLoaded) return () => {};
    this.ready.set(false);
    let requested = false;
    const request = (list: readonly unknown[]) => {
      if (requested || list.length === 0) return;
      requested = true;
      stop();
      this.onPhase('avatar_code_requested');
      load().then(
        () => {
          this.codeLoaded = true;
          this.onPhase('avatar_code_loaded');
          this.ready.set(true);
        },
        (error: unknown) => {
          console.error(`holoroom: the avatars' code could not load: ${String(error)}`);
          this.ready.set(true);
        },
      );
    };
    const stop = peers.subscribe(request);
    request(peers.get());
    return stop;
  }

  /** Registers a peer's drawn avatar; the returned function removes it (if it is still that one). */
  add(peerId: PeerId, avatar: DrawnAvatar): () => void {
    if (!this.addedOnce) {
      this.addedOnce = true;
      this.onPhase('first_avatar_added');
    }
    this.avatars.set(peerId, avatar);
    if (!this.drawnOnce) this.watchFirstDraw(avatar.head);
    return () => {
      if (this.avatars.get(peerId) === avatar) this.avatars.delete(peerId);
    };
  }

  /** Writes every avatar part's pose at the channel's render time; the name tag faces `viewer`. */
  sample(channel: PoseChannel, viewer: Object3D | undefined): void {
    for (const [peerId, avatar] of this.avatars) {
      const { head, tag, left, right } = avatar;
      head.visible = channel.sampleAvatarPart(peerId, PART_HEAD, head.position, head.quaternion) !== 'empty';
      tag.visible = head.visible;
      tag.position.set(head.position.x, head.position.y + NAME_TAG_HEIGHT, head.position.z);
      if (viewer) tag.quaternion.copy(viewer.quaternion); // always faces the viewer
      left.visible = channel.sampleAvatarPart(peerId, PART_LEFT, left.position, left.quaternion) !== 'empty';
      right.visible = channel.sampleAvatarPart(peerId, PART_RIGHT, right.position, right.quaternion) !== 'empty';
    }
  }

  /**
   * three calls a mesh's `onAfterRender` right after drawing it, so the first
   * call on a head's mesh is the first remote person on screen: a hidden head
   * (no pose yet) and held frames (ROOM6, nothing drawn) call nothing. The
   * hooks go once it has happened.
   */
  private watchFirstDraw(head: Object3D): void {
    const hooked: Object3D[] = [];
    const drawn = () => {
      if (this.drawnOnce) return;
      this.drawnOnce = true;
      for (const mesh of hooked) mesh.onAfterRender = Object3D.prototype.onAfterRender;
      this.onPhase('first_avatar_drawn');
    };
    head.traverse((part) => {
      if (!(part as Mesh).isMesh) return;
      part.onAfterRender = drawn;
      hooked.push(part);
    });
  }

  /** Allocates; for tests and benchmarks, not per frame. */
  rendered(): RenderedAvatar[] {
    const found: RenderedAvatar[] = [];
    for (const [peerId, avatar] of this.avatars) {
      avatar.head.getWorldPosition(world);
      found.push({
        peerId,
        name: String(avatar.root.userData.name ?? ''),
        visible: avatar.head.visible,
        away: avatar.root.userData.away === true,
        head: [world.x, world.y, world.z],
      });
    }
    return found;
  }
}

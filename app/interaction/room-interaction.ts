/**
 * Interaction for one room page: the grab coordinator (claims, holds,
 * throws), the pose overrides (who draws which object where), presence from
 * awareness and the pose channel (GRAB5), and the drawn scene. Plain
 * TypeScript over three.js objects; the room owns one (app/room/open-room.ts)
 * and runs it from its frame.
 *
 * @example
 *   const interaction = new RoomInteraction({ session, channel, runtime, registry });
 *   interaction.grabs.grab('pointer', id, pointPose, objectPose, interaction.objects.bottomOf(id));
 *   interaction.streamFrame(deltaMs); // once per rendered frame, before the channel's tick
 *   interaction.drawFrame();          // once per rendered frame, after the scene's own motion
 */

import { type ObjectId, type PeerId, toPeerId } from '../core/ids.ts';
import type { PoseChannel } from '../pose/channel.ts';
import type { SceneRuntime } from '../scene/runtime/scene-runtime.ts';
import type { RoomSession } from '../sync/room-session.ts';
import { type GrabBodies, GrabCoordinator } from './grab/grab-coordinator.ts';
import { type PresenceView, presenceOf } from './grab/ownership.ts';
import { PoseOverrides } from './grab/pose-overrides.ts';
import { InteractionRights } from './interaction-rights.ts';
import { roomBounds } from './move/room-bounds.ts';
import type { SceneObjectRegistry } from './object-registry.ts';
import type { Pose } from './pose.ts';
import { SceneObjects } from './scene-objects.ts';

export interface RoomInteractionOptions {
  session: RoomSession;
  channel: PoseChannel;
  runtime: SceneRuntime;
  registry: SceneObjectRegistry;
  /** Rigid bodies (app/physics/room-physics.ts): released bodies fall, moving ones are drawn from the simulation. */
  bodies?: GrabBodies & {
    draws(id: ObjectId): boolean;
    forEachDrawnPose(visit: (id: ObjectId, pose: Pose) => void): void;
  };
  /** The clock hand samples are timed by (throw velocities, THROW1); `performance.now` when absent. */
  now?: () => number;
}

export class RoomInteraction {
  readonly selfId: PeerId;
  readonly grabs: GrabCoordinator;
  readonly overrides: PoseOverrides;
  readonly objects: SceneObjects;
  /** Who is in the room (GRAB5): awareness and the pose channel. */
  readonly presence: PresenceView;
  /** What this page may do to shared objects (ROLE10): grabs ask it here, handlers in the scene runtime. */
  readonly rights: InteractionRights;
  private readonly stops: (() => void)[] = [];

  constructor(readonly options: RoomInteractionOptions) {
    const { session, channel, runtime, registry, bodies, now } = options;
    // The pose peer id is the awareness client id (TRN6), which is also the document's client id.
    this.selfId = channel.selfId;
    const settings = session.moderation?.settings;
    this.rights = new InteractionRights(session.role, () => settings?.get().viewersMayGrab === true);
    const presence = presenceOf(
      () => awarenessPeers(session),
      // Pose-channel peers heard from lately: a holder starved of CPU still counts while it streams.
      () => channel.heardPeerIds(),
    );
    this.presence = presence;
    this.overrides = new PoseOverrides({
      selfId: this.selfId,
      ownerOf: (id) => this.grabs.ownerOf(id),
      sample: (id, target) => channel.sampleObject(id, target.position, target.quaternion),
      forEachLocalPose: (visit) => {
        bodies?.forEachDrawnPose(visit);
        // After the bodies: a held body is drawn in the hand.
        this.grabs.forEachLocalPose(visit);
      },
      isLocal: (id) => this.grabs.isLocal(id) || bodies?.draws(id) === true,
    });
    this.objects = new SceneObjects(
      registry,
      runtime,
      roomBounds(runtime.view.get().model?.environment),
      (id, event) => runtime.dispatch(id, event),
      (id) => this.overrides.lastStreamedPose(id),
    );
    this.grabs = new GrabCoordinator({
      room: session.room,
      selfId: this.selfId,
      presence,
      stream: channel,
      scene: this.objects.grabScene(),
      mayGrab: (id) => this.rights.mayGrab(id),
      ...(bodies ? { bodies } : {}),
      ...(now ? { now } : {}),
    });
    this.overrides.ownersChanged(session.room.objectIds());
    this.stops.push(
      session.room.observeObjects((ids) => this.overrides.ownersChanged(ids)),
      runtime.view.subscribe((view) => {
        this.objects.bounds = roomBounds(view.model?.environment);
      }),
    );
  }

  /** Once per rendered frame, after input and before the pose channel ticks: throws fly, holds stream. */
  streamFrame(deltaMs: number): void {
    this.grabs.frame(deltaMs);
  }

  /** Once per rendered frame, after `@animated` motion: held and streamed objects are drawn where they are (GRAB10). */
  drawFrame(): void {
    this.overrides.frame(this.sink);
  }

  private readonly sink = {
    apply: (id: ObjectId, pose: Parameters<SceneObjects['applyWorldPose']>[1]) => this.objects.applyWorldPose(id, pose),
    revert: (id: ObjectId) => this.objects.revert(id),
  };

  destroy(): void {
    this.grabs.destroy();
    for (const stop of this.stops.splice(0)) stop();
  }
}

/** Everyone with a presence state in awareness (GRAB5), this page included. */
function* awarenessPeers(session: RoomSession): Iterable<PeerId> {
  for (const clientId of session.awareness.getStates().keys()) {
    const peerId = toPeerId(clientId);
    if (peerId !== undefined) yield peerId;
  }
}

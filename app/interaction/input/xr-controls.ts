/**
 * Controllers and hands in a headset, once per XR frame (docs/interaction.md
 * GRAB1-GRAB4 in XR, LOCO1-LOCO5, XR1-XR3):
 *
 *   XR1 squeeze (controllers) or pinch (hands) grabs: the nearest @grabbable
 *       within reach of the grip, else the one the hand's ray points at (it
 *       stays at its distance, on the ray); letting go releases, with the
 *       release velocity for @throwable objects.
 *   XR2 the trigger (select) on a @clickable runs its click handler and hovering
 *       a ray over a @hoverable highlights it: @react-three/xr's ray pointers
 *       deliver these as the same pointer events as a mouse (use-interaction.ts).
 *   XR3 left thumbstick moves, right thumbstick turns (sideways, by the
 *       comfort setting's angle) and teleports (forward: aim, let go: jump).
 *
 * Plain TypeScript over WebXR and three.js; XRInteraction.tsx runs it.
 */
import { Matrix4, type Object3D, Quaternion, Vector3 } from 'three';
import type { Comfort } from '../move/comfort.ts';
import {
  headingOf,
  keepHeadOnFloor,
  type Rig,
  SnapTurn,
  smoothMove,
  teleportRig,
  turnAboutHead,
} from '../move/locomotion.ts';
import { type ArcResult, createArcResult, type SegmentCast, traceArc } from '../move/teleport-arc.ts';
import { createPose, type Pose } from '../pose.ts';
import type { RoomInteraction } from '../room-interaction.ts';

/** Squeeze values: pressed at or above PRESS, released below RELEASE (no chatter at the threshold). */
const SQUEEZE_PRESS = 0.6;
const SQUEEZE_RELEASE = 0.3;
/** Stick forward past this aims the teleport; back above TELEPORT_RELEASE jumps. */
const TELEPORT_AIM = -0.7;
const TELEPORT_RELEASE = -0.3;
/** How far a ray grab reaches (× room scale). */
const RAY_GRAB_REACH = 10;

type Hand = 'left' | 'right';

interface HandState {
  pressed: boolean;
  pinching: boolean;
  grip: Pose;
  ray: Pose;
  tracked: boolean;
  /** A tracked hand's index fingertip in the world (MENU6's poke); `fingertipTracked` says whether it is this frame's. */
  fingertip: Vector3;
  fingertipTracked: boolean;
}

function handState(): HandState {
  return {
    pressed: false,
    pinching: false,
    grip: createPose(),
    ray: createPose(),
    tracked: false,
    fingertip: new Vector3(),
    fingertipTracked: false,
  };
}

const matrix = new Matrix4();
const scale = new Vector3();
const head = new Vector3();
const headInRig = new Vector3();
const headQuaternion = new Quaternion();
const forward = new Vector3();
const rayDirection = new Vector3();

export class XRControls {
  readonly hands: Record<Hand, HandState> = {
    left: handState(),
    right: handState(),
  };
  readonly arc: ArcResult = createArcResult();
  aiming = false;
  /** Whether the left stick moved the rig this frame (LOCO1): the vignette shows while it does (COMFORT3). */
  smoothMoving = false;
  private readonly snap = new SnapTurn();

  constructor(
    readonly rig: Rig,
    private readonly interaction: () => RoomInteraction | undefined,
    private readonly cast: SegmentCast,
    private readonly comfort: () => Comfort,
  ) {}

  /** Session `selectstart`/`selectend` of a hand: a pinch (XR1). */
  setPinch(handedness: XRHandedness, pinching: boolean): void {
    if (handedness === 'left' || handedness === 'right') this.hands[handedness].pinching = pinching;
  }

  /** Puts the rig into the origin group. */
  applyRig(origin: Object3D): void {
    origin.position.copy(this.rig.position);
    origin.rotation.set(0, this.rig.yaw, 0);
    origin.scale.setScalar(this.rig.scale);
    origin.updateMatrixWorld(true);
  }

  /** One XR frame. `origin` is the XR origin group; `dtMs` the frame time. */
  frame(frame: XRFrame, space: XRReferenceSpace, origin: Object3D, dtMs: number, floorRadius: number): void {
    this.applyRig(origin);
    const viewer = frame.getViewerPose(space);
    if (viewer) {
      headInRig.set(viewer.transform.position.x, viewer.transform.position.y, viewer.transform.position.z);
      matrix.fromArray(viewer.transform.matrix).premultiply(origin.matrixWorld);
      matrix.decompose(head, headQuaternion, scale);
    }
    const headYaw = headingOf(forward.set(0, 0, -1).applyQuaternion(headQuaternion));

    // Locomotion first, so hands and rays this frame are where the person now is.
    this.smoothMoving = false;
    for (const source of frame.session.inputSources) {
      const axes = source.gamepad?.axes;
      if (!axes || axes.length < 4) continue;
      const x = axes[2] ?? 0;
      const y = axes[3] ?? 0;
      if (source.handedness === 'left') {
        if (smoothMove(this.rig, headYaw, x, y, dtMs)) this.smoothMoving = true;
      } else if (source.handedness === 'right') {
        const turn = this.snap.update(this.aiming ? 0 : x, this.comfort().snapTurnDeg);
        if (turn !== 0) turnAboutHead(this.rig, head, turn);
        this.teleportStick(y);
      }
    }
    this.applyRig(origin);
    if (viewer) {
      head.copy(headInRig).multiplyScalar(this.rig.scale).applyAxisAngle(UP_AXIS, this.rig.yaw).add(this.rig.position);
      if (keepHeadOnFloor(this.rig, head, floorRadius)) this.applyRig(origin);
    }

    this.hands.left.tracked = false;
    this.hands.right.tracked = false;
    this.hands.left.fingertipTracked = false;
    this.hands.right.fingertipTracked = false;
    for (const source of frame.session.inputSources) {
      if (source.handedness !== 'left' && source.handedness !== 'right') continue;
      const hand = this.hands[source.handedness];
      if (!this.poseOf(frame, source.gripSpace ?? source.targetRaySpace, space, origin, hand.grip)) continue;
      this.poseOf(frame, source.targetRaySpace, space, origin, hand.ray);
      hand.tracked = true;
      hand.fingertipTracked = this.fingertipOf(frame, source, space, origin, hand.fingertip);
      const squeeze = source.gamepad?.buttons[1]?.value ?? 0;
      const down = source.hand ? hand.pinching : hand.pressed ? squeeze >= SQUEEZE_RELEASE : squeeze >= SQUEEZE_PRESS;
      this.grabInput(source.handedness, hand, down);
      if (source.handedness === 'right' && this.aiming) this.aim(hand);
    }
    // A hand that stopped being tracked lets go where it last was.
    for (const handedness of ['left', 'right'] as const) {
      const hand = this.hands[handedness];
      if (!hand.tracked && hand.pressed) this.grabInput(handedness, hand, false);
    }
  }

  private teleportStick(y: number): void {
    if (!this.aiming && y <= TELEPORT_AIM) {
      this.aiming = true;
      return;
    }
    if (this.aiming && y > TELEPORT_RELEASE) {
      this.aiming = false;
      if (this.arc.valid) teleportRig(this.rig, this.arc.landing, headInRig);
      this.arc.valid = false;
      this.arc.count = 0;
    }
  }

  private aim(hand: HandState): void {
    forward.set(0, 0, -1).applyQuaternion(hand.ray.quaternion);
    const floorRadius = this.interaction()?.objects.bounds.floorRadius ?? Number.POSITIVE_INFINITY;
    traceArc(hand.ray.position, forward, this.rig.scale, floorRadius, this.cast, this.arc);
  }

  private grabInput(handedness: Hand, hand: HandState, down: boolean): void {
    const interaction = this.interaction();
    const grabber = `xr-${handedness}`;
    if (down && !hand.pressed) {
      hand.pressed = true;
      if (!interaction) return;
      const id =
        interaction.objects.nearestGrabbable(hand.grip.position) ??
        interaction.objects.pickGrabbable(
          hand.ray.position,
          rayDirection.set(0, 0, -1).applyQuaternion(hand.ray.quaternion),
          RAY_GRAB_REACH * this.rig.scale,
        )?.id;
      if (id === undefined) return;
      const objectPose = createPose();
      if (!interaction.objects.worldPose(id, objectPose)) return;
      interaction.grabs.grab(grabber, id, hand.grip, objectPose, interaction.objects.bottomOf(id));
    } else if (down && hand.pressed) {
      interaction?.grabs.move(grabber, hand.grip);
    } else if (!down && hand.pressed) {
      hand.pressed = false;
      interaction?.grabs.release(grabber);
    }
  }

  /** Lets go of anything held in XR (the session ended). */
  releaseAll(): void {
    for (const handedness of ['left', 'right'] as const) {
      const hand = this.hands[handedness];
      if (hand.pressed) this.grabInput(handedness, hand, false);
      hand.pinching = false;
    }
    this.aiming = false;
    this.smoothMoving = false;
    this.arc.count = 0;
  }

  /** A space's pose in world coordinates (through the XR origin), into `target`. */
  private poseOf(frame: XRFrame, xrSpace: XRSpace, space: XRReferenceSpace, origin: Object3D, target: Pose): boolean {
    const pose = frame.getPose(xrSpace, space);
    if (!pose) return false;
    matrix.fromArray(pose.transform.matrix).premultiply(origin.matrixWorld);
    matrix.decompose(target.position, target.quaternion, scale);
    return true;
  }

  /** A hand's index fingertip in world coordinates, into `target`; false for controllers and untracked joints. */
  private fingertipOf(
    frame: XRFrame,
    source: XRInputSource,
    space: XRReferenceSpace,
    origin: Object3D,
    target: Vector3,
  ): boolean {
    const joint = source.hand?.get('index-finger-tip');
    const pose = joint && typeof frame.getJointPose === 'function' ? frame.getJointPose(joint, space) : undefined;
    if (!pose) return false;
    const p = pose.transform.position;
    target.set(p.x, p.y, p.z).applyMatrix4(origin.matrixWorld);
    return true;
  }

  /** Where the head is in the world (after this frame's locomotion). */
  headWorld(target: Vector3): Vector3 {
    return target.copy(head);
  }

  /** The head's heading in the world (radians). */
  headYaw(): number {
    return headingOf(forward.set(0, 0, -1).applyQuaternion(headQuaternion));
  }
}

const UP_AXIS = new Vector3(0, 1, 0);

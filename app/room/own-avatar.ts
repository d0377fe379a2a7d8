/**
 * This person's avatar into the pose channel, once per frame ([POSE17]): the
 * head from the camera (desktop and phone too), hands or controllers from the
 * XR input sources' grip spaces. Nothing is allocated per frame.
 */
import { type Camera, Matrix4, Quaternion, Vector3 } from 'three';
import type { PoseChannel } from '../pose/channel.ts';
import { PART_HEAD, PART_LEFT, PART_RIGHT } from '../pose/wire/protocol.ts';

const position = new Vector3();
const rotation = new Quaternion();
const scale = new Vector3();
const matrix = new Matrix4();
const handSeen = [false, false];

export function publishOwnAvatar(
  channel: PoseChannel,
  camera: Camera,
  xrFrame: XRFrame | undefined,
  referenceSpace: XRReferenceSpace | null,
): void {
  camera.getWorldPosition(position);
  camera.getWorldQuaternion(rotation);
  channel.setAvatarPart(PART_HEAD, position, rotation);

  handSeen[0] = false;
  handSeen[1] = false;
  if (xrFrame && referenceSpace) {
    const sources = xrFrame.session.inputSources;
    for (let i = 0; i < sources.length; i++) {
      const source = sources[i];
      if (!source || (source.handedness !== 'left' && source.handedness !== 'right')) continue;
      const space = source.gripSpace ?? source.targetRaySpace;
      const pose = xrFrame.getPose(space, referenceSpace);
      if (!pose) continue;
      // Reference space -> world: through the XR origin (the camera's parent) if it moved.
      matrix.fromArray(pose.transform.matrix);
      if (camera.parent) matrix.premultiply(camera.parent.matrixWorld);
      matrix.decompose(position, rotation, scale);
      const part = source.handedness === 'left' ? PART_LEFT : PART_RIGHT;
      channel.setAvatarPart(part, position, rotation);
      handSeen[part - 1] = true;
    }
  }
  if (!handSeen[0]) channel.clearAvatarPart(PART_LEFT);
  if (!handSeen[1]) channel.clearAvatarPart(PART_RIGHT);
}

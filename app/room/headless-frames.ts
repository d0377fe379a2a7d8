/**
 * The room without drawing: `?render=off` (a benchmark and troubleshooting
 * mode, docs/transports.md "Measuring at 60 Hz"). No canvas and no WebGL; a
 * timer runs `Room.frame()` every 16.67 ms, with a camera that follows the
 * desktop view as the canvas's would (DESK1), so the room does everything it
 * does per frame except draw: the own pose goes out, the channel ticks,
 * everyone else's avatar is sampled. What this measures is the network path
 * and the channel, not the renderer (on this project's 2-core machines
 * software GL draws a room at 5-20 frames a second).
 *
 * @example
 *   const stop = startHeadlessFrames(room);
 *   stop();
 */
import { PerspectiveCamera } from 'three';
import { viewQuaternion } from '../interaction/move/desktop-view.ts';
import { TICK_MS } from '../pose/wire/time.ts';
import type { Room } from './open-room.ts';

export function startHeadlessFrames(room: Room, now: () => number = () => performance.now()): () => void {
  const camera = new PerspectiveCamera(65, 1, 0.05, 1000);
  const detach = room.attach({ camera });
  let next = now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = () => {
    const t = now();
    camera.position.copy(room.view.position);
    viewQuaternion(room.view, camera.quaternion);
    camera.updateMatrixWorld();
    room.frame(t);
    // On the 16.67 ms grid, without drift; a late timer does not make up for missed frames.
    next = Math.max(next + TICK_MS, t + 1);
    timer = setTimeout(frame, next - now());
  };
  timer = setTimeout(frame, 0);
  return () => {
    clearTimeout(timer);
    detach();
  };
}

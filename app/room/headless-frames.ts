/**
 * The room's frames on a 60 Hz timer, for a page that has no renderer to run
 * them: no canvas and no WebGL; a timer runs a frame every 16.67 ms, with a
 * camera that follows the desktop view as the canvas's would (DESK1), so the
 * room does everything it does per frame except draw: the own pose goes out,
 * the channel ticks, everyone else's avatar is sampled. Two uses:
 *   - `?render=off` (a benchmark and troubleshooting mode, docs/transports.md
 *     "Measuring at 60 Hz"): `startHeadlessFrames` runs `Room.frame()` for the
 *     page's whole life. What this measures is the network path and the
 *     channel, not the renderer (on this project's 2-core machines software GL
 *     draws a room at 5-20 frames a second);
 *   - while a joining page holds its renderer back (ROOM6, join-hold.ts): the
 *     room runs its held frames on the same timer (`Room.holdFrames()`), until
 *     the renderer's display loop takes over.
 *
 * @example
 *   const stop = startHeadlessFrames(room);
 *   stop();
 */
import { PerspectiveCamera } from 'three';
import { type DesktopView, viewQuaternion } from '../interaction/move/desktop-view.ts';
import { TICK_MS } from '../pose/wire/time.ts';

/** What the timer needs of a room (`Room` fits): the desktop view its camera follows, and where to attach that camera. */
export interface TimedRoom {
  readonly view: DesktopView;
  attach(viewport: { camera: PerspectiveCamera }): () => void;
}

/** `?render=off`: the room's frames on the timer, for as long as the page lives. */
export function startHeadlessFrames(
  room: TimedRoom & { frame(time: number): void },
  now: () => number = () => performance.now(),
): () => void {
  return runFramesOnTimer(room, (time) => room.frame(time), now);
}

/**
 * Calls `frame(time)` every 16.67 ms with a camera attached to `room` that
 * follows its desktop view; returns a stop that ends the timer and detaches
 * the camera (which then stays only if nobody attached another meanwhile).
 */
export function runFramesOnTimer(
  room: TimedRoom,
  frame: (time: number) => void,
  now: () => number = () => performance.now(),
): () => void {
  const camera = new PerspectiveCamera(65, 1, 0.05, 1000);
  const detach = room.attach({ camera });
  let next = now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const step = () => {
    const t = now();
    camera.position.copy(room.view.position);
    viewQuaternion(room.view, camera.quaternion);
    camera.updateMatrixWorld();
    frame(t);
    // The frame may have stopped the timer (a hand-over, ROOM6): then it schedules nothing more.
    if (stopped) return;
    // On the 16.67 ms grid, without drift; a late timer does not make up for missed frames.
    next = Math.max(next + TICK_MS, t + 1);
    timer = setTimeout(step, next - now());
  };
  timer = setTimeout(step, 0);
  return () => {
    stopped = true;
    clearTimeout(timer);
    detach();
  };
}

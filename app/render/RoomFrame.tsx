import { advance, useFrame, useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import type { PerspectiveCamera, WebGLRenderer } from 'three';
import type { FrameStats } from '../room/frame-stats.ts';
import type { Room } from '../room/open-room.ts';
import { followDrawingContext } from '../room/render-demand.ts';

/** DRAW1: a drawn frame's main-thread time and three's counters for it, into the room's stats. */
function countDraw(stats: FrameStats, gl: WebGLRenderer, ms: number): void {
  stats.drawMs += ms;
  stats.drawCalls = gl.info.render.calls;
  stats.triangles = gl.info.render.triangles;
  stats.programs = gl.info.programs?.length ?? 0;
}

/** R3F's default pixel ratio: the screen's, within 1 to 2 (app/render/room-canvas.tsx). */
function screenPixelRatio(): number {
  return Math.min(Math.max(window.devicePixelRatio || 1, 1), 2);
}

/**
 * The room's one frame callback: R3F calls it once per rendered frame (the XR
 * frame in a headset) and the room runs its steps in its written order
 * (`Room.frame`). Also hands the room the camera and canvas it draws into.
 *
 * Outside XR the canvas never draws by itself (`frameloop="never"`,
 * app/boot/room-page.tsx): every display frame asks the room whether anything
 * needs drawing (ROOM5) and its pacing whether to draw now (ROOM4), and draws
 * it with `advance`, or lets the room tick its pose channel (`room.idle`). So
 * nothing else (a resize, a mesh added while the scene builds) draws a frame
 * the room did not ask for; instead they wake it: R3F's own invalidation (a
 * prop, mesh or material changed), a new size, the person's input, and a
 * restored WebGL context (until a frame is drawn into it: LOAD40). In a
 * headset the XR session's loop draws every XR frame (the frameloop is
 * `demand` then, which R3F's XR loop needs). While frames miss their budget
 * they are drawn with fewer pixels (DRAW7, `room.resolution`), and a room that
 * stops drawing draws its still picture once more at full resolution.
 */
export function RoomFrame({ room }: { room: Room }) {
  const camera = useThree((state) => state.camera) as PerspectiveCamera;
  const gl = useThree((state) => state.gl);
  const get = useThree((state) => state.get);
  const size = useThree((state) => state.size);
  useEffect(
    () => room.attach({ camera, element: gl.domElement, xrReferenceSpace: () => gl.xr.getReferenceSpace() }),
    [room, camera, gl],
  );
  useEffect(() => {
    const onSession = () => get().setFrameloop(gl.xr.isPresenting ? 'demand' : 'never');
    gl.xr.addEventListener('sessionstart', onSession);
    gl.xr.addEventListener('sessionend', onSession);
    // A session may have started before this mounted (its 'sessionstart' is gone): follow the present state.
    onSession();
    // R3F asks for a frame whenever the drawn tree changed (ROOM5); with `never` it would not draw one.
    get().set({ invalidate: () => room.demand.wake('render', performance.now()) });
    // The person's own input wakes the room (ROOM5) and is answered at full rate, joining or not (ROOM4).
    const onInput = () => {
      const now = performance.now();
      room.demand.wake('input', now);
      room.pacing.input(now);
    };
    const inputs = ['pointerdown', 'pointermove', 'pointerup', 'wheel', 'touchstart', 'keydown', 'keyup'] as const;
    for (const type of inputs) addEventListener(type, onInput, { passive: true, capture: true });
    // LOAD40: a restored context is empty until a frame is drawn into it: the room asks for one, input or not.
    const stopFollowingContext = followDrawingContext(gl.domElement, room.demand);
    let handle = 0;
    const draw = (now: number, scale: number) => {
      // DRAW7: the drawing buffer at the scale the last frames earned (R3F resizes it on a new ratio).
      const state = get();
      const ratio = screenPixelRatio() * scale;
      if (state.viewport.dpr !== ratio) state.setDpr(ratio);
      const start = performance.now();
      const rendered = gl.info.render.frame;
      advance(now / 1000, true, state);
      countDraw(room.stats, gl, performance.now() - start);
      // LOAD40: three drew it (into a lost context it draws nothing, and its frame count stays).
      if (gl.info.render.frame !== rendered) room.demand.drawn();
    };
    const { resolution } = room;
    const displayFrame = (now: number) => {
      handle = requestAnimationFrame(displayFrame);
      // XR sessions keep the runtime's framebuffer scale (DRAW7): their own loop draws them.
      if (gl.xr.isPresenting) return;
      const drawn = room.drawsFrame(now);
      resolution.displayFrame(now, drawn);
      if (drawn) draw(now, resolution.scale);
      else if (resolution.owesStillFrame() && !room.wantsFrame(now)) {
        // The room stopped drawing: the picture that stays on screen is drawn once at full resolution.
        draw(now, 1);
        resolution.stillFrameDrawn();
      } else room.idle();
    };
    handle = requestAnimationFrame(displayFrame);
    return () => {
      cancelAnimationFrame(handle);
      stopFollowingContext();
      for (const type of inputs) removeEventListener(type, onInput, { capture: true });
      gl.xr.removeEventListener('sessionstart', onSession);
      gl.xr.removeEventListener('sessionend', onSession);
    };
  }, [room, gl, get]);
  // A new size needs a frame at that size (ROOM5).
  useEffect(() => {
    if (size.width > 0 && size.height > 0) room.demand.wake('resize', performance.now());
  }, [room, size]);
  // The page clock, in every mode (the R3F clock stops while the frameloop is `never`).
  useFrame((_state, _delta, xrFrame?: XRFrame) => {
    const start = performance.now();
    room.frame(start, xrFrame);
    room.stats.stepsMs += performance.now() - start;
  });
  return null;
}

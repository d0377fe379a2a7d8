/**
 * A React Three Fiber root on a canvas, without React DOM (docs/performance.md
 * LOAD3, LOAD14): R3F's `createRoot` on a canvas this creates in `container`,
 * registering only the classes in `THREE_CATALOGUE` (R3F's `<Canvas>`
 * registers all of three and needs React DOM). It fills its container, follows
 * its size and the screen's pixel ratio (R3F's own range, 1 to 2), and sends R3F's pointer events from
 * the container, as `<Canvas>` does.
 *
 * @example
 *   const canvas = createRoomCanvas(element, { camera, gl, shadows: true, hold: true });
 *   canvas.render(<RoomView room={room} />);
 *   canvas.release(); // ROOM6: create the renderer now
 *   canvas.destroy();
 */
import { type CameraProps, events as createPointerEvents, createRoot, extend, type GLProps } from '@react-three/fiber';
import { type ReactNode, Suspense } from 'react';
import { drawsInSoftware } from './software-gl.ts';
import * as THREE_CATALOGUE from './three-catalogue.ts';

extend(THREE_CATALOGUE);

export interface RoomCanvasOptions {
  camera: CameraProps;
  gl: GLProps;
  shadows: boolean;
  /** R3F's frame loop; `never` when the room paces its own frames (ROOM4, RoomFrame.tsx). */
  frameloop?: 'always' | 'demand' | 'never';
  /** While true the renderer is not created yet: the container is laid out, the canvas stays blank (ROOM6). */
  hold?: boolean;
  /** The renderer was created (the timeline's `renderer_created`). */
  onRendererCreated?: () => void;
  /** DRAW5's probe made its WebGL context (the timeline's `software_gl_probe`; ROOM20: not before the hold ends). */
  onSoftwareProbe?: () => void;
}

export interface RoomCanvas {
  /** Draws `children` (an R3F tree) from now on; before `release()` they wait for the renderer. */
  render(children: ReactNode): void;
  /** Creates the renderer if it was held (ROOM6). */
  release(): void;
  destroy(): void;
}

interface Size {
  width: number;
  height: number;
  top: number;
  left: number;
}

export function createRoomCanvas(container: HTMLElement, options: RoomCanvasOptions): RoomCanvas {
  const { camera, shadows, frameloop = 'always', onRendererCreated } = options;
  // DRAW5: no multisampling where WebGL is drawn on the CPU (about half of a big room's frame there).
  // ROOM20: the probe is a WebGL context of its own (tens of milliseconds of the main thread in software
  // GL), so it is made with the renderer, not in the task that opens the room while the renderer is held.
  let gl: GLProps | undefined;
  const glProps = (): GLProps => {
    if (gl !== undefined) return gl;
    const wanted = options.gl;
    const antialiased = typeof wanted === 'object' && wanted !== null && 'antialias' in wanted && wanted.antialias;
    if (antialiased) {
      const software = drawsInSoftware();
      options.onSoftwareProbe?.();
      gl = software ? { ...wanted, antialias: false } : wanted;
    } else {
      gl = wanted;
    }
    return gl;
  };
  const canvas = document.createElement('canvas');
  canvas.style.display = 'block';
  canvas.style.width = '100%';
  canvas.style.height = '100%';
  container.style.overflow = 'hidden';
  container.append(canvas);
  const root = createRoot(canvas);
  let hold = options.hold ?? false;
  let children: ReactNode = null;
  let size: Size | undefined;
  let destroyed = false;

  // Settings the renderer is created with are fixed; the size follows the container. The pixel ratio is
  // R3F's default range (1 to 2 device pixels per CSS pixel), which R3F itself follows when it changes.
  const update = () => {
    if (destroyed || hold || !size || size.width === 0 || size.height === 0) return;
    void root
      .configure({
        camera,
        gl: glProps(),
        shadows,
        frameloop,
        size,
        events: createPointerEvents,
        onCreated: (state) => {
          state.events.connect?.(container);
          onRendererCreated?.();
        },
      })
      .then(() => {
        if (!destroyed) root.render(<Suspense fallback={null}>{children}</Suspense>);
      })
      .catch((error: unknown) => reportError(error));
  };

  const measure = () => {
    const { width, height, top, left } = container.getBoundingClientRect();
    if (size && size.width === width && size.height === height && size.top === top && size.left === left) return;
    size = { width, height, top, left };
    update();
  };
  const resizes = new ResizeObserver(measure);
  resizes.observe(container);

  measure();

  return {
    render(next) {
      children = next;
      update();
    },
    release() {
      if (!hold) return;
      hold = false;
      update();
    },
    destroy() {
      destroyed = true;
      resizes.disconnect();
      root.unmount();
      canvas.remove();
    },
  };
}

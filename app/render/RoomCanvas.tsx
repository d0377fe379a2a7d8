import {
  type CameraProps,
  events as createPointerEvents,
  createRoot,
  extend,
  type GLProps,
  type ReconcilerRoot,
} from '@react-three/fiber';
import { type HTMLAttributes, type ReactNode, Suspense, useEffect, useLayoutEffect, useRef, useState } from 'react';
import * as THREE_CATALOGUE from './three-catalogue.ts';

extend(THREE_CATALOGUE);

interface Size {
  width: number;
  height: number;
  top: number;
  left: number;
}

export interface RoomCanvasProps {
  className: string;
  testId: string;
  camera: CameraProps;
  gl: GLProps;
  shadows: boolean;
  /** R3F's frame loop; `never` when the room paces its own frames (ROOM4, RoomFrame.tsx). */
  frameloop?: 'always' | 'demand' | 'never';
  /** More attributes and handlers of the container (e.g. to make the view a keyboard stop). */
  container?: HTMLAttributes<HTMLDivElement>;
  /** While true the renderer is not created yet: the container is laid out, the canvas stays blank (ROOM6). */
  hold?: boolean;
  /** The renderer was created (the timeline's `renderer_created`). */
  onRendererCreated?: () => void;
  children: ReactNode;
}

/**
 * A React Three Fiber canvas on R3F's `createRoot`, registering only the
 * classes in `THREE_CATALOGUE` (R3F's `<Canvas>` registers all of three).
 * It fills its container, follows its size, and sends R3F's pointer events
 * from the container, as `<Canvas>` does.
 */
export function RoomCanvas({
  className,
  testId,
  camera,
  gl,
  shadows,
  frameloop = 'always',
  container: containerProps,
  hold = false,
  onRendererCreated,
  children,
}: RoomCanvasProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const rootRef = useRef<ReconcilerRoot<HTMLCanvasElement> | null>(null);
  const [size, setSize] = useState<Size>();
  // Settings the renderer is created with; later changes would need a new renderer.
  const initial = useRef({ camera, gl, shadows, frameloop });

  useLayoutEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const measure = () => {
      const { width, height, top, left } = container.getBoundingClientRect();
      setSize((old) =>
        old && old.width === width && old.height === height && old.top === top && old.left === left
          ? old
          : { width, height, top, left },
      );
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(container);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    const container = containerRef.current;
    if (hold || !size || size.width === 0 || size.height === 0 || !canvas || !container) return;
    rootRef.current ??= createRoot(canvas);
    const root = rootRef.current;
    void root
      .configure({
        ...initial.current,
        size,
        events: createPointerEvents,
        onCreated: (state) => {
          state.events.connect?.(container);
          onRendererCreated?.();
        },
      })
      .then(() => root.render(<Suspense fallback={null}>{children}</Suspense>))
      .catch((error: unknown) => reportError(error));
  }, [hold, size, children, onRendererCreated]);

  useEffect(
    () => () => {
      rootRef.current?.unmount();
      rootRef.current = null;
    },
    [],
  );

  return (
    <div
      {...containerProps}
      ref={containerRef}
      className={className}
      data-testid={testId}
      style={{ overflow: 'hidden' }}
    >
      <canvas ref={canvasRef} style={{ display: 'block', width: '100%', height: '100%' }} />
    </div>
  );
}

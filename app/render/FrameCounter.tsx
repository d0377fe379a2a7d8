import { useFrame } from '@react-three/fiber';
import type { FrameStats } from '../room/frame-stats.ts';

/** Counts rendered frames (and XR frames) into `stats`. */
export function FrameCounter({ stats }: { stats: FrameStats }) {
  useFrame((_state, _delta, xrFrame) => {
    stats.frames++;
    if (xrFrame) stats.xrFrames++;
    stats.lastFrameAt = performance.now();
  });
  return null;
}

/**
 * `window.__holoroom`: a read-only look at the live room for browser tests,
 * benchmarks and curious developers (it holds nothing the page owner cannot see).
 */
import type { FrameStats } from '../room/frame-stats.ts';
import type { ParserModule } from '../scene/parser/wasm-module.ts';
import type { RoomSession } from '../sync/room-session.ts';
import type { RoomXRStore } from '../xr/xr-store.ts';

export interface DebugHandle {
  session?: RoomSession;
  xrStore?: RoomXRStore;
  frameStats?: FrameStats;
  parser?: ParserModule;
}

declare global {
  interface Window {
    __holoroom?: DebugHandle;
  }
}

export function debugHandle(): DebugHandle {
  window.__holoroom ??= {};
  return window.__holoroom;
}

/**
 * The page's immersive session as the room sees it: a store with the current
 * `session` and `mode` (what @react-three/xr's XR store offers), so the room
 * can follow sessions starting and ending without depending on React.
 */
interface XRSessionState {
  session?: XRSession | null | undefined;
  mode?: XRSessionMode | null | undefined;
}

export interface XRSessionSource {
  getState(): XRSessionState;
  subscribe(listener: (state: XRSessionState, previous: XRSessionState) => void): () => void;
}

/** Calls `start` when a session begins and the function it returned when it ends; returns an unsubscribe. */
export function followXRSessions(source: XRSessionSource, start: (session: XRSession) => () => void): () => void {
  let current: XRSession | undefined;
  let end: (() => void) | undefined;
  const update = (state: XRSessionState) => {
    const session = state.session ?? undefined;
    if (session === current) return;
    end?.();
    end = undefined;
    current = session;
    if (session) end = start(session);
  };
  update(source.getState());
  const unsubscribe = source.subscribe((state) => update(state));
  return () => {
    unsubscribe();
    end?.();
    end = undefined;
    current = undefined;
  };
}

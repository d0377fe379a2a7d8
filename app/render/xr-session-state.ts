import { createContext, createElement, type ReactNode, useCallback, useContext, useSyncExternalStore } from 'react';
import type { XRSessionSource, XRSessionState } from '../room/xr-session.ts';

/**
 * The immersive session as the drawn room needs it (in XR? in AR?), without
 * importing the XR libraries: outside a browser that offers XR there is no
 * store and no session (app/xr/offer.ts), and the state is empty.
 */
const XRSessionContext = createContext<XRSessionSource | null>(null);
const EMPTY: XRSessionState = {};
const noSubscription = () => () => {};

/** `source` is undefined until the page's XR store arrives (ROOM10); its arrival re-renders the readers, nothing remounts (ROOM13). */
export function XRSessionProvider({ source, children }: { source: XRSessionSource | undefined; children: ReactNode }) {
  return createElement(XRSessionContext.Provider, { value: source ?? null }, children);
}

/** A value from the page's XR session state, re-rendering when it changes; `select` should return a primitive. */
export function useXRSessionState<T>(select: (state: XRSessionState) => T): T {
  const source = useContext(XRSessionContext);
  const subscribe = useCallback(
    (listener: () => void) => (source ? source.subscribe(() => listener()) : noSubscription()),
    [source],
  );
  return useSyncExternalStore(subscribe, () => select(source ? source.getState() : EMPTY));
}

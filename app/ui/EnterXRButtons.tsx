import { useEffect, useState } from 'react';
import { isSessionSupported } from '../xr/offer.ts';
import type { RoomXRStore } from '../xr/xr-store.ts';

/**
 * Enter VR / Enter AR where the browser offers them; `store` is absent where it
 * offers neither. `ready`: the XR layer has mounted in the canvas (LOAD4); until
 * then a press would have no canvas to start the session on. `failure`: the XR
 * code did not load (ROOM12); the room works without it, and the hint says so.
 */
export function EnterXRButtons({
  store,
  ready,
  failure,
}: {
  store: RoomXRStore | undefined;
  ready: boolean;
  failure?: string | undefined;
}) {
  const [modes, setModes] = useState({ vr: false, ar: false });
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!store) return;
    void Promise.all([isSessionSupported('immersive-vr'), isSessionSupported('immersive-ar')]).then(([vr, ar]) =>
      setModes({ vr, ar }),
    );
  }, [store]);
  const enter = (mode: 'vr' | 'ar') => {
    if (!store) return;
    setError(undefined);
    (mode === 'vr' ? store.enterVR() : store.enterAR()).catch((e: Error) =>
      setError(`Could not enter ${mode.toUpperCase()}: ${e.message}`),
    );
  };
  if (failure)
    return (
      <p className="hint" data-testid="xr-failure">
        VR could not load ({failure}). Reload the page to try again.
      </p>
    );
  if (!store || (!modes.vr && !modes.ar))
    return <p className="hint">Drag to look around. Open this link in a headset for VR.</p>;
  return (
    <div className="xr-buttons">
      {modes.vr && (
        <button type="button" className="primary" disabled={!ready} onClick={() => enter('vr')}>
          Enter VR
        </button>
      )}
      {modes.ar && (
        <button type="button" disabled={!ready} onClick={() => enter('ar')}>
          Enter AR
        </button>
      )}
      {error && <p className="error">{error}</p>}
    </div>
  );
}

import { useEffect, useState } from 'react';
import { isSessionSupported, type RoomXRStore } from '../xr/xr-store.ts';

export function EnterXRButtons({ store }: { store: RoomXRStore }) {
  const [modes, setModes] = useState({ vr: false, ar: false });
  const [error, setError] = useState<string>();
  useEffect(() => {
    void Promise.all([isSessionSupported('immersive-vr'), isSessionSupported('immersive-ar')]).then(([vr, ar]) =>
      setModes({ vr, ar }),
    );
  }, []);
  const enter = (mode: 'vr' | 'ar') => {
    setError(undefined);
    (mode === 'vr' ? store.enterVR() : store.enterAR()).catch((e: Error) =>
      setError(`Could not enter ${mode.toUpperCase()}: ${e.message}`),
    );
  };
  if (!modes.vr && !modes.ar) return <p className="hint">Drag to look around. Open this link in a headset for VR.</p>;
  return (
    <div className="xr-buttons">
      {modes.vr && (
        <button type="button" className="primary" onClick={() => enter('vr')}>
          Enter VR
        </button>
      )}
      {modes.ar && (
        <button type="button" onClick={() => enter('ar')}>
          Enter AR
        </button>
      )}
      {error && <p className="error">{error}</p>}
    </div>
  );
}

import { useEffect, useState } from 'react';
import type { Sky } from 'three/examples/jsm/objects/Sky.js';
import { afterRoomInteractive } from '../../room/frame-stats.ts';

/** LOAD11: a room that is not interactive this long after the sky was wanted loads it anyway. */
const SKY_LATEST_MS = 10_000;

/** The daylight sky, whose shader loads once the room is interactive (LOAD11): the first frames show none. */
export function SkyDome() {
  const [sky, setSky] = useState<Sky>();
  useEffect(() => {
    let mounted = true;
    let dome: Sky | undefined;
    afterRoomInteractive(SKY_LATEST_MS)
      .then(() => import('./sky-dome.ts'))
      .then(
        ({ createSkyDome }) => {
          if (!mounted) return;
          dome = createSkyDome();
          setSky(dome);
        },
        (error: unknown) => console.error(`holoroom: the daylight sky could not load: ${String(error)}`),
      );
    return () => {
      mounted = false;
      dome?.material.dispose();
    };
  }, []);
  return sky ? <primitive object={sky} /> : null;
}

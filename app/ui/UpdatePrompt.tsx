import { useEffect, useState } from 'react';
import { roomIdFromPath } from '../core/room-id.ts';
import { startServiceWorker } from '../pwa/service-worker-start.ts';
import type { UpdateController } from '../pwa/update-controller.ts';
import { useStore } from '../render/use-store.ts';
import { afterRoomInteractive } from '../room/frame-stats.ts';
import { createPortal } from './dom-renderer/index.ts';
import './pwa.css';
import { updatePromptSlot } from './update-prompt-slot.ts';

/** LOAD10: on a room link the worker registers once the room is interactive, or this long after the page opened. */
const REGISTER_LATEST_MS = 10_000;

function Offer({ controller }: { controller: UpdateController }) {
  const state = useStore(controller.state);
  const [later, setLater] = useState(false);
  if (state === 'current' || later) return null;
  return (
    <div className="update-prompt" role="status" data-testid="update-prompt">
      <p>A new version of Holoroom is ready.</p>
      <button
        type="button"
        className="primary"
        disabled={state === 'applying'}
        onClick={() => controller.apply()}
        data-testid="update-reload"
      >
        {state === 'applying' ? 'Reloading…' : 'Reload to update'}
      </button>
      <button type="button" onClick={() => setLater(true)}>
        Later
      </button>
    </div>
  );
}

/**
 * Registers the service worker once (on a room link after the room is
 * interactive, LOAD10) and offers a new deployment when one is waiting. The page reloads only when the person clicks (PWA7). In a room it
 * shows in the side panel's slot (LAYOUT4), elsewhere at the bottom right.
 */
export function UpdatePrompt() {
  const [controller, setController] = useState<UpdateController>();
  const slot = useStore(updatePromptSlot);
  useEffect(() => {
    let mounted = true;
    // LOAD10: the worker's code and its precache download wait until a room link's room is interactive.
    const first = roomIdFromPath(location.pathname) ? afterRoomInteractive(REGISTER_LATEST_MS) : Promise.resolve();
    void first.then(startServiceWorker).then((started) => {
      if (mounted) setController(started);
    });
    return () => {
      mounted = false;
    };
  }, []);
  if (!controller) return null;
  const offer = <Offer controller={controller} />;
  return slot ? createPortal(offer, slot) : offer;
}

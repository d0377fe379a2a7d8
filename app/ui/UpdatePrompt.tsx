import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { startServiceWorker, type UpdateController } from '../pwa/update-controller.ts';
import { useStore } from '../render/use-store.ts';
import './pwa.css';
import { updatePromptSlot } from './update-prompt-slot.ts';

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
 * Registers the service worker once and offers a new deployment when one is
 * waiting. The page reloads only when the person clicks (PWA7). In a room it
 * shows in the side panel's slot (LAYOUT4), elsewhere at the bottom right.
 */
export function UpdatePrompt() {
  const [controller, setController] = useState<UpdateController>();
  const slot = useStore(updatePromptSlot);
  useEffect(() => setController(startServiceWorker()), []);
  if (!controller) return null;
  const offer = <Offer controller={controller} />;
  return slot ? createPortal(offer, slot) : offer;
}

import { useState } from 'react';
import { SCENES, type SceneEntry, switchQuestion, switchScene } from '../scene/runtime/scene-catalog.ts';
import type { RoomSession } from '../sync/room-session.ts';
import './scene-ui.css';

/**
 * Switch the room to one of the shipped scenes (SCENE1): after a confirmation
 * (SCENE2), because it replaces the shared script for everyone in the room.
 * A viewer's page offers no switch (ROLE10): the button is disabled and says why.
 */
export function ScenePicker({
  session,
  viewOnlyHint,
  confirm = window.confirm.bind(window),
}: {
  session: RoomSession;
  /** Set when this page may not change the shared scene: why not. */
  viewOnlyHint?: string | undefined;
  confirm?(message: string): boolean;
}) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const choose = async (entry: SceneEntry) => {
    setOpen(false);
    if (!confirm(switchQuestion(entry))) return;
    setError(await switchScene(session.room, entry));
  };
  return (
    <div className="scene-picker">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        disabled={viewOnlyHint !== undefined}
        title={viewOnlyHint}
        data-testid="scene-picker"
      >
        Scenes
      </button>
      {open && viewOnlyHint === undefined && (
        <ul className="scene-menu">
          {SCENES.map((entry) => (
            <li key={entry.id}>
              <button type="button" onClick={() => void choose(entry)} data-scene={entry.id}>
                <strong>{entry.title}</strong>
                <small>{entry.summary}</small>
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

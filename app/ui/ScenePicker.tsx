import { useState } from 'react';
import { fetchSceneText, SCENES, type SceneEntry } from '../scene/runtime/scene-catalog.ts';
import type { RoomSession } from '../sync/room-session.ts';
import './scene-ui.css';

/**
 * Switch the room to one of the shipped scenes (SCENE1): after a confirmation
 * (SCENE2), because it replaces the shared script for everyone in the room.
 */
export function ScenePicker({
  session,
  confirm = window.confirm.bind(window),
}: {
  session: RoomSession;
  confirm?(message: string): boolean;
}) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const choose = async (entry: SceneEntry) => {
    setOpen(false);
    const question = `Switch everyone in this room to "${entry.title}"?\n\nThis replaces the shared scene script for everyone and puts every object back where the new scene places it.`;
    if (!confirm(question)) return;
    try {
      // SCENE1: the new script and a clean slate of object state, in one transaction.
      const result = session.room.replaceScene(await fetchSceneText(entry));
      setError(result.ok ? undefined : result.error);
    } catch (failure) {
      setError(`The scene could not be loaded: ${(failure as Error).message}`);
    }
  };
  return (
    <div className="scene-picker">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="scene-picker">
        Scenes
      </button>
      {open && (
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

import { type FormEvent, useState } from 'react';
import { looksLikeRoomCode, resolveRoomCode } from '../core/room-code.ts';
import { createRoomId, parseRoomInput, roomPath } from '../core/room-id.ts';
import { startProtectedRoom } from '../sync/roles/start-protected-room.ts';
import { navigate } from './navigation.ts';
import { VisitedRooms } from './VisitedRooms.tsx';

export function Landing() {
  const [input, setInput] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  // ROLE8: the owner key is made here, in the browser; its secret goes only into the owner link's fragment.
  // LOAD16: the keys' code loads when someone asks for a protected room.
  const createProtected = async () => {
    setBusy(true);
    setError(undefined);
    const started = await startProtectedRoom();
    setBusy(false);
    if (started.ok) navigate(started.path);
    else setError(started.error);
  };

  const join = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    if (looksLikeRoomCode(input)) {
      setBusy(true);
      const result = await resolveRoomCode(input);
      setBusy(false);
      if (result.ok) navigate(roomPath(result.roomId));
      else setError(result.error);
      return;
    }
    const parsed = parseRoomInput(input);
    if (parsed.ok) navigate(roomPath(parsed.roomId));
    else setError(parsed.error);
  };

  return (
    <main className="landing">
      <h1>Holoroom</h1>
      <p className="lede">
        A shared 3D room you open with a link: in a VR headset, on a laptop or on a phone. Everyone in the room can edit
        the scene together.
      </p>
      <div className="create-choice">
        <button type="button" className="primary" onClick={() => navigate(roomPath(createRoomId()))}>
          Create a room
        </button>
        <button type="button" onClick={createProtected} disabled={busy} data-testid="create-protected">
          Create a protected room
        </button>
        <p className="hint">
          In a room everyone with the link edits. A protected room gives you an owner link to keep and separate links
          for editors and for viewers, who look but change nothing: use it for anything you share in public.
        </p>
      </div>
      <form className="join" onSubmit={join}>
        <label htmlFor="join-input">Join a room: paste its link, or type its 6-letter code</label>
        <div className="row">
          <input
            id="join-input"
            value={input}
            onChange={(event) => setInput(event.target.value)}
            placeholder="https://…/r/… or K7M2QX"
            autoComplete="off"
            spellCheck={false}
          />
          <button type="submit" disabled={busy || input.trim() === ''}>
            Join
          </button>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </form>
      <VisitedRooms />
    </main>
  );
}

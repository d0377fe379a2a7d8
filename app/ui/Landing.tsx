import { type FormEvent, useState } from 'react';
import { looksLikeRoomCode, resolveRoomCode } from '../core/room-code.ts';
import { createRoomId, parseRoomInput, roomPath } from '../core/room-id.ts';
import { navigate } from './navigation.ts';
import { VisitedRooms } from './VisitedRooms.tsx';

export function Landing() {
  const [input, setInput] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

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
      <button type="button" className="primary" onClick={() => navigate(roomPath(createRoomId()))}>
        Create a room
      </button>
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

import { type FormEvent, useEffect, useState } from 'react';
import { ROOM_NAME_MAX_CHARS, roomTitle } from '../core/room-name.ts';
import type { RoomDoc } from '../sync/doc/room-doc.ts';

/** The room's name as it is in the room document, following local and remote changes (NAME1). */
export function useRoomName(doc: RoomDoc): string {
  const [name, setName] = useState(() => doc.roomName());
  useEffect(() => {
    setName(doc.roomName());
    return doc.observeRoomName(setName);
  }, [doc]);
  return name;
}

/**
 * The room's name in the title bar, editable by anyone in the room: it is
 * written to the room document on Enter or when the field loses focus, and
 * also names the browser tab (NAME2).
 */
export function RoomName({ doc }: { doc: RoomDoc }) {
  const name = useRoomName(doc);
  const [draft, setDraft] = useState(name);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (!editing) setDraft(name);
  }, [name, editing]);
  useEffect(() => {
    document.title = `${roomTitle(name)} · Holoroom`;
  }, [name]);
  const commit = (event?: FormEvent) => {
    event?.preventDefault();
    doc.setRoomName(draft);
    setDraft(doc.roomName());
    setEditing(false);
  };
  return (
    <form className="room-name" onSubmit={commit}>
      <input
        aria-label="Room name"
        data-testid="room-name"
        value={draft}
        placeholder="Untitled room"
        maxLength={ROOM_NAME_MAX_CHARS * 2}
        onFocus={() => setEditing(true)}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={() => commit()}
        spellCheck={false}
      />
    </form>
  );
}

import { useEffect, useState } from 'react';
import type { RoomSession } from '../sync/room-session.ts';

/** Script length and object count, following the shared document. */
export function useRoomSize(session: RoomSession): { scriptChars: number; objectCount: number } {
  const [size, setSize] = useState(() => ({
    scriptChars: session.room.scriptLength,
    objectCount: session.room.objectCount,
  }));
  useEffect(() => {
    const update = () => setSize({ scriptChars: session.room.scriptLength, objectCount: session.room.objectCount });
    const stopScript = session.room.observeScript(update);
    const stopObjects = session.room.observeObjects(update);
    update();
    return () => {
      stopScript();
      stopObjects();
    };
  }, [session]);
  return size;
}

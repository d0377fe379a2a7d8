import { useState } from 'react';
import { roomPath } from '../core/room-id.ts';
import { roomTitle } from '../core/room-name.ts';
import { loadVisitedRooms, removeVisitedRoom, type VisitedRoom } from '../core/visited-rooms.ts';

const MINUTE = 60_000;

/** "just now", "5 minutes ago", "3 hours ago", "yesterday", or a date. */
function when(visitedAt: number, now: number): string {
  const ago = now - visitedAt;
  if (ago < MINUTE) return 'just now';
  if (ago < 60 * MINUTE) return `${Math.floor(ago / MINUTE)} min ago`;
  if (ago < 24 * 60 * MINUTE) return `${Math.floor(ago / (60 * MINUTE))} h ago`;
  if (ago < 48 * 60 * MINUTE) return 'yesterday';
  return new Date(visitedAt).toLocaleDateString();
}

function who(people: readonly string[]): string {
  if (people.length === 0) return 'nobody else';
  if (people.length <= 3) return people.join(', ');
  return `${people.slice(0, 3).join(', ')} and ${people.length - 3} more`;
}

/** VISIT1, VISIT4: the rooms this device has been in, newest first, each with a remove button. */
export function VisitedRooms() {
  const [rooms, setRooms] = useState<VisitedRoom[]>(() => loadVisitedRooms(localStorage));
  if (rooms.length === 0) return null;
  const now = Date.now();
  return (
    <section className="visited" aria-labelledby="visited-heading" data-testid="visited-rooms">
      <h2 id="visited-heading">Your rooms on this device</h2>
      <ul>
        {rooms.map((room) => (
          <li key={room.roomId} data-room-id={room.roomId}>
            <a href={roomPath(room.roomId)} className="visited-link">
              <strong className="visited-name">{roomTitle(room.name)}</strong>
              <small>
                {room.scene || 'Unknown scene'} · {when(room.visitedAt, now)} · with {who(room.people)}
              </small>
            </a>
            <button
              type="button"
              aria-label={`Remove ${roomTitle(room.name)} from this list`}
              onClick={() => setRooms(removeVisitedRoom(localStorage, room.roomId))}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

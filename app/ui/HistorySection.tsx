/**
 * The room's "History" button in its side panel (docs/history.md HIST8), for
 * those who may restore; the panel itself is a chunk of its own, loaded when
 * the button is first pressed.
 */
import { lazy, Suspense, useState } from 'react';
import type { RoomId } from '../core/ids.ts';
import { mayUseHistory } from '../sync/history/history-access.ts';
import type { RoomSession } from '../sync/room-session.ts';

const HistoryPanel = lazy(() => import('./HistoryPanel.tsx'));

export function HistorySection({ roomId, session }: { roomId: RoomId; session: RoomSession }) {
  const [open, setOpen] = useState(false);
  if (!mayUseHistory(session.credential, session.transports.server)) return null;
  if (!open) {
    return (
      <button type="button" className="history-open" onClick={() => setOpen(true)} data-testid="history-open">
        History
      </button>
    );
  }
  return (
    <Suspense fallback={<p className="notice">Loading the history…</p>}>
      <HistoryPanel roomId={roomId} session={session} onClose={() => setOpen(false)} />
    </Suspense>
  );
}

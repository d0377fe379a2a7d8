/**
 * The room's history (docs/history.md HIST8): the server's snapshots, newest
 * first, each with a "Restore" that asks before it changes the room for
 * everyone. Loaded on first open (HistorySection.tsx); the requests and the
 * restore are plain TypeScript (app/sync/history/, RoomDoc.restore).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RoomId } from '../core/ids.ts';
import {
  fetchSnapshot,
  type HistoryTarget,
  listSnapshots,
  type SnapshotSummary,
} from '../sync/history/history-client.ts';
import type { RoomSession } from '../sync/room-session.ts';
import './history-panel.css';

type Listing =
  | { state: 'loading' }
  | { state: 'failed'; error: string }
  | { state: 'listed'; snapshots: SnapshotSummary[] };

function when(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

function describe(snapshot: SnapshotSummary): string {
  if (snapshot.reason === 'periodic') return 'periodic';
  return snapshot.by.length > 0 ? `before a wipe by ${snapshot.by.join(', ')}` : 'before a wipe';
}

export default function HistoryPanel({
  roomId,
  session,
  onClose,
}: {
  roomId: RoomId;
  session: RoomSession;
  onClose(): void;
}) {
  const [listing, setListing] = useState<Listing>({ state: 'loading' });
  const [confirming, setConfirming] = useState<number>();
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const target = useMemo<HistoryTarget>(
    () => ({ serverUrl: location.origin, roomId, ...(session.credential ? { credential: session.credential } : {}) }),
    [roomId, session],
  );
  const refresh = useCallback(async () => {
    setListing({ state: 'loading' });
    const list = await listSnapshots(target);
    setListing(list.ok ? { state: 'listed', snapshots: list.snapshots } : { state: 'failed', error: list.error });
  }, [target]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const restore = async (snapshot: SnapshotSummary) => {
    setBusy(true);
    setConfirming(undefined);
    const fetched = await fetchSnapshot(target, snapshot.id);
    const result = fetched.ok ? session.room.restore(fetched.update) : fetched;
    setMessage(result.ok ? `Restored the room to ${when(snapshot.takenAt)}.` : result.error);
    setBusy(false);
    void refresh();
  };

  return (
    <section className="history-panel" aria-label="Room history" data-testid="history-panel">
      <header>
        <h2>History</h2>
        <button type="button" onClick={() => void refresh()} disabled={busy}>
          Refresh
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      {message && (
        <p className="notice" role="status" data-testid="history-message">
          {message}
        </p>
      )}
      {listing.state === 'loading' && <p className="notice">Asking the server…</p>}
      {listing.state === 'failed' && <p className="error">{listing.error}</p>}
      {listing.state === 'listed' && listing.snapshots.length === 0 && (
        <p className="notice">No snapshots yet: the server keeps one every 10 minutes while the room changes.</p>
      )}
      {listing.state === 'listed' && listing.snapshots.length > 0 && (
        <ol>
          {listing.snapshots.map((snapshot) => (
            <li key={snapshot.id} data-testid="history-entry" data-reason={snapshot.reason}>
              <time dateTime={new Date(snapshot.takenAt).toISOString()}>{when(snapshot.takenAt)}</time>
              <span className="history-reason">{describe(snapshot)}</span>
              <span className="history-people">
                {snapshot.present.length > 0 ? `with ${snapshot.present.join(', ')}` : 'nobody present'} ·{' '}
                {size(snapshot.bytes)}
              </span>
              {confirming === snapshot.id ? (
                <span className="history-confirm">
                  Restore the room to {when(snapshot.takenAt)} for everyone?
                  <button type="button" onClick={() => void restore(snapshot)} data-testid="history-confirm">
                    Restore
                  </button>
                  <button type="button" onClick={() => setConfirming(undefined)}>
                    Cancel
                  </button>
                </span>
              ) : (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => setConfirming(snapshot.id)}
                  data-testid="history-restore"
                >
                  Restore
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

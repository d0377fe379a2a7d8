import { type FormEvent, useState } from 'react';
import { cleanName, loadIdentity, saveIdentity } from '../core/identity.ts';
import { useStore } from '../render/use-store.ts';
import type { RoomSession } from '../sync/room-session.ts';

function NameEditor({ session }: { session: RoomSession }) {
  const [identity, setIdentity] = useState(() => loadIdentity(localStorage));
  const [draft, setDraft] = useState(identity.name);
  const commit = (event?: FormEvent) => {
    event?.preventDefault();
    const name = cleanName(draft);
    if (!name || name === identity.name) return setDraft(identity.name);
    const next = { ...identity, name };
    saveIdentity(localStorage, next);
    session.setIdentity(next);
    setIdentity(next);
    setDraft(name);
  };
  return (
    <form className="me" onSubmit={commit}>
      <span className="swatch" style={{ background: identity.color }} aria-hidden="true" />
      <input aria-label="Your name" value={draft} onChange={(e) => setDraft(e.target.value)} onBlur={() => commit()} />
    </form>
  );
}

/**
 * Who is in the room (from awareness), with my own editable name on top.
 * Offline nobody can be seen, which is not the same as nobody being there (PWA12).
 */
export function PresenceList({ session, offline }: { session: RoomSession; offline: boolean }) {
  const { peers } = useStore(session.status);
  return (
    <section className="presence" aria-label="People in this room">
      <NameEditor session={session} />
      <ul data-testid="presence-list">
        {peers.map((peer) => (
          <li key={peer.peerId} data-peer-name={peer.name}>
            <span className="swatch" style={{ background: peer.color }} aria-hidden="true" />
            {peer.name}
            {peer.inXR && <span className="tag">in VR</span>}
          </li>
        ))}
      </ul>
      {peers.length === 0 &&
        (offline ? (
          <p className="hint" data-testid="presence-offline">
            You are offline, so others in this room cannot be seen. They appear here when the connection returns.
          </p>
        ) : (
          <p className="hint">Nobody else is here yet. Share the link to invite someone.</p>
        ))}
    </section>
  );
}

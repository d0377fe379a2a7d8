import { type FormEvent, useState } from 'react';
import { cleanName, loadIdentity, saveIdentity } from '../core/identity.ts';
import { createStore } from '../core/store.ts';
import { useStore } from '../render/use-store.ts';
import { useVoiceState } from '../render/use-voice.ts';
import type { Room } from '../room/open-room.ts';
import type { RoomSession } from '../sync/room-session.ts';
import type { VoicePeerView } from '../voice/voice-state.ts';

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

/** One person's voice as I hear it: speaking, reachable, left out for nearer speakers, my volume (VOICE4, VOICE5, VOICE13, VOICE14). */
function PeerVoice({ room, name, voice }: { room: Room; name: string; voice: VoicePeerView }) {
  if (voice.connection === 'failed')
    return (
      <span className="tag" data-testid="peer-no-voice">
        no voice connection
      </span>
    );
  return (
    <>
      {voice.speaking && <span className="tag speaking">speaking</span>}
      {voice.leftOut && (
        <span className="tag" data-testid="peer-left-out" title="Many microphones are open: you hear the nearest">
          too far to hear
        </span>
      )}
      <input
        type="range"
        min={0}
        max={1}
        step={0.05}
        value={voice.volume}
        aria-label={`Volume of ${name}`}
        data-testid="peer-volume"
        onChange={(e) => room.voice.get()?.setVolume(voice.peerId, Number(e.target.value))}
      />
      <button
        type="button"
        data-testid="peer-mute"
        aria-pressed={voice.volume === 0}
        onClick={() => room.voice.get()?.setVolume(voice.peerId, voice.volume === 0 ? 1 : 0)}
      >
        {voice.volume === 0 ? 'Unmute for me' : 'Mute for me'}
      </button>
    </>
  );
}

/** MOD1: the owner removes a person's session (their page closes, every peer and the server drop it). */
function RemoveButton({ session, peerSession, name }: { session: RoomSession; peerSession: string; name: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      data-testid="peer-remove"
      disabled={pending}
      title={`Remove ${name} from this room: their connections are closed and they cannot come back with this session`}
      onClick={() => {
        setPending(true);
        void session.kick(peerSession);
      }}
    >
      Remove
    </button>
  );
}

const NOBODY_MUTED = createStore<ReadonlySet<string>>(new Set());

/** MOD6: the owner mutes or unmutes a person's voice for everyone (their page stops sending, nobody plays it). */
function OwnerMuteButton({ session, peerSession, name }: { session: RoomSession; peerSession: string; name: string }) {
  const muted = useStore(session.moderation?.voiceMuted ?? NOBODY_MUTED).has(peerSession);
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      data-testid="peer-owner-mute"
      aria-pressed={muted}
      disabled={pending}
      title={muted ? `Let ${name} be heard again` : `Mute ${name} for everyone until you unmute them`}
      onClick={() => {
        setPending(true);
        void session.setVoiceMuted(peerSession, !muted).finally(() => setPending(false));
      }}
    >
      {muted ? 'Unmute' : 'Mute'}
    </button>
  );
}

/**
 * Who is in the room (from awareness), with my own editable name on top and each person's voice.
 * Offline nobody can be seen, which is not the same as nobody being there (PWA12).
 */
export function PresenceList({ room, offline }: { room: Room; offline: boolean }) {
  const session = room.session;
  const { peers } = useStore(session.status);
  const voice = useVoiceState(room);
  const voices = new Map(voice.peers.map((v) => [v.peerId, v]));
  const owner = session.credential?.role === 'owner';
  return (
    <section className="presence" aria-label="People in this room">
      <NameEditor session={session} />
      <ul data-testid="presence-list">
        {peers.map((peer) => (
          <li
            key={peer.peerId}
            data-peer-name={peer.name}
            data-peer-id={peer.peerId}
            data-speaking={voices.get(peer.peerId)?.speaking ?? false}
            data-away={peer.away}
            data-name-check={peer.nameCheck}
            data-peer-session={peer.session}
          >
            <span className="swatch" style={{ background: peer.color }} aria-hidden="true" />
            <span className="peer-name" data-testid="peer-name" title={peer.name}>
              {peer.name}
            </span>
            {peer.fingerprint && (
              <span
                className="tag"
                data-testid="peer-fingerprint"
                title="Someone else here has the same name: this is their key's fingerprint"
              >
                {peer.fingerprint}
              </span>
            )}
            {peer.nameCheck === 'unverified' && (
              <span className="tag" title="This person's name is not signed by their session key, so it is not shown">
                name not verified
              </span>
            )}
            {peer.inXR && <span className="tag">in VR</span>}
            {owner && peer.session && (
              <>
                <OwnerMuteButton session={session} peerSession={peer.session} name={peer.name} />
                <RemoveButton session={session} peerSession={peer.session} name={peer.name} />
              </>
            )}
            {peer.away && (
              <span className="tag" title="Their page is hidden: they see nothing and stand still">
                away
              </span>
            )}
            {voices.has(peer.peerId) && (
              <PeerVoice room={room} name={peer.name} voice={voices.get(peer.peerId) as VoicePeerView} />
            )}
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

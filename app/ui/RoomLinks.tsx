import { useEffect, useState } from 'react';
import type { RoomId } from '../core/ids.ts';
import { roomPath } from '../core/room-id.ts';
import { createStore } from '../core/store.ts';
import { useStore } from '../render/use-store.ts';
import type { RoomCredential } from '../sync/roles/room-credential.ts';
import { DEFAULT_ROOM_SETTINGS, type RoomSettings } from '../sync/roles/room-settings.ts';
import type { RoomSession } from '../sync/room-session.ts';
import { useCopyLink } from './use-copy-link.ts';

/** The three links of a protected room, for its owner (docs/roles.md ROLE8). */
interface Links {
  editor: string;
  viewer: string;
  owner: string;
}

type Owner = Extract<RoomCredential, { role: 'owner' }>;

const NO_EPOCH = createStore(0);

/**
 * The owner's links: editor and viewer links to share, and the owner link to
 * keep (it is the only copy of the owner key). The editor link is minted here
 * for the room's current editor epoch, a fresh editor key each time; every one
 * the owner signed for that epoch works. "Make a new editor link" raises the
 * epoch (docs/roles.md ROT1): the links minted before stop working.
 */
export function RoomLinks({ roomId, session, owner }: { roomId: RoomId; session: RoomSession; owner: Owner }) {
  const [links, setLinks] = useState<Links>();
  const [rotating, setRotating] = useState(false);
  const epoch = useStore(session.moderation?.editorEpoch ?? NO_EPOCH);
  useEffect(() => {
    let cancelled = false;
    const base = `${location.origin}${roomPath(roomId)}`;
    // LOAD16: the keys' code, which the owner's page loaded when it read its link.
    void import('../sync/roles/credential-keys.ts').then(async ({ mintEditorCapability, editorHash, ownerHash }) => {
      const capability = await mintEditorCapability(owner, epoch);
      if (cancelled) return;
      setLinks({
        editor: `${base}${editorHash(capability)}`,
        viewer: base,
        owner: `${base}${ownerHash(owner.seed)}`,
      });
      setRotating(false);
    });
    return () => {
      cancelled = true;
    };
  }, [roomId, owner, epoch]);
  return (
    <details className="room-links" data-testid="room-links">
      <summary>Room links</summary>
      {links ? (
        <dl>
          <LinkRow label="Editors can change the room" link={links.editor} testId="editor-link" />
          <dd>
            <button
              type="button"
              data-testid="rotate-editor-link"
              data-epoch={epoch}
              disabled={rotating}
              onClick={() => {
                setRotating(true);
                void session.rotateEditorLink();
              }}
            >
              Make a new editor link (old ones stop working)
            </button>
          </dd>
          <LinkRow label="Viewers can look, not change" link={links.viewer} testId="viewer-link" />
          <dd>
            <ViewersMayGrab session={session} />
          </dd>
          <LinkRow
            label="Your owner link: keep it safe, it cannot be recovered"
            link={links.owner}
            testId="owner-link"
          />
        </dl>
      ) : (
        <p>Signing the editor link…</p>
      )}
    </details>
  );
}

const NO_SETTINGS = createStore<RoomSettings>(DEFAULT_ROOM_SETTINGS);

/** ROLE11: the owner's setting letting viewers grab and move shared objects (nothing else). */
function ViewersMayGrab({ session }: { session: RoomSession }) {
  const { viewersMayGrab } = useStore(session.moderation?.settings ?? NO_SETTINGS);
  const [pending, setPending] = useState(false);
  return (
    <label>
      <input
        type="checkbox"
        data-testid="viewers-may-grab"
        checked={viewersMayGrab}
        disabled={pending}
        onChange={(event) => {
          setPending(true);
          void session.setRoomSettings({ viewersMayGrab: event.target.checked }).finally(() => setPending(false));
        }}
      />
      Viewers may grab and move objects
    </label>
  );
}

function LinkRow({ label, link, testId }: { label: string; link: string; testId: string }) {
  const { copied, copy } = useCopyLink(link);
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <input readOnly value={link} data-testid={testId} aria-label={label} onFocus={(e) => e.target.select()} />
        <button type="button" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </dd>
    </>
  );
}

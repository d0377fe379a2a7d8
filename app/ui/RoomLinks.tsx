import { useEffect, useState } from 'react';
import type { RoomId } from '../core/ids.ts';
import { roomPath } from '../core/room-id.ts';
import { editorHash, mintEditorCapability, ownerHash, type RoomCredential } from '../sync/roles/room-credential.ts';
import { useCopyLink } from './use-copy-link.ts';

/** The three links of a protected room, for its owner (docs/roles.md ROLE8). */
interface Links {
  editor: string;
  viewer: string;
  owner: string;
}

type Owner = Extract<RoomCredential, { role: 'owner' }>;

/**
 * The owner's links: editor and viewer links to share, and the owner link to
 * keep (it is the only copy of the owner key). The editor link is minted here,
 * a fresh editor key each time the page opens; every one the owner signed works.
 */
export function RoomLinks({ roomId, owner }: { roomId: RoomId; owner: Owner }) {
  const [links, setLinks] = useState<Links>();
  useEffect(() => {
    let cancelled = false;
    const base = `${location.origin}${roomPath(roomId)}`;
    void mintEditorCapability(owner).then((capability) => {
      if (cancelled) return;
      setLinks({ editor: `${base}${editorHash(capability)}`, viewer: base, owner: `${base}${ownerHash(owner.seed)}` });
    });
    return () => {
      cancelled = true;
    };
  }, [roomId, owner]);
  return (
    <details className="room-links" data-testid="room-links">
      <summary>Room links</summary>
      {links ? (
        <dl>
          <LinkRow label="Editors can change the room" link={links.editor} testId="editor-link" />
          <LinkRow label="Viewers can look, not change" link={links.viewer} testId="viewer-link" />
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

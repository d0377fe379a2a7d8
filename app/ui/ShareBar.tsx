import { useState } from 'react';
import type { RoomId } from '../core/ids.ts';
import { formatCode, requestRoomCode } from '../core/room-code.ts';
import { roomPath } from '../core/room-id.ts';
import { invitation } from '../core/room-name.ts';
import { passwordFromHash, passwordHash } from '../sync/room-link.ts';
import { useCopyLink } from './use-copy-link.ts';

/** The room link is the invitation: copy it, share it, or show a short code to type on a headset. */
export function ShareBar({ roomId, name }: { roomId: RoomId; name: string }) {
  // A password room's link carries its password in the fragment (never sent to servers, PW1).
  const password = passwordFromHash(location.hash);
  const link = `${location.origin}${roomPath(roomId)}${password ? passwordHash(password) : ''}`;
  const { copied, copy } = useCopyLink(link, 'Copy this room link:');
  const [code, setCode] = useState<string>();
  const [codeError, setCodeError] = useState(false);

  // NAME2: the share sheet names the room.
  const share = () => navigator.share(invitation(name, link)).catch(() => undefined);
  const showCode = async () => {
    const issued = await requestRoomCode(roomId);
    setCodeError(issued === undefined);
    setCode(issued);
  };

  return (
    <div className="share">
      <button type="button" onClick={copy}>
        {copied ? 'Link copied' : 'Copy link'}
      </button>
      {'share' in navigator && (
        <button type="button" onClick={share}>
          Share…
        </button>
      )}
      {/* PW2: a code resolves to the room id only, so in a password room it would lead to the public twin. */}
      <button
        type="button"
        onClick={showCode}
        disabled={password !== undefined}
        data-testid="room-code"
        title={
          password
            ? "A room code cannot carry this room's password: share the link instead"
            : 'A short code to type on a headset keyboard'
        }
      >
        {code ? `Code ${formatCode(code)}` : 'Room code'}
      </button>
      {codeError && <span className="error">No code: server unreachable</span>}
    </div>
  );
}

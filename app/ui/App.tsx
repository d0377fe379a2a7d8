import { useEffect } from 'react';
import { roomIdFromPath } from '../core/room-id.ts';
import { Landing } from './Landing.tsx';
import { navigate, usePathname } from './navigation.ts';
import { UpdatePrompt } from './UpdatePrompt.tsx';

export function App() {
  return (
    <>
      <Page />
      <UpdatePrompt />
    </>
  );
}

function Page() {
  const pathname = usePathname();
  if (pathname === '/' || pathname === '/index.html') return <Landing />;
  if (roomIdFromPath(pathname)) return <RoomLink />;
  return (
    <main className="landing">
      <h1>Not a room</h1>
      <p>This link does not point to a Holoroom room.</p>
      <button type="button" onClick={() => navigate('/')}>
        Go to the start page
      </button>
    </main>
  );
}

/**
 * A room is a page of its own (app/boot/room-page.tsx, docs/performance.md LOAD14): `navigate` loads it
 * as a document; going back or forward onto one within this document loads it the same way.
 */
function RoomLink() {
  useEffect(() => location.reload(), []);
  return <div className="splash">Opening room…</div>;
}

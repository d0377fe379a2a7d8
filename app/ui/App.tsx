import { lazy, Suspense } from 'react';
import { roomIdFromPath } from '../core/room-id.ts';
import { Landing } from './Landing.tsx';
import { navigate, usePathname } from './navigation.ts';
import { UpdatePrompt } from './UpdatePrompt.tsx';

// The 3D room (three, R3F, XR, Yjs) is a separate chunk: the landing page stays light.
const RoomPage = lazy(() => import('./RoomPage.tsx'));

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
  const roomId = roomIdFromPath(pathname);
  if (roomId) {
    return (
      <Suspense fallback={<div className="splash">Opening room…</div>}>
        <RoomPage key={roomId} roomId={roomId} />
      </Suspense>
    );
  }
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

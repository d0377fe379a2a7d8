/**
 * The page's entry: it loads only what this URL shows (docs/performance.md
 * LOAD14). A room link boots the room on R3F's own root and loads the DOM
 * renderer (app/ui/dom-renderer/, LOAD27) with the room's panels once the
 * room is interactive; every other page is the start page's app on it.
 */
import { roomIdFromPath } from './core/room-id.ts';
import './ui/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html must contain <div id="root">');
const roomId = roomIdFromPath(location.pathname);
if (roomId) void import('./boot/room-page.tsx').then(({ bootRoomPage }) => bootRoomPage(root, roomId));
else void import('./boot/start-page.tsx').then(({ bootStartPage }) => bootStartPage(root));

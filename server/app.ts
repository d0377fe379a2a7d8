/**
 * The Holoroom server: one HTTP(S) listener on one port that serves the app,
 * the JSON endpoints and the WebSocket endpoints. `startServer` is what both
 * `server/main.ts` and the tests call.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { handleApi } from './api.ts';
import type { ServerConfig } from './config.ts';
import type { Logger } from './log.ts';
import { RelayServer } from './relay.ts';
import { DEFAULT_ROOM_CODE_OPTIONS, type RoomCodeOptions, RoomCodes } from './room-codes.ts';
import { SECURITY_HEADERS } from './security-headers.ts';
import { DEFAULT_SIGNALING_LIMITS, type SignalingLimits, SignalingServer } from './signaling.ts';
import { StaticFiles } from './static-files.ts';
import type { RoomSyncLimits } from './yjs/limits.ts';
import { RoomSyncServer } from './yjs/room-sync.ts';

/** Longest request URL accepted (HTTP 414 beyond). */
const MAX_URL_LENGTH = 4096;

export interface ServerOptions extends ServerConfig {
  signalingLimits?: Partial<SignalingLimits>;
  roomCodes?: Partial<RoomCodeOptions>;
  roomSyncLimits?: Partial<RoomSyncLimits>;
}

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  signaling: SignalingServer;
  /** Room documents over the y-websocket protocol at `/sync`, persisted in dataDir. */
  roomSync: RoomSyncServer;
  /** Stops accepting, closes every socket (1001), and resolves when done. */
  close(): Promise<void>;
}

/** Controller and hand models for XR, served from the npm package (no CDN). */
function inputProfilesDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@webxr-input-profiles/assets/package.json')), 'dist', 'profiles');
}

export async function startServer(options: ServerOptions, logger: Logger): Promise<RunningServer> {
  const signaling = new SignalingServer(logger, { ...DEFAULT_SIGNALING_LIMITS, ...options.signalingLimits });
  const roomSync = new RoomSyncServer(options.dataDir, logger, options.roomSyncLimits);
  const relay = new RelayServer(logger);
  const codes = new RoomCodes({ ...DEFAULT_ROOM_CODE_OPTIONS, ...options.roomCodes });
  const files = new StaticFiles(
    options.staticDir,
    [{ prefix: '/xr-profiles/', dir: inputProfilesDir(), cacheControl: 'public, max-age=86400' }],
    SECURITY_HEADERS,
  );

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const rawUrl = req.url ?? '/';
    if (rawUrl.length > MAX_URL_LENGTH) {
      res.writeHead(414, { 'Content-Type': 'text/plain' }).end('URL too long\n');
      return;
    }
    const pathname = new URL(rawUrl, 'http://placeholder').pathname;
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (handleApi(req, res, pathname, { ice: options.ice, codes })) return;
    files.handle(req, res, pathname);
  };

  const upgradeRoutes: Record<string, (req: IncomingMessage, socket: Duplex, head: Buffer) => void> = {
    '/signal': (req, socket, head) => signaling.handleUpgrade(req, socket, head),
    '/sync': (req, socket, head) => roomSync.handleUpgrade(req, socket, head),
    '/relay': (req, socket, head) => relay.handleUpgrade(req, socket, head),
  };

  const server: Server = options.https
    ? createHttpsServer({ cert: options.https.cert, key: options.https.key }, onRequest)
    : createHttpServer(onRequest);

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const pathname = new URL(req.url ?? '/', 'http://placeholder').pathname;
    const route = upgradeRoutes[pathname];
    if (!route) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    route(req, socket, head);
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${options.https ? 'https' : 'http'}://${hostForUrl}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    signaling,
    roomSync,
    close() {
      closing ??= new Promise<void>((resolve) => {
        signaling.close();
        relay.close();
        // Compacts live rooms and closes the store before the process may exit.
        roomSync.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

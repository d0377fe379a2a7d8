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
import {
  addressKey,
  clientAddress,
  originAllowed,
  refuseUpgrade,
  SocketCounter,
  type UpgradeContext,
} from './admission.ts';
import { handleApi, turnIssueLimiter } from './api.ts';
import type { ClusterLink } from './cluster/join.ts';
import { DEFAULT_SECURITY_SETTINGS, type SecuritySettings, type ServerConfig } from './config.ts';
import { handleHistoryApi, historyRequestLimiter, SeenNonces, sqliteHistory } from './history-api.ts';
import type { Logger } from './log.ts';
import { OwnerDecisions } from './owner-decisions.ts';
import { DEFAULT_RELAY_LIMITS, RelayServer } from './relay.ts';
import { DEFAULT_ROOM_CODE_OPTIONS, type RoomCodeOptions, RoomCodes } from './room-codes.ts';
import { SECURITY_HEADERS } from './security-headers.ts';
import { type CodeBook, localLimiter, type SharedLimiter } from './shared-state.ts';
import { DEFAULT_SIGNALING_LIMITS, type SignalingLimits, SignalingServer } from './signaling.ts';
import { errorText } from './socket-watch.ts';
import { StaticFiles } from './static-files.ts';
import type { RoomSyncLimits } from './yjs/limits.ts';
import { DEFAULT_ROOM_SYNC_LIMITS } from './yjs/limits.ts';
import { RoomSyncServer } from './yjs/room-sync.ts';

/** Longest request URL accepted (HTTP 414 beyond). */
const MAX_URL_LENGTH = 4096;

/** A request's path and query, read from its target (the first line of the request). */
interface RequestTarget {
  pathname: string;
  query: URLSearchParams;
}

/**
 * SEC2: the request target as a path and query, or undefined when it is not
 * an origin-form target a URL parser accepts (`//[`, `http://x`, `*`): those
 * get 400 instead of an exception in a handler.
 */
function parseRequestTarget(raw: string | undefined): RequestTarget | undefined {
  if (raw === undefined || !raw.startsWith('/') || raw.startsWith('//')) return undefined;
  try {
    const url = new URL(raw, 'http://localhost');
    return { pathname: url.pathname, query: url.searchParams };
  } catch {
    return undefined;
  }
}

type UpgradeRoute = (req: IncomingMessage, socket: Duplex, head: Buffer, context: UpgradeContext) => void;

export interface ServerOptions extends ServerConfig {
  signalingLimits?: Partial<SignalingLimits>;
  roomCodes?: Partial<RoomCodeOptions>;
  roomSyncLimits?: Partial<RoomSyncLimits>;
  /** Cluster mode, tests: shorter liveness (docs/scaling.md CL2). */
  clusterTiming?: { heartbeatMs: number; deadAfterMs: number };
}

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  signaling: SignalingServer;
  /** Room documents over the y-websocket protocol at `/sync`, persisted in dataDir (or Redis). */
  roomSync: RoomSyncServer;
  relay: RelayServer;
  /** Cluster mode only: this instance's link to Redis. */
  cluster: ClusterLink | undefined;
  /** Stops accepting, closes every socket (1001), and resolves when done. */
  close(): Promise<void>;
}

/** Controller and hand models for XR, served from the npm package (no CDN). */
function inputProfilesDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@webxr-input-profiles/assets/package.json')), 'dist', 'profiles');
}

export async function startServer(options: ServerOptions, logger: Logger): Promise<RunningServer> {
  const security: SecuritySettings = { ...DEFAULT_SECURITY_SETTINGS, ...options.security };
  // MOD5: the sessions owners removed, known to every endpoint that serves a room.
  const decisions = new OwnerDecisions();
  const signaling = new SignalingServer(logger, { ...DEFAULT_SIGNALING_LIMITS, ...options.signalingLimits }, decisions);
  const syncLimits: Partial<RoomSyncLimits> = {
    workers: security.syncWorkers,
    workTimeoutMs: security.syncWorkTimeoutMs,
    memoryBudgetBytes: security.memoryBudgetBytes,
    maxRoomBytes: security.roomMaxBytes,
    diskQuotaBytes: security.diskQuotaBytes,
    retentionMs: security.roomRetentionDays * 24 * 60 * 60 * 1000,
    ...options.roomSyncLimits,
  };
  const relay = new RelayServer(logger, DEFAULT_RELAY_LIMITS, decisions);
  // CL1: the cluster's code (and its Redis client) is loaded only when REDIS_URL is set.
  const cluster = options.redisUrl
    ? await (await import('./cluster/join.ts')).joinCluster(
        { url: options.redisUrl, ...options.clusterTiming },
        { signaling, relay, syncLimits: { ...DEFAULT_ROOM_SYNC_LIMITS, ...syncLimits } },
        logger,
      )
    : undefined;
  const roomSync = new RoomSyncServer(options.dataDir, logger, syncLimits, cluster?.sync, decisions);
  const codes: CodeBook = cluster?.codes ?? new RoomCodes({ ...DEFAULT_ROOM_CODE_OPTIONS, ...options.roomCodes });
  const sockets = new SocketCounter(security.maxSocketsPerAddress);
  const turnIssues: SharedLimiter = cluster?.turnIssues ?? localLimiter(turnIssueLimiter());
  const historyRequests = cluster?.historyRequests ?? historyRequestLimiter();
  // HIST4, HIST5: snapshots are read where they are kept, SQLite or (CL20) Redis, and proofs' nonces shared alike.
  const history = cluster?.sync.history ?? sqliteHistory(roomSync.store);
  const historyNonces = cluster?.sync.history.nonces ?? new SeenNonces();
  const files = new StaticFiles(
    options.staticDir,
    [{ prefix: '/xr-profiles/', dir: inputProfilesDir(), cacheControl: 'public, max-age=86400' }],
    SECURITY_HEADERS,
  );

  const respond = (req: IncomingMessage, res: ServerResponse) => {
    const rawUrl = req.url ?? '/';
    if (rawUrl.length > MAX_URL_LENGTH) {
      res.writeHead(414, { 'Content-Type': 'text/plain' }).end('URL too long\n');
      return;
    }
    const target = parseRequestTarget(rawUrl);
    if (!target) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('Bad request target\n');
      return;
    }
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const address = clientAddress(req, security.trustProxy);
    const apiDeps = { ice: options.ice, codes, turnIssues, address: addressKey(address) };
    const apiError = (error: string) => logger.warn('http', 'shared state unavailable', { error });
    const historyDeps = {
      history,
      address: addressKey(address),
      requests: historyRequests,
      nonces: historyNonces,
      logger,
    };
    if (handleHistoryApi(req, res, target.pathname, historyDeps)) return;
    if (handleApi(req, res, target.pathname, apiDeps, apiError)) return;
    files.handle(req, res, target.pathname);
  };
  // SEC3: a fault answering one request ends that request, never the process.
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    try {
      respond(req, res);
    } catch (error) {
      logger.error('http', 'request failed', { address: req.socket.remoteAddress, error: errorText(error) });
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Internal error\n');
      else res.destroy();
    }
  };

  const upgradeRoutes: Record<string, UpgradeRoute> = {
    '/signal': (req, socket, head, context) => signaling.handleUpgrade(req, socket, head, context),
    '/sync': (req, socket, head, context) => roomSync.handleUpgrade(req, socket, head, context),
    '/relay': (req, socket, head, context) => relay.handleUpgrade(req, socket, head, context),
  };

  const server: Server = options.https
    ? createHttpsServer({ cert: options.https.cert, key: options.https.key }, onRequest)
    : createHttpServer(onRequest);

  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = (req.url ?? '').length <= MAX_URL_LENGTH ? parseRequestTarget(req.url) : undefined;
    if (!target) return refuseUpgrade(socket, '400 Bad Request');
    const route = upgradeRoutes[target.pathname];
    if (!route) return refuseUpgrade(socket, '404 Not Found');
    const address = clientAddress(req, security.trustProxy);
    if (!originAllowed(req, security.allowedOrigins)) {
      logger.warn('http', 'refusing upgrade: foreign origin', { address, path: target.pathname });
      return refuseUpgrade(socket, '403 Forbidden');
    }
    // SEC19: counted per connection from here until it closes, whatever the endpoint decides.
    const key = addressKey(address);
    if (!sockets.acquire(key)) {
      logger.warn('http', 'refusing upgrade: too many sockets from one address', { address });
      return refuseUpgrade(socket, '429 Too Many Requests');
    }
    socket.once('close', () => sockets.release(key));
    route(req, socket, head, { address, query: target.query });
  };
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      upgrade(req, socket, head);
    } catch (error) {
      logger.error('http', 'upgrade failed', { address: req.socket.remoteAddress, error: errorText(error) });
      socket.destroy();
    }
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
    relay,
    cluster,
    close() {
      closing ??= (async () => {
        signaling.close();
        relay.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Compacts live rooms and closes the store before the process may exit.
        await roomSync.close();
        await cluster?.close();
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}

/**
 * A room's history over HTTP (docs/history.md HIST4-HIST6):
 *   GET /api/rooms/<id>/history        the room's snapshots, newest first (JSON, no data)
 *   GET /api/rooms/<id>/history/<n>    one snapshot: its Yjs update (application/octet-stream)
 * In a protected room each request carries the owner's signature
 * (`Holoroom-Proof`, app/sync/roles/history-proof.ts); in an open room anyone
 * with the link may read, as anyone with the link may edit. Restoring is an
 * ordinary edit made by the page (RoomDoc.restore), so the server has no
 * endpoint that changes a room.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isValidRoomId } from '../app/core/room-id.ts';
import {
  HISTORY_PROOF_HEADER,
  historyAudience,
  PROOF_WINDOW_MS,
  readHistoryProof,
  verifyHistoryProof,
} from '../app/sync/roles/history-proof.ts';
import { ownerKeyOfRoom } from '../app/sync/roles/room-credential.ts';
import type { Logger } from './log.ts';
import { KeyedBuckets } from './rate-limit.ts';
import { localLimiter, type SharedLimiter } from './shared-state.ts';
import { errorText } from './socket-watch.ts';
import type { SnapshotInfo } from './yjs/room-history.ts';
import type { RoomStore } from './yjs/room-store.ts';

/** HIST6: history requests one address may make per minute (opening the panel and a restore take two). */
export const HISTORY_REQUESTS_PER_MINUTE = 30;
/** HIST5: accepted nonces remembered at once; beyond it requests wait (503) until old ones expire. */
const MAX_REMEMBERED_NONCES = 10_000;

const ROUTE = /^\/api\/rooms\/([^/]+)\/history(?:\/([^/]*))?$/;

/** HIST5: what remembering a nonce of an accepted proof gave: new, a replay, or no room to remember it. */
export type NonceOutcome = 'added' | 'seen' | 'full';

/** HIST5: where accepted nonces are remembered: this process (one server) or Redis (every instance, CL20). */
export interface NonceBook {
  add(nonce: string): NonceOutcome | Promise<NonceOutcome>;
}

/** HIST5: nonces of accepted proofs, until they could no longer pass the time check anyway. */
export class SeenNonces implements NonceBook {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly max = MAX_REMEMBERED_NONCES,
    private readonly now: () => number = Date.now,
  ) {}

  /** Remembers `nonce`; 'seen' if it was already, 'full' if there is no room for it. */
  add(nonce: string): NonceOutcome {
    const now = this.now();
    if ((this.expiries.get(nonce) ?? 0) > now) return 'seen';
    if (this.expiries.size >= this.max) {
      for (const [key, expiry] of this.expiries) if (expiry <= now) this.expiries.delete(key);
      if (this.expiries.size >= this.max) return 'full';
    }
    this.expiries.set(nonce, now + 2 * PROOF_WINDOW_MS);
    return 'added';
  }
}

/** Where a room's snapshots are read: the SQLite store (one server) or Redis (cluster mode). */
export interface HistorySource {
  /** The room's snapshots, newest first; undefined when the room has neither a document nor a history. */
  list(room: string): Promise<SnapshotInfo[] | undefined>;
  get(room: string, id: number): Promise<Uint8Array | undefined>;
}

/** One server's history: read from its own SQLite connection (WAL lets it read while the shards write). */
export function sqliteHistory(store: RoomStore): HistorySource {
  return {
    list: async (room) => {
      const snapshots = store.history.list(room);
      return snapshots.length === 0 && store.size(room).rows === 0 ? undefined : snapshots;
    },
    get: async (room, id) => store.history.get(room, id),
  };
}

export interface HistoryApiDeps {
  history: HistorySource;
  /** The client's address key (SEC19). */
  address: string;
  /** HIST6: per address, in this process (one server) or in Redis (cluster mode, every instance together). */
  requests: SharedLimiter;
  nonces: NonceBook;
  logger: Logger;
  now?: () => number;
}

/** HIST6: the per-address limit on history requests of one server. */
export function historyRequestLimiter(): SharedLimiter {
  return localLimiter(new KeyedBuckets(HISTORY_REQUESTS_PER_MINUTE / 60, HISTORY_REQUESTS_PER_MINUTE, 20_000));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

type Refusal = { status: number; error: string };

/** HIST5: in a protected room, whether this request carries a fresh owner proof for this server and path. */
async function checkOwner(
  req: IncomingMessage,
  ownerPublicKey: Uint8Array,
  pathname: string,
  deps: HistoryApiDeps,
): Promise<Refusal | undefined> {
  const header = req.headers[HISTORY_PROOF_HEADER.toLowerCase()];
  if (header === undefined)
    return { status: 401, error: 'only the room’s owner may see its history: sign the request' };
  if (typeof header !== 'string') return { status: 400, error: 'one proof header, please' };
  const read = readHistoryProof(header);
  if (!read.ok) return { status: 400, error: read.reason };
  const now = (deps.now ?? Date.now)();
  if (Math.abs(now - read.proof.time) > PROOF_WINDOW_MS) {
    return { status: 401, error: 'the proof is too old or from the future: check the clock' };
  }
  const audience = historyAudience(req.headers.host ?? '');
  if (!(await verifyHistoryProof(ownerPublicKey, audience, pathname, read.proof))) {
    return { status: 403, error: 'the proof is not the room owner’s signature for this request' };
  }
  const remembered = await deps.nonces.add(read.proof.nonce);
  if (remembered === 'seen') return { status: 401, error: 'this proof was used already' };
  if (remembered === 'full') return { status: 503, error: 'too many history requests; try again in a minute' };
  return undefined;
}

/** Returns true when the request was a history request (answered now or later). */
export function handleHistoryApi(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  deps: HistoryApiDeps,
): boolean {
  const match = ROUTE.exec(pathname);
  if (!match) return false;
  const [, room = '', snapshotText] = match;
  if (req.method !== 'GET') json(res, 405, { error: 'use GET' });
  else if (!isValidRoomId(room)) json(res, 400, { error: 'invalid room id' });
  else if (snapshotText !== undefined && !/^[1-9][0-9]{0,14}$/.test(snapshotText))
    json(res, 400, { error: 'invalid snapshot id' });
  else {
    const snapshot = snapshotText === undefined ? undefined : Number(snapshotText);
    answer(req, res, pathname, room, snapshot, deps).catch((error: unknown) => {
      deps.logger.error('http', 'history request failed', { room, error: errorText(error) });
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  }
  return true;
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  room: string,
  snapshot: number | undefined,
  deps: HistoryApiDeps,
): Promise<void> {
  if (!(await deps.requests.take(deps.address))) {
    json(res, 429, { error: 'too many history requests; wait a minute' });
    return;
  }
  const ownerPublicKey = ownerKeyOfRoom(room);
  if (ownerPublicKey) {
    const refusal = await checkOwner(req, ownerPublicKey, pathname, deps);
    if (refusal) {
      json(res, refusal.status, { error: refusal.error });
      return;
    }
  }
  if (snapshot === undefined) {
    const snapshots = await deps.history.list(room);
    if (!snapshots) json(res, 404, { error: 'no such room' });
    else json(res, 200, { room, snapshots });
    return;
  }
  const data = await deps.history.get(room, snapshot);
  if (!data) {
    json(res, 404, { error: 'no such snapshot' });
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(data.byteLength),
    'Cache-Control': 'no-store',
  });
  res.end(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

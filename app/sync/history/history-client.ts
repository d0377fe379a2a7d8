/**
 * The page's side of a room's history (docs/history.md): lists the server's
 * snapshots of the room and fetches one, signing each request with the owner
 * key in a protected room (HIST5). What the server answers is checked before
 * it is used; nothing here throws.
 *
 * @example
 *   const list = await listSnapshots({ serverUrl: 'http://127.0.0.1:8080', roomId, credential });
 *   if (list.ok) {
 *     const one = await fetchSnapshot({ serverUrl, roomId, credential }, list.snapshots[0].id);
 *     if (one.ok) session.room.restore(one.update);
 *   }
 */
import type { RoomId } from '../../core/ids.ts';
import { HISTORY_PROOF_HEADER, historyAudience, signHistoryRequest } from '../roles/history-proof.ts';
import type { RoomCredential } from '../roles/room-credential.ts';

export interface HistoryTarget {
  /** The server's HTTP origin, e.g. `http://127.0.0.1:8080`. */
  serverUrl: string;
  roomId: RoomId;
  /** A protected room's credential; only the owner's is accepted there. */
  credential?: RoomCredential;
  fetch?: typeof fetch;
}

export interface SnapshotSummary {
  id: number;
  takenAt: number;
  reason: 'periodic' | 'wipe';
  bytes: number;
  present: string[];
  by: string[];
}

export type HistoryResult<T> = ({ ok: true } & T) | { ok: false; error: string };

/** Largest snapshot the page downloads: the server keeps none larger (its per-room history bound). */
const MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;
const MAX_LISTED = 256;

async function request(target: HistoryTarget, path: string): Promise<HistoryResult<{ response: Response }>> {
  const url = new URL(path, target.serverUrl);
  const headers: Record<string, string> = {};
  if (target.credential) {
    const proof = await signHistoryRequest(target.credential, historyAudience(url.host), url.pathname);
    if (!proof) return { ok: false, error: 'Only the room’s owner can see its history.' };
    headers[HISTORY_PROOF_HEADER] = proof;
  }
  try {
    const response = await (target.fetch ?? fetch)(url, { headers, cache: 'no-store' });
    if (response.ok) return { ok: true, response };
    const body = (await response.json().catch(() => ({}))) as { error?: unknown };
    const error = typeof body.error === 'string' ? body.error.slice(0, 200) : `HTTP ${response.status}`;
    return { ok: false, error: `The server refused: ${error}` };
  } catch {
    return { ok: false, error: 'The server cannot be reached.' };
  }
}

function readSummary(value: unknown): SnapshotSummary | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, takenAt, reason, bytes, present, by } = value as Record<string, unknown>;
  const names = (list: unknown) =>
    Array.isArray(list) ? list.filter((name): name is string => typeof name === 'string').slice(0, 16) : [];
  if (!Number.isSafeInteger(id) || typeof takenAt !== 'number' || typeof bytes !== 'number') return undefined;
  return {
    id: id as number,
    takenAt,
    reason: reason === 'wipe' ? 'wipe' : 'periodic',
    bytes,
    present: names(present),
    by: names(by),
  };
}

/** The room's snapshots, newest first. */
export async function listSnapshots(target: HistoryTarget): Promise<HistoryResult<{ snapshots: SnapshotSummary[] }>> {
  const answer = await request(target, `/api/rooms/${target.roomId}/history`);
  if (!answer.ok) return answer;
  const body = (await answer.response.json().catch(() => undefined)) as { snapshots?: unknown } | undefined;
  if (!Array.isArray(body?.snapshots)) return { ok: false, error: 'The server’s answer is not a list of snapshots.' };
  const snapshots = body.snapshots.slice(0, MAX_LISTED).map(readSummary);
  return { ok: true, snapshots: snapshots.filter((one) => one !== undefined) };
}

/** One snapshot's update, for `RoomDoc.restore`. */
export async function fetchSnapshot(target: HistoryTarget, id: number): Promise<HistoryResult<{ update: Uint8Array }>> {
  const answer = await request(target, `/api/rooms/${target.roomId}/history/${id}`);
  if (!answer.ok) return answer;
  const length = Number(answer.response.headers.get('content-length') ?? Number.NaN);
  if (!(length <= MAX_SNAPSHOT_BYTES)) return { ok: false, error: 'The snapshot is larger than a room may be.' };
  const update = new Uint8Array(await answer.response.arrayBuffer());
  if (update.byteLength > MAX_SNAPSHOT_BYTES) return { ok: false, error: 'The snapshot is larger than a room may be.' };
  return { ok: true, update };
}

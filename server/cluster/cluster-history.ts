/**
 * A room's history in cluster mode (docs/history.md, docs/scaling.md CL20):
 * the snapshots live in Redis beside the room's document, and every decision
 * that must hold for the whole cluster is one script, so it holds however many
 * instances serve the room:
 *   - a periodic snapshot is kept only if the room has none younger than
 *     `everyMs` (HIST1 once per room, not once per instance: the instance
 *     whose client's update comes first after the interval keeps it, the
 *     others' attempts are refused);
 *   - a wipe snapshot (HIST2) is taken only by the instance that received the
 *     wipe from its client (updates from other instances are never judged);
 *   - retention (HIST3) runs in the script that adds a snapshot, with the same
 *     bounds as one server, and snapshots count against `DISK_QUOTA_MB`.
 * Keys (all under the room's hash tag): `hr:{room}:history` (id -> info JSON),
 * `hr:{room}:history-data` (id -> the Yjs update), fields `historySeq`,
 * `historyAt`, `historyBytes` of `hr:{room}:meta`; `hr:history-rooms` (room ->
 * its oldest snapshot's time) lets the hourly sweep find snapshots past their age.
 */
import type { Redis } from 'ioredis';
import { PROOF_WINDOW_MS } from '../../app/sync/roles/history-proof.ts';
import type { HistorySource, NonceBook, NonceOutcome } from '../history-api.ts';
import {
  cappedPeople,
  type HistoryPolicy,
  readPeople,
  type SnapshotInfo,
  type SnapshotPeople,
  type SnapshotReason,
} from '../yjs/room-history.ts';
import { KEYS } from './keys.ts';

/**
 * HIST3 for one room, shared by the keep and sweep scripts. KEYS: info, data,
 * meta, stored bytes, history rooms. ARGV[4] now, [6] keepPeriodic, [7]
 * keepWipes, [8] maxAgeMs, [9] maxBytesPerRoom, [11] room. Newest first: past
 * its age, beyond its kind's count, or once the bytes so far pass the room's
 * bound (that one and every older one), a snapshot goes.
 */
const TRIM = `
local now = tonumber(ARGV[4])
local all = redis.call('HGETALL', KEYS[1])
local rows = {}
for i = 1, #all, 2 do
  local ok, info = pcall(cjson.decode, all[i + 1])
  if not ok or type(info) ~= 'table' then info = {} end
  rows[#rows + 1] = { id = all[i], n = tonumber(all[i]), at = tonumber(info.takenAt) or 0,
    wipe = info.reason == 'wipe', bytes = tonumber(info.bytes) or 0 }
end
table.sort(rows, function(a, b) return a.n > b.n end)
local periodic, wipes, total, over, freed, oldest = 0, 0, 0, false, 0, nil
for _, row in ipairs(rows) do
  local drop = over or row.at < now - tonumber(ARGV[8])
  if not drop then
    if row.wipe then wipes = wipes + 1; drop = wipes > tonumber(ARGV[7])
    else periodic = periodic + 1; drop = periodic > tonumber(ARGV[6]) end
  end
  if not drop then
    total = total + row.bytes
    if total > tonumber(ARGV[9]) then over = true; drop = true end
  end
  if drop then
    redis.call('HDEL', KEYS[1], row.id)
    redis.call('HDEL', KEYS[2], row.id)
    freed = freed + row.bytes
  elseif oldest == nil or row.at < oldest then
    oldest = row.at
  end
end
if freed > 0 then
  redis.call('HINCRBY', KEYS[3], 'historyBytes', -freed)
  redis.call('DECRBY', KEYS[4], freed)
end
if oldest then redis.call('ZADD', KEYS[5], oldest, ARGV[11]) else redis.call('ZREM', KEYS[5], ARGV[11]) end
`;

/**
 * ARGV: [1] snapshot, [2] info JSON, [3] reason, [4] now, [5] everyMs, ...TRIM's,
 * [10] disk quota. Returns the new id, 0 when a periodic snapshot is not due
 * (another instance kept one), -1 when it is larger than the room's history may
 * be or the store is at its quota.
 */
const KEEP_SCRIPT = `
local len = string.len(ARGV[1])
if ARGV[3] == 'periodic' then
  local at = redis.call('HGET', KEYS[3], 'historyAt')
  if at and tonumber(ARGV[4]) - tonumber(at) < tonumber(ARGV[5]) then return 0 end
end
if len > tonumber(ARGV[9]) then return -1 end
if tonumber(redis.call('GET', KEYS[4]) or '0') + len > tonumber(ARGV[10]) then return -1 end
local id = redis.call('HINCRBY', KEYS[3], 'historySeq', 1)
redis.call('HSET', KEYS[1], id, ARGV[2])
redis.call('HSET', KEYS[2], id, ARGV[1])
redis.call('HSET', KEYS[3], 'historyAt', ARGV[4])
redis.call('HINCRBY', KEYS[3], 'historyBytes', len)
redis.call('INCRBY', KEYS[4], len)
${TRIM}
return id
`;

const SWEEP_SCRIPT = `${TRIM}\nreturn 1`;

/** Outcome of `keep`: kept with an id, not due (another instance kept the periodic one), or refused (size, quota). */
export type KeepOutcome = { kept: number } | 'not-due' | 'refused';

type Scripted = Record<string, (...args: (string | number | Buffer)[]) => Promise<unknown>>;

/**
 * HIST5 cluster-wide: the nonce of an accepted owner proof is remembered in
 * Redis, so a proof accepted by one instance is a replay on every other (behind
 * one load balancer they share the Host the proof is signed for). Only proofs
 * that verified are remembered, and they expire with the time window.
 */
class SharedNonces implements NonceBook {
  constructor(private readonly redis: Redis) {}

  async add(nonce: string): Promise<NonceOutcome> {
    const set = await this.redis.set(KEYS.historyNonce(nonce), '1', 'PX', 2 * PROOF_WINDOW_MS, 'NX');
    return set === 'OK' ? 'added' : 'seen';
  }
}

export class ClusterHistory implements HistorySource {
  /** HIST5: accepted proofs' nonces, shared by every instance. */
  readonly nonces: NonceBook;

  constructor(
    private readonly redis: Redis,
    private readonly policy: HistoryPolicy,
    private readonly diskQuotaBytes: number,
    private readonly now: () => number = Date.now,
  ) {
    this.nonces = new SharedNonces(redis);
    redis.defineCommand('historyKeep', { numberOfKeys: 5, lua: KEEP_SCRIPT });
    redis.defineCommand('historySweep', { numberOfKeys: 5, lua: SWEEP_SCRIPT });
  }

  private get scripts(): Scripted {
    return this.redis as unknown as Scripted;
  }

  /** The five keys every script of a room's history touches, in the scripts' order. */
  private keys(room: string): string[] {
    return [KEYS.history(room), KEYS.historyData(room), KEYS.docMeta(room), KEYS.storedBytes, KEYS.historyRooms];
  }

  /** The trim script's arguments after the first three, for `now`. */
  private trimArgs(now: number, room: string): (string | number)[] {
    const p = this.policy;
    return [now, p.everyMs, p.keepPeriodic, p.keepWipes, p.maxAgeMs, p.maxBytesPerRoom, this.diskQuotaBytes, room];
  }

  /** HIST1-HIST3 cluster-wide: keeps one snapshot unless it is not due or does not fit. Throws what Redis throws. */
  async keep(room: string, snapshot: Uint8Array, reason: SnapshotReason, people: SnapshotPeople): Promise<KeepOutcome> {
    const now = this.now();
    const info = JSON.stringify({ takenAt: now, reason, bytes: snapshot.byteLength, ...cappedPeople(people) });
    const id = (await this.scripts.historyKeep?.(
      ...this.keys(room),
      Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength),
      info,
      reason,
      ...this.trimArgs(now, room),
    )) as number;
    if (id === 0) return 'not-due';
    if (id < 0) return 'refused';
    return { kept: id };
  }

  /** HIST3: the hourly sweep removes snapshots past their age from rooms nobody edits (at most 1,000 rooms a sweep). */
  async sweep(): Promise<void> {
    const now = this.now();
    const rooms = await this.redis.zrangebyscore(
      KEYS.historyRooms,
      '-inf',
      `(${now - this.policy.maxAgeMs}`,
      'LIMIT',
      0,
      1000,
    );
    for (const room of rooms) {
      await this.scripts.historySweep?.(...this.keys(room), '', '', '', ...this.trimArgs(now, room));
    }
  }

  /** HIST4: the room's snapshots, newest first; undefined when the room has neither a document nor a history. */
  async list(room: string): Promise<SnapshotInfo[] | undefined> {
    const [infos, stored] = await Promise.all([
      this.redis.hgetall(KEYS.history(room)),
      this.redis.exists(KEYS.docSnapshot(room), KEYS.docLog(room)),
    ]);
    const snapshots = Object.entries(infos).map(([id, text]) => readInfo(Number(id), text));
    if (snapshots.length === 0 && stored === 0) return undefined;
    return snapshots.sort((a, b) => b.id - a.id);
  }

  /** HIST4: one snapshot's Yjs update. */
  async get(room: string, id: number): Promise<Uint8Array | undefined> {
    const data = await this.redis.hgetBuffer(KEYS.historyData(room), String(id));
    return data ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : undefined;
  }
}

/** One stored info; fields that do not read as expected read as nothing (Redis may have been edited by hand). */
function readInfo(id: number, text: string): SnapshotInfo {
  let value: { takenAt?: unknown; reason?: unknown; bytes?: unknown } = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') value = parsed;
  } catch {
    // An unreadable entry is listed with what can be said of it: its id.
  }
  return {
    id,
    takenAt: typeof value.takenAt === 'number' ? value.takenAt : 0,
    reason: value.reason === 'wipe' ? 'wipe' : 'periodic',
    bytes: typeof value.bytes === 'number' ? value.bytes : 0,
    ...readPeople(text),
  };
}

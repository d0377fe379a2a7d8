/**
 * Every Redis key and channel the cluster uses, in one place (docs/scaling.md,
 * "What lives in Redis"). A room's keys share the hash tag `{room}`, so a
 * Redis Cluster (or a client that shards by room) keeps each room on one node.
 */
import { BUS_PROTOCOL_VERSION } from './bus-codec.ts';

export const KEYS = {
  /** ZSET instance id -> last heartbeat (ms). */
  instances: 'hr:instances',
  /** STRING: bytes of every room's stored document together (SEC12 DISK_QUOTA_MB). */
  storedBytes: 'hr:stored-bytes',
  /** ZSET room -> last written or loaded (ms), for retention (SEC13). */
  roomsTouched: 'hr:rooms-touched',
  /** STRING with expiry: who runs the retention sweep this hour. */
  retentionLock: 'hr:retention-lock',
  /** Room document: STREAM of updates since the snapshot (field `u`). */
  docLog: (room: string) => `hr:{${room}}:log`,
  /** Room document: STRING, the snapshot the log continues. */
  docSnapshot: (room: string) => `hr:{${room}}:snap`,
  /**
   * Room document: HASH bytes (snapshot + log), logBytes, snapId (last log id folded in);
   * history: historySeq (last snapshot id), historyAt (newest snapshot's time), historyBytes.
   */
  docMeta: (room: string) => `hr:{${room}}:meta`,
  /** History (HIST4, cluster-history.ts): HASH snapshot id -> info JSON (takenAt, reason, bytes, present, by). */
  history: (room: string) => `hr:{${room}}:history`,
  /** History: HASH snapshot id -> the snapshot's Yjs update. */
  historyData: (room: string) => `hr:{${room}}:history-data`,
  /** ZSET room -> when its oldest snapshot was taken (ms), for the age sweep (HIST3). */
  historyRooms: 'hr:history-rooms',
  /** STRING with expiry: the nonce of an accepted owner proof for a history request (HIST5). */
  historyNonce: (nonce: string) => `hr:history-nonce:${nonce}`,
  /** STRING with expiry: the instance compacting this room right now. */
  docCompactLock: (room: string) => `hr:{${room}}:compacting`,
  /** HASH instance -> open /sync sockets of this room there (RS6 per room, cluster-wide). */
  syncSeats: (room: string) => `hr:{${room}}:sync-seats`,
  /** HASH peer id -> "instance:sha256(secret)" (RELAY9 cluster-wide). */
  relayPeers: (room: string) => `hr:{${room}}:relay-peers`,
  /** STRING code -> room, with the code's expiry (CODE1). */
  codeToRoom: (code: string) => `hr:code:${code}`,
  /** STRING room -> code. */
  roomToCode: (room: string) => `hr:room-code:${room}`,
  /** Fixed-window counter of one limit for one address and minute. */
  rateWindow: (limit: string, address: string, minute: number) => `hr:rate:${limit}:${address}:${minute}`,
} as const;

/**
 * Pub/sub channels. Each name carries the bus messages' format version
 * (`BUS_PROTOCOL_VERSION`), so instances that write different formats never
 * read each other's messages; stored keys above do not depend on it.
 */
export const CHANNELS = {
  /** Signaling publishes to one y-webrtc topic. */
  signal: (topic: string) => `hr:signal.${BUS_PROTOCOL_VERSION}:${topic}`,
  /** Relay frames and membership events of one room. */
  relay: (room: string) => `hr:{${room}}:relay.${BUS_PROTOCOL_VERSION}`,
  /** Document updates (after they are stored), presence and compaction notices of one room. */
  doc: (room: string) => `hr:{${room}}:doc.${BUS_PROTOCOL_VERSION}`,
} as const;

/**
 * WebSocket endpoint `/sync?room=<roomId>&v=1`: the server side of the
 * y-websocket protocol for rooms (docs/room-sync-protocol.md). The stock
 * y-websocket client talks to it. Holds live rooms in memory and persists
 * them through RoomStore.
 *
 * Per-connection limits (rule ids cited by room-sync.test.ts):
 *   RS1 a frame larger than maxFrameBytes closes the socket with 1009.
 *   RS2 more messages or bytes per second than allowed closes with 1008.
 *   RS4 text frames close with 1003.
 *   RS5 an upgrade without a valid room id or with an unknown protocol version gets HTTP 400.
 *   RS6 beyond maxSockets (503), maxSocketsPerRoom (503), maxLiveRooms (503)
 *       or maxRoomsPerAddress (429), upgrades are refused.
 *   RS7 a socket that misses a heartbeat pong is terminated.
 * RS3 and RS8-RS11 are in live-room.ts.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { isValidRoomId } from '../../app/core/room-id.ts';
import type { Logger } from '../log.ts';
import { TokenBucket } from '../rate-limit.ts';
import { sweepHeartbeats, watchSocket } from '../socket-watch.ts';
import { DEFAULT_ROOM_SYNC_LIMITS, type RoomSyncLimits } from './limits.ts';
import { LiveRoom, type RoomPeer, type Violation } from './live-room.ts';
import { RoomStore } from './room-store.ts';

/** The protocol version clients send as `v`; bumped on incompatible change. */
const ROOM_SYNC_PROTOCOL_VERSION = '1';

const CLOSE_GOING_AWAY = 1001;
const CLOSE_UNSUPPORTED = 1003;
const CLOSE_POLICY = 1008;
const CLOSE_TOO_BIG = 1009;

class Connection implements RoomPeer {
  alive = true;
  readonly messages: TokenBucket;
  readonly bytes: TokenBucket;

  constructor(
    readonly socket: WebSocket,
    readonly address: string,
    readonly room: LiveRoom,
    limits: RoomSyncLimits,
  ) {
    this.messages = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
    this.bytes = new TokenBucket(limits.bytesPerSecond, limits.byteBurst);
  }

  send(message: Uint8Array): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(message);
  }
}

export class RoomSyncServer {
  readonly store: RoomStore;
  private readonly wss: WebSocketServer;
  private readonly rooms = new Map<string, LiveRoom>();
  private readonly connections = new Set<Connection>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly limits: RoomSyncLimits;

  constructor(
    dataDir: string,
    private readonly logger: Logger,
    limits: Partial<RoomSyncLimits> = {},
  ) {
    this.limits = { ...DEFAULT_ROOM_SYNC_LIMITS, ...limits };
    this.store = new RoomStore(dataDir);
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.limits.maxFrameBytes });
    this.heartbeat = setInterval(() => this.tick(), this.limits.heartbeatMs);
    this.heartbeat.unref();
  }

  get socketCount(): number {
    return this.connections.size;
  }

  get liveRoomCount(): number {
    return this.rooms.size;
  }

  /** The live room, if loaded (tests and benchmarks read its doc). */
  liveRoom(roomId: string): LiveRoom | undefined {
    return this.rooms.get(roomId);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const address = req.socket.remoteAddress ?? 'unknown';
    const admitted = this.admit(req.url ?? '/', address);
    if ('refusal' in admitted) {
      this.logger.warn('sync', `refusing socket: ${admitted.refusal}`, { address });
      socket.end(`HTTP/1.1 ${admitted.status}\r\nConnection: close\r\n\r\n`);
      return;
    }
    const room = admitted.room;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, address, room));
  }

  /** RS5, RS6: which room an upgrade may join, or why not. */
  private admit(url: string, address: string): { room: LiveRoom } | { status: string; refusal: string } {
    const params = new URL(url, 'http://placeholder').searchParams;
    const roomId = params.get('room') ?? '';
    if (params.get('v') !== ROOM_SYNC_PROTOCOL_VERSION) {
      return { status: '400 Bad Request', refusal: 'unknown protocol version' };
    }
    if (!isValidRoomId(roomId)) return { status: '400 Bad Request', refusal: 'invalid room id' };
    if (this.connections.size >= this.limits.maxSockets)
      return { status: '503 Service Unavailable', refusal: 'server full' };
    const roomsOfAddress = new Set([...this.connections].filter((c) => c.address === address).map((c) => c.room.id));
    if (!roomsOfAddress.has(roomId) && roomsOfAddress.size >= this.limits.maxRoomsPerAddress) {
      return { status: '429 Too Many Requests', refusal: 'too many rooms from one address' };
    }
    const room = this.openRoom(roomId);
    if (!room) return { status: '503 Service Unavailable', refusal: 'too many live rooms' };
    if (room.peers.size >= this.limits.maxSocketsPerRoom)
      return { status: '503 Service Unavailable', refusal: 'room full' };
    return { room };
  }

  /** RS11: compacts every live room, closes every socket (1001) and the store. */
  close(): void {
    clearInterval(this.heartbeat);
    for (const connection of [...this.connections]) {
      connection.socket.close(CLOSE_GOING_AWAY, 'server shutting down');
      this.remove(connection);
    }
    for (const room of this.rooms.values()) room.unload();
    this.rooms.clear();
    this.wss.close();
    this.store.close();
  }

  private openRoom(roomId: string): LiveRoom | undefined {
    const existing = this.rooms.get(roomId);
    if (existing) return existing;
    if (this.rooms.size >= this.limits.maxLiveRooms) this.unloadIdleRooms(0);
    if (this.rooms.size >= this.limits.maxLiveRooms) return undefined;
    const room = new LiveRoom(roomId, this.store, this.logger, this.limits);
    this.rooms.set(roomId, room);
    return room;
  }

  private accept(socket: WebSocket, address: string, room: LiveRoom): void {
    socket.binaryType = 'nodebuffer';
    const connection = new Connection(socket, address, room, this.limits);
    this.connections.add(connection);
    watchSocket(connection, this.logger, 'sync', CLOSE_TOO_BIG);
    socket.on('message', (data, isBinary) => this.onMessage(connection, data, isBinary));
    socket.on('close', () => this.remove(connection));
    room.join(connection);
  }

  private onMessage(connection: Connection, data: RawData, isBinary: boolean): void {
    if (!this.connections.has(connection)) return;
    const violation = this.judge(connection, data, isBinary);
    if (violation) this.violation(connection, violation.code, violation.reason);
  }

  /** RS2, RS4, then the room's own rules; returns what closes the socket, if anything. */
  private judge(connection: Connection, data: RawData, isBinary: boolean): Violation | undefined {
    if (!isBinary) return { code: CLOSE_UNSUPPORTED, reason: 'text frames are not accepted' };
    const bytes = toBytes(data);
    if (!connection.messages.take() || !connection.bytes.take(bytes.byteLength)) {
      return { code: CLOSE_POLICY, reason: 'message rate exceeded' };
    }
    return connection.room.receive(connection, bytes);
  }

  private violation(connection: Connection, code: number, reason: string): void {
    this.logger.warn('sync', `closing socket: ${reason}`, {
      address: connection.address,
      room: connection.room.id,
      code,
    });
    connection.socket.close(code, reason.slice(0, 120));
    this.remove(connection);
  }

  private remove(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    connection.room.leave(connection);
  }

  private tick(): void {
    sweepHeartbeats(this.connections, this.logger, 'sync', (connection) => this.remove(connection));
    this.unloadIdleRooms(this.limits.unloadAfterMs);
  }

  private unloadIdleRooms(idleMs: number): void {
    const now = Date.now();
    for (const [id, room] of this.rooms) {
      if (room.peers.size === 0 && now - room.emptySince >= idleMs) {
        room.unload();
        this.rooms.delete(id);
      }
    }
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

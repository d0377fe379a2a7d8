/**
 * What the three WebSocket endpoints (`/signal`, `/relay`, `/sync`) do alike
 * for every socket:
 *  - heartbeats that drop dead sockets, and logging of socket errors, among
 *    them the 1009 close that ws sends itself for an oversized frame;
 *  - one guarded message dispatcher: a handler that throws closes its own
 *    socket (1011) and logs, instead of taking the process down (SEC3);
 *  - one safe close: reasons are fixed short strings, never input, and a close
 *    that cannot be sent becomes a terminate (SEC3);
 *  - one bounded send: a socket that does not read is dropped once its queue
 *    passes a byte limit, so it cannot grow the server's memory (SEC9).
 */
import type { RawData, WebSocket } from 'ws';
import type { Logger } from './log.ts';

export interface WatchedSocket {
  readonly socket: WebSocket;
  readonly address: string;
  /** Cleared at each heartbeat, set again by the pong that answers it. */
  alive: boolean;
}

/** RFC 6455 close codes the endpoints share. */
const CLOSE_INTERNAL_ERROR = 1011;
/** The close frame's reason is at most 123 bytes of UTF-8 (RFC 6455 section 5.5). */
const MAX_CLOSE_REASON_BYTES = 123;

/** Marks `watched` alive on each pong and logs its socket's errors under `area`. */
export function watchSocket(watched: WatchedSocket, logger: Logger, area: string, tooBigCode: number): void {
  const { socket, address } = watched;
  socket.on('pong', () => {
    watched.alive = true;
  });
  socket.on('error', (error) => {
    // ws closes an oversized frame with 1009 itself; log it as the violation it is.
    if ((error as { code?: string }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      logger.warn(area, 'closing socket: frame too large', { address, code: tooBigCode });
    } else {
      logger.warn(area, 'socket error', { address, error });
    }
  });
}

/** `reason` cut to whole characters within the 123 bytes a close frame allows. */
function fitCloseReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_CLOSE_REASON_BYTES) return reason;
  let cut = '';
  for (const char of reason) {
    if (Buffer.byteLength(cut + char) > MAX_CLOSE_REASON_BYTES) break;
    cut += char;
  }
  return cut;
}

/**
 * Closes `socket` with `code` and a fixed `reason` (a constant of the caller's,
 * never text from the peer). Never throws: a socket that cannot send a close
 * frame any more is terminated.
 */
export function closeSocket(socket: WebSocket, code: number, reason: string): void {
  try {
    // A socket paused for backpressure (SEC9) would never read the peer's answering close frame:
    // the close would wait out ws's 30 s timeout while the client still thinks it is connected.
    // What it still delivers while closing is ignored: callers forget the connection at once.
    if (socket.isPaused) socket.resume();
    socket.close(code, fitCloseReason(reason));
  } catch {
    socket.terminate();
  }
}

/**
 * Subscribes `handler` to the socket's messages so that whatever it throws is
 * logged and closes only this socket (1011), with `onFault` to forget it.
 */
export function onMessageGuarded(
  watched: WatchedSocket,
  logger: Logger,
  area: string,
  handler: (data: RawData, isBinary: boolean) => void,
  onFault: () => void,
): void {
  watched.socket.on('message', (data, isBinary) => {
    try {
      handler(data, isBinary);
    } catch (error) {
      logger.error(area, 'closing socket: handler failed', { address: watched.address, error: errorText(error) });
      closeSocket(watched.socket, CLOSE_INTERNAL_ERROR, 'internal error');
      try {
        onFault();
      } catch (cleanupError) {
        logger.error(area, 'cleanup after a failed handler failed too', { error: errorText(cleanupError) });
      }
    }
  });
}

/**
 * Queues `data` on `socket` unless the socket has not drained what it was sent
 * before: past `maxBufferedBytes` the reader is too slow or not reading, and is
 * terminated (the caller learns it from the `false` and from the close event).
 * A single message larger than the limit still goes to a socket that is keeping up.
 */
export function sendBounded(socket: WebSocket, data: Uint8Array | string, maxBufferedBytes: number): boolean {
  if (socket.readyState !== socket.OPEN) return false;
  if (socket.bufferedAmount > maxBufferedBytes) {
    socket.terminate();
    return false;
  }
  socket.send(data);
  return true;
}

/** An error as a short log field (the message only: stacks stay out of access logs). */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : String(error).slice(0, 300);
}

/** One heartbeat round: terminates and drops each socket that missed the last ping, pings the rest. */
export function sweepHeartbeats<T extends WatchedSocket>(
  members: Iterable<T>,
  logger: Logger,
  area: string,
  drop: (member: T) => void,
): void {
  for (const member of [...members]) {
    if (!member.alive) {
      logger.info(area, 'terminating socket: missed heartbeat', { address: member.address });
      member.socket.terminate();
      drop(member);
      continue;
    }
    member.alive = false;
    try {
      member.socket.ping();
    } catch {
      member.socket.terminate();
      drop(member);
    }
  }
}

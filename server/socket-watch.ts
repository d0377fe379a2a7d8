/**
 * What the three WebSocket endpoints (`/signal`, `/relay`, `/sync`) do alike
 * for every socket: heartbeats that drop dead sockets, and logging of socket
 * errors, among them the 1009 close that ws sends itself for an oversized frame.
 */
import type { WebSocket } from 'ws';
import type { Logger } from './log.ts';

export interface WatchedSocket {
  readonly socket: WebSocket;
  readonly address: string;
  /** Cleared at each heartbeat, set again by the pong that answers it. */
  alive: boolean;
}

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
    member.socket.ping();
  }
}

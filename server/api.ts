/**
 * Small JSON endpoints beside the static app:
 *   GET  /config.json              ICE servers for WebRTC (see ice-config.ts)
 *   POST /api/rooms/<id>/code      issue or renew the room's short code
 *   GET  /api/codes/<code>         resolve a short code to a room id
 *   GET  /healthz                  liveness
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isValidRoomId } from '../app/core/room-id.ts';
import { clientConfig, type IceSettings } from './ice-config.ts';
import { KeyedBuckets } from './rate-limit.ts';
import type { Answer, CodeBook, SharedLimiter } from './shared-state.ts';
import { errorText } from './socket-watch.ts';

/** SEC21: TURN credentials one address may be handed per minute (a page load takes one). */
export const TURN_CREDENTIALS_PER_MINUTE = 30;

/** SEC21: the per-address limit on handing out TURN credentials. */
export function turnIssueLimiter(): KeyedBuckets {
  return new KeyedBuckets(TURN_CREDENTIALS_PER_MINUTE / 60, TURN_CREDENTIALS_PER_MINUTE, 20_000);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

export interface ApiDeps {
  ice: IceSettings;
  codes: CodeBook;
  /** SEC21, from `turnIssueLimiter()` (or shared by the cluster). */
  turnIssues: SharedLimiter;
  /** The client's address key (SEC19), for per-address limits. */
  address: string;
}

/**
 * Runs `then` with the answer, at once when it is a value, later when it is a
 * promise (cluster mode asks Redis); a failure answers 503 (the cluster's
 * shared state is unreachable) and is logged by the caller's `onError`.
 */
function when<T>(
  res: ServerResponse,
  answer: Answer<T>,
  then: (value: T) => void,
  onError: (error: string) => void,
): void {
  if (!(answer instanceof Promise)) {
    then(answer);
    return;
  }
  answer.then(then, (error: unknown) => {
    onError(errorText(error));
    if (!res.headersSent) json(res, 503, { error: 'try again later' });
  });
}

/** Returns true when the request was an API request (and has been, or will be, answered). */
export function handleApi(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  deps: ApiDeps,
  onError: (error: string) => void = () => undefined,
): boolean {
  if (pathname === '/config.json') {
    if (!deps.ice.turn) {
      json(res, 200, clientConfig(deps.ice, Date.now(), true));
      return true;
    }
    when(
      res,
      deps.turnIssues.take(deps.address),
      (withTurn) => json(res, 200, clientConfig(deps.ice, Date.now(), withTurn)),
      onError,
    );
    return true;
  }
  if (pathname === '/healthz') {
    json(res, 200, { ok: true });
    return true;
  }
  const issue = /^\/api\/rooms\/([^/]+)\/code$/.exec(pathname);
  if (issue?.[1] !== undefined) {
    if (req.method !== 'POST') {
      json(res, 405, { error: 'use POST' });
    } else if (!isValidRoomId(issue[1])) {
      json(res, 400, { error: 'invalid room id' });
    } else {
      when(
        res,
        deps.codes.issue(issue[1], deps.address),
        (issued) => {
          if (issued === 'rate-limited') json(res, 429, { error: 'too many room codes; wait a minute' });
          else json(res, 200, issued);
        },
        onError,
      );
    }
    return true;
  }
  const lookup = /^\/api\/codes\/([^/]{1,32})$/.exec(pathname);
  if (lookup?.[1] !== undefined) {
    let code: string;
    try {
      code = decodeURIComponent(lookup[1]);
    } catch {
      json(res, 400, { error: 'invalid code' });
      return true;
    }
    when(
      res,
      deps.codes.lookup(code, deps.address),
      (room) => {
        if (room === 'rate-limited') json(res, 429, { error: 'too many lookups; wait a minute' });
        else if (room === undefined) json(res, 404, { error: 'no room has that code' });
        else json(res, 200, { room });
      },
      onError,
    );
    return true;
  }
  if (pathname.startsWith('/api/')) {
    json(res, 404, { error: 'unknown endpoint' });
    return true;
  }
  return false;
}

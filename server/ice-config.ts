/**
 * The ICE servers that clients use for WebRTC, served at `/config.json`.
 *
 * Sources, from the environment:
 *  - `ICE_SERVERS`: a JSON array of RTCIceServer objects, passed through after validation.
 *  - `TURN_URL` + `TURN_SECRET`: time-limited TURN credentials in the "TURN REST API"
 *    scheme that coturn's `use-auth-secret` implements: username `<expiry>:<user>`,
 *    credential `base64(HMAC-SHA1(secret, username))`.
 * Default: no ICE servers (peers on one network connect with host candidates).
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ICE_URL = /^(stun|stuns|turn|turns):[^\s]+$/;

function validUrls(urls: unknown): urls is string | string[] {
  if (typeof urls === 'string') return ICE_URL.test(urls);
  return Array.isArray(urls) && urls.length > 0 && urls.every((u) => typeof u === 'string' && ICE_URL.test(u));
}

/** Parses the `ICE_SERVERS` variable. */
export function parseIceServers(text: string): Parsed<IceServer[]> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'ICE_SERVERS is not valid JSON' };
  }
  if (!Array.isArray(value)) return { ok: false, error: 'ICE_SERVERS must be a JSON array' };
  const servers: IceServer[] = [];
  for (const [index, entry] of value.entries()) {
    if (typeof entry !== 'object' || entry === null) {
      return { ok: false, error: `ICE_SERVERS[${index}] must be an object` };
    }
    const { urls, username, credential } = entry as Record<string, unknown>;
    if (!validUrls(urls)) {
      return { ok: false, error: `ICE_SERVERS[${index}].urls must be stun:, turn: or turns: URLs` };
    }
    if (username !== undefined && typeof username !== 'string') {
      return { ok: false, error: `ICE_SERVERS[${index}].username must be a string` };
    }
    if (credential !== undefined && typeof credential !== 'string') {
      return { ok: false, error: `ICE_SERVERS[${index}].credential must be a string` };
    }
    servers.push({
      urls,
      ...(username === undefined ? {} : { username }),
      ...(credential === undefined ? {} : { credential }),
    });
  }
  return { ok: true, value: servers };
}

interface TurnRestOptions {
  urls: string[];
  secret: string;
  ttlSeconds: number;
}

/**
 * Time-limited TURN credentials (TURN REST API / coturn `use-auth-secret`),
 * fresh for each request (SEC21): the user name is the expiry and a random
 * id, so every credential can be told apart in the TURN server's logs and
 * none is shared by everyone.
 */
function turnRestServer(options: TurnRestOptions, nowMs: number): IceServer {
  const expiry = Math.floor(nowMs / 1000) + options.ttlSeconds;
  const username = `${expiry}:${randomBytes(9).toString('base64url')}`;
  const credential = createHmac('sha1', options.secret).update(username).digest('base64');
  return { urls: options.urls, username, credential };
}

export interface IceSettings {
  static: IceServer[];
  turn?: TurnRestOptions;
}

/**
 * The body of `/config.json` at time `nowMs`; without TURN credentials when
 * `withTurn` is false (the caller's address asked for too many, SEC21).
 */
export function clientConfig(settings: IceSettings, nowMs: number, withTurn = true): { iceServers: IceServer[] } {
  const iceServers = [...settings.static];
  if (settings.turn && withTurn) iceServers.push(turnRestServer(settings.turn, nowMs));
  return { iceServers };
}

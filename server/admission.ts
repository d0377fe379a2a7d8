/**
 * Who is asking, and may they open one more socket: the checks every
 * WebSocket upgrade passes before any endpoint does work for it
 * (docs/security.md SEC18, SEC19).
 *
 *   SEC18 an upgrade whose `Origin` is neither this server's own nor listed in
 *         ALLOWED_ORIGINS is refused (403); a request without Origin (not a
 *         browser) passes: the Origin check stops other web pages from using
 *         their visitors' browsers against this server, nothing more.
 *   SEC19 the client address is the TCP peer, or with TRUST_PROXY=1 the last
 *         `X-Forwarded-For` entry (the one the proxy in front of us appended);
 *         IPv6 addresses count per /64 (one customer's network); at most
 *         MAX_SOCKETS_PER_ADDRESS open sockets per address, checked before a
 *         room is looked at or loaded (429).
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';

/** What every WebSocket endpoint learns about an upgrade that passed SEC18/SEC19. */
export interface UpgradeContext {
  /** The client address (SEC19; from X-Forwarded-For with TRUST_PROXY=1). */
  address: string;
  query: URLSearchParams;
}

/**
 * The context of an upgrade that reached an endpoint without passing through
 * `startServer` (an endpoint mounted on a bare HTTP server in a test): the TCP
 * peer's address and the query, or undefined when the target does not parse.
 */
export function directUpgradeContext(req: IncomingMessage): UpgradeContext | undefined {
  const raw = req.url ?? '';
  if (!raw.startsWith('/') || raw.startsWith('//')) return undefined;
  try {
    return { address: clientAddress(req, false), query: new URL(raw, 'http://localhost').searchParams };
  } catch {
    return undefined;
  }
}

/** Answers an upgrade request with a bare HTTP status and closes the connection. */
export function refuseUpgrade(socket: Duplex, status: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  else socket.destroy();
}

/** The client's address as the server counts it. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  let address = req.socket.remoteAddress ?? 'unknown';
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const list = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',');
    const last = list[list.length - 1]?.trim() ?? '';
    if (isIP(last)) address = last;
  }
  // An IPv4 client on a dual-stack socket.
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** The key limits are counted under: an IPv4 address, or the /64 network of an IPv6 one. */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  return `${expandIpv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIpv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]?.split('::') ?? [''];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail (::ffff:1.2.3.4) only matters past the /64.
  const missing = 8 - left.length - right.length;
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, missing)).fill('0'), ...right];
  return groups.map((group) => (Number.parseInt(group, 16) || 0).toString(16));
}

/** SEC18: may a page from `Origin` open a socket here? */
export function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  return host !== '' && host === req.headers.host;
}

/** SEC19: open sockets per address key. */
export class SocketCounter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly maxPerKey: number) {}

  /** Counts one more socket for `key`, or returns false when it already has its share. */
  acquire(key: string): boolean {
    const count = this.counts.get(key) ?? 0;
    if (count >= this.maxPerKey) return false;
    this.counts.set(key, count + 1);
    return true;
  }

  release(key: string): void {
    const count = this.counts.get(key) ?? 0;
    if (count <= 1) this.counts.delete(key);
    else this.counts.set(key, count - 1);
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}

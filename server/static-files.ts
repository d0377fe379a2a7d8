/**
 * Serves the built app and other static trees.
 *
 * STATIC1 Hashed build assets (`/assets/...`) are cached for a year, immutable.
 * STATIC2 `index.html`, the service worker and every other unhashed file are `no-cache`
 *         (revalidated with ETag), so a deployment is picked up on the next load.
 * STATIC3 `/` and room links (`/r/<anything>`) answer with the app's index.html.
 * STATIC4 Paths that escape the root, contain NUL, or are not GET/HEAD are refused.
 * STATIC5 A precompressed sibling (`.br`, `.gz`) is served when the client accepts it.
 * RELAY14 A file of at most MEMORY_FILE_BYTES is read from disk once and then answered from
 *         memory (one write), while its size and modification time stay the same: the main
 *         thread that serves a page's load and its service worker's precache also forwards
 *         every relayed pose (docs/transports.md, "Measuring at 60 Hz").
 */
import { createReadStream, readFile, type Stats, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.glb': 'model/gltf-binary',
  '.gltf': 'model/gltf+json',
  '.holo': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.ogg': 'audio/ogg',
  '.mp3': 'audio/mpeg',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** RELAY14: files up to this size are kept in memory; larger ones are streamed from disk. */
const MEMORY_FILE_BYTES = 4 * 1024 * 1024;
/** RELAY14: the memory all kept files may take; beyond it a file is streamed as before. */
const MEMORY_TOTAL_BYTES = 64 * 1024 * 1024;

interface KeptFile {
  size: number;
  mtimeMs: number;
  bytes: Buffer;
}
const REVALIDATE = 'no-cache';

export interface StaticMount {
  /** URL prefix ending in `/`, e.g. `/xr-profiles/`. */
  prefix: string;
  dir: string;
  /** Cache-Control for everything under this mount. */
  cacheControl: string;
}

function etagOf(stat: Stats): string {
  return `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
}

function statFile(file: string): Stats | undefined {
  try {
    const stat = statSync(file);
    return stat.isFile() ? stat : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves `urlPath` under `root`, or undefined if it would escape it. */
export function resolveUnder(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const resolved = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  return resolved === root || resolved.startsWith(root + path.sep) ? resolved : undefined;
}

function isAppRoute(pathname: string): boolean {
  return pathname === '/' || pathname === '/index.html' || /^\/r\/[^/]*\/?$/.test(pathname);
}

export class StaticFiles {
  private readonly root: string;
  private readonly kept = new Map<string, KeptFile>();
  private keptBytes = 0;
  /** RELAY14: files read from disk (whole, to keep, or streamed). */
  diskReads = 0;

  constructor(
    root: string,
    private readonly mounts: StaticMount[] = [],
    private readonly extraHeaders: Record<string, string> = {},
  ) {
    this.root = path.resolve(root);
  }

  /** Answers the request; always ends the response. */
  handle(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('Method not allowed\n');
      return;
    }
    const target = this.locate(pathname);
    if (!target) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    this.send(req, res, target.file, target.cacheControl);
  }

  private locate(pathname: string): { file: string; cacheControl: string } | undefined {
    for (const mount of this.mounts) {
      if (!pathname.startsWith(mount.prefix)) continue;
      const file = resolveUnder(mount.dir, pathname.slice(mount.prefix.length));
      return file && statFile(file) ? { file, cacheControl: mount.cacheControl } : undefined;
    }
    if (isAppRoute(pathname)) return { file: path.join(this.root, 'index.html'), cacheControl: REVALIDATE };
    const file = resolveUnder(this.root, pathname);
    if (!file || !statFile(file)) return undefined;
    return { file, cacheControl: pathname.startsWith('/assets/') ? IMMUTABLE : REVALIDATE };
  }

  private send(req: IncomingMessage, res: ServerResponse, file: string, cacheControl: string): void {
    const stat = statFile(file);
    if (!stat) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    const accepted = String(req.headers['accept-encoding'] ?? '');
    let body = file;
    let size = stat.size;
    let encoding: 'br' | 'gzip' | undefined;
    for (const [name, suffix] of [
      ['br', '.br'],
      ['gzip', '.gz'],
    ] as const) {
      if (!new RegExp(`\\b${name}\\b`).test(accepted)) continue;
      const compressed = statFile(file + suffix);
      if (compressed) {
        encoding = name;
        body = file + suffix;
        size = compressed.size;
        break;
      }
    }
    // Each encoding is a different representation, so it gets its own validator.
    const etag = encoding ? etagOf(stat).replace(/"$/, `-${encoding}"`) : etagOf(stat);
    const headers: Record<string, string> = {
      ...this.extraHeaders,
      'Content-Type': MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': cacheControl,
      ETag: etag,
      Vary: 'Accept-Encoding',
    };
    if (encoding) headers['Content-Encoding'] = encoding;
    if (req.headers['if-none-match'] === etag) {
      delete headers['Content-Encoding'];
      res.writeHead(304, headers).end();
      return;
    }
    headers['Content-Length'] = String(size);
    if (req.method === 'HEAD') {
      res.writeHead(200, headers).end();
      return;
    }
    const bodyStat = body === file ? stat : statFile(body);
    const kept = bodyStat && this.keptFile(body, bodyStat);
    if (kept) {
      res.writeHead(200, headers).end(kept);
      return;
    }
    this.diskReads++;
    if (!bodyStat || bodyStat.size > MEMORY_FILE_BYTES || this.keptBytes + bodyStat.size > MEMORY_TOTAL_BYTES) {
      res.writeHead(200, headers);
      createReadStream(body)
        .on('error', () => res.destroy())
        .pipe(res);
      return;
    }
    readFile(body, (error, bytes) => {
      // A file that changed between the stat and the read is not sent half old, half new.
      if (error || bytes.length !== size) {
        res.destroy();
        return;
      }
      this.keep(body, bodyStat, bytes);
      res.writeHead(200, headers).end(bytes);
    });
  }

  /** The kept bytes of `file` if they are still those of `stat` (same size and modification time). */
  private keptFile(file: string, stat: Stats): Buffer | undefined {
    const kept = this.kept.get(file);
    if (!kept) return undefined;
    if (kept.size === stat.size && kept.mtimeMs === stat.mtimeMs) return kept.bytes;
    this.kept.delete(file);
    this.keptBytes -= kept.size;
    return undefined;
  }

  private keep(file: string, stat: Stats, bytes: Buffer): void {
    if (this.kept.has(file) || this.keptBytes + bytes.length > MEMORY_TOTAL_BYTES) return;
    this.kept.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, bytes });
    this.keptBytes += bytes.length;
  }
}

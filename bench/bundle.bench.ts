/**
 * Bundle size: what a visitor downloads before the room is interactive, all
 * JavaScript, and the parser's WebAssembly, gzip-compressed at level 9 (what
 * the server's precompressed `.gz` files are).
 *
 * "Initial" = everything a room link loads eagerly: the entry chunk, the room
 * page chunk it imports lazily on a room URL, and their static imports.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Benchmark } from './harness/types.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const APP = path.join(ROOT, 'build', 'app');

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  src?: string;
}

const gzipBytes = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

/** Chunks loaded eagerly from `keys`, following static imports only. */
function staticClosure(manifest: Record<string, ManifestChunk>, keys: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const next of manifest[key]?.imports ?? []) visit(next);
  };
  for (const key of keys) visit(key);
  return seen;
}

const bundle: Benchmark = async () => {
  const manifest = JSON.parse(readFileSync(path.join(APP, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const entry = Object.keys(manifest).find((key) => manifest[key]?.isEntry);
  const roomPage = Object.keys(manifest).find((key) => key.endsWith('app/ui/RoomPage.tsx'));
  if (!entry || !roomPage) throw new Error('manifest lacks the entry or the room page chunk');
  const initial = staticClosure(manifest, [entry, roomPage]);
  let initialBytes = 0;
  for (const key of initial) {
    const file = manifest[key]?.file;
    if (file?.endsWith('.js')) initialBytes += gzipBytes(path.join(APP, file));
  }
  const allJs = listFiles(APP).filter((file) => file.endsWith('.js'));
  const totalBytes = allJs.reduce((sum, file) => sum + gzipBytes(file), 0);
  const wasm = listFiles(APP).find((file) => file.endsWith('.wasm'));
  if (!wasm) throw new Error('no .wasm in the built app');
  return {
    'bundle.initial_js_gzip_bytes': initialBytes,
    'bundle.total_js_gzip_bytes': totalBytes,
    'bundle.wasm_gzip_bytes': gzipBytes(wasm),
  };
};

export default bundle;

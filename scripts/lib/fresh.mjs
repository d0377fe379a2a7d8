// Content-hash stamps, so a second `npm start` does not rebuild what is up to date.
// A build step hashes its inputs; when the hash matches the stamp written after
// the last successful build (and the outputs still exist) the step is skipped.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './run.mjs';

const STAMP_DIR = path.join(ROOT, 'build', '.stamps');
const SKIP_DIRS = new Set(['node_modules', 'target', 'build', '.git', 'results', 'artifacts']);

/**
 * Hashes files and directory trees (relative to the repository root) plus extra strings.
 * @param {string[]} inputs
 * @param {string[]} [extra]
 */
export function hashInputs(inputs, extra = []) {
  const hash = createHash('sha256');
  /** @param {string} rel */
  const visit = (rel) => {
    const abs = path.join(ROOT, rel);
    if (!existsSync(abs)) {
      hash.update(`missing:${rel}\0`);
      return;
    }
    const stat = statSync(abs);
    if (stat.isDirectory()) {
      for (const name of readdirSync(abs).sort()) {
        if (!SKIP_DIRS.has(name)) visit(path.join(rel, name));
      }
    } else {
      hash.update(`file:${rel}\0`);
      hash.update(readFileSync(abs));
    }
  };
  for (const input of inputs) visit(input);
  for (const value of extra) hash.update(`extra:${value}\0`);
  return hash.digest('hex');
}

/**
 * @param {string} name
 * @param {string} digest
 * @param {string[]} outputs paths relative to the root that the step produces
 */
export function isFresh(name, digest, outputs) {
  const file = path.join(STAMP_DIR, name);
  if (!existsSync(file)) return false;
  if (!outputs.every((out) => existsSync(path.join(ROOT, out)))) return false;
  return readFileSync(file, 'utf8') === digest;
}

/** @param {string} name @param {string} digest */
export function writeStamp(name, digest) {
  mkdirSync(STAMP_DIR, { recursive: true });
  writeFileSync(path.join(STAMP_DIR, name), digest);
}

/**
 * Screenshots compared with committed reference images (docs/ui.md, LOOK1):
 * pixelmatch counts the pixels that differ beyond its colour threshold, and a
 * screen passes when at most `MAX_DIFFERING` of them do. `npm run screenshots`
 * sets HOLOROOM_SCREENSHOTS=update, and the same calls write the references
 * instead of comparing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const REFERENCE_DIR = path.join(ROOT, 'e2e', 'reference-screens');
const ARTIFACTS_DIR = path.join(ROOT, 'e2e', 'artifacts');

/** pixelmatch's per-pixel colour distance (0..1) under which two pixels count as equal. */
const COLOR_THRESHOLD = 0.1;
/**
 * Differing pixels a screen may have: text antialiasing may flicker on a few
 * edges, while a control that moves by even a few pixels changes thousands.
 */
export const MAX_DIFFERING = 100;

/** True when this run writes references (`npm run screenshots`) instead of comparing with them. */
export const updatingReferences = process.env.HOLOROOM_SCREENSHOTS === 'update';

/** Pixels that differ between two PNGs; every pixel when their sizes differ. */
export function differingPixels(a: Buffer, b: Buffer, diffPath?: string): number {
  const one = PNG.sync.read(a);
  const two = PNG.sync.read(b);
  if (one.width !== two.width || one.height !== two.height) return Math.max(one.width * one.height, 1);
  const diff = new PNG({ width: one.width, height: one.height });
  const count = pixelmatch(one.data, two.data, diff.data, one.width, one.height, { threshold: COLOR_THRESHOLD });
  if (diffPath && count > 0) writeFileSync(diffPath, PNG.sync.write(diff));
  return count;
}

/**
 * Compares `png` with the reference `name` (or writes it when updating) and
 * returns the number of differing pixels (0 when written). A missing reference
 * is an error that names the command that makes it.
 */
export function matchReference(png: Buffer, name: string): number {
  const reference = path.join(REFERENCE_DIR, name);
  if (updatingReferences) {
    mkdirSync(REFERENCE_DIR, { recursive: true });
    writeFileSync(reference, png);
    return 0;
  }
  if (!existsSync(reference)) throw new Error(`no reference image ${name}: run \`npm run screenshots\``);
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  writeFileSync(path.join(ARTIFACTS_DIR, `screen-${name}`), png);
  return differingPixels(readFileSync(reference), png, path.join(ARTIFACTS_DIR, `screen-diff-${name}`));
}

/** Writes a README image (`docs/images/<name>`) when updating references; otherwise does nothing. */
export function writeDocImage(png: Buffer, name: string): void {
  if (!updatingReferences) return;
  writeFileSync(path.join(ROOT, 'docs', 'images', name), png);
}

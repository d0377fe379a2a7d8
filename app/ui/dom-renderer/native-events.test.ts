/**
 * [DOM4] The DOM renderer hands handlers the browser's own events: no handler
 * of the app's DOM may read what only React DOM's synthetic events have.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const APP = path.resolve(import.meta.dirname, '..', '..');
/** Where the DOM renderer's components live: the panels and pages, and the boot that mounts them. */
const DOM_FOLDERS = ['ui', 'boot'];
/** Fields of React DOM's synthetic events that native events lack. */
const SYNTHETIC_ONLY = /\.(nativeEvent|persist\(|isPropagationStopped\(|isDefaultPrevented\()/;

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('[DOM4] native events', () => {
  it('[DOM4] no component of the app reads a synthetic-only event field (nativeEvent, persist, isPropagationStopped, isDefaultPrevented)', () => {
    const files = DOM_FOLDERS.flatMap((folder) => sources(path.join(APP, folder)));
    expect(files.length).toBeGreaterThan(20);
    const uses = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, index) => ({ line, where: `${path.relative(APP, file)}:${index + 1}` }))
        .filter(({ line }) => SYNTHETIC_ONLY.test(line))
        .map(({ where, line }) => `${where}: ${line.trim()}`),
    );
    expect(uses).toEqual([]);
  });
});

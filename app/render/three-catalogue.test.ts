import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as THREE from 'three';
import { expect, test } from 'vitest';
import * as THREE_CATALOGUE from './three-catalogue.ts';

/** Every export of three by name (a test may read the whole namespace; the app must not). */
const THREE_EXPORTS = new Map<string, unknown>(Object.entries(THREE));
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function filesUnder(dir: string, ending: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(ending))
    .map((name) => path.join(dir, name));
}

/** Lowercase JSX elements that name a three.js class (`<mesh>` -> Mesh), in `texts`. */
function threeElements(texts: string[], pattern: RegExp): Set<string> {
  const found = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(pattern)) {
      const tag = match[1] as string;
      const name = tag[0]?.toUpperCase() + tag.slice(1);
      if (THREE_EXPORTS.has(name)) found.add(name);
    }
  }
  return found;
}

test('[LOAD3] every three.js element the app draws is in the catalogue the room canvas registers', () => {
  const sources = filesUnder(path.join(ROOT, 'app'), '.tsx').map((file) => readFileSync(file, 'utf8'));
  const used = threeElements(sources, /<([a-z][A-Za-z0-9]*)[\s/>]/g);
  expect(used.size).toBeGreaterThan(5);
  expect([...used].filter((name) => !(name in THREE_CATALOGUE))).toEqual([]);
});

test('[LOAD3] every three.js element @react-three/xr draws is in the catalogue too', () => {
  const dist = path.join(ROOT, 'node_modules', '@react-three', 'xr', 'dist');
  const sources = filesUnder(dist, '.js').map((file) => readFileSync(file, 'utf8'));
  const used = threeElements(sources, /jsxs?\("([a-z][A-Za-z0-9]*)"/g);
  expect(used.has('Group')).toBe(true);
  expect([...used].filter((name) => !(name in THREE_CATALOGUE))).toEqual([]);
});

test('[LOAD3] the catalogue holds classes, not the three namespace', () => {
  expect(Object.keys(THREE_CATALOGUE).length).toBeLessThan(40);
  for (const [name, value] of Object.entries(THREE_CATALOGUE)) expect(value).toBe(THREE_EXPORTS.get(name));
});

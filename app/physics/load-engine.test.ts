// PHYS8: the engine is a chunk of its own. Vite splits a module out of the
// initial bundle only when every import of it is dynamic, so no file of the app
// may import it statically (type-only imports are erased).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const APP = path.resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe('loading the physics engine', () => {
  it('[PHYS8] only a dynamic import loads Rapier: rooms without @physics never fetch it', () => {
    const importers: string[] = [];
    for (const file of sources(APP)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/^\s*import\s+(type\s+)?[^;]*from\s+'(@dimforge\/[^']+)'/gm)) {
        if (!match[1]) importers.push(`${path.relative(APP, file)} imports ${match[2]} statically`);
      }
      if (text.includes("import('@dimforge/")) importers.push(`${path.relative(APP, file)}: dynamic`);
    }
    expect(importers).toEqual(['physics/engine/rapier-module.ts: dynamic']);
  });
});

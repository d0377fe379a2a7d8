/**
 * [LOAD27] [LOAD28] The app's build gives R3F the shared react-reconciler
 * module instead of its inline copy, and refuses React DOM.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { oneReconciler, RECONCILER_MODULE, withSharedReconciler } from './one-reconciler.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const R3F_DIST = path.join(ROOT, 'node_modules', '@react-three', 'fiber', 'dist');
const eventsFile = readdirSync(R3F_DIST).find((name) => /^events-\w+\.esm\.js$/.test(name));
if (!eventsFile) throw new Error(`no events-*.esm.js in ${R3F_DIST}`);
const eventsPath = path.join(R3F_DIST, eventsFile);
const events = readFileSync(eventsPath, 'utf8');

/** The plugin's resolveId, with the bundler's `this.error` throwing as the bundler's does. */
function resolve(source: string, importer: string): unknown {
  const hook = oneReconciler().resolveId as (this: unknown, source: string, importer: string) => unknown;
  const context = {
    error(message: string): never {
      throw new Error(message);
    },
  };
  return hook.call(context, source, importer);
}

describe('[LOAD27] one reconciler', () => {
  it('[LOAD27] R3F imports the shared react-reconciler module instead of carrying the production and development builds inline', () => {
    const shared = withSharedReconciler(events, eventsPath);
    for (const build of ['react-reconciler.production.js', 'react-reconciler.development.js']) {
      expect(events).toContain(build);
      expect(shared).not.toContain(build);
    }
    expect(shared).toContain(`from '${RECONCILER_MODULE}';`);
    // R3F's own code stays: its factory wrapper, which now calls the imported reconciler.
    expect(shared).toContain('function createReconciler(config)');
    expect(shared.length).toBeLessThan(events.length - 500_000);
    // The shared module is the same react-reconciler release as the copy it replaces.
    const module = readFileSync(path.join(ROOT, 'node_modules', RECONCILER_MODULE), 'utf8');
    const version = (text: string) => /reconcilerVersion: ?"([\d.]+)"/.exec(text)?.[1];
    expect(version(module)).toBeDefined();
    expect(version(module)).toBe(version(events));
  });

  it('[LOAD27] a build of R3F without the inline copy stops the app build with what to update', () => {
    expect(() => withSharedReconciler('export const x = 1;', 'events-x.esm.js')).toThrow(
      /update scripts\/one-reconciler/,
    );
  });
});

describe('[LOAD28] no React DOM', () => {
  it('[LOAD28] the app importing react-dom or react-dom/client stops the build and names the renderer to use', () => {
    for (const source of ['react-dom', 'react-dom/client', 'react-dom/server']) {
      expect(() => resolve(source, path.join(ROOT, 'app', 'ui', 'Panel.tsx'))).toThrow(/app\/ui\/dom-renderer/);
    }
  });

  it("[LOAD28] @react-three/xr's DOM overlay gets the DOM renderer's createRoot; other imports resolve as usual", () => {
    const overlay = path.join(ROOT, 'node_modules', '@react-three', 'xr', 'dist', 'dom-overlay.js');
    expect(readFileSync(overlay, 'utf8')).toContain("from 'react-dom/client'");
    expect(resolve('react-dom/client', overlay)).toBe(path.join(ROOT, 'app', 'ui', 'dom-renderer', 'index.ts'));
    expect(resolve('react', overlay)).toBeUndefined();
  });
});

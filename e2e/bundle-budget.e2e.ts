/**
 * The size budget (docs/performance.md, LOAD1-LOAD2, LOAD4, LOAD6-LOAD14): a first visit to
 * a room link and to the start page in Chromium, the bytes fetched before the
 * room is interactive summed as the server sends them, against the budgets.
 * A failure lists every resource, largest first, so the one that grew shows.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { describeLoad, type LoadWeight, measureLoad, total } from './harness/load-weight.ts';
import { browserSuite } from './harness/suite.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bytes, gzip as served (LOAD2). */
const BUDGETS = {
  roomInteractiveJs: 325_000,
  roomInteractiveAll: 367_000,
  landingAll: 100_000,
} as const;

const suite = browserSuite();

function within(weight: LoadWeight, what: string, bytes: number, budget: number): void {
  if (bytes > budget) {
    throw new Error(
      `${what}: ${bytes} B gzip, over the budget of ${budget} B by ${bytes - budget} B:\n${describeLoad(weight)}`,
    );
  }
}

/** Files of the build that Vite's manifest lists for sources matching `pattern`. */
function chunksOf(pattern: RegExp): string[] {
  const manifest = JSON.parse(
    readFileSync(path.join(ROOT, 'build', 'app', '.vite', 'manifest.json'), 'utf8'),
  ) as Record<string, { file: string }>;
  return Object.entries(manifest)
    .filter(([source]) => pattern.test(source))
    .map(([, chunk]) => `/${chunk.file}`);
}

test('[LOAD1] [LOAD2] a room link is interactive within the budget: its JavaScript and everything it fetched', async () => {
  const weight = await measureLoad(suite.browser, suite.server.url, '/r/budgetroom00001', 'room-interactive');
  // The measurement saw the app, its room chunk and the parser: it measured a room, not an error page.
  expect(weight.fetched.some((f) => f.kind === 'wasm')).toBe(true);
  expect(weight.fetched.filter((f) => f.kind === 'js').length).toBeGreaterThanOrEqual(2);
  console.log(
    `room link before interactive (${Math.round(weight.readyMs)} ms): JS ${total(weight, 'gzip', 'js')} B gzip, ` +
      `all ${total(weight, 'gzip')} B gzip, all ${total(weight, 'brotli')} B brotli\n${describeLoad(weight)}`,
  );
  // LOAD14: "interactive" is the 3D view with its input; the panels paint after it, and this is what that took.
  const panels = weight.panels;
  if (!panels) throw new Error("the room's panels never painted");
  console.log(
    `room link before its panels painted (${Math.round(panels.readyMs)} ms): JS ${total(panels, 'gzip', 'js')} B gzip, ` +
      `all ${total(panels, 'gzip')} B gzip, all ${total(panels, 'brotli')} B brotli\n${describeLoad(panels)}`,
  );
  within(weight, 'room JavaScript before interactive', total(weight, 'gzip', 'js'), BUDGETS.roomInteractiveJs);
  within(weight, 'everything before interactive', total(weight, 'gzip'), BUDGETS.roomInteractiveAll);
  // Served brotli where the server has it: never more than gzip.
  expect(total(weight, 'brotli')).toBeLessThanOrEqual(total(weight, 'gzip'));
});

/** The text of a file of the build, by the path the server serves it at. */
function builtFile(servedPath: string): string {
  return readFileSync(path.join(ROOT, 'build', 'app', servedPath), 'utf8');
}

/** Messages of three's animation system, which only glTF models use: its code keeps them when minified. */
const ANIMATION_SYSTEM = ['THREE.PropertyBinding:', 'THREE.KeyframeTrack:'];

/**
 * LOAD13: text a protected room's roles keep when minified, one for each large part: peer roles (a
 * counter's name), moderation of the session (a method's), signed names, the grab check, role messages.
 */
const ROLES_CODE = [
  'closedKicked',
  'peerSessions',
  'too many client ids to remember',
  'too many changes for a grab',
  'a proof has an unknown role or the wrong length for its role',
];

test("[LOAD4] [LOAD6] [LOAD7] [LOAD8] [LOAD9] [LOAD10] [LOAD11] [LOAD12] [LOAD13] before a room is interactive it fetches no XR chunk nor the room's headset part (no immersive XR here), no glTF loader, none of three's parts only those use, no editor panel, no physics host, no voice, no service worker registration, no sky shader, and an open room no roles", async () => {
  const weight = await measureLoad(suite.browser, suite.server.url, '/r/budgetroom00002', 'room-interactive');
  // The glTF loader is a shared chunk (`_GLTFLoader-<hash>.js`): the XR chunks and the model loader both import it.
  // LOAD12: so does the room's own headset part (controllers, menu, teleport arc, vignette).
  const lazy = chunksOf(/app\/render\/XRLayer\.tsx$|app\/xr\/xr-store\.ts$|GLTFLoader|app\/room\/room-xr\.ts$/);
  expect(lazy.length).toBeGreaterThanOrEqual(4);
  expect(lazy.some((file) => file.includes('/room-xr-'))).toBe(true);
  expect(weight.fetched.map((f) => f.path).filter((p) => lazy.includes(p))).toEqual([]);
  // LOAD7: the editor panel and CodeMirror load when someone opens the editor.
  const editor = chunksOf(/app\/ui\/ScriptEditorPanelContent\.tsx$|app\/editor\/script-editor\.ts$/);
  expect(editor).toHaveLength(2);
  expect(weight.fetched.map((f) => f.path).filter((p) => editor.includes(p))).toEqual([]);
  // LOAD8: the physics host (worker adapter, in-process fallback) loads with the first @physics body.
  const physicsHost = chunksOf(/app\/physics\/engine\/hosts\.ts$/);
  expect(physicsHost).toHaveLength(1);
  expect(weight.fetched.map((f) => f.path).filter((p) => physicsHost.includes(p))).toEqual([]);
  // LOAD9: voice's code (connections, audio graph, signaling) loads after the room is interactive.
  const voice = chunksOf(/app\/voice\/voice-chat\.ts$/);
  expect(voice).toHaveLength(1);
  expect(weight.fetched.map((f) => f.path).filter((p) => voice.includes(p))).toEqual([]);
  // LOAD10: the service worker's registration (workbox-window) waits until the room is interactive.
  const registration = chunksOf(/app\/pwa\/update-controller\.ts$/);
  expect(registration).toHaveLength(1);
  expect(weight.fetched.map((f) => f.path).filter((p) => registration.includes(p))).toEqual([]);
  // LOAD11: three's daylight sky (its shader) loads after the room is interactive.
  const sky = chunksOf(/app\/render\/scene\/sky-dome\.ts$/);
  expect(sky).toHaveLength(1);
  expect(weight.fetched.map((f) => f.path).filter((p) => sky.includes(p))).toEqual([]);
  // LOAD13: an open room (no key in its link) never fetches a protected room's roles, which are in their own chunk.
  const roles = chunksOf(/app\/sync\/roles\/session-roles\.ts$/);
  expect(roles).toHaveLength(1);
  expect(weight.fetched.map((f) => f.path).filter((p) => roles.includes(p))).toEqual([]);
  const rolesText = roles.map(builtFile).join('\n');
  for (const marker of ROLES_CODE) expect(rolesText).toContain(marker);
  // LOAD6: three's animation system is in the build, in the glTF loader's chunk, and in nothing a room fetched first.
  const loader = chunksOf(/GLTFLoader/)
    .map(builtFile)
    .join('\n');
  for (const message of ANIMATION_SYSTEM) expect(loader).toContain(message);
  const firstScripts = weight.fetched.filter((f) => f.kind === 'js');
  expect(firstScripts.length).toBeGreaterThanOrEqual(2);
  for (const script of firstScripts) {
    const text = builtFile(script.path);
    for (const message of ANIMATION_SYSTEM)
      expect(text.includes(message), `${script.path} holds ${message}`).toBe(false);
    for (const marker of ROLES_CODE) expect(text.includes(marker), `${script.path} holds ${marker}`).toBe(false);
  }
});

/** Property names React DOM keeps on the DOM nodes it renders: in its minified code, and in no other library's. */
const REACT_DOM_CODE = ['__reactContainer$', '__reactFiber$'];

test("[LOAD14] a room link fetches React DOM and the room's panels only after the room is interactive, and the panels paint after that", async () => {
  const weight = await measureLoad(suite.browser, suite.server.url, '/r/budgetroom00003', 'room-interactive');
  const panels = weight.panels;
  if (!panels) throw new Error("the room's panels never painted");
  // The panels' own chunk, and React DOM's code (in whichever chunk the bundler put it), exist in the build.
  const panelsChunk = chunksOf(/app\/ui\/RoomPanels\.tsx$/);
  expect(panelsChunk).toHaveLength(1);
  const reactDom = panels.fetched
    .filter((f) => f.kind === 'js')
    .map((f) => f.path)
    .filter((p) => REACT_DOM_CODE.every((marker) => builtFile(p).includes(marker)));
  // ...the panels' first paint needed them, so they were fetched by then...
  expect(reactDom).toHaveLength(1);
  expect(panels.fetched.map((f) => f.path)).toEqual(expect.arrayContaining(panelsChunk));
  // ...and not before the room was interactive: no script fetched by then holds React DOM's code.
  expect(weight.fetched.map((f) => f.path).filter((p) => panelsChunk.includes(p))).toEqual([]);
  const firstScripts = weight.fetched.filter((f) => f.kind === 'js');
  expect(firstScripts.length).toBeGreaterThanOrEqual(2);
  for (const script of firstScripts) {
    const text = builtFile(script.path);
    for (const marker of REACT_DOM_CODE) expect(text.includes(marker), `${script.path} holds ${marker}`).toBe(false);
  }
  expect(panels.readyMs).toBeGreaterThan(weight.readyMs);
});

test('[LOAD2] the start page alone is within its budget', async () => {
  const weight = await measureLoad(suite.browser, suite.server.url, '/', 'landing-ready');
  expect(weight.fetched.some((f) => f.kind === 'html')).toBe(true);
  console.log(`start page: ${total(weight, 'gzip')} B gzip, ${total(weight, 'brotli')} B brotli`);
  within(weight, 'the start page', total(weight, 'gzip'), BUDGETS.landingAll);
});

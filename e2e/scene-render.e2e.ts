// The scene runtime in Chromium: the lobby a new room starts with, scripts
// rendered by pixels, errors that keep the last good scene, switching scenes,
// glTF models from this site only, a rarer primitive loaded on first use, a click running a handler,
// a sound a handler plays, and how a scene is drawn (objects of one look batched, shadow maps only
// on change, no multisampling in software GL).
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { ObjectId } from '../app/core/ids.ts';
import { diagnosticMark, EDITOR_INPUT } from './editor-helpers.ts';
import { saveScreenshot, waitUntil, watchPage } from './harness/browser.ts';
import { pixelStats } from './harness/pixels.ts';
import { browserSuite } from './harness/suite.ts';
import {
  colorStats,
  frames,
  GREEN,
  MAGENTA,
  RED,
  sceneInfo,
  screenPoint,
  setScript,
  waitForScene,
} from './scene-helpers.ts';

const suite = browserSuite();

/** WebGL pages on a shared 2-core machine load slowly. */
const TEST_TIMEOUT_MS = 180_000;
/** The page's own background colour (#0f1720): what an unrendered canvas shows. */
const PAGE_BACKGROUND: [number, number, number] = [0x0f, 0x17, 0x20];

async function openRoom(name: string, query = ''): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const context = await suite.context({ name: 'Painter' });
  const page = await context.newPage();
  const { errors } = watchPage(page);
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(`${suite.server.url}/r/${name}${Date.now().toString(36)}${query}`);
  await waitUntil(
    () =>
      page.evaluate(() => window.__holoroom?.scene !== undefined && (window.__holoroom.frameStats?.frames ?? 0) > 0),
    60_000,
    () => `the room did not start; ${errors.join('; ')}`,
  );
  return { page, errors, requests };
}

/** Uncaught exceptions in the page (console noise from reconnecting providers is not ours to judge here). */
const pageErrors = (errors: string[]) => errors.filter((error) => error.startsWith('pageerror'));

/** Meshes under the drawn object `id`: a node's group is registered before a rarer shape's class has loaded (LOAD20). */
const meshesOf = (page: Page, id: string) =>
  page.evaluate((id) => {
    let meshes = 0;
    window.__holoroom?.sceneObjects?.get(id as ObjectId)?.traverse((object) => {
      if ((object as { isMesh?: boolean }).isMesh) meshes++;
    });
    return meshes;
  }, id);

const BEACON = (color: string, extra = '') => `object "Beacon" {
  geometry: "box"
  position: [0, 1.5, 2]
  scale: 1.2
  color: "${color}"
  ${extra}
}
`;

test(
  '[SEED2][RUN1] a new room opens with the lobby scene and draws every object of it',
  async () => {
    const { page, errors } = await openRoom('e2elobby');
    const info = await waitForScene(page, (scene) => scene.title === 'Lobby' && scene.drawn === scene.ids.length);
    expect(info.ids).toContain('LampSwitch');
    expect(await page.getByTestId('scene-title').textContent()).toBe('Lobby');
    await frames(page, 10);
    const png = await saveScreenshot(page, 'scene-lobby.png');
    const stats = await pixelStats(suite.browser, png, PAGE_BACKGROUND);
    expect(stats.nonBackground).toBeGreaterThan(0.6);
    expect(stats.distinctColors).toBeGreaterThan(40);
    // The lobby's own colours are on screen: the red lamp switch and block, the green block and cyan orb.
    const colours = await colorStats(suite.browser, png, [RED, [0, 1, 1]]);
    expect(colours.fractions[0]).toBeGreaterThan(0.001);
    expect(colours.fractions[1]).toBeGreaterThan(0.0002);
    expect(pageErrors(errors)).toEqual([]);
  },
  TEST_TIMEOUT_MS,
);

test(
  '[RUN2] a script with an error shows the diagnostic and keeps the last good scene on screen',
  async () => {
    const { page, errors } = await openRoom('e2eerror', '?seed=off');
    await setScript(page, BEACON('#ff00ff'));
    await waitForScene(page, (scene) => scene.drawn === 1 && scene.ids.includes('Beacon'));
    await frames(page, 5);
    const before = await colorStats(suite.browser, await saveScreenshot(page, 'scene-error-before.png'), [MAGENTA]);
    expect(before.fractions[0]).toBeGreaterThan(0.02);

    // A broken object into the editor in one edit, as a paste: typed a key at a time, a text on the
    // way (`object "Broken" {}`, the editor closing the brace) is a good script that the room may
    // parse and show before the next key, when its frames leave it the time.
    await page.getByTestId('script-open').click();
    await page.locator(EDITOR_INPUT).waitFor();
    await page.locator(EDITOR_INPUT).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('object "Broken" { color: }');
    const status = page.getByTestId('scene-status');
    await waitUntil(
      async () => Number(await status.getAttribute('data-errors')) > 0,
      20_000,
      async () => `status: ${await status.textContent()}`,
    );
    expect(await status.getAttribute('data-stale')).toBe('true');
    expect(await status.textContent()).toMatch(
      /1 error in the script; showing the last good scene\. Line 8, column \d+: expected a value/,
    );
    await page.getByTestId('script-close').click();
    await frames(page, 5);
    const during = await colorStats(suite.browser, await saveScreenshot(page, 'scene-error-kept.png'), [MAGENTA]);
    expect(during.fractions[0]).toBeGreaterThan(0.02);
    expect((await sceneInfo(page)).ids).toEqual(['Beacon']);

    // Fixing it brings the new object in and the message goes.
    await page.getByTestId('script-open').click();
    await page.locator(EDITOR_INPUT).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type('"#00ff00" ');
    await waitForScene(page, (scene) => scene.errors === 0 && scene.ids.includes('Broken'));
    expect(await status.getAttribute('data-stale')).toBe('false');
    expect(pageErrors(errors)).toEqual([]);
  },
  TEST_TIMEOUT_MS,
);

test(
  '[SCENE1][SCENE2] the scene picker switches the room after a confirmation, not before',
  async () => {
    const { page } = await openRoom('e2eswitch');
    await waitForScene(page, (scene) => scene.title === 'Lobby' && scene.drawn === scene.ids.length);
    await frames(page, 5);
    const lobby = await colorStats(suite.browser, await saveScreenshot(page, 'scene-switch-lobby.png'), []);

    const answers = ['dismiss', 'accept'];
    const questions: string[] = [];
    page.on('dialog', (dialog) => {
      questions.push(dialog.message());
      void (answers.shift() === 'accept' ? dialog.accept() : dialog.dismiss());
    });
    await page.getByTestId('scene-picker').click();
    await page.locator('[data-scene="night-garden"]').click();
    await waitUntil(
      async () => questions.length === 1,
      5_000,
      () => 'no confirmation asked',
    );
    expect(questions[0]).toMatch(/Switch everyone in this room to "Night garden"\?/);
    expect((await sceneInfo(page)).title).toBe('Lobby');

    await page.getByTestId('scene-picker').click();
    await page.locator('[data-scene="night-garden"]').click();
    const info = await waitForScene(
      page,
      (scene) => scene.title === 'Night Garden' && scene.drawn === scene.ids.length,
    );
    expect(info.ids).toContain('Fountain/Water');
    await frames(page, 10);
    const night = await colorStats(suite.browser, await saveScreenshot(page, 'scene-switch-night.png'), []);
    // The night garden is drawn: the view is far darker than the lobby's daylight.
    expect(night.meanLuma).toBeLessThan(lobby.meanLuma - 40);
  },
  TEST_TIMEOUT_MS,
);

test(
  '[KIND3][MODEL1] a glTF model loads from this site; a model URL elsewhere is refused without a request',
  async () => {
    const { page, requests, errors } = await openRoom('e2emodel', '?seed=off');
    const gallery = await (await fetch(`${suite.server.url}/scenes/gallery.holo`)).text();
    await setScript(page, `${gallery}\nobject "Far" { model: "https://example.com/evil.glb" }\n`);
    await waitForScene(page, (scene) => scene.title === 'Sculpture Gallery' && scene.drawn === scene.ids.length);
    await waitUntil(
      async () => (await meshesOf(page, 'Lantern')) >= 5,
      30_000,
      () => 'the lantern model did not appear',
    );
    expect(requests.some((url) => url.endsWith('/scenes/models/lantern.glb'))).toBe(true);
    expect(requests.some((url) => url.includes('example.com'))).toBe(false);
    const problems = await page.evaluate(() => [
      ...(window.__holoroom?.scene?.view.get().renderProblems.values() ?? []),
    ]);
    expect(problems).toEqual([]);
    const warnings = await page.evaluate(() =>
      window.__holoroom?.scene?.view.get().model?.warnings.map((warning) => warning.code),
    );
    expect(warnings).toEqual(['MODEL_URL']);
    await saveScreenshot(page, 'scene-gallery.png');
    expect(pageErrors(errors)).toEqual([]);
  },
  TEST_TIMEOUT_MS,
);

test(
  '[LOAD20] a rarer primitive (a torus knot) is drawn once its class has loaded after the room',
  async () => {
    const { page, errors, requests } = await openRoom('e2eknot', '?seed=off');
    expect(requests.some((url) => /\/rare-primitives-[\w-]+\.js$/.test(url))).toBe(false);
    await setScript(page, BEACON('#ff00ff').replace('geometry: "box"', 'geometry: "torusknot"'));
    await waitForScene(page, (scene) => scene.drawn === 1);
    await waitUntil(
      async () => (await meshesOf(page, 'Beacon')) === 1,
      20_000,
      () => 'the torus knot was never drawn',
    );
    expect(requests.some((url) => /\/rare-primitives-[\w-]+\.js$/.test(url))).toBe(true);
    await frames(page, 5);
    const drawn = await colorStats(suite.browser, await saveScreenshot(page, 'scene-torusknot.png'), [MAGENTA]);
    expect(drawn.fractions[0]).toBeGreaterThan(0.01);
    expect(pageErrors(errors)).toEqual([]);
  },
  TEST_TIMEOUT_MS,
);

test(
  '[TRAIT3][RUN4] clicking a @clickable object runs its handler and the change is drawn',
  async () => {
    const { page, errors } = await openRoom('e2eclick', '?seed=off');
    await setScript(
      page,
      BEACON(
        '#ff0000',
        `@clickable
  state { on: false }
  on_click { toggle on; if (on) { this.color = "#00ff00" } else { this.color = "#ff0000" } }`,
      ),
    );
    await waitForScene(page, (scene) => scene.drawn === 1);
    await frames(page, 5);
    const before = await colorStats(suite.browser, await saveScreenshot(page, 'scene-click-before.png'), [RED, GREEN]);
    expect(before.fractions[0]).toBeGreaterThan(0.02);
    expect(before.fractions[1]).toBeLessThan(0.001);

    const point = await screenPoint(page, 'Beacon');
    await page.mouse.click(point.x, point.y);
    await waitUntil(
      () =>
        page.evaluate(
          () => window.__holoroom?.session?.room.getObjectState('Beacon')?.props.get('color') === '#00ff00',
        ),
      10_000,
      () => 'the click handler did not change the colour',
    );
    await frames(page, 5);
    const after = await colorStats(suite.browser, await saveScreenshot(page, 'scene-click-after.png'), [RED, GREEN]);
    expect(after.fractions[1]).toBeGreaterThan(0.02);
    expect(after.fractions[0]).toBeLessThan(0.001);
    expect(await page.evaluate(() => window.__holoroom?.session?.room.getObjectState('Beacon')?.state.get('on'))).toBe(
      true,
    );
    expect(pageErrors(errors)).toEqual([]);
  },
  TEST_TIMEOUT_MS,
);

test(
  '[CMD5][LOAD20] a handler plays a sound from this site; the player loads with the first sound',
  async () => {
    const { page, errors, requests } = await openRoom('e2esound', '?seed=off');
    await setScript(page, BEACON('#ff0000', '@clickable\n  on_click { play_audio "click.wav" }'));
    await waitForScene(page, (scene) => scene.drawn === 1);
    await frames(page, 5);
    const player = (url: string) => /\/scene-audio-[\w-]+\.js$/.test(url);
    expect(requests.filter(player)).toEqual([]);
    const point = await screenPoint(page, 'Beacon');
    await page.mouse.click(point.x, point.y);
    await waitUntil(
      async () => requests.some((url) => url.endsWith('/scenes/sounds/click.wav')),
      15_000,
      () => `the sound was not fetched; requests: ${requests.slice(-5).join(', ')}`,
    );
    expect(requests.filter(player)).toHaveLength(1);
    expect(pageErrors(errors)).toEqual([]);
  },
  TEST_TIMEOUT_MS,
);

test(
  '[RT1][LIMIT2][LIMIT4] limits show in the room and what the scene cannot use is marked in the editor',
  async () => {
    const { page, errors } = await openRoom('e2elimits', '?seed=off');
    const depth = 20;
    const lights = Array.from({ length: 10 }, (_, i) => `point_light "L${i}" { position: [${i - 5}, 3, 0] }`).join(
      '\n',
    );
    await setScript(
      page,
      `object "Ball" { @draggable(speed: 1)\n  geometry: "sphere"; position: [0, 1, 2] }\n${lights}\n` +
        `${'group { '.repeat(depth)}object "Deep" {}${' }'.repeat(depth)}\n`,
    );
    const status = page.getByTestId('scene-status');
    await page.locator('[data-alert="LIMIT2"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-alert="LIMIT2"]').textContent()).toBe(
      'Blocks nested more than 16 deep are not drawn. (LIMIT2)',
    );
    expect(await page.locator('[data-alert="LIMIT4"]').textContent()).toBe(
      'Only 8 lights (besides ambient and hemisphere) are used. (LIMIT4)',
    );
    expect(await status.textContent()).toContain('Not supported here (ignored): @draggable');
    // What fits is drawn: the ball, 8 lights and 16 levels of groups.
    const info = await waitForScene(page, (scene) => scene.ids.includes('Ball') && scene.drawn === scene.ids.length);
    expect(info.ids.length).toBe(1 + 8 + 16);

    await page.getByTestId('script-open').click();
    await waitUntil(
      async () => (await page.locator(diagnosticMark('warning')).count()) > 0,
      30_000,
      async () => `no warning marks; summary ${await page.getByTestId('script-diagnostics').textContent()}`,
    );
    expect(Number(await page.getByTestId('script-diagnostics').getAttribute('data-warnings'))).toBeGreaterThan(0);
    expect(pageErrors(errors)).toEqual([]);
  },
  TEST_TIMEOUT_MS,
);

/** A grid of `columns` x `rows` boxes of one look in two colours (magenta, green), in front of the camera. */
function boxGrid(columns: number, rows: number): string {
  const boxes: string[] = [];
  for (let column = 0; column < columns; column++) {
    for (let row = 0; row < rows; row++) {
      const color = (column + row) % 2 === 0 ? '#ff00ff' : '#00ff00';
      const x = (column - (columns - 1) / 2) * 0.3;
      const y = 0.8 + row * 0.3;
      boxes.push(
        `  object "Box${column}x${row}" { geometry: "box"; position: [${x}, ${y}, 2]; scale: 0.22; color: "${color}" }`,
      );
    }
  }
  return `composition "Grid" {\n${boxes.join('\n')}\n}\n`;
}

/**
 * Waits until the page's scene is drawn in batches (FrameStats `batched`): the first frames draw each
 * object on its own and the batched drawing loads once the room is interactive (LOAD24).
 */
async function waitForBatches(page: Page): Promise<void> {
  await waitUntil(
    () => page.evaluate(() => window.__holoroom?.frameStats.batched === true),
    20_000,
    () => 'the scene never switched to batched drawing',
  );
}

/** Three's draw calls in the page's last drawn frame, shadow passes included (FrameStats, DRAW1). */
async function drawCalls(page: Page): Promise<number> {
  await frames(page, 3);
  return page.evaluate(() => window.__holoroom?.frameStats.drawCalls ?? Number.NaN);
}

/** The frame counters DRAW1 names, read from the page's FrameStats. */
function frameCounters(page: Page) {
  return page.evaluate(() => {
    const stats = window.__holoroom?.frameStats;
    if (!stats) throw new Error('the page has no frame stats');
    const { drawMs, stepsMs, triangles, programs } = stats;
    return { drawMs, stepsMs, triangles, programs };
  });
}

const GRID_COLUMNS = 8;
const GRID_ROWS = 6;

test(
  '[DRAW1] [DRAW2] [LOAD24] boxes of one look in two colours are drawn in a few draw calls once the batched drawing has loaded after the room is interactive, each in its colour; `?draw=plain` needs one per box and never switches; the frame counters measure it',
  async () => {
    const boxes = GRID_COLUMNS * GRID_ROWS;
    const batched = await openRoom('e2ebatch', '?seed=off');
    await setScript(batched.page, boxGrid(GRID_COLUMNS, GRID_ROWS));
    await waitForScene(batched.page, (scene) => scene.drawn === boxes);
    await waitForBatches(batched.page);
    const before = await frameCounters(batched.page);
    // Input wakes the room if it has come to rest (ROOM5): frames are drawn while the counters are read.
    await batched.page.mouse.move(5, 5);
    const calls = await drawCalls(batched.page);
    const after = await frameCounters(batched.page);
    // DRAW1: the frames drawn meanwhile added their time, the room's steps within it, and three's counters.
    expect(after.drawMs).toBeGreaterThan(before.drawMs);
    expect(after.stepsMs).toBeGreaterThan(before.stepsMs);
    expect(after.drawMs - before.drawMs).toBeGreaterThan(after.stepsMs - before.stepsMs);
    expect(after.triangles).toBeGreaterThan(0);
    expect(after.programs).toBeGreaterThan(0);
    const shot = await colorStats(suite.browser, await saveScreenshot(batched.page, 'scene-batch.png'), [
      MAGENTA,
      GREEN,
    ]);
    // The room (sky, floor) and one batch, in the main pass and the shadow map: far below one call per box.
    expect(calls).toBeLessThan(12);
    // Each instance in its own colour.
    expect(shot.fractions[0]).toBeGreaterThan(0.01);
    expect(shot.fractions[1]).toBeGreaterThan(0.01);
    expect(pageErrors(batched.errors)).toEqual([]);

    const plain = await openRoom('e2eplain', '?seed=off&draw=plain');
    await setScript(plain.page, boxGrid(GRID_COLUMNS, GRID_ROWS));
    await waitForScene(plain.page, (scene) => scene.drawn === boxes);
    expect(await drawCalls(plain.page)).toBeGreaterThanOrEqual(boxes);
    expect(await plain.page.evaluate(() => window.__holoroom?.frameStats.batched)).toBe(false);
    const plainShot = await colorStats(suite.browser, await saveScreenshot(plain.page, 'scene-plain.png'), [
      MAGENTA,
      GREEN,
    ]);
    // The same picture either way (within a pixel's rounding at the boxes' edges).
    expect(Math.abs((plainShot.fractions[0] as number) - (shot.fractions[0] as number))).toBeLessThan(0.002);
    expect(Math.abs((plainShot.fractions[1] as number) - (shot.fractions[1] as number))).toBeLessThan(0.002);
  },
  TEST_TIMEOUT_MS,
);

test(
  '[DRAW3][DRAW5] the shadow maps are drawn again when a box moves, not in frames where nothing that casts a shadow changed; software GL draws without multisampling',
  async () => {
    const { page, errors } = await openRoom('e2eshadow', '?seed=off');
    const script = boxGrid(2, 1);
    await setScript(page, script);
    await waitForScene(page, (scene) => scene.drawn === 2);
    await waitForBatches(page);
    await frames(page, 5);
    const read = () =>
      page.evaluate(() => ({
        frames: window.__holoroom?.frameStats.frames ?? 0,
        shadowDraws: window.__holoroom?.frameStats.shadowDraws ?? 0,
      }));
    const still = await read();
    // Frames woken by input change nothing that casts a shadow.
    for (let i = 0; i < 4; i++) {
      await page.evaluate(() => window.__holoroom?.renderDemand.wake('input', performance.now()));
      await frames(page, 3);
    }
    const woken = await read();
    expect(woken.frames).toBeGreaterThan(still.frames);
    expect(woken.shadowDraws).toBe(still.shadowDraws);
    // DRAW5: this browser draws WebGL in software (SwiftShader): the room's canvas has no multisampling.
    expect(
      await page.evaluate(
        () =>
          document.querySelector<HTMLCanvasElement>('.scene canvas')?.getContext('webgl2')?.getContextAttributes()
            ?.antialias,
      ),
    ).toBe(false);
    // A box moved: its shadow moves with it.
    await setScript(page, script.replace('position: [-0.15, 0.8, 2]', 'position: [-0.6, 1.4, 2]'));
    await waitUntil(
      async () => (await read()).shadowDraws > woken.shadowDraws,
      20_000,
      () => 'the shadow maps were not drawn after a box moved',
    );
    expect(pageErrors(errors)).toEqual([]);
  },
  TEST_TIMEOUT_MS,
);

import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { waitForEditor } from './editor-helpers.ts';
import { saveScreenshot, waitUntil, watchPage } from './harness/browser.ts';
import { analyzePng, type DecodedPage, pixelStats } from './harness/pixels.ts';
import { browserSuite } from './harness/suite.ts';
import { setScript } from './scene-helpers.ts';

const suite = browserSuite();

/** The page's own background colour (#0f1720): what an unrendered canvas shows. */
const PAGE_BACKGROUND: [number, number, number] = [0x0f, 0x17, 0x20];

test('a room renders a lit 3D scene and the parser module loads; the editor loads when opened', async () => {
  const context = await suite.context({ name: 'Painter' });
  const page = await context.newPage();
  const watch = watchPage(page);
  const editorChunk = /\/assets\/script-editor-[\w-]+\.js$/;
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  await page.goto(`${suite.server.url}/r/e2erender${Date.now().toString(36)}`);
  await waitUntil(
    () => page.evaluate(() => (window.__holoroom?.frameStats?.frames ?? 0) > 30),
    30_000,
    () => `frames did not advance; ${watch.errors.join('; ')}`,
  );
  const png = await saveScreenshot(page, 'room-render.png');
  const stats = await pixelStats(suite.browser, png, PAGE_BACKGROUND);
  expect(stats.nonBackground).toBeGreaterThan(0.6);
  expect(stats.distinctColors).toBeGreaterThan(40);

  // The room's parser pool: the module loaded and parses in a worker (the page has no main-thread parser).
  const parser = await page.evaluate(async () => {
    const pool = await window.__holoroom?.parser();
    const run = await pool?.run('object "A" {}\nobject "B" {}\n');
    return { blocks: run?.result.document.children.length, errors: run?.result.errors, scope: run?.executor.scope };
  });
  expect(parser).toEqual({ blocks: 2, errors: 0, scope: 'DedicatedWorkerGlobalScope' });

  // The room became interactive without the script editor's code (the editor is its own chunk).
  expect(scripts.filter((path) => editorChunk.test(path))).toEqual([]);
  await page.getByTestId('script-open').click();
  await waitForEditor(page, 15_000);
  expect(scripts.filter((path) => editorChunk.test(path))).toHaveLength(1);
  expect(watch.errors).toEqual([]);
  await context.close();
});

/** The mean colour of the top `fraction` of an image's rows. */
function topBandColor(png: Buffer, fraction: number): Promise<[number, number, number]> {
  return analyzePng(
    suite.browser,
    png,
    (part) => {
      const { data, width, height } = (window as unknown as DecodedPage).__decoded;
      const rows = Math.max(1, Math.floor(height * part));
      let [r, g, b] = [0, 0, 0];
      for (let i = 0; i < rows * width * 4; i += 4) {
        r += data[i] ?? 0;
        g += data[i + 1] ?? 0;
        b += data[i + 2] ?? 0;
      }
      const n = rows * width;
      return [Math.round(r / n), Math.round(g / n), Math.round(b / n)] as [number, number, number];
    },
    fraction,
  );
}

test('[LOAD11] [DRAW6] the daylight sky loads after the room is interactive, is drawn once into the background, and fills the top of the view', async () => {
  const context = await suite.context({ name: 'Skywatcher' });
  const page = await context.newPage();
  const watch = watchPage(page);
  const skyChunk = /\/assets\/sky-dome-[\w-]+\.js$/;
  const requested: string[] = [];
  page.on('request', (request) => {
    requested.push(new URL(request.url()).pathname);
  });
  await page.goto(`${suite.server.url}/r/e2esky${Date.now().toString(36)}`);
  await waitUntil(
    () => page.evaluate(() => (window.__holoroom?.frameStats?.interactiveAt ?? 0) > 0),
    30_000,
    () => `the room did not become interactive; ${watch.errors.join('; ')}`,
  );
  await waitUntil(
    async () => requested.some((path) => skyChunk.test(path)),
    15_000,
    () => 'the sky was never fetched',
  );
  const drawn = await page.evaluate(() => window.__holoroom?.frameStats?.frames ?? 0);
  await waitUntil(
    () => page.evaluate((n) => (window.__holoroom?.frameStats?.frames ?? 0) > n + 10, drawn),
    30_000,
    () => 'frames did not advance after the sky loaded',
  );
  // DRAW6: the sky shader ran once, into the cube map every later frame looks the sky up in.
  expect(await page.evaluate(() => window.__holoroom?.frameStats.skyBakes)).toBe(1);
  // The panels are hidden so the band is the 3D view's: the sky's light blue, not the page's dark background.
  const png = await page.screenshot({ style: '.room-ui { visibility: hidden !important; }' });
  const [r, g, b] = await topBandColor(png, 0.15);
  expect(b, `top of the view ${r},${g},${b}`).toBeGreaterThan(120);
  expect(b, `top of the view ${r},${g},${b}`).toBeGreaterThan(r);
  expect(watch.errors).toEqual([]);
  await context.close();
});

test('[LAYOUT4] the connection badge says, and the side panel explains, when the signaling server cannot be reached', async () => {
  const context = await suite.context({ name: 'Lonely' });
  const page = await context.newPage();
  // Refuse the signaling WebSocket only: the page itself still loads from the server.
  await page.routeWebSocket(/\/signal$/, (ws) => ws.close({ code: 1011, reason: 'test: signaling down' }));
  await page.goto(`${suite.server.url}/r/e2eunreachable${Date.now().toString(36)}`);
  const badge = page.getByTestId('connection');
  await waitUntil(
    async () => (await badge.getAttribute('data-state')) === 'unreachable',
    15_000,
    async () => `badge state ${await badge.getAttribute('data-state')}`,
  );
  expect(await badge.textContent()).toBe('Cannot reach the room server');
  expect(await page.getByTestId('connection-explain').textContent()).toMatch(
    /does not answer, so nobody else can see you/,
  );
  await context.close();
});

/** The room's counters a restore test reads (frameStats, renderDemand). */
function drawState(page: Page) {
  return page.evaluate(() => {
    const room = window.__holoroom;
    if (!room) throw new Error('no room');
    const { frames, skyBakes } = room.frameStats;
    const { idleFrames, restoresDrawn, counts } = room.renderDemand;
    return { frames, skyBakes, idleFrames, restoresDrawn, restores: counts.restore, inputs: counts.input };
  });
}

/** Waits until the room has left `idle` display frames undrawn in a row: nothing wakes it any more (ROOM5). */
async function waitForStill(page: Page, idle: number, what: string): Promise<void> {
  let last = await drawState(page);
  let stillSince = last;
  await waitUntil(
    async () => {
      const now = await drawState(page);
      if (now.frames !== last.frames) stillSince = now;
      last = now;
      return now.idleFrames - stillSince.idleFrames >= idle;
    },
    30_000,
    async () => `${what}: the room kept drawing: ${JSON.stringify(await drawState(page))}`,
  );
}

/** Loses the page's WebGL context (as a GPU reset does) through WEBGL_lose_context and gets it back. */
async function loseAndRestoreContext(page: Page): Promise<void> {
  const lost = await page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="scene"] canvas');
    const gl = canvas?.getContext('webgl2');
    const extension = gl?.getExtension('WEBGL_lose_context');
    if (!gl || !extension) return false;
    extension.loseContext();
    (window as unknown as { restoreLater: () => void }).restoreLater = () => extension.restoreContext();
    return gl.isContextLost();
  });
  expect(lost).toBe(true);
  await page.evaluate(() => (window as unknown as { restoreLater: () => void }).restoreLater());
}

/** LOAD40: waits (no input) until a frame was drawn into the restored context; its shaders compile again first. */
async function waitForRestoredFrame(
  page: Page,
  before: Awaited<ReturnType<typeof drawState>>,
  errors: string[],
): Promise<void> {
  // Seconds in software GL on a busy machine: the bound is generous, and no frame count is asked.
  await waitUntil(
    async () => (await drawState(page)).restoresDrawn === 1,
    60_000,
    async () =>
      `nothing drawn into the restored context: before ${JSON.stringify(before)}, now ${JSON.stringify(await drawState(page))}; ${errors.join('; ')}`,
  );
}

test("[LOAD14] [LOAD40] [LOAD41] the room's own canvas (R3F's root, no React DOM) draws at the screen's pixel ratio and follows the page's size; a still room whose WebGL context is lost and restored draws again with no input, sky included, then idles", async () => {
  const context = await suite.context({ name: 'Resizer' });
  const page = await context.newPage();
  const watch = watchPage(page);
  // A screen with 2 device pixels per CSS pixel.
  const cdp = await context.newCDPSession(page);
  const screen = (width: number, height: number) =>
    cdp.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 2, mobile: false });
  await screen(800, 500);
  // A still room (no lobby and its bobbing orb): one drawing slow frames on and on would draw fewer pixels (DRAW7).
  await page.goto(`${suite.server.url}/r/e2ecanvas${Date.now().toString(36)}?seed=off`);
  await waitUntil(
    () => page.evaluate(() => (window.__holoroom?.frameStats?.interactiveAt ?? 0) > 0),
    30_000,
    () => `never interactive; ${watch.errors.join('; ')}`,
  );
  /** The canvas's drawing buffer against its box on the page. */
  const buffer = () =>
    page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="scene"] canvas');
      if (!canvas) throw new Error('no canvas');
      return { width: canvas.width, height: canvas.height, css: canvas.clientWidth, ratio: devicePixelRatio };
    });
  const follows = async (width: number, what: string) =>
    waitUntil(
      async () => {
        const now = await buffer();
        return now.css === width && now.width === width * 2;
      },
      10_000,
      async () => `${what}: ${JSON.stringify(await buffer())}`,
    );
  await follows(800, 'first size');
  await screen(640, 480);
  await follows(640, 'after a resize');

  // The sky is in its cube map (LOAD11, DRAW6) and nothing wakes the room any more: no input from here on.
  await waitUntil(
    async () => (await drawState(page)).skyBakes === 1,
    30_000,
    async () => `the sky was never drawn: ${JSON.stringify(await drawState(page))}`,
  );
  await waitForStill(page, 20, 'before the context was lost');
  const before = await drawState(page);

  // The WebGL context is lost (a GPU reset) and comes back; the restore itself asks for frames (LOAD40).
  await loseAndRestoreContext(page);
  await waitForRestoredFrame(page, before, watch.errors);
  const restored = await drawState(page);
  expect(restored.restores).toBe(1);
  expect(restored.inputs).toBe(before.inputs);
  expect(restored.frames).toBeGreaterThan(before.frames);
  // LOAD41: the sky was drawn again into the new context's empty cube map.
  expect(restored.skyBakes).toBe(2);
  // ... and then the room is still again: the restore asks for nothing more.
  await waitForStill(page, 20, 'after the restore');

  // The panels are hidden so the picture is the 3D view's: drawn (not the page's background), the sky at the top.
  const png = await page.screenshot({ style: '.room-ui { visibility: hidden !important; }' });
  await saveScreenshot(page, 'room-render-restored.png');
  const stats = await pixelStats(suite.browser, png, PAGE_BACKGROUND);
  expect(stats.nonBackground).toBeGreaterThan(0.5);
  const [r, g, b] = await topBandColor(png, 0.15);
  expect(b, `top of the view ${r},${g},${b}`).toBeGreaterThan(120);
  expect(b, `top of the view ${r},${g},${b}`).toBeGreaterThan(r);
  expect(watch.errors).toEqual([]);
});

/** A scene without the daylight sky: nothing but the restore itself can wake the room then (LOAD41 redraws the sky). */
const GRADIENT_SCENE = `environment { skybox: "gradient"; background_gradient: ["#203a60", "#9fb6cc"] }
object "Crate" { geometry: "box"; size: 1; position: [0, 0.5, -2]; color: "#ef476f" }`;

test('[LOAD40] a still room without the daylight sky whose WebGL context is lost and restored draws into the new context with no input, then idles', async () => {
  const context = await suite.context({ name: 'Restorer' });
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.setViewportSize({ width: 640, height: 480 });
  await page.goto(`${suite.server.url}/r/e2erestore${Date.now().toString(36)}?seed=off`);
  await waitUntil(
    () => page.evaluate(() => (window.__holoroom?.frameStats?.interactiveAt ?? 0) > 0),
    30_000,
    () => `never interactive; ${watch.errors.join('; ')}`,
  );
  await setScript(page, GRADIENT_SCENE);
  await waitUntil(
    () => page.evaluate(() => window.__holoroom?.scene.view.get().model?.environment.sky === 'gradient'),
    30_000,
    () => `the gradient scene was never built; ${watch.errors.join('; ')}`,
  );
  await waitForStill(page, 20, 'before the context was lost');
  const before = await drawState(page);

  await loseAndRestoreContext(page);
  await waitForRestoredFrame(page, before, watch.errors);
  const restored = await drawState(page);
  expect(restored.restores).toBe(1);
  expect(restored.frames).toBeGreaterThan(before.frames);
  // Nothing else woke it: no input, no sky drawn again.
  expect(restored.inputs).toBe(before.inputs);
  expect(restored.skyBakes).toBe(before.skyBakes);
  await waitForStill(page, 20, 'after the restore');
  const png = await page.screenshot({ style: '.room-ui { visibility: hidden !important; }' });
  const stats = await pixelStats(suite.browser, png, PAGE_BACKGROUND);
  expect(stats.nonBackground).toBeGreaterThan(0.5);
  expect(watch.errors).toEqual([]);
});

test('[DRAW7] frames that miss their budget draw fewer pixels, step by step; a room that stops draws its picture at full resolution; quick frames step back up', async () => {
  const context = await suite.context({ name: 'Scaler' });
  const page = await context.newPage();
  const watch = watchPage(page);
  // Many pixels in software GL: every frame misses a 60 Hz display's budget.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${suite.server.url}/r/e2escale${Date.now().toString(36)}?seed=off`);
  await waitUntil(
    () => page.evaluate(() => (window.__holoroom?.frameStats?.interactiveAt ?? 0) > 0),
    30_000,
    () => `never interactive; ${watch.errors.join('; ')}`,
  );
  const state = () =>
    page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="scene"] canvas');
      const resolution = window.__holoroom?.resolution;
      if (!canvas || !resolution) throw new Error('no canvas or room');
      const { scale, stepsDown, stepsUp } = resolution;
      return { buffer: canvas.width, css: canvas.clientWidth, scale, stepsDown, stepsUp };
    });
  type State = Awaited<ReturnType<typeof state>>;
  /** Moves the pointer (input keeps the room drawing every display frame, ROOM4/ROOM5) until `done`. */
  const keepDrawing = async (done: (now: State) => boolean, what: string): Promise<State> => {
    const deadline = Date.now() + 30_000;
    for (let i = 0; i < 3_000 && Date.now() < deadline; i++) {
      // Inside the smallest view below (160x100).
      await page.mouse.move(10 + (i % 40) * 3, 50);
      const now = await state();
      if (done(now)) return now;
    }
    throw new Error(`${what}: ${JSON.stringify(await state())}`);
  };

  const slow = await keepDrawing((now) => now.stepsDown >= 2, 'never stepped down twice');
  expect(slow.scale).toBeLessThan(1);
  // The drawing buffer itself has fewer pixels than the canvas's box.
  expect(slow.buffer).toBeLessThan(slow.css);

  // Nothing moves any more: the last picture is drawn at full resolution, the scale it learned kept.
  await waitUntil(
    async () => (await state()).buffer === 1280,
    10_000,
    async () => `the still picture was not drawn at full resolution: ${JSON.stringify(await state())}`,
  );
  const still = await state();
  expect(still.scale).toBeLessThan(1);

  // A small view: frames keep the display's rate, and the resolution steps back up.
  await page.setViewportSize({ width: 160, height: 100 });
  // (Its first frames at the new size may still step down once: the scale ends above the still one.)
  const quick = await keepDrawing((now) => now.stepsUp >= 1 && now.scale > still.scale, 'never stepped back up');
  expect(quick.scale).toBeGreaterThan(still.scale);
  expect(watch.errors).toEqual([]);
  await context.close();
});

/**
 * The frame of a big room (docs/performance.md DRAW1, DRAW2): the late-join benchmark's room
 * (bench/harness/sync-fixtures.ts: a 1000-line script, about 850 objects of seven primitives in
 * random colours, a sixth of them `@glowing`, a sun with shadows) drawn by one page at the
 * sync benchmarks' 320x240 viewport in software GL, kept awake for MEASURE_MS.
 *   render.frame_500_objects_ms          main-thread time of a drawn frame (R3F's advance: the
 *                                        room's steps, then three's render with its shadow pass)
 *   render.frame_500_objects_steps_ms    the room's own frame steps in it (`Room.frame`)
 *   render.frame_500_objects_fps         frames drawn per second while awake
 *   render.frame_500_objects_draw_calls  three's draw calls in one frame (shadow pass included)
 *   render.frame_500_objects_triangles, render.frame_500_objects_programs
 *   render.frame_500_objects_shadow_draws  frames (of those measured) whose shadow maps were drawn
 *   render.frame_500_objects_resolution_scale  the drawing buffer's scale at the end (DRAW7)
 *   render.frame_500_objects_main_thread_idle_pct  the share of the time the page's main thread ran
 *                                        no task (DevTools protocol `Performance.getMetrics`,
 *                                        TaskDuration): free for a message between frames
 * and the same with `_plain`: `?draw=plain`, every object its own mesh and material and the
 * shadow maps drawn every frame (the way the room drew before DRAW2 and DRAW3), beside them;
 * and `render.frame_lobby_*`: a new room's lobby (13 objects, the daylight sky, one bobbing orb
 * that keeps it drawing; docs/performance.md "The lobby's frame"); and the batched room and the
 * lobby again with `_gpu_compositing`: Chromium without `--disable-gpu`, compositing on SwiftShader
 * in its GPU process, so the page's main thread does not read each WebGL picture back (the run
 * fails if Chromium reports another compositing mode than the name says).
 * The GPU's part of a frame runs in Chromium's GPU process, not on the page's main thread, but the
 * main thread waits for it (a task stays busy about as long as the GPU process works per frame,
 * DRAW1), so `fps` is the figure that shows it.
 */
import type { Page } from 'playwright-core';
import { RoomDoc } from '../app/sync/doc/room-doc.ts';
import { expectCompositing, type LaunchOptions, launchBrowser, newContext, waitUntil } from '../e2e/harness/browser.ts';
import { startServerProcess } from '../e2e/harness/server.ts';
import { connectTestClient } from '../server/test/sync-client.ts';
import { mainThreadTaskSeconds } from './harness/main-thread-wait.ts';
import { fillLateJoinRoom } from './harness/sync-fixtures.ts';
import type { Benchmark } from './harness/types.ts';

const VIEWPORT = { width: 320, height: 240 };
/** At least this many of the lobby's objects (public/scenes/lobby.holo) are drawn once it is built. */
const LOBBY_DRAWN_OBJECTS = 10;
/** After the scene is drawn: shaders compiled, the last loads passed. */
const SETTLE_MS = 2000;
const MEASURE_MS = 6000;
/** How often the page is woken while measuring (ROOM5 keeps drawing for 500 ms after a wake). */
const WAKE_EVERY_MS = 100;

interface FrameFigures {
  frameMs: number;
  stepsMs: number;
  fps: number;
  drawCalls: number;
  triangles: number;
  programs: number;
  shadowDraws: number;
  /** The drawing buffer's scale at the end (DRAW7: below 1 while frames miss their budget). */
  resolutionScale: number;
  /** Percent of the time the main thread ran no task. */
  mainThreadIdlePct: number;
}

/** Keeps the room drawing for `ms` and reads its frame counters (FrameStats) before and after. */
async function measureFrames(page: Page, ms: number): Promise<FrameFigures> {
  const tasks = await mainThreadTaskSeconds(page);
  const busyBefore = await tasks.read();
  const startedAt = performance.now();
  const figures = await page.evaluate(
    async ([duration, every]) => {
      const inspection = window.__holoroom;
      if (!inspection) throw new Error('no room on the page');
      const stats = inspection.frameStats;
      // No named function in here: the page gets this function's source as it is.
      inspection.renderDemand.wake('input', performance.now());
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const start = {
        frames: stats.frames,
        drawMs: stats.drawMs,
        stepsMs: stats.stepsMs,
        shadowDraws: stats.shadowDraws,
        at: performance.now(),
      };
      const timer = setInterval(() => inspection.renderDemand.wake('input', performance.now()), every);
      await new Promise((resolve) => setTimeout(resolve, duration));
      clearInterval(timer);
      const frames = stats.frames - start.frames;
      return {
        frameMs: (stats.drawMs - start.drawMs) / frames,
        stepsMs: (stats.stepsMs - start.stepsMs) / frames,
        fps: (frames * 1000) / (performance.now() - start.at),
        drawCalls: stats.drawCalls,
        triangles: stats.triangles,
        programs: stats.programs,
        shadowDraws: stats.shadowDraws - start.shadowDraws,
        resolutionScale: inspection.resolution.scale,
      };
    },
    [ms, WAKE_EVERY_MS] as const,
  );
  const busy = (await tasks.read()) - busyBefore;
  const mainThreadIdlePct = 100 - (busy * 100_000) / (performance.now() - startedAt);
  await tasks.detach();
  return { ...figures, mainThreadIdlePct };
}

/**
 * Opens `url` and measures its frames once at least `objects` objects of its script are drawn and
 * `states` objects have their state in the document.
 */
async function drawRoom(
  url: string,
  objects: number,
  browserName: string,
  states = objects,
  launch: LaunchOptions = {},
): Promise<FrameFigures> {
  const browser = await launchBrowser([], launch);
  try {
    await expectCompositing(browser, launch);
    const context = await newContext(browser, { name: browserName });
    const page = await context.newPage();
    await page.setViewportSize(VIEWPORT);
    await page.goto(url);
    await waitUntil(
      () =>
        page.evaluate(
          ([drawn, withState]) =>
            (window.__holoroom?.session?.room.objectCount ?? 0) >= withState &&
            (window.__holoroom?.sceneObjects?.size ?? 0) >= drawn &&
            (window.__holoroom?.frameStats.frames ?? 0) > 0,
          [objects, states] as const,
        ),
      120_000,
      () => `${url}: the room's objects were never drawn`,
    );
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const figures = await measureFrames(page, MEASURE_MS);
    console.log(`${url}: ${JSON.stringify(figures)}`);
    await context.close();
    return figures;
  } finally {
    await browser.close();
  }
}

function metrics(figures: FrameFigures, name: string, suffix = ''): Record<string, number> {
  return {
    [`render.${name}_ms${suffix}`]: figures.frameMs,
    [`render.${name}_steps_ms${suffix}`]: figures.stepsMs,
    [`render.${name}_fps${suffix}`]: figures.fps,
    [`render.${name}_draw_calls${suffix}`]: figures.drawCalls,
    [`render.${name}_triangles${suffix}`]: figures.triangles,
    [`render.${name}_programs${suffix}`]: figures.programs,
    [`render.${name}_shadow_draws${suffix}`]: figures.shadowDraws,
    [`render.${name}_resolution_scale${suffix}`]: figures.resolutionScale,
    [`render.${name}_main_thread_idle_pct${suffix}`]: figures.mainThreadIdlePct,
  };
}

const renderFrame: Benchmark = async () => {
  const server = await startServerProcess();
  try {
    const room = `benchframe${Date.now().toString(36)}`;
    const writer = connectTestClient(server.url, room);
    await writer.synced();
    const { objects } = fillLateJoinRoom(new RoomDoc(writer.doc));
    const witness = connectTestClient(server.url, room);
    await witness.synced(20_000);
    writer.destroy();
    witness.destroy();
    // One browser at a time, so the two ways do not share the machine with each other.
    const batched = await drawRoom(`${server.url}/r/${room}`, objects, 'Batched');
    const plain = await drawRoom(`${server.url}/r/${room}?draw=plain`, objects, 'Plain');
    // A new room: the lobby (its 13 objects, the daylight sky, a bobbing orb that keeps it drawing).
    const lobbyUrl = `${server.url}/r/benchlobby${Date.now().toString(36)}`;
    const lobby = await drawRoom(lobbyUrl, LOBBY_DRAWN_OBJECTS, 'Lobby', 0);
    // The same two rooms with GPU compositing (SwiftShader): no read-back of each picture on the
    // page's main thread (docs/performance.md, "The drawing page's main thread").
    const gpu = { compositing: 'gpu' } as const;
    const batchedGpu = await drawRoom(`${server.url}/r/${room}`, objects, 'Batched', objects, gpu);
    const lobbyGpuUrl = `${server.url}/r/benchlobbygpu${Date.now().toString(36)}`;
    const lobbyGpu = await drawRoom(lobbyGpuUrl, LOBBY_DRAWN_OBJECTS, 'Lobby', 0, gpu);
    return {
      ...metrics(batched, 'frame_500_objects'),
      ...metrics(plain, 'frame_500_objects', '_plain'),
      ...metrics(lobby, 'frame_lobby'),
      ...metrics(batchedGpu, 'frame_500_objects', '_gpu_compositing'),
      ...metrics(lobbyGpu, 'frame_lobby', '_gpu_compositing'),
    };
  } finally {
    await server.stop();
  }
};

export default renderFrame;

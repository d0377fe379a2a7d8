/**
 * Frame time in emulated VR (IWER's Meta Quest 3 in Debian Chromium, software
 * WebGL), one browser:
 *   - the reference: an empty room, nobody else there; then the objects alone;
 *   - the load the issue names: 200 grabbable objects and 8 avatars (head and
 *     both hands, moving) fed through the pose channel by AVATARS Node pose
 *     channels on the server's relay, each ticking at 60 Hz (bounded in time).
 * `xr.frame_ms_p95` is the 95th percentile of the intervals between XR frames
 * (the XR frame loop's own timestamps) over MEASURE_MS.
 */
import type { Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { PoseChannel } from '../app/pose/channel.ts';
import { RelayPoseTransport } from '../app/pose/transports/relay-transport.ts';
import { PART_HEAD, PART_LEFT, PART_RIGHT } from '../app/pose/wire/protocol.ts';
import { relayUrl } from '../app/pose/wire/relay-frames.ts';
import { launchBrowser, newContext, waitUntil } from '../e2e/harness/browser.ts';
import { builtFiles } from '../e2e/harness/built-app.ts';
import { startServerProcess } from '../e2e/harness/server.ts';
import { peer } from '../testing/ids.ts';
import { median, p95 } from './harness/stats.ts';
import type { Benchmark } from './harness/types.ts';

const AVATARS = 8;
const OBJECTS = 200;
const MEASURE_MS = 12_000;
/** The feeders stop after this whatever happens. */
const FEED_LIMIT_MS = 120_000;
const TICK_MS = 1000 / 60;

/** 200 grabbable boxes on a grid in front of the viewer, several colours. */
export function objectsScript(count: number): string {
  const colors = ['#e63946', '#457b9d', '#2a9d8f', '#f4a261', '#8d99ae'];
  const lines = ['composition "XR load" {'];
  for (let i = 0; i < count; i++) {
    const x = ((i % 20) - 9.5) * 0.45;
    const z = -1 - Math.floor(i / 20) * 0.45;
    const y = 0.6 + (i % 3) * 0.25;
    lines.push(
      `  object "Box${i}" @grabbable { geometry: "box"; position: [${x.toFixed(2)}, ${y.toFixed(2)}, ${z.toFixed(2)}]; scale: 0.25; color: "${colors[i % colors.length]}" }`,
    );
  }
  lines.push('}');
  return lines.join('\n');
}

/** `count` Node pose channels on the relay, each a person walking a circle and waving. */
export function startAvatars(serverUrl: string, roomId: string, count = AVATARS): { stop(): void } {
  const base = new URL(serverUrl);
  const channels: PoseChannel[] = [];
  for (let i = 0; i < count; i++) {
    const channel = new PoseChannel({
      selfId: peer(90_000 + i),
      identity: () => ({ name: `Bot ${i}`, color: '#ffb703' }),
    });
    channel.addTransport(
      new RelayPoseTransport({
        url: relayUrl({ protocol: base.protocol, host: base.host }, roomId, 90_000 + i),
        sink: channel,
        WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
      }),
    );
    channels.push(channel);
  }
  const started = performance.now();
  const timer = setInterval(() => {
    const t = (performance.now() - started) / 1000;
    if (t * 1000 > FEED_LIMIT_MS) {
      clearInterval(timer);
      return;
    }
    channels.forEach((channel, i) => {
      const angle = t * 0.4 + (i * Math.PI * 2) / count;
      const x = Math.sin(angle) * 3;
      const z = Math.cos(angle) * 3 - 2;
      const yaw = { x: 0, y: Math.sin(angle / 2), z: 0, w: Math.cos(angle / 2) };
      channel.setAvatarPart(PART_HEAD, { x, y: 1.65, z }, yaw);
      channel.setAvatarPart(PART_LEFT, { x: x - 0.25, y: 1.1 + Math.sin(t * 3 + i) * 0.1, z }, yaw);
      channel.setAvatarPart(PART_RIGHT, { x: x + 0.25, y: 1.2, z }, yaw);
      channel.tick();
    });
  }, TICK_MS);
  return {
    stop() {
      clearInterval(timer);
      for (const channel of channels) channel.destroy();
    },
  };
}

/** Intervals between XR frames (ms) over `ms`, from the XR frame loop's timestamps. */
function xrFrameIntervals(page: Page, ms: number): Promise<number[]> {
  return page.evaluate(
    (duration) =>
      new Promise<number[]>((resolve, reject) => {
        const session = window.__holoroom?.xrStore?.getState().session;
        if (!session) return reject(new Error('not in XR'));
        const times: number[] = [];
        const step = (time: number) => {
          times.push(time);
          if (time - (times[0] as number) < duration && times.length < 100_000) session.requestAnimationFrame(step);
          else resolve(times.slice(1).map((t, i) => t - (times[i] as number)));
        };
        session.requestAnimationFrame(step);
      }),
    ms,
  );
}

const xr: Benchmark = async () => {
  const server = await startServerProcess();
  const browser = await launchBrowser();
  let avatars: { stop(): void } | undefined;
  try {
    const roomId = `benchxr${Date.now().toString(36)}`;
    const context = await newContext(browser, { name: 'Viewer', headset: true });
    // tsx keeps function names by wrapping functions inside page.evaluate in a Node-only `__name` helper.
    await context.addInitScript('globalThis.__name ??= (fn) => fn;');
    const page = await context.newPage();
    // The e2e tests' viewport: software WebGL renders a few frames a second at this size.
    await page.setViewportSize({ width: 800, height: 450 });
    await page.goto(`${server.url}/r/${roomId}?seed=off`);
    await waitUntil(
      () => page.evaluate(() => (window.__holoroom?.frameStats?.frames ?? 0) > 5),
      60_000,
      () => 'timed out waiting for room',
    );
    // ROOM10: the headset page's signaling socket opens without waiting for the XR store's chunk.
    const join = await page.evaluate(
      (chunk) => {
        const timeline = window.__holoroom?.timeline;
        const loaded = performance.getEntriesByType('resource').find((entry) => entry.name.endsWith(chunk));
        return {
          signalingOpen: timeline?.at('signaling_open') ?? Number.NaN,
          sessionStart: timeline?.at('session_start') ?? Number.NaN,
          xrChunkLoaded: loaded ? (loaded as PerformanceResourceTiming).responseEnd : Number.NaN,
        };
      },
      builtFiles(/^app\/xr\/xr-store\.ts$/)[0] ?? '(no XR store chunk in the build)',
    );
    await page.getByRole('button', { name: 'Enter VR' }).click();
    await waitUntil(
      () => page.evaluate(() => (window.__holoroom?.frameStats?.xrFrames ?? 0) > 30),
      60_000,
      () => 'timed out waiting for XR session',
    );
    const empty = await xrFrameIntervals(page, MEASURE_MS);

    await page.evaluate((script) => window.__holoroom?.session?.room.replaceScript(script), objectsScript(OBJECTS));
    await waitUntil(
      () => page.evaluate((n) => (window.__holoroom?.sceneObjects?.size ?? 0) >= n, OBJECTS),
      60_000,
      () => 'timed out waiting for objects drawn',
    );
    const objectsOnly = await xrFrameIntervals(page, MEASURE_MS);
    avatars = startAvatars(server.url, roomId);
    const visibleAvatars = () =>
      page.evaluate(
        () =>
          (window.__holoroom as unknown as { avatars?: () => { visible: boolean }[] } | undefined)
            ?.avatars?.()
            .filter((avatar) => avatar.visible).length ?? 0,
      );
    await waitUntil(
      async () => (await visibleAvatars()) >= AVATARS,
      60_000,
      () => 'timed out waiting for avatars drawn',
    );
    const loaded = await xrFrameIntervals(page, MEASURE_MS);
    const drawnAvatars = await visibleAvatars();
    const drawnObjects = await page.evaluate(() => window.__holoroom?.sceneObjects?.size ?? 0);
    await context.close();
    return {
      'xr.frame_ms_p95': p95(loaded),
      'xr.frame_ms_p50': median(loaded),
      'xr.frame_ms_p95_objects_only': p95(objectsOnly),
      'xr.frame_ms_p95_empty_room': p95(empty),
      'xr.frame_ms_p50_empty_room': median(empty),
      'xr.frames_measured': loaded.length,
      'xr.avatars_drawn': drawnAvatars,
      'xr.objects_drawn': drawnObjects,
      // From navigation (the page's clock): ROOM10's join beside the XR chunk's arrival.
      'xr.signaling_open_after_navigation_ms': join.signalingOpen,
      'xr.phase_signaling_open_ms': join.signalingOpen - join.sessionStart,
      'xr.xr_chunk_loaded_after_navigation_ms': join.xrChunkLoaded,
    };
  } finally {
    avatars?.stop();
    await browser.close();
    await server.stop();
  }
};

export default xr;

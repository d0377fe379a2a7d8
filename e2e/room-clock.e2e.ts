// CLOCK1: two browsers show an `@animated` object at the same angle at the same
// moment. Bob's page runs its clock 3.7 s ahead (an init script moves
// `performance.timeOrigin`, the clock the pose channel and the room use), so
// the pages agree only if the room clock corrects for it. Date.now() is left
// alone: it is the machine's one real clock, which both pages share here.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { waitUntil, watchPage } from './harness/browser.ts';
import { browserSuite } from './harness/suite.ts';

const suite = browserSuite();

const TEST_TIMEOUT_MS = 240_000;
const SLOW_PAGE_MS = 90_000;
const SKEW_MS = 3_700;
/** Degrees per second: one frame at 60 Hz is 1.5°. */
const SPEED = 90;
const FRAME_MS = 1000 / 60;

const SKEW_CLOCK = `(() => {
  const real = Object.getOwnPropertyDescriptor(Performance.prototype, 'timeOrigin').get;
  Object.defineProperty(Performance.prototype, 'timeOrigin', {
    configurable: true,
    get() { return real.call(this) + ${SKEW_MS}; },
  });
})();`;

interface FrameSample {
  /** The frame's room time (ms). */
  roomMs: number;
  /** The spinner's angle that frame drew (degrees). */
  angle: number;
}

interface ClockReading {
  /** Room time minus Date.now(), at one instant. */
  roomMinusRealMs: number;
  referenceId: number;
}

async function openPage(name: string, url: string, skewed: boolean) {
  const context = await suite.context({ name });
  if (skewed) await context.addInitScript(SKEW_CLOCK);
  const page = await context.newPage();
  // A small viewport: software WebGL frames stay short, so PINGs are answered soon (POSE9).
  await page.setViewportSize({ width: 320, height: 240 });
  const { errors } = watchPage(page);
  await page.goto(url);
  await page.waitForFunction(() => window.__holoroom !== undefined, undefined, { timeout: SLOW_PAGE_MS });
  return { page, errors };
}

/** Room time against the machine's clock, read at one instant in the page. */
async function clockReading(page: Page): Promise<ClockReading> {
  return page.evaluate(() => {
    const clock = window.__holoroom?.roomClock();
    if (!clock) throw new Error('no room');
    const roomNow = performance.timeOrigin + performance.now() + clock.offsetMs;
    return { roomMinusRealMs: roomNow - Date.now(), referenceId: clock.referenceId };
  });
}

/** The spinner's angle in each frame drawn during `ms`, with that frame's room time. */
async function spinnerFrames(page: Page, ms: number): Promise<FrameSample[]> {
  return page.evaluate(async (duration) => {
    const room = window.__holoroom;
    const spinner = room?.sceneObjects.get('Spinner' as never);
    if (!room || !spinner) throw new Error('no spinner');
    const samples: { roomMs: number; angle: number }[] = [];
    const end = performance.now() + duration;
    let last = Number.NaN;
    while (performance.now() < end && samples.length < 1000) {
      const { lastMs } = room.roomClock();
      if (lastMs !== last) {
        last = lastMs;
        samples.push({ roomMs: lastMs, angle: (spinner.rotation.y * 180) / Math.PI });
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return samples;
  }, ms);
}

/** a - b on a circle of 360°, in (-180, 180]. */
const angleDiff = (a: number, b: number) => {
  const d = (((a - b) % 360) + 360) % 360;
  return d > 180 ? d - 360 : d;
};

test(
  '[CLOCK1] two browsers, one with its clock 3.7 s ahead, show a spinning object at the same angle at the same room time',
  async () => {
    const url = `${suite.server.url}/r/e2eroomclock${Date.now().toString(36)}?seed=off`;
    const alice = await openPage('Alice', url, false);
    const bob = await openPage('Bob', url, true);
    await alice.page.evaluate(
      (speed) =>
        window.__holoroom?.session.doc
          .getText('script')
          .insert(0, `object "Spinner" @animated(type: "spin", speed: ${speed}) { geometry: "box" }\n`),
      SPEED,
    );
    const pages = [alice.page, bob.page];
    await waitUntil(
      async () => {
        const drawn = await Promise.all(
          pages.map((page) =>
            page.evaluate(() => window.__holoroom?.sceneObjects.get('Spinner' as never) !== undefined),
          ),
        );
        const readings = await Promise.all(pages.map(clockReading));
        // Both follow the same page's clock, and the skew has been corrected.
        return (
          drawn.every(Boolean) &&
          readings[0]?.referenceId === readings[1]?.referenceId &&
          Math.abs((readings[0]?.roomMinusRealMs ?? 0) - (readings[1]?.roomMinusRealMs ?? 0)) < FRAME_MS
        );
      },
      SLOW_PAGE_MS,
      async () =>
        `clocks: ${JSON.stringify(await Promise.all(pages.map(clockReading)))}; errors ${alice.errors.join('; ')} ${bob.errors.join('; ')}`,
    );
    // The room clocks agree within a frame, over 3 s (not one lucky reading). The offset comes from
    // PING/PONG round trips: on a loaded machine one late PONG moves an estimate for a moment, and it
    // is slewed back (CLOCK3), so the typical reading must be within a frame and none more than two
    // (without the room clock they are 3,700 ms apart).
    const spread: number[] = [];
    for (let i = 0; i < 6; i++) {
      const [a, b] = await Promise.all(pages.map(clockReading));
      spread.push(Math.abs((a?.roomMinusRealMs ?? 0) - (b?.roomMinusRealMs ?? 0)));
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    console.log(`room clocks apart (ms): ${spread.map((ms) => ms.toFixed(2)).join(', ')}`);
    const sorted = [...spread].sort((x, y) => x - y);
    expect(((sorted[2] ?? 0) + (sorted[3] ?? 0)) / 2).toBeLessThan(FRAME_MS);
    expect(Math.max(...spread)).toBeLessThan(2 * FRAME_MS);

    // Every frame on both pages drew the angle its room time gives (speed x room seconds, from 0°):
    // with the clocks above, the same angle at the same moment on both pages.
    const [framesA, framesB] = await Promise.all(pages.map((page) => spinnerFrames(page, 2_000)));
    for (const frames of [framesA, framesB]) {
      expect(frames?.length).toBeGreaterThan(2);
      for (const { roomMs, angle } of frames ?? []) {
        expect(Math.abs(angleDiff(angle, ((roomMs / 1000) * SPEED) % 360))).toBeLessThan(1e-3);
      }
    }
  },
  TEST_TIMEOUT_MS,
);

/**
 * A page hidden ALONE in a room, then a newcomer (docs/room-doc.md PRES9-PRES11).
 * A hidden page draws no frames, and the pose channel ticks only in frames, so
 * without PRES9 the newcomer gets HELLOs and PONGs from it but never a pose. The
 * newcomer must see the hidden person at once, listed as away, their avatar
 * faded where they stood, and keep seeing them past the channel's silence rule.
 *
 * The page is hidden for real (its window minimized: harness/hideable-pages.ts).
 * The hide is short: frames stop the moment the page is hidden, and the hidden
 * page answers in the tasks that bring the newcomer's messages (socket and data
 * channel messages are delivered at once, PRES7), not on timers, so Chromium's
 * timer throttling (after 60 s) changes nothing here; `HIDE_MS` lengthens it.
 * In the server-only room (`?webrtc=off`) the page hides before its renderer's
 * first frame (nothing holds the join), so its channel holds no pose of its own:
 * PRES9 sends where the person stands. Both rooms, that one and one where the
 * newcomer connects to the hidden page over WebRTC, run at once.
 */
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { CRATE_SCRIPT, distance, grabCrate, ownerOf, selfId } from './crate-room.ts';
import { peerConnectionStates, waitUntil, watchPage } from './harness/browser.ts';
import { hideableSuite } from './harness/suite.ts';

/** When the newcomer arrives, after the page was hidden (see above for why this is enough). */
const NEWCOMER_AFTER_MS = Number(process.env.HIDE_MS ?? 10_000);
/** How long the newcomer is watched: longer than the pose channel's silence rule (PEER_SILENT_MS, 10 s). */
const WATCH_MS = 16_000;
/** How soon after its room opened the newcomer must show the hidden person's avatar. */
const SHOWN_WITHIN_MS = 5_000;

const suite = hideableSuite();

/** Where this person stands: the desktop view, which every frame copies to the camera and the channel sends. */
function standsAt(page: Page): Promise<[number, number, number]> {
  return page.evaluate(() => {
    const position = window.__holoroom?.view.position;
    return [position?.x ?? Number.NaN, position?.y ?? Number.NaN, position?.z ?? Number.NaN];
  });
}

interface Look {
  ms: number;
  listed: boolean;
  listedAway: boolean;
  avatar?: { visible: boolean; away: boolean; head: [number, number, number] };
}

/** What the newcomer shows of `name`, sampled in its page every 100 ms for `ms` (each change kept). */
function watch(page: Page, name: string, ms: number): Promise<Look[]> {
  return page.evaluate(
    ([who, duration]) =>
      new Promise<Look[]>((resolve) => {
        const looks: Look[] = [];
        const start = performance.now();
        let last = '';
        const look = () => {
          const item = document.querySelector(`[data-testid="presence-list"] li[data-peer-name="${who}"]`);
          const avatar = window.__holoroom?.avatars().find((a) => a.name === who);
          const now: Look = {
            ms: Math.round(performance.now() - start),
            listed: item !== null,
            listedAway: item?.getAttribute('data-away') === 'true',
            ...(avatar ? { avatar: { visible: avatar.visible, away: avatar.away, head: avatar.head } } : {}),
          };
          const key = JSON.stringify({ ...now, ms: 0 });
          if (key !== last) looks.push(now);
          last = key;
          if (performance.now() - start < duration) setTimeout(look, 100);
          else resolve(looks);
        };
        look();
      }),
    [name, ms] as const,
  );
}

async function hiddenAlone(webrtc: boolean): Promise<void> {
  const label = webrtc ? 'WebRTC room' : 'server-only room';
  const pageB = await suite.chromium.hideablePage({ name: 'Bob', color: '#06d6a0' });
  const errors = [watchPage(pageB)];
  const roomUrl = `${suite.server.url}/r/e2ealone${webrtc ? 'rtc' : 'srv'}${Date.now().toString(36)}?seed=off${webrtc ? '' : '&webrtc=off'}`;
  await pageB.goto(roomUrl);
  await waitUntil(
    async () => (await pageB.evaluate(() => window.__holoroom?.session.status.get().server)) === 'synced',
    60_000,
    () => `${label}: B never synced with the server; ${errors.flatMap((e) => e.errors)}`,
  );
  // Bob holds the crate when he hides.
  await pageB.evaluate((text) => window.__holoroom?.session.room.replaceScript(text), CRATE_SCRIPT);
  const bob = await selfId(pageB);
  await waitUntil(
    async () => (await grabCrate(pageB)) === 'held' || (await ownerOf(pageB, 'Crate')) === bob,
    30_000,
    async () => `${label}: B cannot grab the crate: ${await grabCrate(pageB)}`,
  );
  const head = await standsAt(pageB);
  expect(head.every(Number.isFinite), `${label}: B's head ${head}`).toBe(true);

  const hiddenAt = Date.now();
  await suite.chromium.setHidden(pageB, true);
  while (Date.now() - hiddenAt < NEWCOMER_AFTER_MS) await new Promise((resolve) => setTimeout(resolve, 1_000));

  const drawnFrames = () => pageB.evaluate(() => window.__holoroom?.frameStats.frames ?? -1);
  const framesBefore = await drawnFrames();
  const context = await suite.context({ name: 'Carol', color: '#ef476f' });
  const pageC = await context.newPage();
  errors.push(watchPage(pageC));
  await pageC.goto(roomUrl);
  await waitUntil(
    async () => await pageC.evaluate(() => window.__holoroom !== undefined),
    30_000,
    () => `${label}: C opened no room`,
  );
  const looks = await watch(pageC, 'Bob', WATCH_MS);
  const report = `${label}: C showed Bob ${JSON.stringify(looks)}`;
  console.log(report);

  // PRES9, PRES10: C shows Bob at once, listed as away, his avatar faded where he stood (the hidden page
  // answered C's arrival with its last pose, PRES9) ...
  const first = looks.find((look) => look.avatar?.visible);
  expect(first, report).toBeDefined();
  expect(first?.ms, report).toBeLessThan(SHOWN_WITHIN_MS);
  expect(first?.avatar?.away, report).toBe(true);
  expect(distance(first?.avatar?.head ?? [], head), report).toBeLessThan(0.05);
  // PRES11: ... and keeps showing him so, past the pose channel's silence rule (POSE13, 10 s): the hidden
  // page sent one pose when C arrived, and since then only answers C's PINGs.
  const since = looks.slice(looks.indexOf(first as Look));
  expect(
    since.every((look) => look.avatar?.visible && look.avatar.away),
    report,
  ).toBe(true);
  expect(looks.at(-1), report).toMatchObject({ listed: true, listedAway: true });
  // The hidden page drew no frame meanwhile: what C got was sent outside frames.
  expect(await drawnFrames(), label).toBe(framesBefore);
  // What he held was put down while he was away (PRES5), and stays down.
  expect(await ownerOf(pageC, 'Crate'), label).toBeNull();
  if (webrtc) expect(await peerConnectionStates(pageC), label).toContain('connected');
  else expect(await peerConnectionStates(pageC), label).toEqual([]);
}

test.concurrent(
  '[PRES9][PRES10][PRES11] a newcomer to a server-only room where one person is hidden alone sees them at once, away, where they stood',
  () => hiddenAlone(false),
  240_000,
);

test.concurrent(
  '[PRES9][PRES10][PRES11] a newcomer who connects over WebRTC to a person hidden alone sees them at once, away, where they stood',
  () => hiddenAlone(true),
  240_000,
);

// Shared physics between browsers (separate contexts, real WebRTC asserted):
// - a ball dropped by the script knocks over a stack of blocks; both pages see
//   every block come to rest at the same place (within 1 cm and 1 degree), the
//   room document holds the rest poses with no owner, nothing is streamed once
//   the pile rests, and a latecomer sees the settled pile;
// - the page that simulates a ball in flight closes; the other page carries on
//   from the streamed pose without a jump, lands the ball and writes its rest
//   pose; a latecomer sees it there;
// - without the worker (`?physics=main`) the page loads the engine's same two
//   files, compiles its WebAssembly as it streams in, and a ball falls to rest.
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import type { ObjectId } from '../app/core/ids.ts';
import { MODE_FOLLOW_REMOTE, MODE_LOCAL, STEP_SECONDS } from '../app/physics/engine/simulation.ts';
import { waitUntil } from './harness/browser.ts';
import { physicsEngineFiles } from './harness/built-app.ts';
import {
  distance,
  docState,
  roomPageSuite,
  selfId,
  setScript,
  transportTo,
  waitForWebRTC,
} from './interaction-helpers.ts';
import { type BodyPose, physicsStats, bodyPoses as posesOf } from './physics-helpers.ts';

const BLOCKS = ['B0', 'B1', 'B2', 'B3'];
const SCRIPT = `composition "Physics test" {
  ${BLOCKS.map((name, i) => `object "${name}" @physics @grabbable { geometry: "box"; size: 0.3; position: [${i * 0.1}, ${0.15 + i * 0.3}, 3]; color: "#ffd166" }`).join('\n  ')}
  object "Ball" @physics(mass: 8, restitution: 0.3, angular_damping: 2) { geometry: "sphere"; size: 0.4; position: [0.12, 2.4, 3]; color: "#ef476f" }
}`;
const BODIES = [...BLOCKS, 'Ball'];

const suite = roomPageSuite();
const bodyPoses = (page: Page, bodies: readonly string[] = BODIES) => posesOf(page, bodies);

/** Angle between two unit quaternions, degrees. */
function angleDeg(a: readonly number[], b: readonly number[]): number {
  const dot = Math.abs(a.reduce((sum, v, i) => sum + v * (b[i] as number), 0));
  return (2 * Math.acos(Math.min(1, dot)) * 180) / Math.PI;
}

/** The paths the page's physics worker fetched (its own resource timing). */
async function physicsWorkerFetched(page: Page): Promise<string[]> {
  const worker = page.workers().find((w) => /\/assets\/physics-worker-.+\.js$/.test(w.url()));
  if (!worker) throw new Error(`no physics worker among ${page.workers().map((w) => w.url())}`);
  return worker.evaluate(() => performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname));
}

/** Whether the page itself (its main thread) fetched the physics worker's script and the engine. */
function pageFetched(page: Page): Promise<{ worker: boolean; engine: boolean }> {
  return page.evaluate(() => {
    const names = performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname);
    return {
      worker: names.some((name) => /^\/assets\/physics-worker-.+\.js$/.test(name)),
      engine: names.some((name) => /^\/assets\/rapier-.+\.js$/.test(name)),
    };
  });
}

async function allRest(page: Page): Promise<boolean> {
  for (const id of BODIES) {
    const state = await docState(page, id);
    if (state?.owner !== null || state.position === undefined) return false;
  }
  return true;
}

test('[PHYS4][PHYS5][PHYS6][PHYS8][PHYS9] a leaning stack hit by a falling ball collapses: both browsers see every block rest at the same place, the document holds the rest poses, nothing is streamed at rest, a latecomer sees the pile', async () => {
  const url = `${suite.server.url}/r/e2ephysics${Date.now().toString(36)}?seed=off`;
  const [a, b] = await suite.openPair({ name: 'Alice', url, color: '#ef476f' }, { name: 'Bob', url, color: '#06d6a0' });
  console.log('physics e2e: WebRTC connected');
  // PHYS8, LOAD15: neither the engine nor the physics' own code is loaded before a scene has a body.
  expect(await physicsStats(a.page)).toBeUndefined();
  await setScript(a.page, SCRIPT);
  for (const { page } of [a, b]) {
    await waitUntil(
      async () => (await physicsStats(page))?.ready === true,
      60_000,
      async () => `physics did not start: ${JSON.stringify(await physicsStats(page))}`,
    );
  }
  console.log('physics e2e: engines ready');
  // PHYS9: each page simulates in its physics worker: the worker's script was fetched, the engine was not
  // (the page's own resource timing; the worker's fetches are in the worker's).
  // LOAD23: the worker fetched the engine as its two files, the glue and the WebAssembly.
  const engine = physicsEngineFiles();
  for (const { page } of [a, b]) {
    expect((await physicsStats(page))?.host).toBe('worker');
    expect(await pageFetched(page)).toEqual({ worker: true, engine: false });
    expect(await physicsWorkerFetched(page)).toEqual(expect.arrayContaining([engine.glue, engine.wasm]));
  }
  // The ball falls on the stack; everything ends at rest, written to the document by whoever simulated it.
  await waitUntil(
    async () => (await allRest(a.page)) && (await allRest(b.page)),
    120_000,
    async () => `A ${JSON.stringify(await physicsStats(a.page))} B ${JSON.stringify(await physicsStats(b.page))}`,
  );
  console.log('physics e2e: all at rest');
  const [statsA, statsB] = [await physicsStats(a.page), await physicsStats(b.page)];
  expect((statsA?.rests ?? 0) + (statsB?.rests ?? 0)).toBeGreaterThanOrEqual(BODIES.length);
  // The stack fell over: blocks are no longer one above the other.
  const pa = await bodyPoses(a.page);
  await waitUntil(
    async () => {
      const [now, other] = [await bodyPoses(a.page), await bodyPoses(b.page)];
      return BODIES.every((id) => {
        const [x, y] = [now[id], other[id]];
        return x && y && distance(x.position, y.position) < 0.01 && angleDeg(x.quaternion, y.quaternion) < 1;
      });
    },
    20_000,
    async () => `A ${JSON.stringify(await bodyPoses(a.page))} B ${JSON.stringify(await bodyPoses(b.page))}`,
  );
  const heights = BLOCKS.map((id) => pa[id]?.position[1] ?? 0);
  expect(Math.max(...heights), `block heights ${heights}`).toBeLessThan(0.15 + 3 * 0.3 - 0.05);
  // The document holds where they rest.
  const pb = await bodyPoses(b.page);
  for (const id of BODIES) {
    const state = await docState(b.page, id);
    expect(distance(state?.position ?? [0, 0, 0], pb[id]?.position ?? [9, 9, 9]), id).toBeLessThan(0.01);
  }
  // PHYS6: at rest nothing more is streamed or written, on either page, for two seconds.
  const before = [await physicsStats(a.page), await physicsStats(b.page)].map((s) => [s?.streamed, s?.rests]);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const after = [await physicsStats(a.page), await physicsStats(b.page)].map((s) => [s?.streamed, s?.rests]);
  expect(after).toEqual(before);
  // PHYS9: the steps went through the worker, one request a frame at most, and none was refused.
  for (const stats of [statsA, statsB]) {
    expect(stats?.requests).toBeGreaterThan(100);
    expect(stats?.requests).toBeLessThanOrEqual(stats?.frames ?? 0);
    expect(stats?.errors).toBe(0);
  }

  // A latecomer sees the settled pile from the document.
  const c = await suite.open({ name: 'Carol', url, color: '#118ab2' });
  await waitUntil(
    async () => (await physicsStats(c.page))?.ready === true,
    60_000,
    () => 'C physics did not start',
  );
  const pc = await bodyPoses(c.page);
  for (const id of BODIES)
    expect(distance(pc[id]?.position ?? [9, 9, 9], pb[id]?.position ?? [0, 0, 0]), id).toBeLessThan(0.01);
  expect((await physicsStats(c.page))?.streamed).toBe(0);
}, 300_000);

/** A slow fall: gravity × 0.04 (0.39 m/s²) from 7 m lasts about 6 s of simulated time. */
const FLIGHT_GRAVITY = 9.81 * 0.04;
const FLIGHT_START = 7;
const FLIGHT_SCRIPT = `composition "Hand-over test" {
  object "Ball" @physics(gravity_scale: 0.04, restitution: 0.3, angular_damping: 2) { geometry: "sphere"; size: 0.4; position: [0, ${FLIGHT_START}, 3]; color: "#ef476f" }
}`;
/** How fast the ball can move at height `y` on its way down: the speed of a fall from its start, and some slack for the stream's jitter. */
const flightSpeedAt = (y: number) => Math.sqrt(2 * FLIGHT_GRAVITY * Math.max(0, FLIGHT_START - y)) + 0.25;

/** The longest B may hold the ball still between A's last streamed pose and its own simulation (ms). */
const MAX_HANDOVER_PAUSE_MS = 1500;

/** One physics frame of a page, for the ball: [steps so far, mode, x, y, z, page time in ms]. */
type TraceEntry = [number, number, number, number, number, number];

/**
 * Records, after every physics frame of the page, the ball's pose, its mode and the step count (wraps
 * `RoomPhysics.frame`). The physics is loaded first: the scene has no body yet (LOAD15).
 */
function recordBall(page: Page): Promise<void> {
  return page.evaluate(async () => {
    const physics = await window.__holoroom?.loadPhysics();
    if (!physics) throw new Error('the page has no physics');
    const trace: number[][] = [];
    (window as unknown as { __ballTrace: number[][] }).__ballTrace = trace;
    const frame = physics.frame.bind(physics);
    physics.frame = (deltaMs) => {
      frame(deltaMs);
      const p = physics.bodyPoseArray('Ball' as ObjectId);
      // Bounded: at 60 frames a second, ten minutes of frames.
      if (p && trace.length < 36_000)
        trace.push([
          physics.stats.steps,
          physics.modeOf('Ball' as ObjectId) ?? -1,
          ...p.slice(0, 3),
          performance.now(),
        ]);
    };
  });
}

function ballTrace(page: Page): Promise<TraceEntry[]> {
  return page.evaluate(() => (window as unknown as { __ballTrace: TraceEntry[] }).__ballTrace);
}

test('[PHYS5][PHYS4][PHYS6][POSE19] the page that simulates a ball in flight closes: the other page carries it on from the streamed pose without a jump or a pause, lands it and writes its rest pose; a latecomer sees it there', async () => {
  const url = `${suite.server.url}/r/e2ephysicsleave${Date.now().toString(36)}?seed=off`;
  const pair = await suite.openPair({ name: 'Ann', url, color: '#ef476f' }, { name: 'Ben', url, color: '#06d6a0' });
  for (const { page } of pair) await recordBall(page);
  await setScript(pair[0].page, FLIGHT_SCRIPT);

  // PHYS5: a body placed in the air is claimed by the cleaner, which streams it; the other page follows the stream.
  let owner: number | null | undefined;
  await waitUntil(
    async () => {
      owner = (await docState(pair[1].page, 'Ball'))?.owner;
      return owner !== null && owner !== undefined;
    },
    60_000,
    async () => `nobody claimed the ball: ${JSON.stringify(await physicsStats(pair[0].page))}`,
  );
  // A is the page whose claim the document holds.
  const firstIsOwner = (await selfId(pair[0].page)) === owner;
  const [a, b] = firstIsOwner ? pair : [pair[1], pair[0]];
  const aId = await selfId(a.page);
  const ballY = async (page: Page) => (await bodyPoses(page, ['Ball'])).Ball?.position[1] ?? 0;
  await waitUntil(
    async () =>
      (await b.page.evaluate(() => window.__holoroom?.physics?.modeOf('Ball' as ObjectId))) === MODE_FOLLOW_REMOTE &&
      (await ballY(b.page)) < FLIGHT_START - 1,
    30_000,
    async () => `B does not follow A's stream: B ${JSON.stringify(await physicsStats(b.page))}`,
  );
  // Still high in the air, streamed by A over WebRTC: A leaves.
  const leftAt = await ballY(b.page);
  expect(leftAt, 'the ball fell before A could leave').toBeGreaterThan(2.5);
  expect((await physicsStats(a.page))?.streamed).toBeGreaterThan(0);
  expect(await transportTo(b.page, aId)).toBe('webrtc');
  // As a person closes a tab: A's BYE (POSE15) goes out on every link, and B's presence drops A
  // (PRES1, or the server's PRES2), which ends A on B's pose channel too (POSE19).
  await a.page.close();
  console.log(`physics e2e: A left with the ball at ${leftAt.toFixed(2)} m on B`);

  // B takes it over (its own claim), lands it and writes the rest pose with no owner.
  await waitUntil(
    async () => {
      const [stats, doc] = [await physicsStats(b.page), await docState(b.page, 'Ball')];
      return (stats?.claims ?? 0) > 0 && (stats?.rests ?? 0) > 0 && doc?.owner === null;
    },
    90_000,
    async () => `B ${JSON.stringify(await physicsStats(b.page))} doc ${JSON.stringify(await docState(b.page, 'Ball'))}`,
  );
  const trace = await ballTrace(b.page);
  // The hand-over: the first frame B no longer follows A's stream after following it.
  const handover = trace.findIndex(
    (entry, i) => i > 0 && trace[i - 1]?.[1] === MODE_FOLLOW_REMOTE && entry[1] !== MODE_FOLLOW_REMOTE,
  );
  expect(handover, 'B never followed, then stopped following, the stream').toBeGreaterThan(0);
  expect(
    trace.slice(handover).some((entry) => entry[1] === MODE_LOCAL),
    'B never simulated it itself',
  ).toBe(true);
  // No jump: around the hand-over no frame moves the ball farther than it can fall in that frame's
  // time. Where B simulates it, that time is its steps (a frame longer than 4 steps is not caught up,
  // PHYS3). Where the pose is still A's stream (B follows it, or the hand-over frame, whose pose is the
  // worker's answer to the frame before), it is the page's own time since the frame before the last:
  // a streamed pose is A's newest result sent with A's frame time, so on a loaded machine its replay
  // lags a frame and then catches up (seen: 10 cm in a 51 ms frame after 3.6 cm in the 52 ms before,
  // for a ball falling about 5 cm a frame), which is the stream's timing, not a jump.
  let worst = 0;
  let worstAt = 0;
  let largestStep = 0;
  for (let i = Math.max(2, handover - 10); i < Math.min(trace.length, handover + 60); i++) {
    const [before, prev, now] = [trace[i - 2] as TraceEntry, trace[i - 1] as TraceEntry, trace[i] as TraceEntry];
    const step = distance(now.slice(2, 5), prev.slice(2, 5));
    const stepsTime = (now[0] - prev[0]) * STEP_SECONDS;
    const streamed = now[1] === MODE_FOLLOW_REMOTE || prev[1] === MODE_FOLLOW_REMOTE;
    const time = streamed ? Math.max(stepsTime, (now[5] - before[5]) / 1000) : stepsTime;
    const allowed = flightSpeedAt(Math.min(prev[3], now[3])) * time + 0.01;
    largestStep = Math.max(largestStep, step);
    if (step - allowed > worst) [worst, worstAt] = [step - allowed, i - handover];
  }
  const handoverY = (trace[handover] as TraceEntry)[3];
  // Between A's last streamed pose and B noticing that A left, B holds the ball where the stream ended.
  let held = handover - 1;
  while (
    held > 0 &&
    distance((trace[held - 1] as TraceEntry).slice(2, 5), (trace[held] as TraceEntry).slice(2, 5)) < 1e-6
  )
    held--;
  const heldMs = (trace[handover] as TraceEntry)[5] - (trace[held] as TraceEntry)[5];
  const around = trace
    .slice(Math.max(0, handover - 10), handover + 10)
    .map((e) => e.slice(0, 5).map((v) => +v.toFixed(3)));
  const ended = await b.page.evaluate(() => {
    const counters = window.__holoroom?.pose.channel.counters;
    return { byesIn: counters?.byesIn, departures: counters?.departures };
  });
  console.log(
    `physics e2e: B took over at ${handoverY.toFixed(2)} m after holding it still for ${heldMs.toFixed(0)} ms; largest step around it ${(largestStep * 100).toFixed(1)} cm; B's pose channel ended A by ${JSON.stringify(ended)}`,
  );
  console.log(`physics e2e: B's frames around the hand-over [steps, mode, x, y, z]: ${JSON.stringify(around)}`);
  expect(handoverY, 'the ball was still in flight when B took over').toBeGreaterThan(1);
  // No visible pause: B stops counting A as soon as A's BYE or its departure from presence
  // arrives (POSE15, POSE19), not after the pose channel's 5-10 s timeout (POSE13). Measured here
  // 0.18-0.32 s (the stream's last 100 ms of extrapolation, then a frame or two); the bound leaves
  // room for a few slow software-GL frames on a busy machine and fails the 5 s wait.
  expect(heldMs, 'B held the ball still in the air before taking it over (ms)').toBeLessThan(MAX_HANDOVER_PAUSE_MS);
  expect(
    worst,
    `largest step ${largestStep} m, the worst ${worstAt} frames from the hand-over; [steps, mode, x, y, z, ms] ${JSON.stringify(
      trace.slice(Math.max(0, handover - 12), handover + 60).map((e) => e.map((v) => +v.toFixed(3))),
    )}`,
  ).toBeLessThanOrEqual(0);

  // The document holds B's rest pose: on the floor, where B's world has it.
  const rest = (await bodyPoses(b.page, ['Ball'])).Ball as BodyPose;
  // If the ball is not on the floor, its last frames say why (one earlier failure saw it rest at 0.26 m).
  const restTail = async () =>
    `B ${JSON.stringify(await physicsStats(b.page))}; doc ${JSON.stringify(await docState(b.page, 'Ball'))}; last frames [steps, mode, x, y, z, ms] ${JSON.stringify(
      (await ballTrace(b.page)).slice(-40).map((e) => e.map((v) => +v.toFixed(3))),
    )}`;
  expect(rest.position[1], await restTail()).toBeCloseTo(0.2, 1);
  const doc = await docState(b.page, 'Ball');
  expect(distance(doc?.position ?? [9, 9, 9], rest.position)).toBeLessThan(0.001);

  // A latecomer, over WebRTC to B, sees the settled ball from the document and sends nothing for it.
  const c = await suite.open({ name: 'Cal', url, color: '#118ab2' });
  await waitForWebRTC(b.page, c.page);
  await waitUntil(
    async () => (await physicsStats(c.page))?.ready === true,
    60_000,
    () => 'C physics did not start',
  );
  expect(distance((await bodyPoses(c.page, ['Ball'])).Ball?.position ?? [9, 9, 9], rest.position)).toBeLessThan(0.01);
  expect((await docState(c.page, 'Ball'))?.owner).toBeNull();
  expect((await physicsStats(c.page))?.streamed).toBe(0);
}, 300_000);

/** A ball that falls 2 m onto the floor. */
const DROP_SCRIPT = `composition "Drop test" {
  object "Ball" @physics { geometry: "sphere"; size: 0.4; position: [0, 2, 3]; color: "#ef476f" }
}`;

test('[PHYS9][LOAD23] without the worker (`?physics=main`) the page loads the same two engine files, compiles the WebAssembly as it streams in, and simulates: a ball falls and its rest pose is written', async () => {
  const url = `${suite.server.url}/r/e2ephysicsmain${Date.now().toString(36)}?seed=off&physics=main`;
  const { page } = await suite.open({ name: 'Dee', url, color: '#ffd166' });
  // The engine loads with the first body: record every streaming compile from here on.
  await page.evaluate(() => {
    const streamed: string[] = [];
    (window as unknown as { __streamed: string[] }).__streamed = streamed;
    const compile = WebAssembly.instantiateStreaming.bind(WebAssembly);
    WebAssembly.instantiateStreaming = async (source, imports) => {
      const response = await source;
      streamed.push(new URL(response.url).pathname);
      return compile(response, imports);
    };
  });
  await setScript(page, DROP_SCRIPT);
  await waitUntil(
    async () => {
      const [stats, doc] = [await physicsStats(page), await docState(page, 'Ball')];
      return (stats?.rests ?? 0) > 0 && doc?.owner === null && (doc.position?.[1] ?? 9) < 0.5;
    },
    90_000,
    async () => `${JSON.stringify(await physicsStats(page))} doc ${JSON.stringify(await docState(page, 'Ball'))}`,
  );
  const stats = await physicsStats(page);
  expect(stats?.host).toBe('in-process');
  expect(stats?.errors).toBe(0);
  // No worker: the page fetched the glue itself, and compiled the one WebAssembly file from its response.
  expect(await pageFetched(page)).toEqual({ worker: false, engine: true });
  const engine = physicsEngineFiles();
  const fetched = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname),
  );
  expect(fetched).toEqual(expect.arrayContaining([engine.glue, engine.wasm]));
  const streamed = await page.evaluate(() => (window as unknown as { __streamed: string[] }).__streamed);
  expect(streamed).toEqual([engine.wasm]);
  // Served as WebAssembly, which is what lets the browser compile it while it downloads.
  const response = await fetch(`${suite.server.url}${engine.wasm}`);
  expect(response.headers.get('content-type')).toBe('application/wasm');
}, 180_000);
